// The timing model: a list scheduler over the program in program order. Each instruction's start
// is the latest of (its queue free, its data dependencies visible, its explicit `after` edges),
// then pushed later until every exclusive memory port it needs is free for its whole duration.
// Data dependencies are tracked on a grid of cells per buffer/tensor whose cells are as fine as
// the program's tiles need (the gcd of their offsets and extents, capped at 128 x 4096 cells per
// buffer and 2^20 per HBM tensor): overlapping accesses always share a cell, so no hazard is
// missed; distinct tiles that share a cell are ordered as if they overlapped (conservative, and
// only possible for irregular tilings or past the caps).
#include "sim/timing.h"

#include <algorithm>
#include <cmath>
#include <iomanip>
#include <numeric>
#include <sstream>
#include <unordered_map>

#include "ir/error.h"
#include "sim/sim_limits.h"

namespace axon {

double TimingReport::roofline_ns() const {
  return std::max({memory_bound_ns, tensor_bound_ns, other_bound_ns});
}

namespace {

struct Cell {
  double w = 0;     // when the last write becomes visible to another queue
  double w_end = 0; // when the last write ends (what its own in-order queue waits for)
  double r = 0;     // when the last read ends
  int lane = -1;    // the queue of the last write
};

struct Region {
  bool tracked = false;             // objects nothing writes need no hazard tracking
  int64_t grain_e = 0, grain_p = 0; // gcd of the offsets and extents of every tile of the object
  int64_t rows = 1, cols = 1, part_per_row = 1, elems_per_col = 1;
  std::vector<Cell> cells;
  void see(int64_t first_p, int64_t np, int64_t first_e, int64_t ne) {
    grain_p = std::gcd(grain_p, std::gcd(first_p, np));
    grain_e = std::gcd(grain_e, std::gcd(first_e, ne));
  }
  // Cells as wide as the common grain of the tiles, so tiles of a regular tiling map onto whole
  // cells and never share one; capped so that odd tilings stay cheap (and merely conservative).
  void init(int64_t partitions, int64_t elems, int64_t max_rows, int64_t max_cols) {
    part_per_row = std::max<int64_t>(grain_p > 0 ? grain_p : partitions,
                                     (partitions + max_rows - 1) / max_rows);
    rows = (partitions + part_per_row - 1) / part_per_row;
    elems_per_col =
        std::max<int64_t>(grain_e > 0 ? grain_e : elems, (elems + max_cols - 1) / max_cols);
    cols = (elems + elems_per_col - 1) / elems_per_col;
    cells.assign(static_cast<size_t>(rows * cols), Cell{});
  }
};

// Busy intervals of an exclusive resource (a contended memory port, the device-memory pipe).
class Port {
public:
  double earliest(double t, double d) const {
    auto it = busy_.upper_bound(t);
    if (it != busy_.begin() && std::prev(it)->second > t)
      t = std::prev(it)->second;
    for (; it != busy_.end() && it->first < t + d; ++it)
      t = std::max(t, it->second);
    return t;
  }
  void reserve(double t, double d) {
    if (d > 0)
      busy_[t] = t + d;
  }

private:
  std::map<double, double> busy_;
};

// FLOPs of one execution: for every statement, output elements x operations per element, where a
// reduction over n counts n x (body + 1).
double count_ops(const IndexProgram& p, const Expr& e) {
  switch (e->kind()) {
  case ExprKind::IntConst:
  case ExprKind::RealConst:
  case ExprKind::IndexVar:
  case ExprKind::DimVar:
  case ExprKind::Access:
  case ExprKind::ToReal:
    return 0;
  case ExprKind::Sum:
  case ExprKind::RMax:
  case ExprKind::RMin:
    return static_cast<double>(p.eval_size(e->extent())) * (count_ops(p, e->body()) + 1);
  case ExprKind::Select:
    return count_ops(p, e->arg(0)) + std::max(count_ops(p, e->arg(1)), count_ops(p, e->arg(2)));
  default: {
    double n = 1;
    for (const auto& a : e->args())
      n += count_ops(p, a);
    return n;
  }
  }
}

double program_flops(const IndexProgram& p) {
  double total = 0;
  for (const auto& s : p.stmts()) {
    double elems = 1;
    for (int64_t d : p.concrete_shape(s.out))
      elems *= static_cast<double>(d);
    total += elems * count_ops(p, s.value);
  }
  return total;
}

double flops_of(const Instruction& in, const InstrUse& u) {
  IndexProgram g = instruction_semantics(in, u.params);
  std::map<std::string, int64_t> dims;
  for (const auto& [d, sz] : g.dims())
    if (u.dims.count(d))
      dims[d] = u.dims.at(d);
  return program_flops(g.with_dims(dims));
}

// The longest contiguous run (in elements) that every run of the tile's access pattern has:
// innermost axes chain while each stride equals the elements inside it. An HBM tile's partition
// axis joins the chain when its stride continues it; on-chip partitions are separate memories,
// so a buffer tile's runs never cross a partition.
int64_t contiguous_run(const Tile& t) {
  int64_t run = 1;
  for (size_t d = t.ap.size(); d-- > 0;) {
    if (t.ap[d].count == 1)
      continue;
    if (t.ap[d].stride != run)
      return run;
    run *= t.ap[d].count;
  }
  if (t.in_hbm && t.np > 1 && t.pstride == run)
    run *= t.np;
  return run;
}

} // namespace

double attribute_ns(const Engine& e, const std::string& attr) {
  auto it = e.attributes.find(attr);
  if (it == e.attributes.end())
    return 0;
  if (e.cost_unit == CostUnit::Ns)
    return it->second;
  return e.clock_ghz ? it->second / *e.clock_ghz : 0;
}

int64_t tile_bytes(const NpuProgram& p, const Tile& t) {
  return t.np * t.free_size() * dtype_bytes(p.dtype_of(t));
}

int64_t tile_runs(const Tile& t) { return t.np * t.free_size() / contiguous_run(t); }

InstrUse costed_use(const NpuProgram& p, const NpuInstr& x) {
  InstrUse u = p.uses[x.use];
  if (x.engine->kind == "dma")
    for (const auto& [name, t] : x.operands)
      u.dims[name + ".runs"] = tile_runs(t);
  return u;
}

namespace {

class Scheduler {
public:
  explicit Scheduler(const NpuProgram& p) : p_(p), isa_(*p.isa) {
    for (const auto& e : isa_.engines) {
      first_lane_[e.name] = static_cast<int>(lanes_.size());
      for (int q = 0; q < e.queues; ++q)
        lanes_.push_back({e.queues > 1 ? e.name + " q" + std::to_string(q) : e.name, e.name, 0, 0});
    }
    lane_free_.assign(lanes_.size(), 0);
    tensors_.resize(p.tensors.size());
    buffers_.resize(p.buffers.size());
    for (const auto& x : p.instrs) {
      for (const auto& [name, t] : x.operands) {
        if (x.instr->find_operand(name)->role == OperandRole::Out)
          region(t).tracked = true;
        see(t);
      }
      for (const auto& [name, v] : x.vectors)
        if (!v.immediate)
          see(v.tile);
    }
    for (size_t i = 0; i < p.tensors.size(); ++i)
      if (tensors_[i].tracked)
        tensors_[i].init(1, p.tensors[i].numel(), 1, kMaxTensorCells);
    for (size_t i = 0; i < p.buffers.size(); ++i)
      if (buffers_[i].tracked)
        buffers_[i].init(p.buffers[i].partitions, p.buffers[i].size, kMaxRows, kMaxCols);
    ports_.resize(isa_.contention.size());
    if (const MemoryLevel* m = isa_.find_memory(p.hbm_memory); m && m->bandwidth_gbps)
      hbm_gbps_ = *m->bandwidth_gbps;
    cost_.assign(p.uses.size(), -1);
    flops_.assign(p.uses.size(), -1);
    peak_.assign(p.uses.size(), -1);
  }

