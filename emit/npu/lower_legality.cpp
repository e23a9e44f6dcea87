// The checks of npu_plan_legality: the plan's structure, each statement's tiling against its
// cover and the target's bounds, fusion groups' shared row tiles, and capacity (lower_internal.h).
#include <algorithm>
#include <sstream>

#include "emit/npu/lower_internal.h"
#include "ir/error.h"

namespace axon::npu_lower {

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (size_t i = 0; i < v.size(); ++i)
    s += (i ? ", " : "") + v[i];
  return s;
}

std::vector<int64_t> hbm_shape(const IndexProgram& p, const std::string& t) {
  std::vector<int64_t> s = p.concrete_shape(t);
  if (s.empty())
    s.push_back(1); // a rank-0 tensor is one element: shape [1] in HBM
  return s;
}

std::vector<int64_t> row_major(const std::vector<int64_t>& shape) {
  std::vector<int64_t> st(shape.size(), 1);
  for (size_t i = shape.size(); i-- > 1;)
    st[i - 1] = st[i] * shape[i];
  return st;
}

// Which memory a result or temp of `instr` lives in: the working memory where the operand may
// live there, else the accumulator.
std::string result_memory(const Instruction& instr, const std::string& slot,
                          const NpuMemories& mem) {
  const OperandSpec* o = instr.find_operand(slot);
  if (!o)
    return mem.sbuf;
  auto has = [&](const std::string& m) {
    return std::find(o->memories.begin(), o->memories.end(), m) != o->memories.end();
  };
  if (has(mem.sbuf))
    return mem.sbuf;
  if (!mem.psum.empty() && has(mem.psum))
    return mem.psum;
  return o->memories.empty() ? mem.sbuf : o->memories.front();
}

DType operand_dtype(const Instruction& instr, const std::string& slot, DType want) {
  const OperandSpec* o = instr.find_operand(slot);
  const ParamSpec* prm = o ? nullptr : instr.find_param(slot);
  const std::vector<DType>* ds = o ? &o->dtypes : prm ? &prm->dtypes : nullptr;
  if (!ds || ds->empty() || std::find(ds->begin(), ds->end(), want) != ds->end())
    return want;
  return ds->front();
}

