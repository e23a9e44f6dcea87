// The analytic cost model (see cost_model.h).
#include "emit/cpu/cost_model.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <set>

#include "emit/loop_nest.h"
#include "ir/error.h"

namespace axon {

namespace {

// A working set counts as fitting a cache when it takes at most this part of it: lines map to
// sets (associativity), the loop nest touches other data too, and a shared level also holds the
// other cores' data. At 1.0 the model chose, for a 4096 x 5120 x 12288 matmul, 4-row tiles each
// streaming a 25 MB block of the right-hand side "from the 32 MiB L3": 6.0 s against its 2.2 s
// estimate, DRAM-bound in fact.
constexpr double kUsableCacheFraction = 0.5;

// Relative cost of one scalar operation, in units of an add.
double op_weight(ExprKind k) {
  switch (k) {
  case ExprKind::Exp:
  case ExprKind::Log:
  case ExprKind::Tanh:
  case ExprKind::Erf:
  case ExprKind::Sigmoid:
  case ExprKind::Sin:
  case ExprKind::Cos:
  case ExprKind::Pow:
    return 12;
  case ExprKind::Div:
  case ExprKind::Recip:
  case ExprKind::Sqrt:
  case ExprKind::Rsqrt:
    return 4;
  case ExprKind::Access:
  case ExprKind::IntConst:
  case ExprKind::RealConst:
  case ExprKind::IndexVar:
  case ExprKind::DimVar:
  case ExprKind::ToReal:
    return 0;
  default:
    return 1;
  }
}

// Weight overrides: element functions at the cost of their selected instructions.
using Weights = std::map<ExprKind, double>;

// Weighted operation count of one evaluation, nested reductions multiplied by their extents.
double ops(const Expr& e, const IndexProgram& p, const Weights& selected) {
  if (is_reduce(e->kind()))
    return static_cast<double>(p.eval_size(e->extent())) * (ops(e->body(), p, selected) + 1);
  if (e->sort() == Sort::Int)
    return 0;
  auto it = selected.find(e->kind());
  double w = it != selected.end() ? it->second : op_weight(e->kind());
  for (auto& a : e->args())
    w += ops(a, p, selected);
  return w;
}

struct AccessInfo {
  std::string tensor;
  std::vector<Expr> index;
  std::set<std::string> vars;      // index variables it depends on (nested reduction vars included)
  std::set<std::string> last_vars; // those of its last (contiguous) index
  int64_t numel = 1;
  int64_t last_extent = 1; // the tensor's last dimension
};

void collect_accesses(const Expr& e, const IndexProgram& p, std::vector<AccessInfo>& out) {
  if (e->kind() == ExprKind::Access) {
    AccessInfo a;
    a.tensor = e->name();
    a.index = e->args();
    for (auto& i : e->args())
      for (auto& v : free_index_vars(i))
        a.vars.insert(v);
    a.numel = p.numel(e->name());
    if (!a.index.empty()) {
      for (auto& v : free_index_vars(a.index.back()))
        a.last_vars.insert(v);
      a.last_extent = p.concrete_shape(e->name()).back();
    }
    out.push_back(a);
  }
  for (auto& x : e->args())
    collect_accesses(x, p, out);
}

struct CostLoop {
  std::string var; // the statement variable it iterates (split parts map to their variable)
  double trip;
};

// Stride class of an access with respect to `var`: 0 invariant, 1 contiguous (var only in the
// last index, plainly), 2 anything else.
int stride_class(const AccessInfo& a, const std::string& var) {
  if (!a.vars.count(var))
    return 0;
  for (size_t i = 0; i + 1 < a.index.size(); ++i)
    for (auto& v : free_index_vars(a.index[i]))
      if (v == var)
        return 2;
  const Expr& last = a.index.back();
  if (last->kind() == ExprKind::IndexVar && last->name() == var)
    return 1;
  if (last->kind() == ExprKind::Add && last->arg(1)->kind() == ExprKind::IndexVar &&
      last->arg(1)->name() == var && !free_index_vars(last->arg(0)).size())
    return 1;
  return 2;
}

} // namespace

std::string stmt_cost_key(const IndexProgram& p, size_t si) {
  const IndexStmt& st = p.stmts().at(si);
  std::string key = to_string(st) + " |";
  std::set<std::string> touched{st.out};
  visit(st.value, [&](const ExprNode& n) {
    if (n.kind() == ExprKind::Access)
      touched.insert(n.name());
  });
  for (auto& t : touched) {
    key += " " + t + ":" + dtype_name(p.tensor(t).dtype) + "[";
    for (auto d : p.concrete_shape(t))
      key += std::to_string(d) + ",";
    key += "]";
  }
  return key;
}

double estimate_stmt_ns(const IndexProgram& p, size_t si, const StmtSchedule& ss,
                        const MachineModel& m, const std::set<std::string>* resident,
                        const SelectedCosts* selected) {
  return estimate_stmt_ns(p, build_stmt_nest(p, si, ss), m, resident, selected);
}

double estimate_stmt_ns(const IndexProgram& p, const Nest& nest, const MachineModel& m,
                        const std::set<std::string>* resident, const SelectedCosts* selected) {
  const size_t si = nest.stmt;
  const IndexStmt& st = p.stmts().at(si);
  auto shape = p.concrete_shape(st.out);
  const ExprNode* red = top_reduction(st);

  // The nest's loops (a split variable's parts by their trips), outer to inner.
  std::vector<CostLoop> loops;
  for (auto& l : nest.loops.loops)
    loops.push_back({l.var, static_cast<double>(l.trip)});
  const bool lifted = nest.compute == ComputeKind::Accumulate;
  // A reduction not lifted into the order runs as an innermost scalar loop per output element.
  Expr body = st.value;
  if (red && !lifted)
    loops.push_back({red->name(), static_cast<double>(p.eval_size(red->extent()))});
  if (red)
    body = ExprNode::unary(ExprKind::Neg,
                           red->body()); // the per-iteration work (+1 op for the combine)
  // The vector loop (at most one) and the operands read from packed copies.
  const Loop* vec_loop = nullptr;
  for (auto& l : nest.loops.loops)
    if (l.kind == LoopKind::Vector)
      vec_loop = &l;
  const int vector_width = vec_loop ? vec_loop->width : 0;
  auto is_packed = [&](const std::string& t) {
    return std::find(nest.packed.begin(), nest.packed.end(), t) != nest.packed.end();
  };

  std::vector<AccessInfo> acc;
  collect_accesses(body, p, acc);
  // A register tile (every loop inside the lifted reduction loop unrolled or vectorized) keeps
  // the output in registers across the reduction: its traffic is once per tile, not per step.
  bool register_tile = lifted && nest.annotations.register_tile;
  AccessInfo out;
  out.tensor = st.out;
  for (auto& v : st.vars) {
    out.index.push_back(ExprNode::index_var(v));
    out.vars.insert(v);
  }
  for (auto d : shape)
    out.numel *= d;
  if (!st.vars.empty())
    out.last_vars = {st.vars.back()};
  out.last_extent = shape.empty() ? 1 : shape.back();
  if (!register_tile)
    acc.push_back(out);

  double iterations = 1;
  for (auto& l : loops)
    iterations *= l.trip;
  // A selected function's ns per element at full vector speed, in units of an add (one vector
  // op over lanes elements at the single core's issue rate).
  Weights fw;
  if (selected)
    for (auto& [k, c] : selected->functions)
      fw[k] = c.ns_per_tile / c.tile_elements * m.lanes * m.clock_ghz * m.vector_ops_per_cycle /
              m.parallel;
  double work = iterations * (ops(body, p, fw) + 1);

  // Vector speed-up when the vectorized loop is innermost and every access is invariant or
  // contiguous in it; a partial one (gathers) otherwise.
  double speedup = 1;
  if (vec_loop && !loops.empty()) {
    std::string inner = loops.back().var;
    std::string vec_var = vec_loop->var;
    // A lifted reduction vectorized along its own variable accumulates every lane into the same
    // output element: the backend cannot run it on vector lanes (it stays a serial chain
    // through memory), so there is no speed-up.
    bool along_reduction = lifted && red && vec_var == red->name();
    if (vec_var == inner && !along_reduction) {
      bool contiguous = true;
      for (auto& a : acc)
        contiguous = contiguous && stride_class(a, inner) != 2;
      double lanes = std::min<double>(m.lanes, loops.back().trip);
      speedup = contiguous ? lanes : std::max(1.0, lanes / 4);
    }
  }
  // A reduction left innermost and read contiguously along its variable runs on vector lanes
  // (the backend's vector reduction), when the lanes divide its extent.
  if (red && !lifted && speedup == 1) {
    int64_t n = p.eval_size(red->extent());
    bool contiguous = n % m.lanes == 0;
    for (auto& a : acc)
      contiguous = contiguous && stride_class(a, red->name()) != 2;
    if (contiguous)
      speedup = m.lanes;
  }
  // Without a register tile, every step of a lifted reduction also loads and stores the output.
  if (lifted && !register_tile)
    work *= 1.5;
  double compute_ns = work / speedup / (m.clock_ghz * m.vector_ops_per_cycle);
  // A statement instruction selection covered: one tile's sequence per tile_elements elements at
  // full vector speed; a loop that runs on fewer lanes runs the sequence for fewer elements.
  if (selected && !has_reduction(st.value)) {
    auto it = selected->stmts.find(stmt_cost_key(p, si));
    if (it != selected->stmts.end())
      compute_ns = iterations * it->second.ns_per_tile / it->second.tile_elements *
                   (m.lanes / speedup) / m.parallel;
  }
  if (register_tile) {
    // Per step of the reduction loop the tile issues one vector op per (row, vector) point and
    // one load per distinct element group each access touches; whichever port saturates first
    // sets the pace.
    size_t r = 0;
    for (size_t i = 0; i < loops.size(); ++i)
      if (loops[i].var == red->name())
        r = i;
    double points = 1, steps = 1;
    for (size_t i = 0; i < loops.size(); ++i) {
      bool vec_loop = i + 1 == loops.size();
      double count = vec_loop ? loops[i].trip / static_cast<double>(vector_width) : loops[i].trip;
      if (i > r)
        points *= count;
      else
        steps *= loops[i].trip;
    }
    double loads = 0, streamed_bytes = 0;
    for (auto& a : acc) {
      double n = 1;
      // An operand not contiguous along the vector variable (and not packed) is read lane by lane.
      bool packed = is_packed(a.tensor);
      bool lanewise = !packed && stride_class(a, loops.back().var) == 2;
      for (size_t i = r + 1; i < loops.size(); ++i)
        if (a.vars.count(loops[i].var))
          n *= i + 1 == loops.size() && !lanewise
                   ? loops[i].trip / static_cast<double>(vector_width)
                   : loops[i].trip;
      loads += n;
      // The operand that runs along both the vector variable and the reduction (w[k, n]) brings
      // new vectors every step: its bytes stream through the first cache level.
      if (!lanewise && a.vars.count(loops.back().var) && a.vars.count(red->name()))
        streamed_bytes += n * vector_width * (packed ? 4 : dtype_bytes(p.tensor(a.tensor).dtype));
    }
    // Unpacked operands read along the vector variable at a large stride per reduction step hit
    // the same cache sets on every step; count such a load as a cache-line fill from the next
    // level (its bandwidth over the first level's).
    for (auto& a : acc) {
      if (is_packed(a.tensor))
        continue;
      if (a.vars.count(loops.back().var) && a.vars.count(red->name()) && m.levels.size() > 2)
        loads += (m.levels[1].bandwidth_gbps / m.levels[2].bandwidth_gbps) * 2;
    }
    double ops_per_point = ops(body, p, fw); // the multiply-add body: one fused op per point
    // Plus the streamed operand's bytes at the first cache level's bandwidth, which the FMAs do
    // not hide: a tile that reuses each vector of it over more rows spends less per FMA. Where
    // every tile saturates the FMA unit on paper, this ranks them as measured: zen4 8 x 48 and
    // 6 x 64 before 4 x 32, avx2 6 x 16 before 4 x 16 before 3 x 32 (docs/PERFORMANCE.md,
    // "Design measurements: register-tile shapes").
    double l1_bytes_per_cycle = m.levels.size() > 1 ? m.levels[1].bandwidth_gbps / m.clock_ghz : 0;
    double cycles = std::max(points * std::max(1.0, ops_per_point - 1) / m.vector_ops_per_cycle,
                             loads / m.loads_per_cycle) +
                    (l1_bytes_per_cycle > 0 ? streamed_bytes / l1_bytes_per_cycle : 0);
    compute_ns = steps * cycles / m.clock_ghz;
  }

  // Memory: for each level boundary, the outermost loop depth whose working set fits the level;
  // traffic = that working set once per iteration of the loops outside it.
  double mem_ns = 0;
  const std::string inner = loops.empty() ? "" : loops.back().var;
  for (size_t li = 0; li + 1 < m.levels.size(); ++li) {
    double cap = m.levels[li].capacity_bytes * (li > 0 ? kUsableCacheFraction : 1.0);
    double best_traffic = 0;
    // Start from the innermost loop's working set (each access's elements loaded once per
    // execution of the innermost loop, whether or not it fits), then widen while it fits.
    size_t k = loops.empty() ? 0 : loops.size() - 1;
    for (;;) {
      double set = 0;
      for (auto& a : acc) {
        if (li >= 1 && resident && resident->count(a.tensor))
          continue;
        double distinct = 1;
        for (size_t j = k; j < loops.size(); ++j)
          if (a.vars.count(loops[j].var))
            distinct *= loops[j].trip;
        distinct = std::min(distinct, static_cast<double>(a.numel));
        bool packed = is_packed(a.tensor);
        // Read strided along the innermost loop: each element in a line of its own, unless the
        // loops in the set also run along the access's last (contiguous) index, whose run of
        // consecutive elements then shares lines (a blocked transpose reads 32 x 32 blocks
        // as 32 runs of 32 elements: 32 x 2 lines, not 1024).
        double line_factor = 1;
        if (k < loops.size() && stride_class(a, inner) == 2 && !packed) {
          double run = 1;
          for (size_t j = k; j < loops.size(); ++j)
            if (a.last_vars.count(loops[j].var))
              run *= loops[j].trip;
          run = std::min(run, static_cast<double>(a.last_extent));
          line_factor = std::ceil(run / 16) * 16 / run;
        }
        set += 4 * distinct * line_factor;
      }
      double outside = 1;
      for (size_t j = 0; j < k; ++j)
        outside *= loops[j].trip;
      if (k + 1 >= loops.size() || set <= cap)
        best_traffic = set * outside;
      if (k == 0 || set > cap)
        break;
      --k;
    }
    double compulsory = 0;
    for (auto& a : acc)
      if (!(resident && resident->count(a.tensor)))
        compulsory += 4.0 * static_cast<double>(a.numel);
    best_traffic = std::max(best_traffic, li == 0 ? 0.0 : compulsory);
    mem_ns = std::max(mem_ns, best_traffic / m.levels[li + 1].bandwidth_gbps);
  }
  return std::max(compute_ns, mem_ns);
}

MachineModel parallel_model(const MachineModel& m, int threads) {
  MachineModel q = m;
  double t = std::max(1, std::min(threads, m.cores));
  q.parallel = m.parallel * t;
  q.vector_ops_per_cycle *= t;
  q.loads_per_cycle *= t;
  for (auto& l : q.levels) {
    if (!l.shared)
      l.bandwidth_gbps *= t;
    else if (l.aggregate_bandwidth_gbps > 0 && t > 1)
      l.bandwidth_gbps = l.aggregate_bandwidth_gbps;
  }
  return q;
}

double estimate_ns(const IndexProgram& p, const Schedule& s, const MachineModel& m,
                   const SelectedCosts* selected) {
  return estimate_ns(p, build_loop_nest(p, s), m, selected);
}

double estimate_ns(const IndexProgram& p, const LoopNest& nest, const MachineModel& m,
                   const SelectedCosts* selected) {
  AXON_CHECK(!m.levels.empty() && m.levels.back().bandwidth_gbps > 0,
             "machine model without memory levels");
  // The cache one outer iteration's data must fit to stay resident: the second cache level (the
  // first after the registers and L1), else the last one before memory.
  double resident_cap = m.levels.size() > 2 ? m.levels[2].capacity_bytes * kUsableCacheFraction
                                            : m.levels.front().capacity_bytes;
  double total = 0;
  for (auto& grp : nest.groups) {
    const size_t first = grp.first, last = grp.last;
    int threads = grp.threads;
    MachineModel mm = threads > 1 ? parallel_model(m, threads) : m;
    std::set<std::string> seen;
    bool fits = false;
    if (first != last) {
      double trip = static_cast<double>(grp.shared->trip);
      double slice = 0;
      std::set<std::string> touched;
      for (size_t i = first; i <= last; ++i) {
        touched.insert(p.stmts()[i].out);
        visit(p.stmts()[i].value, [&](const ExprNode& n) {
          if (n.kind() == ExprKind::Access)
            touched.insert(n.name());
        });
      }
      for (auto& t : touched)
        slice += 4 * static_cast<double>(p.numel(t)) / trip;
      fits = slice <= resident_cap;
    }
    double g = 0;
    for (auto& stmt_nest : grp.nests) {
      const IndexStmt& st = p.stmts()[stmt_nest.stmt];
      std::set<std::string> resident = seen;
      // A temporary produced here and read only later in the group never leaves the cache.
      if (fits && p.tensor(st.out).role == TensorRole::Temp)
        resident.insert(st.out);
      g += estimate_stmt_ns(p, stmt_nest, mm, fits ? &resident : nullptr, selected);
      seen.insert(st.out);
      visit(st.value, [&](const ExprNode& n) {
        if (n.kind() == ExprKind::Access)
          seen.insert(n.name());
      });
    }
    if (threads > 1) {
      // Iterations are split in contiguous chunks: the last thread may get fewer. Threads start
      // once per iteration of the (reduction block) loops outside the threaded loop.
      const std::vector<Loop>& order = grp.nests[0].loops.loops;
      size_t at = order.size();
      for (size_t k = 0; k < order.size() && at == order.size(); ++k)
        if (order[k].kind == LoopKind::Parallel)
          at = k;
      double trip = at < order.size() ? static_cast<double>(order[at].trip) : 1;
      double spawns = 1;
      if (at < order.size() && at > 0) {
        // The loops before it are the reduction's (thread_loop): they run n times in all.
        double n = static_cast<double>(p.eval_size(top_reduction(p.stmts()[first])->extent()));
        bool inner_before = false;
        for (size_t k = 0; k < at; ++k)
          inner_before = inner_before || order[k].part == LoopPart::Inner;
        spawns = inner_before || order[0].part == LoopPart::Whole
                     ? n
                     : std::ceil(n / static_cast<double>(order[0].tile));
      }
      double t = std::min<double>(threads, m.cores);
      double chunk = std::ceil(trip / threads);
      g = g * (chunk * t / trip) + m.thread_start_ns * (threads - 1) * spawns;
    }
    total += g;
  }
  return total;
}

} // namespace axon