  TimingResult run() {
    TimingResult r;
    r.instrs.reserve(p_.instrs.size());
    for (const auto& x : p_.instrs)
      r.instrs.push_back(schedule(x, r.report));
    for (double done : after_end_)
      r.report.total_ns = std::max(r.report.total_ns, done);
    for (const auto& l : lanes_) {
      if (l.instructions == 0)
        continue;
      r.report.lanes.push_back(l);
      r.report.engine_busy_ns[l.engine] += l.busy_ns;
      r.report.engine_lanes[l.engine] += 1;
    }
    r.report.hbm_gbps = hbm_gbps_;
    if (hbm_gbps_ > 0)
      r.report.memory_bound_ns = r.report.hbm_bytes / hbm_gbps_;
    double lanes_per_ns = 0; // element operations per ns of the vector and scalar engines
    for (const auto& e : isa_.engines)
      if ((e.kind == "vector" || e.kind == "scalar") && e.clock_ghz)
        lanes_per_ns += static_cast<double>(e.lanes) * *e.clock_ghz;
    if (lanes_per_ns > 0)
      r.report.other_bound_ns = r.report.other_flops / lanes_per_ns;
    return r;
  }

private:
  static constexpr int64_t kMaxRows = 128, kMaxCols = 4096, kMaxTensorCells = 1 << 20;