namespace {

// The statement's tiling from the plan, or why it cannot be lowered.
std::string tiling_of(const IndexProgram& p, const NpuPlan& plan, const NpuCovers& covers,
                      const Isa& isa, const NpuMemories& mem, size_t s, StmtTiling* out) {
  const IndexStmt& st = p.stmts()[s];
  std::string what = "statement " + std::to_string(s) + " (" + to_string(st) + ")";
  const NpuStmtPlan& sp = plan.stmts[s];
  if (s >= covers.size() || covers[s].empty())
    return "no lowering for " + what + ": instruction selection found no cover";
  if (sp.cover < 0 || static_cast<size_t>(sp.cover) >= covers[s].size())
    return "plan: " + what + " asks for cover " + std::to_string(sp.cover) + " of " +
           std::to_string(covers[s].size());
  StmtTiling t;
  t.stmt = s;
  t.cover = covers[s][sp.cover].get();
  const Cover& c = *t.cover;
  if (c.instrs.empty())
    return "no lowering for " + what + ": its cover has no instruction";
  for (const CoverVar& v : c.vars) {
    int64_t e = p.eval_size(v.extent);
    t.extent[v.name] = e;
    auto it = sp.tile.find(v.name);
    t.tile[v.name] = it == sp.tile.end() ? e : std::min(e, it->second);
    if (t.tile[v.name] < 1)
      return "plan: " + what + ": tile of " + v.name + " is " + std::to_string(it->second);
  }
  for (auto& [v, n] : sp.tile)
    if (!c.find_var(v))
      return "plan: " + what + ": tile names '" + v + "', not a variable of its cover (" + [&] {
        std::vector<std::string> names;
        for (auto& cv : c.vars)
          names.push_back(cv.name);
        return join(names);
      }() + ")";
  const CoverInstr& last = c.instrs.back();
  for (auto& l : last.loops)
    if (t.tile[l] != 1)
      return "no lowering for " + what + " with a tile of " + std::to_string(t.tile[l]) + " of " +
             l + ": its last instruction (" + last.name + ") runs once per value of " + l +
             "; tile " + l + " to 1";
  t.partition_var = last.out_axes.empty() ? "" : last.out_axes.front();
  if (!t.partition_var.empty() && t.tile[t.partition_var] > mem.partitions)
    return "plan: " + what + ": tile " + std::to_string(t.tile[t.partition_var]) + " of " +
           t.partition_var + " on the partitions exceeds the " + std::to_string(mem.partitions) +
           " partitions of " + mem.sbuf + " (" + isa.path + ": /memories)";
  // Instruction dim bounds: the full tile and a ragged last tile.
  for (const CoverInstr& ci : c.instrs)
    for (const CoverDim& d : ci.dims) {
      if (d.var.empty())
        continue;
      int64_t n = t.tile[d.var], rest = t.extent[d.var] % n;
      if (d.max && n > *d.max)
        return "plan: " + what + ": tile " + std::to_string(n) + " of " + d.var + " exceeds dim " +
               d.dim + " <= " + std::to_string(*d.max) + " of " + ci.name + " (" + isa.path + ": " +
               d.max_source + ")";
      if (d.min && (n < *d.min || (rest && rest < *d.min)))
        return "plan: " + what + ": a tile of " + std::to_string(rest ? rest : n) + " of " + d.var +
               " is below dim " + d.dim + " >= " + std::to_string(*d.min) + " of " + ci.name +
               " (" + isa.path + ": " + d.min_source + ")";
    }
  // Chunked reductions: only the last instruction may reduce them, accumulating.
  for (const CoverVar& v : c.vars)
    if (v.reduction && t.tile[v.name] < t.extent[v.name])
      t.chunked.insert(v.name);
  if (!t.chunked.empty()) {
    if (!last.accumulate)
      return "no lowering for " + what + ": reduction over " + *t.chunked.begin() +
             " split into chunks of " + std::to_string(t.tile[*t.chunked.begin()]) +
             " but its last instruction (" + last.name +
             ") has no accumulating form; tile the "
             "whole reduction";
    t.accumulate = last.accumulate;
    for (size_t k = 0; k + 1 < c.instrs.size(); ++k) {
      const CoverInstr& ci = c.instrs[k];
      for (auto& r : t.chunked) {
        bool keeps = std::find(ci.out_axes.begin(), ci.out_axes.end(), r) != ci.out_axes.end() ||
                     std::find(ci.loops.begin(), ci.loops.end(), r) != ci.loops.end();
        bool reads = false;
        for (auto& o : ci.operands)
          for (auto& a : o.term.axes)
            reads = reads || a == r;
        if (reads && !keeps)
          return "no lowering for " + what + ": reduction over " + r +
                 " split into chunks is reduced by " + ci.name + ", not by its last instruction";
      }
    }
  }
  // Loop order: the plan's, then the remaining Vars with more than one tile; reductions last.
  std::vector<std::string> order;
  for (auto& v : sp.order) {
    if (!c.find_var(v))
      return "plan: " + what + ": order names '" + v + "', not a variable of its cover";
    if (std::find(order.begin(), order.end(), v) != order.end())
      return "plan: " + what + ": order names '" + v + "' twice";
    order.push_back(v);
  }
  for (auto& v : c.vars)
    if (std::find(order.begin(), order.end(), v.name) == order.end())
      order.push_back(v.name);
  std::stable_partition(order.begin(), order.end(),
                        [&](const std::string& v) { return !c.find_var(v)->reduction; });
  for (auto& v : order)
    if (t.tile[v] < t.extent[v])
      t.loops.push_back(v);
  *out = std::move(t);
  return "";
}

std::string check_structure(const IndexProgram& p, const NpuPlan& plan) {
  if (plan.stmts.size() != p.stmts().size())
    return "plan: " + std::to_string(plan.stmts.size()) + " statement plans for a program of " +
           std::to_string(p.stmts().size()) + " statements";
  std::vector<int> seen(p.stmts().size(), 0);
  size_t next = 0;
  for (size_t g = 0; g < plan.groups.size(); ++g)
    for (size_t s : plan.groups[g]) {
      if (s >= seen.size() || seen[s]++)
        return "plan: group " + std::to_string(g) + " names statement " + std::to_string(s) +
               (s >= seen.size() ? ", which does not exist" : " a second time");
      if (s != next)
        return "plan: groups must list the statements in program order (group " +
               std::to_string(g) + " has statement " + std::to_string(s) + " where " +
               std::to_string(next) + " comes next)";
      ++next;
    }
  if (next != p.stmts().size())
    return "plan: statement " + std::to_string(next) + " is in no group";
  for (auto& t : plan.preload) {
    const TensorDecl* d = p.find_tensor(t);
    if (!d || d->role != TensorRole::Input)
      return "plan: preload names '" + t + "', not an input tensor of the program";
  }
  for (auto& [t, r] : plan.route) {
    if (!p.find_tensor(t))
      return "plan: route names '" + t + "', not a tensor of the program";
    if (r != "dma" && r != "pe")
      return "plan: route '" + r + "' of " + t + " (\"dma\" or \"pe\")";
  }
  if (plan.bufs < 1 || plan.bufs > 3)
    return "plan: bufs " + std::to_string(plan.bufs) + " (1 to 3)";
  if (plan.queues < 1)
    return "plan: queues " + std::to_string(plan.queues) + " (at least 1)";
  return "";
}

} // namespace

