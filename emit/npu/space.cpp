// The NPU schedule space (see space.h).
#include "emit/npu/space.h"

#include <algorithm>
#include <random>

#include "ir/error.h"

namespace axon {

namespace {

// The largest partition count of the target's on-chip memories.
int64_t partition_count(const Isa& isa) {
  int64_t n = 1;
  for (auto& m : isa.memories)
    n = std::max(n, m.partitions);
  return n;
}

// The DMA queues of the target (the queues of its engines of kind "dma"; at least 1).
int dma_queues(const Isa& isa) {
  int64_t q = 1;
  for (auto& e : isa.engines)
    if (e.kind == "dma")
      q = std::max(q, e.queues);
  return static_cast<int>(q);
}

// The plan's legality; a plan whose check fails inside the lowering (an internal error: a bug)
// is not proposed, and says why, rather than ending the whole job: the search records and skips a
// failing candidate, and the space does the same before there is a candidate.
std::string why_illegal(const IndexProgram& p, const NpuPlan& plan, const NpuCovers& covers,
                        const Isa& isa) {
  try {
    return npu_plan_legality(p, plan, covers, isa);
  } catch (const UserError& e) {
    return e.what();
  } catch (const std::exception& e) {
    return std::string("the lowering failed on this plan (a bug): ") + e.what();
  }
}

void collect_dim_names(const Expr& e, std::set<std::string>& out) {
  visit(e, [&](const ExprNode& n) {
    if (n.kind() == ExprKind::DimVar)
      out.insert(n.name());
  });
}

bool is_var(const Expr& e, const std::string& v) {
  return e->kind() == ExprKind::IndexVar && e->name() == v;
}

} // namespace

CoverShape cover_shape(const IndexProgram& p, const Cover& c, const Isa& isa) {
  CoverShape s;
  for (auto& v : c.vars) {
    s.extent[v.name] = p.eval_size(v.extent);
    if (v.reduction)
      s.reductions.insert(v.name);
  }
  for (auto& in : c.instrs)
    for (auto& d : in.dims)
      if (!d.var.empty() && d.max) {
        auto it = s.bound.find(d.var);
        s.bound[d.var] = it == s.bound.end() ? *d.max : std::min(it->second, *d.max);
      }
  if (!c.instrs.empty() && !c.instrs.back().out_axes.empty())
    s.partition_var = c.instrs.back().out_axes.front();
  // The last instruction runs once per value of its loop Vars (a batch index): a tile of one.
  if (!c.instrs.empty())
    for (auto& v : c.instrs.back().loops)
      s.bound[v] = 1;
  if (!s.partition_var.empty()) {
    int64_t parts = partition_count(isa);
    auto it = s.bound.find(s.partition_var);
    s.bound[s.partition_var] = it == s.bound.end() ? parts : std::min(it->second, parts);
  }
  for (auto& in : c.instrs)
    for (auto& op : in.operands)
      if (op.term.kind == TermKind::Tensor && !op.term.axes.empty() &&
          !op.term.axes.front().empty() && !op.term.index.empty() &&
          !is_var(op.term.index.front(), op.term.axes.front()))
        s.transposed_reads.insert(op.term.tensor);
  return s;
}

namespace {

// One statement's tiles at free-tile level `level` (0: 512 or the bound, 1: 2048, 2: whole).
NpuStmtPlan stmt_plan(const CoverShape& s, int cover, int level, bool free_outer) {
  NpuStmtPlan sp;
  sp.cover = cover;
  static const int64_t kFree[] = {512, 2048};
  std::vector<std::string> outer, inner;
  bool partition_tiled = false;
  for (auto& [v, e] : s.extent) {
    int64_t t = e;
    auto b = s.bound.find(v);
    if (b != s.bound.end())
      t = std::min(e, b->second);
    else if (!s.reductions.count(v) && level < 2)
      t = std::min(e, kFree[level]);
    // A free tile that leaves 2 iterations: whole instead (the check at reduced sizes keeps 3
    // iterations per loop, which only the full size would give such a tile).
    if (b == s.bound.end() && t < e && e < 3 * t)
      t = e;
    if (t >= e)
      continue; // whole: no loop
    sp.tile[v] = t;
    if (s.reductions.count(v))
      inner.push_back(v);
    else if (v == s.partition_var)
      partition_tiled = true;
    else
      outer.push_back(v);
  }
  if (partition_tiled)
    outer.insert(free_outer ? outer.end() : outer.begin(), s.partition_var);
  sp.order = outer;
  sp.order.insert(sp.order.end(), inner.begin(), inner.end());
  return sp;
}

// Inputs that may sit in SBUF whole next to the streamed tiles: at most three quarters of a
// partition's bytes, spread over the partitions.
std::vector<std::string> preloadable(const IndexProgram& p, const Isa& isa) {
  int64_t part_bytes = 0, parts = partition_count(isa);
  for (auto& m : isa.memories)
    if (m.partitions == parts && m.kind == MemoryKind::Sram)
      part_bytes = std::max(part_bytes, m.partition_bytes);
  std::vector<std::string> out;
  for (auto* t : p.inputs()) {
    if (t->rank() < 2)
      continue;
    int64_t bytes = p.numel(t->name) * dtype_bytes(t->dtype);
    if (bytes / parts <= part_bytes * 3 / 4) // the plan's legality checks the rest fits
      out.push_back(t->name);
  }
  return out;
}

// Plans whose statements take more tiles than this are not proposed: each tile is a few
// instructions, and a cover whose last instruction loops over every Var (tiles of 1) would make
// programs of millions of instructions that take minutes to build and simulate.
constexpr int64_t kMaxTiles = 1 << 16;

bool too_many_tiles(const IndexProgram& p, const NpuPlan& plan,
                    const std::vector<CoverShape>& shapes) {
  (void)p;
  for (size_t i = 0; i < plan.stmts.size() && i < shapes.size(); ++i) {
    int64_t tiles = 1;
    for (auto& [v, t] : plan.stmts[i].tile) {
      auto e = shapes[i].extent.find(v);
      if (e != shapes[i].extent.end() && t > 0)
        tiles *= (e->second + t - 1) / t;
      if (tiles > kMaxTiles)
        return true;
    }
  }
  return false;
}

} // namespace

NpuPlan npu_default_plan(const IndexProgram& p, const NpuCovers& covers, const Isa& isa) {
  NpuPlan plan;
  for (size_t i = 0; i < p.stmts().size(); ++i) {
    if (covers.at(i).empty())
      internal_error("npu_default_plan: statement " + std::to_string(i) + " has no cover");
    CoverShape s = cover_shape(p, *covers[i][0], isa);
    plan.stmts.push_back(stmt_plan(s, 0, 0, false));
    plan.groups.push_back({i});
    for (auto& t : s.transposed_reads)
      plan.route[t] = "dma";
  }
  plan.bufs = 1;
  plan.queues = 1;
  return plan;
}

std::vector<NpuPlan> npu_memory_variations(const IndexProgram& p, const NpuPlan& plan,
                                           const NpuCovers& covers, const Isa& isa) {
  std::vector<NpuPlan> out;
  int all = dma_queues(isa);
  std::vector<int> queues = {2, std::min(8, all), all};
  std::sort(queues.begin(), queues.end());
  queues.erase(std::unique(queues.begin(), queues.end()), queues.end());
  for (int bufs : {2, 3})
    for (int q : queues) {
      if (q > all || (bufs == plan.bufs && q == plan.queues))
        continue;
      NpuPlan v = plan;
      v.bufs = bufs;
      v.queues = q;
      if (why_illegal(p, v, covers, isa).empty())
        out.push_back(v);
    }
  return out;
}

std::vector<NpuPlan> npu_plans(const IndexProgram& p, const NpuCovers& covers, const Isa& isa,
                               const NpuSpaceOptions& o, std::string* why) {
  size_t n = p.stmts().size();
  // Cover choices: the cheapest everywhere, then each statement's alternatives one at a time.
  std::vector<std::vector<int>> cover_choices = {std::vector<int>(n, 0)};
  for (size_t i = 0; i < n; ++i)
    for (size_t a = 1; a < covers.at(i).size(); ++a) {
      std::vector<int> c(n, 0);
      c[i] = static_cast<int>(a);
      cover_choices.push_back(c);
    }
  // And every statement's second alternative at once (layouts that agree across statements).
  {
    std::vector<int> c(n, 0);
    bool any = false;
    for (size_t i = 0; i < n; ++i)
      if (covers[i].size() > 1)
        c[i] = 1, any = true;
    if (any && std::find(cover_choices.begin(), cover_choices.end(), c) == cover_choices.end())
      cover_choices.push_back(c);
  }
  // Preloads: none, each input that may fit on its own, and all of them.
  std::vector<std::string> preload = preloadable(p, isa);
  std::vector<std::vector<std::string>> preload_sets = {{}};
  for (auto& t : preload)
    preload_sets.push_back({t});
  if (preload.size() > 1)
    preload_sets.push_back(preload);
  int queues = std::min(8, dma_queues(isa));
  std::vector<NpuPlan> out;
  std::string last_why;
  for (auto& cc : cover_choices) {
    std::vector<CoverShape> shapes;
    std::set<std::string> transposed;
    for (size_t i = 0; i < n; ++i) {
      shapes.push_back(cover_shape(p, *covers[i][static_cast<size_t>(cc[i])], isa));
      transposed.insert(shapes.back().transposed_reads.begin(),
                        shapes.back().transposed_reads.end());
    }
    for (int level = 0; level < 3; ++level)
      for (bool free_outer : {false, true})
        for (const char* route : {"dma", "pe"})
          for (size_t pre = 0; pre < preload_sets.size(); ++pre)
            for (bool fuse : {false, true}) {
              if (transposed.empty() && std::string(route) == "pe")
                continue;
              NpuPlan plan;
              for (size_t i = 0; i < n; ++i)
                plan.stmts.push_back(stmt_plan(shapes[i], cc[i], level, free_outer));
              for (auto& t : transposed)
                plan.route[t] = route;
              plan.preload = preload_sets[pre];
              plan.bufs = 2;
              plan.queues = queues;
              // Groups: each statement alone, or greedily in program order while legal.
              // A merge is legal when the plan with the statements after it still on their own
              // is.
              for (size_t i = 0; i < n; ++i) {
                if (fuse && !plan.groups.empty()) {
                  NpuPlan trial = plan;
                  trial.groups.back().push_back(i);
                  for (size_t j = i + 1; j < n; ++j)
                    trial.groups.push_back({j});
                  if (why_illegal(p, trial, covers, isa).empty()) {
                    plan.groups.back().push_back(i);
                    continue;
                  }
                }
                plan.groups.push_back({i});
              }
              if (fuse && plan.groups.size() == n)
                continue; // nothing fused: the unfused plan already
              if (too_many_tiles(p, plan, shapes)) {
                last_why = "a statement's tiles would number more than " +
                           std::to_string(kMaxTiles) + " (its instructions bound its tiles)";
                continue;
              }
              std::string w = why_illegal(p, plan, covers, isa);
              if (!w.empty()) {
                last_why = w;
                continue;
              }
              if (std::find_if(out.begin(), out.end(),
                               [&](const NpuPlan& q) { return q == plan; }) == out.end())
                out.push_back(plan);
            }
  }
  if (out.size() > o.max_plans) {
    // A deterministic sample, the first (cheapest covers, smallest tiles) kept.
    std::mt19937_64 rng(o.seed);
    std::shuffle(out.begin() + 1, out.end(), rng);
    out.resize(o.max_plans);
  }
  if (out.empty() && why)
    *why = last_why;
  return out;
}

std::map<std::string, int64_t> npu_check_dims(const IndexProgram& p, const NpuPlan& plan,
                                              const NpuCovers& covers, const Isa& isa, int extra) {
  std::map<std::string, int64_t> want;  // dim -> size its loops need
  std::set<std::string> fixed, untiled; // dims kept at full size; dims no loop tiles
  int64_t iters = std::max(3, plan.bufs + 1) + extra;
  auto bare_dim = [](const Expr& e) -> std::string {
    return e->kind() == ExprKind::DimVar ? e->name() : "";
  };
  for (auto& t : p.tensors())
    for (auto& e : t.shape) {
      std::string d = bare_dim(e);
      if (d.empty()) {
        std::set<std::string> in;
        collect_dim_names(e, in);
        fixed.insert(in.begin(), in.end());
      } else {
        untiled.insert(d);
      }
    }
  for (size_t i = 0; i < p.stmts().size() && i < plan.stmts.size(); ++i) {
    const NpuStmtPlan& sp = plan.stmts[i];
    const auto& alts = covers.at(i);
    if (sp.cover < 0 || static_cast<size_t>(sp.cover) >= alts.size())
      continue;
    const Cover& c = *alts[static_cast<size_t>(sp.cover)];
    for (auto& v : c.vars) {
      std::string d = bare_dim(v.extent);
      if (d.empty()) {
        std::set<std::string> in;
        collect_dim_names(v.extent, in);
        fixed.insert(in.begin(), in.end());
        continue;
      }
      auto t = sp.tile.find(v.name);
      int64_t e = p.eval_size(v.extent);
      if (t == sp.tile.end() || t->second >= e)
        continue;
      int64_t r = e % t->second;
      int64_t need = r ? (iters - 1) * t->second + r : iters * t->second;
      want[d] = std::max(want.count(d) ? want[d] : 0, std::min(e, need));
      untiled.erase(d);
    }
  }
  (void)isa;
  std::map<std::string, int64_t> out;
  for (auto& [d, v] : p.dims()) {
    if (!v || fixed.count(d))
      continue;
    int64_t size = *v;
    if (want.count(d))
      size = want[d];
    else if (untiled.count(d))
      size = std::min<int64_t>(*v, 48 - 15 * extra);
    if (size != *v)
      out[d] = size;
  }
  return out;
}

} // namespace axon