  Region& region(const Tile& t) { return t.in_hbm ? tensors_[t.object] : buffers_[t.object]; }

  void see(const Tile& t) {
    int64_t lo = 0, hi = 0;
    for (const auto& d : t.ap)
      (d.stride >= 0 ? hi : lo) += d.stride * (d.count - 1);
    if (!t.in_hbm) {
      region(t).see(t.p0, t.np, t.offset + lo, hi - lo + 1);
      return;
    }
    // HBM: runs along the innermost axis, repeated at the partition and outer strides.
    const ApDim& in = t.ap.back();
    int64_t run = std::abs(in.stride * (in.count - 1)) + 1,
            g = std::gcd(t.offset + std::min<int64_t>(0, in.stride * (in.count - 1)), run);
    if (t.np > 1)
      g = std::gcd(g, t.pstride);
    for (size_t d = 0; d + 1 < t.ap.size(); ++d)
      if (t.ap[d].count > 1)
        g = std::gcd(g, t.ap[d].stride);
    region(t).see(0, 1, g, g);
  }

  // Calls f on every cell the tile touches (each cell of a rectangle once; HBM runs one by one).
  template <class F> void cells(const Tile& t, F&& f) {
    Region& g = region(t);
    if (!g.tracked)
      return;
    auto span = [&](int64_t lo_e, int64_t hi_e, int64_t r0, int64_t r1) {
      int64_t c0 = lo_e / g.elems_per_col, c1 = hi_e / g.elems_per_col;
      for (int64_t r = r0; r <= r1; ++r)
        for (int64_t c = c0; c <= c1; ++c)
          f(g.cells[static_cast<size_t>(r * g.cols + c)]);
    };
    int64_t lo = 0, hi = 0;
    for (const auto& d : t.ap)
      (d.stride >= 0 ? hi : lo) += d.stride * (d.count - 1);
    if (!t.in_hbm) {
      span(t.offset + lo, t.offset + hi, t.p0 / g.part_per_row, (t.p0 + t.np - 1) / g.part_per_row);
      return;
    }
    // HBM: one run per partition row and outer index; consecutive runs in the same cells merge.
    const ApDim& in = t.ap.back();
    int64_t ilo = std::min<int64_t>(0, in.stride * (in.count - 1)),
            ihi = std::max<int64_t>(0, in.stride * (in.count - 1));
    int64_t last0 = -1, last1 = -1;
    std::vector<int64_t> idx(t.ap.size() - 1, 0);
    for (int64_t p = 0; p < t.np; ++p) {
      std::fill(idx.begin(), idx.end(), 0);
      for (;;) {
        int64_t base = t.offset + p * t.pstride;
        for (size_t d = 0; d < idx.size(); ++d)
          base += idx[d] * t.ap[d].stride;
        int64_t c0 = (base + ilo) / g.elems_per_col, c1 = (base + ihi) / g.elems_per_col;
        if (c0 != last0 || c1 != last1) {
          for (int64_t c = std::max(c0, last1 >= c0 && last0 <= c0 ? last1 + 1 : c0); c <= c1; ++c)
            f(g.cells[static_cast<size_t>(c)]);
          last0 = c0;
          last1 = c1;
        }
        if (!next_index(idx, t.ap))
          break;
      }
    }
  }