std::string plan_tilings(const IndexProgram& p, const NpuPlan& plan, const NpuCovers& covers,
                         const Isa& isa, const NpuMemories& mem, std::vector<StmtTiling>* out) {
  if (std::string e = check_structure(p, plan); !e.empty())
    return e;
  for (size_t s = 0; s < p.stmts().size(); ++s) {
    StmtTiling t;
    if (std::string e = tiling_of(p, plan, covers, isa, mem, s, &t); !e.empty())
      return e;
    out->push_back(std::move(t));
  }
  for (size_t g = 0; g < plan.groups.size(); ++g) {
    const auto& grp = plan.groups[g];
    if (grp.size() < 2)
      continue;
    std::string what = "fusion group " + std::to_string(g);
    const StmtTiling& first = (*out)[grp[0]];
    for (size_t s : grp) {
      const IndexStmt& st = p.stmts()[s];
      const StmtTiling& t = (*out)[s];
      if (st.vars.empty())
        return "no lowering for " + what + ": statement " + std::to_string(s) +
               " writes a rank-0 tensor (no rows to share)";
      const std::string& v0 = p.stmts()[grp[0]].vars[0];
      if (t.extent.at(st.vars[0]) != first.extent.at(v0) ||
          t.tile.at(st.vars[0]) != first.tile.at(v0))
        return "plan: " + what + ": statement " + std::to_string(s) + " tiles its rows (" +
               st.vars[0] + ": " + std::to_string(t.tile.at(st.vars[0])) + " of " +
               std::to_string(t.extent.at(st.vars[0])) + ") unlike statement " +
               std::to_string(grp[0]) + " (" + v0 + ": " + std::to_string(first.tile.at(v0)) +
               " of " + std::to_string(first.extent.at(v0)) + ")";
      if (first.tile.at(v0) > mem.partitions)
        return "plan: " + what + ": its row tile " + std::to_string(first.tile.at(v0)) +
               " exceeds the " + std::to_string(mem.partitions) + " partitions of " + mem.sbuf;
      if (t.chunked.count(st.vars[0]))
        return "no lowering for " + what + ": its row variable is a chunked reduction";
    }
  }
  return "";
}

// Bytes per partition the buffers take in each memory, as the builder places them (banked
// memories round each buffer up to a bank), against the memory's capacity.
std::string check_capacity(const NpuOps& ops, const Isa& isa) {
  std::map<std::string, int64_t> used;
  for (auto& b : ops.buffers) {
    const MemoryLevel* m = isa.find_memory(b.memory);
    int64_t bytes = b.size * dtype_bytes(b.dtype);
    if (m && m->bank_bytes > 0)
      bytes = ceil_div(bytes, m->bank_bytes) * m->bank_bytes;
    used[b.memory] += bytes;
    if (m && m->max_free_elems && b.size > *m->max_free_elems)
      return "plan: a " + b.memory + " tile of " + std::to_string(b.size) +
             " elements per partition exceeds its free size " + std::to_string(*m->max_free_elems) +
             " (" + isa.path + ": /memories, " + b.memory + " max_free_elems)";
  }
  for (size_t i = 0; i < isa.memories.size(); ++i) {
    const MemoryLevel& m = isa.memories[i];
    auto it = used.find(m.name);
    if (it == used.end() || m.partition_bytes <= 0)
      continue;
    if (it->second > m.partition_bytes)
      return "plan: " + m.name + " bytes per partition exceeded: the plan's buffers need " +
             std::to_string(it->second) + " bytes of " + std::to_string(m.partition_bytes) + " (" +
             isa.path + ": /memories/" + std::to_string(i) + "/capacity_bytes)";
  }
  return "";
}

} // namespace axon::npu_lower
