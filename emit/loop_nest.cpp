// Building and printing the loop-nest IR (see loop_nest.h).
#include "emit/loop_nest.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <sstream>

#include "ir/dtype.h"
#include "ir/error.h"

namespace axon {

const char* loop_kind_name(LoopKind k) {
  switch (k) {
  case LoopKind::Serial:
    return "serial";
  case LoopKind::Parallel:
    return "parallel";
  case LoopKind::Vector:
    return "vector";
  case LoopKind::Unrolled:
    return "unrolled";
  case LoopKind::Partition:
    return "partition";
  case LoopKind::Block:
    return "block";
  case LoopKind::Thread:
    return "thread";
  }
  return "?";
}

namespace {

int64_t align_scratch(int64_t n) { return (n + kScratchAlign - 1) / kScratchAlign * kScratchAlign; }

// The extents of a statement's loop variables: its output's dims, and the top-level reduction's
// variable when the order lifts it.
std::map<std::string, int64_t> loop_extents(const IndexProgram& p, const IndexStmt& st,
                                            const ExprNode* red, bool lifted) {
  std::map<std::string, int64_t> extents;
  auto shape = p.concrete_shape(st.out);
  for (size_t i = 0; i < st.vars.size(); ++i)
    extents[st.vars[i]] = shape[i];
  if (red && lifted)
    extents[red->name()] = p.eval_size(red->extent());
  return extents;
}

// The loops of `order` under a schedule's splits, vectorized loop, unrolled loops, and the loop at
// position `thread_at` named `thread_name` split across `threads` threads.
LoopList loop_list(const std::vector<std::string>& order, const StmtSchedule& ss,
                   const std::map<std::string, int64_t>& extents, size_t thread_at,
                   const std::string& thread_name, int threads) {
  LoopList out;
  for (size_t k = 0; k < order.size(); ++k) {
    const std::string& l = order[k];
    Loop lp;
    lp.name = l;
    lp.var = loop_var(l);
    lp.part = !is_split_part(l) ? LoopPart::Whole
              : l.back() == 'o' ? LoopPart::Outer
                                : LoopPart::Inner;
    lp.extent = extents.at(lp.var);
    lp.tile = lp.part == LoopPart::Whole ? 0 : ss.split.at(lp.var);
    lp.trip = lp.part == LoopPart::Outer   ? (lp.extent + lp.tile - 1) / lp.tile
              : lp.part == LoopPart::Inner ? std::min(lp.tile, lp.extent)
                                           : lp.extent;
    if (ss.vectorize == l) {
      lp.kind = LoopKind::Vector;
      lp.width = ss.vector_width;
    } else if (std::find(ss.unroll.begin(), ss.unroll.end(), l) != ss.unroll.end()) {
      lp.kind = LoopKind::Unrolled;
    } else if (k == thread_at && l == thread_name) {
      lp.kind = LoopKind::Parallel;
      lp.threads = threads;
    }
    out.loops.push_back(lp);
  }
  for (auto& [v, t] : ss.split)
    if (extents.count(v) && extents.at(v) % t != 0)
      out.guards.push_back({v, extents.at(v)});
  return out;
}

// Statement `si`'s nest; `bound` leading loops are its group's shared loop (kind Parallel with
// `group_threads` > 1). Without a shared loop, a statement with threads runs its thread loop
// Parallel (and so do its initialising and epilogue passes' loops at that position and name).
Nest stmt_nest(const IndexProgram& p, size_t si, const StmtSchedule& ss, size_t bound,
               int group_threads, int64_t shared_step) {
  const IndexStmt& st = p.stmts().at(si);
  Nest n;
  n.stmt = si;
  n.bound = bound;
  const ExprNode* red = top_reduction(st);
  bool lifted = false;
  if (red)
    for (auto& l : ss.order)
      lifted = lifted || loop_var(l) == red->name();
  auto extents = loop_extents(p, st, red, lifted);
  size_t thread_at = ss.order.size();
  std::string thread_name;
  if (bound == 0 && ss.threads > 1)
    if (auto tl = thread_loop(p, si, ss)) {
      thread_at = tl->first;
      thread_name = ss.order[tl->first];
    }
  n.loops = loop_list(ss.order, ss, extents, thread_at, thread_name, ss.threads);
  if (bound > 0 && group_threads > 1) {
    n.loops.loops[0].kind = LoopKind::Parallel;
    n.loops.loops[0].threads = group_threads;
  }
  n.packed = ss.pack;
  n.annotations.stream = ss.stream;
  if (bound > 0) {
    n.annotations.prefetch = ss.prefetch;
    n.annotations.prefetch_var = loop_var(ss.order[0]);
    n.annotations.prefetch_step = shared_step;
  }
  if (!lifted)
    return n;
  n.compute = ComputeKind::Accumulate;
  n.reduction_var = red->name();
  n.reduction = red->kind();
  n.identity = red->kind() == ExprKind::Sum    ? 0.0
               : red->kind() == ExprKind::RMax ? -INFINITY
                                               : INFINITY;
  for (size_t i = 0; i < ss.order.size(); ++i)
    if (loop_var(ss.order[i]) == red->name())
      n.reduction_loop = i;
  n.annotations.register_tile = is_register_tile(p, si, ss);
  n.annotations.whole_reduction = is_whole_reduction_tile(p, si, ss);
  n.epilogue = reduction_epilogue(st);
  // The output's elements, once each: inside a shared loop only its iteration's part (the bound
  // variable, or its tile).
  StmtSchedule init;
  init.order = st.vars;
  if (bound > 0) {
    const std::string& l0 = ss.order[0];
    std::string v0 = loop_var(l0);
    init.order.erase(std::find(init.order.begin(), init.order.end(), v0));
    if (is_split_part(l0)) {
      init.order.insert(init.order.begin(), v0 + ".i");
      init.split[v0] = ss.split.at(v0);
    }
  }
  init.vectorize = init.order.empty() || is_split_part(init.order.back()) ? "" : init.order.back();
  n.init = InitKind::Loops;
  n.init_loops = loop_list(init.order, init, extents, thread_at, thread_name, ss.threads);
  return n;
}

// A packed copy of t: f32, every element of t.
int64_t pack_bytes(const IndexProgram& p, const std::string& t) {
  return align_scratch(p.numel(t) * 4);
}

} // namespace

LoopNestOptions loop_nest_options(const Isa& isa) {
  LoopNestOptions o;
  bool dram = false;
  int64_t widest = 0;
  for (auto& m : isa.memories) {
    if (m.kind == MemoryKind::Dram && !dram) {
      o.scratch_level = m.name;
      dram = true;
    }
    if (m.kind == MemoryKind::Register && m.register_bytes > widest) {
      o.register_level = m.name;
      widest = m.register_bytes;
    }
  }
  return o;
}

Nest build_stmt_nest(const IndexProgram& p, size_t stmt, const StmtSchedule& ss) {
  return stmt_nest(p, stmt, ss, 0, 1, 1);
}

LoopNest build_loop_nest(const IndexProgram& p, const Schedule& s, const LoopNestOptions& o) {
  LoopNest ln;
  ln.options = o;
  for (auto [first, last] : fusion_groups(s)) {
    Group g;
    g.first = first;
    g.last = last;
    const StmtSchedule& lead = s.stmts[first];
    g.threads = std::max(1, lead.threads);
    std::optional<OuterLoop> ol = outer_loop(p, first, lead);
    int64_t step = ol && ol->tile ? ol->tile : 1;
    for (size_t i = first; i <= last; ++i)
      g.nests.push_back(stmt_nest(p, i, s.stmts[i], ol ? 1 : 0, g.threads, step));
    if (ol) {
      g.shared = g.nests[0].loops.loops[0];
      AXON_CHECK(g.shared->trip == ol->trip(), "shared loop trip");
    }
    size_t gi = ln.groups.size();
    // Packed copies, from the scratch's start, in statement and pack order.
    for (size_t i = first; i <= last; ++i)
      for (auto& t : s.stmts[i].pack) {
        StagedTensor st;
        st.name = t + ".pack";
        st.tensor = t;
        st.kind = StagedKind::Packed;
        st.level = o.scratch_level;
        st.group = gi;
        st.stmt = i;
        st.var = pack_var(p, i, s.stmts[i], t, &st.position);
        AXON_CHECK(!st.var.empty(), "operand " + t + " cannot be packed");
        st.tile = s.stmts[i].split.at(st.var);
        auto shape = p.concrete_shape(t);
        st.lead = 1;
        for (size_t d = 0; d < shape.size(); ++d)
          if (d != st.position)
            st.lead *= shape[d];
        st.shape = {shape.at(st.position) / st.tile, st.lead, st.tile};
        st.dims = {st.var + ".o", "the other indices", st.var + ".i"};
        st.offset = g.pack_bytes;
        st.bytes = pack_bytes(p, t);
        int th = s.stmts[i].threads;
        st.copy_threads = th > 1 && st.shape[0] >= th ? th : 1;
        g.pack_bytes += st.bytes;
        g.staged.push_back(ln.staged.size());
        ln.staged.push_back(st);
      }
    // Temporaries produced and read only inside the group: one shared-loop iteration's slice (its
    // tile of iterations) per thread, after the packed copies.
    if (first != last) {
      int64_t tile = ol->tile ? ol->tile : 1;
      size_t index = 0;
      for (auto& [t, d] : group_local_temps(p, s, first, last)) {
        StagedTensor st;
        st.name = t + ".slice";
        st.tensor = t;
        st.kind = StagedKind::Slice;
        st.level = o.scratch_level;
        st.group = gi;
        st.position = d;
        st.var = g.nests[0].loops.loops[0].var;
        st.shape = p.concrete_shape(t);
        st.shape.at(d) = std::min<int64_t>(tile, st.shape.at(d));
        const IndexStmt* producer = nullptr;
        for (size_t i = first; i <= last; ++i)
          if (p.stmts()[i].out == t)
            producer = &p.stmts()[i];
        st.dims = producer->vars;
        int64_t elems = 1;
        for (auto x : st.shape)
          elems *= x;
        st.offset = g.slice_bytes;
        st.skew_index = index;
        st.page = o.slice_page;
        st.skew = o.slice_skew;
        int64_t place = o.slice_page > 0 ? o.slice_page + o.slice_skew +
                                               kScratchAlign * static_cast<int64_t>(index)
                                         : 0;
        st.bytes = align_scratch(elems * dtype_bytes(p.tensor(t).dtype) + place);
        st.replicas = g.threads;
        st.run_offset = g.pack_bytes;
        g.slice_bytes += st.bytes;
        g.staged.push_back(ln.staged.size());
        ln.staged.push_back(st);
        ++index;
      }
      for (size_t k : g.staged)
        if (ln.staged[k].kind == StagedKind::Slice)
          ln.staged[k].replica_stride = g.slice_bytes;
    }
    ln.scratch_bytes = std::max(ln.scratch_bytes, g.scratch_bytes());
    ln.groups.push_back(std::move(g));
  }
  return ln;
}

namespace {

std::string loop_text(const Loop& l) {
  std::ostringstream os;
  os << loop_kind_name(l.kind);
  if (l.kind == LoopKind::Parallel)
    os << "(" << l.threads << ")";
  if (l.kind == LoopKind::Vector)
    os << "(" << l.width << ")";
  os << " " << l.name << " in [0, " << l.trip << ")";
  if (l.part != LoopPart::Whole)
    os << " of " << l.var << " " << l.extent << " tile " << l.tile << (l.ragged() ? " ragged" : "");
  return os.str();
}

void print_loops(std::ostringstream& os, const LoopList& l, size_t from, const std::string& ind) {
  std::string in = ind;
  for (size_t k = from; k < l.loops.size(); ++k) {
    os << in << loop_text(l.loops[k]) << "\n";
    in += "  ";
  }
  for (auto& g : l.guards)
    os << in << "guard " << g.var << " < " << g.extent << "\n";
}

const char* reduction_name(ExprKind k) {
  return k == ExprKind::Sum ? "sum" : k == ExprKind::RMax ? "max" : "min";
}

} // namespace

std::string to_string(const LoopNest& n, const IndexProgram& p) {
  std::ostringstream os;
  for (auto& st : n.staged) {
    os << "staged " << st.name << " = " << (st.kind == StagedKind::Packed ? "packed " : "slice ")
       << st.tensor << " in " << st.level << " shape [";
    for (size_t i = 0; i < st.shape.size(); ++i)
      os << (i ? ", " : "") << st.shape[i];
    os << "] dims [";
    for (size_t i = 0; i < st.dims.size(); ++i)
      os << (i ? ", " : "") << st.dims[i];
    os << "] offset " << st.offset << " bytes " << st.bytes;
    if (st.kind == StagedKind::Slice) {
      os << " x " << st.replicas << " per thread, stride " << st.replica_stride << " from "
         << st.run_offset;
      if (st.page)
        os << " page " << st.page << " skew "
           << st.skew + kScratchAlign * static_cast<int64_t>(st.skew_index);
    } else if (st.copy_threads > 1) {
      os << " copied by " << st.copy_threads << " threads";
    }
    os << "\n";
  }
  for (auto& g : n.groups) {
    os << "group " << g.first << ".." << g.last;
    if (g.threads > 1)
      os << " threads " << g.threads;
    if (g.scratch_bytes())
      os << " scratch " << g.scratch_bytes();
    os << "\n";
    std::string ind = "  ";
    if (g.shared) {
      os << ind << "shared " << loop_text(*g.shared) << "\n";
      ind += "  ";
    }
    for (auto& nest : g.nests) {
      const IndexStmt& st = p.stmts().at(nest.stmt);
      os << ind << "stmt " << nest.stmt << " " << st.out << " ";
      if (nest.compute == ComputeKind::Assign)
        os << "assign";
      else
        os << "accumulate " << reduction_name(nest.reduction) << " over " << nest.reduction_var;
      os << "\n";
      std::string in2 = ind + "  ";
      if (nest.annotations.stream)
        os << in2 << "stream\n";
      for (auto& t : nest.annotations.prefetch)
        os << in2 << "prefetch " << t << " step " << nest.annotations.prefetch_step << "\n";
      if (nest.annotations.register_tile)
        os << in2 << "register tile"
           << (nest.annotations.whole_reduction ? ", whole reduction" : "") << " in "
           << n.options.register_level << "\n";
      for (auto& t : nest.packed)
        os << in2 << "packed " << t << "\n";
      if (nest.init == InitKind::Loops) {
        os << in2 << "init " << nest.identity << "\n";
        print_loops(os, nest.init_loops, 0, in2 + "  ");
      }
      print_loops(os, nest.loops, nest.bound, in2);
      if (nest.epilogue)
        os << in2 << "epilogue " << to_string(nest.epilogue) << "\n";
    }
  }
  os << "scratch " << n.scratch_bytes << "\n";
  return os.str();
}

} // namespace axon