  // The cost formula of the use; a DMA's also sees the contiguous runs of its tiles (`X.runs`),
  // so transfers of one use with different access patterns are costed apart.
  double cost_ns(const NpuInstr& x) {
    double* c = &cost_[x.use];
    if (x.engine->kind == "dma") {
      std::string key = std::to_string(x.use);
      for (const auto& [name, t] : x.operands)
        key += "|" + std::to_string(tile_runs(t));
      c = &dma_cost_.emplace(key, -1.0).first->second;
    }
    if (*c < 0) {
      *c = instruction_time_ns(p_, x) / onchip_stride_factor(p_, x);
      if (!std::isfinite(*c) || *c < 0)
        user_error(p_.path + ": " + x.where() + ": the cost formula \"" + x.instr->cost.text() +
                   "\" gives " + std::to_string(*c));
    }
    return *c;
  }

  // FLOPs of the use, and for tensor engines the time they take at the instruction's peak rate
  // (its FLOPs per ns at the largest sizes its operands allow, same dtypes and parameters).
  void account_flops(const NpuInstr& x, TimingReport& rep) {
    double& f = flops_[x.use];
    if (f < 0)
      f = flops_of(*x.instr, p_.uses[x.use]);
    if (x.engine->kind == "tensor") {
      double& pk = peak_[x.use];
      if (pk < 0) {
        InstrUse big = p_.uses[x.use];
        for (auto& [d, v] : big.dims)
          if (auto b = x.instr->dim_bounds(d); b.max)
            v = *b.max;
        double ns = instruction_cost_ns(isa_, *x.instr, big);
        pk = ns > 0 ? flops_of(*x.instr, big) / ns : 0;
      }
      rep.tensor_flops += f;
      if (pk > 0)
        rep.tensor_bound_ns += f / pk;
    } else if (x.engine->kind != "dma") {
      rep.other_flops += f;
    }
  }

  TimedInstr schedule(const NpuInstr& x, TimingReport& rep) {
    int lane = first_lane_.at(x.engine->name) + x.queue;
    double ready = 0;
    bool chained = false; // depends on the instruction just before it in its own queue
    std::vector<std::pair<const Tile*, bool>> touched; // tile, written
    for (const auto& [name, t] : x.operands)
      touched.push_back({&t, x.instr->find_operand(name)->role == OperandRole::Out});
    for (const auto& [name, v] : x.vectors)
      if (!v.immediate)
        touched.push_back({&v.tile, false});
    // A result of the same in-order queue is forwarded when it ends; one of another queue is
    // seen after that queue's access overhead (the semaphore hand-over).
    for (const auto& [t, w] : touched)
      cells(*t, [&, w = w](Cell& c) {
        bool same = c.lane == lane;
        ready = std::max({ready, same ? c.w_end : c.w, w ? c.r : 0.0});
        if (same && c.w_end >= lane_free_[lane])
          chained = true;
      });
    for (int a : x.after)
      ready = std::max(ready, after_end_.at(static_cast<size_t>(a)));
    // Every queue, compute engines' and DMA queues' alike, runs its instructions strictly in
    // program order (a DMA queue is FIFO). A DMA first holds its queue for the engine's
    // `fixed_cost_ns` (trigger, descriptor generation, semaphores: queue time, not DMA-engine
    // time), then its cost formula's time on the DMA engines, which every queue shares.
    bool dma = x.engine->kind == "dma";
    double dur = cost_ns(x) * onchip_stride_factor(p_, x);
    double fixed = dma ? attribute_ns(*x.engine, "fixed_cost_ns") : 0;
    double start = std::max(ready, lane_free_[lane]);
    if (!dma && (ready > lane_free_[lane] || chained))
      dur += attribute_ns(*x.engine, "dependency_penalty_cycles");
    // Exclusive ports: every contention rule naming this engine and a memory it touches.
    std::vector<Port*> ports;
    for (size_t i = 0; i < isa_.contention.size(); ++i) {
      const ContentionRule& cr = isa_.contention[i];
      if (std::find(cr.engines.begin(), cr.engines.end(), x.engine->name) == cr.engines.end())
        continue;
      for (const auto& [t, w] : touched)
        if (p_.memory_of(*t) == cr.memory) {
          ports.push_back(&ports_[i]);
          break;
        }
    }
    // Shared bandwidth: traffic to device memory shares the memory's bandwidth, and the queues of
    // an engine with `aggregate_bandwidth_gbps` share that; each needs a slot of bytes/bandwidth
    // within the transfer, which ends no earlier than its slots.
    std::vector<std::pair<Port*, double>> pipes;
    int64_t hbm = 0, moved_bytes = 0;
    for (const auto& [t, w] : touched) {
      if (t->in_hbm)
        hbm += tile_bytes(p_, *t);
      moved_bytes = std::max(moved_bytes, tile_bytes(p_, *t));
    }
    if (hbm > 0) {
      rep.hbm_bytes += static_cast<double>(hbm);
      if (hbm_gbps_ > 0)
        pipes.push_back({&hbm_pipe_, static_cast<double>(hbm) / hbm_gbps_});
    }
    if (auto agg = x.engine->attributes.find("aggregate_bandwidth_gbps");
        agg != x.engine->attributes.end() && agg->second > 0)
      pipes.push_back(
          {&engine_pipe_[x.engine->name], static_cast<double>(moved_bytes) / agg->second});
    // The queues of a DMA engine feed one pool of data movers: a transfer spreads over them, and
    // they process one transfer at a time, so each transfer also holds the pool for its duration.
    if (dma && x.engine->queues > 1)
      pipes.push_back({&dma_pool_[x.engine->name], dur});
    // The earliest start at which every exclusive port is free for the whole duration; the
    // instruction then ends no earlier than its slots in the shared pipes.
    for (bool moved = true; moved;) {
      moved = false;
      for (Port* pt : ports) {
        double s = pt->earliest(start, dur);
        if (s > start)
          start = s, moved = true;
      }
    }
    double end = start + fixed + dur;
    std::vector<double> slot(pipes.size());
    for (size_t i = 0; i < pipes.size(); ++i) {
      slot[i] = pipes[i].first->earliest(start + fixed, pipes[i].second);
      end = std::max(end, slot[i] + pipes[i].second);
    }
    for (Port* pt : ports)
      pt->reserve(start, dur);
    for (size_t i = 0; i < pipes.size(); ++i)
      pipes[i].first->reserve(slot[i], pipes[i].second);
    if (x.engine->kind == "dma")
      for (const auto& [name, t] : x.operands)
        if (x.instr->find_operand(name)->role == OperandRole::Out)
          rep.dma_bytes += static_cast<double>(tile_bytes(p_, t));
    double visible = end + attribute_ns(*x.engine, "access_overhead_cycles");
    for (const auto& [t, w] : touched)
      cells(*t, [&, w = w](Cell& c) {
        if (w) {
          c.w = std::max(c.w, visible);
          c.w_end = std::max(c.w_end, dma ? visible : end);
          c.lane = lane;
        } else {
          c.r = std::max(c.r, end);
        }
      });
    lane_free_[lane] = std::max(lane_free_[lane], end);
    lanes_[lane].busy_ns += end - start;
    lanes_[lane].instructions += 1;
    after_end_.push_back(visible);
    account_flops(x, rep);
    return {lane, start, end, visible};
  }

  const NpuProgram& p_;
  const Isa& isa_;
  std::map<std::string, int> first_lane_;
  std::vector<LaneStats> lanes_;
  std::vector<double> lane_free_, after_end_, cost_, flops_, peak_;
  std::vector<Region> tensors_, buffers_;
  std::vector<Port> ports_;
  std::unordered_map<std::string, double> dma_cost_;
  Port hbm_pipe_;
  std::map<std::string, Port> engine_pipe_, dma_pool_;
  double hbm_gbps_ = 0;
};

std::string fmt_time(double ns) {
  std::ostringstream o;
  o << std::fixed << std::setprecision(3);
  if (ns >= 1e6)
    o << ns / 1e6 << " ms";
  else if (ns >= 1e3)
    o << ns / 1e3 << " us";
  else
    o << ns << " ns";
  return o.str();
}

} // namespace

TimingResult simulate_timing(const NpuProgram& prog) {
  for (const auto& x : prog.instrs)
    if (x.use < 0 || x.use >= static_cast<int>(prog.uses.size()))
      internal_error("simulate_timing: " + x.where() +
                     " has no use; run check_npu_program and index_uses on a program built "
                     "in memory");
  for (const auto& e : prog.isa->engines)
    if (e.queues < 1 || e.queues > sim_limits::kMaxEngineQueues)
      user_error("engine " + e.name + " has " + std::to_string(e.queues) +
                 " queues; the simulator handles 1 to " +
                 std::to_string(sim_limits::kMaxEngineQueues) + " (kMaxEngineQueues)");
  return Scheduler(prog).run();
}

double instruction_time_ns(const NpuProgram& prog, const NpuInstr& x) {
  int64_t parts = 1;
  for (const auto& [name, t] : x.operands)
    parts = std::max(parts, t.np);
  return instruction_cost_ns(*prog.isa, *x.instr, costed_use(prog, x)) *
         static_cast<double>(engine_passes(*x.engine, parts)) * onchip_stride_factor(prog, x);
}

double onchip_stride_factor(const NpuProgram& prog, const NpuInstr& x) {
  const auto& k = prog.isa->constants;
  auto lim = k.find("onchip_fast_stride_bytes");
  auto fac = k.find("onchip_strided_access_factor");
  if (lim == k.end() || fac == k.end() || x.engine->kind == "dma")
    return 1;
  for (const auto& [name, t] : x.operands) {
    if (t.in_hbm)
      continue;
    for (size_t d = t.ap.size(); d-- > 0;)
      if (t.ap[d].count > 1) {
        if (static_cast<double>(std::abs(t.ap[d].stride) * dtype_bytes(prog.dtype_of(t))) >
            lim->second)
          return fac->second;
        break;
      }
  }
  return 1;
}

const std::vector<std::string>& timing_model_attributes() {
  static const std::vector<std::string> a = {"access_overhead_cycles", "dependency_penalty_cycles",
                                             "fixed_cost_ns", "aggregate_bandwidth_gbps"};
  return a;
}

int64_t engine_passes(const Engine& e, int64_t partitions) {
  if (e.kind == "dma" || e.lanes < 1 || partitions <= e.lanes)
    return 1;
  return (partitions + e.lanes - 1) / e.lanes;
}

std::string format_timing_report(const NpuProgram& prog, const TimingReport& r) {
  std::ostringstream o;
  o << std::fixed << std::setprecision(1);
  o << "program " << (prog.name.empty() ? prog.path : prog.name) << ": " << prog.instrs.size()
    << " instructions, simulated on " << prog.isa->name << "\n";
  o << "total time: " << fmt_time(r.total_ns) << " (simulated)\n";
  o << "engines (busy, utilisation):\n";
  for (const auto& [e, busy] : r.engine_busy_ns) {
    int n = r.engine_lanes.at(e);
    double util = r.total_ns > 0 ? 100.0 * busy / (r.total_ns * n) : 0;
    o << "  " << std::left << std::setw(6) << e << std::right << " " << std::setw(12)
      << fmt_time(busy) << "  " << std::setw(5) << util << "%"
      << (n > 1 ? "  (over " + std::to_string(n) + " queues)" : "") << "\n";
  }
  double gbps = r.total_ns > 0 ? r.hbm_bytes / r.total_ns : 0;
  o << "DMA: " << std::setprecision(0) << r.dma_bytes
    << " bytes transferred; device memory traffic " << r.hbm_bytes << " bytes, achieved "
    << std::setprecision(1) << gbps << " GB/s";
  if (r.hbm_gbps > 0)
    o << " (" << 100.0 * gbps / r.hbm_gbps << "% of " << r.hbm_gbps << " GB/s)";
  o << "\n";
  o << "roofline: memory " << fmt_time(r.memory_bound_ns) << ", tensor "
    << fmt_time(r.tensor_bound_ns) << ", other " << fmt_time(r.other_bound_ns) << " -> "
    << fmt_time(r.roofline_ns()) << "; reached " << std::setprecision(1) << r.roofline_percent()
    << "% of the roofline\n";
  return o.str();
}

nlohmann::json timing_report_json(const TimingReport& r) {
  nlohmann::json j;
  j["schema_version"] = 1;
  j["total_ns"] = r.total_ns;
  for (const auto& l : r.lanes)
    j["lanes"].push_back({{"name", l.name},
                          {"engine", l.engine},
                          {"busy_ns", l.busy_ns},
                          {"instructions", l.instructions}});
  for (const auto& [e, b] : r.engine_busy_ns) {
    int n = r.engine_lanes.at(e);
    j["engines"][e] = {
        {"busy_ns", b}, {"queues", n}, {"utilisation", r.total_ns > 0 ? b / (r.total_ns * n) : 0}};
  }
  j["dma_bytes"] = r.dma_bytes;
  j["hbm_bytes"] = r.hbm_bytes;
  j["achieved_gbps"] = r.total_ns > 0 ? r.hbm_bytes / r.total_ns : 0;
  j["tensor_flops"] = r.tensor_flops;
  j["other_flops"] = r.other_flops;
  j["roofline"] = {{"memory_ns", r.memory_bound_ns},
                   {"tensor_ns", r.tensor_bound_ns},
                   {"other_ns", r.other_bound_ns},
                   {"bound_ns", r.roofline_ns()},
                   {"percent", r.roofline_percent()}};
  return j;
}

nlohmann::json chrome_trace(const NpuProgram& prog, const TimingResult& t) {
  nlohmann::json ev = nlohmann::json::array();
  std::vector<bool> used;
  std::vector<std::string> lane_names;
  for (const auto& e : prog.isa->engines)
    for (int q = 0; q < e.queues; ++q)
      lane_names.push_back(e.queues > 1 ? e.name + " q" + std::to_string(q) : e.name);
  used.assign(lane_names.size(), false);
  for (const auto& ti : t.instrs)
    used[static_cast<size_t>(ti.lane)] = true;
  for (size_t l = 0; l < lane_names.size(); ++l)
    if (used[l]) {
      ev.push_back({{"name", "thread_name"},
                    {"ph", "M"},
                    {"pid", 1},
                    {"tid", l},
                    {"args", {{"name", lane_names[l]}}}});
      ev.push_back({{"name", "thread_sort_index"},
                    {"ph", "M"},
                    {"pid", 1},
                    {"tid", l},
                    {"args", {{"sort_index", l}}}});
    }
  ev.push_back({{"name", "process_name"},
                {"ph", "M"},
                {"pid", 1},
                {"args", {{"name", prog.isa->name + " (simulated)"}}}});
  for (size_t i = 0; i < t.instrs.size(); ++i) {
    const NpuInstr& x = prog.instrs[i];
    const TimedInstr& ti = t.instrs[i];
    nlohmann::json args = {{"index", i}};
    for (const auto& [d, v] : prog.uses[x.use].dims)
      args[d] = v;
    for (const auto& [k, v] : x.choice)
      args[k] = v;
    ev.push_back({{"name", x.name.empty() ? x.instr->name : x.name},
                  {"cat", x.instr->name},
                  {"ph", "X"},
                  {"ts", ti.start_ns / 1000.0},
                  {"dur", (ti.end_ns - ti.start_ns) / 1000.0},
                  {"pid", 1},
                  {"tid", ti.lane},
                  {"args", args}});
  }
  return {{"traceEvents", ev}, {"displayTimeUnit", "ns"}};
}

} // namespace axon
