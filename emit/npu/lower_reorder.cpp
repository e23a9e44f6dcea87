// The issue order of a lowered NPU program (see lower_reorder.h).
#include "emit/npu/lower_reorder.h"

#include <algorithm>
#include <map>
#include <queue>
#include <string>
#include <tuple>
#include <utility>

#include "sim/timing.h"

namespace axon {

namespace {

// The elements a tile may touch, conservatively: a rectangle of partitions (or HBM rows) x free
// elements (or columns); a flat range of the tensor when an HBM tile's rows do not fit its row
// pitch.
struct Region {
  int64_t f0 = 0, f1 = 0; // flat elements [f0, f1] (on chip: of one partition)
  int64_t p0 = 0, p1 = 0; // partitions [p0, p1] (on chip), rows [p0, p1] of `pitch` (HBM)
  int64_t c0 = 0, c1 = 0; // columns [c0, c1] of those rows (HBM with a pitch)
  int64_t pitch = 0;      // HBM: the row pitch both sides must share for the row test
  bool onchip = false;
  bool dense = false; // every element of its rows x columns (on chip: partitions x [f0, f1])
  bool write = false;
  size_t instr = 0;
  bool overlaps(const Region& o) const {
    if (onchip)
      return p0 <= o.p1 && o.p0 <= p1 && f0 <= o.f1 && o.f0 <= f1;
    if (pitch > 0 && pitch == o.pitch)
      return p0 <= o.p1 && o.p0 <= p1 && c0 <= o.c1 && o.c0 <= c1;
    return f0 <= o.f1 && o.f0 <= f1;
  }
  // Whether every element `o` may touch is one this (dense) region touches.
  bool covers(const Region& o) const {
    if (!dense)
      return false;
    if (onchip)
      return o.onchip && p0 <= o.p0 && o.p1 <= p1 && f0 <= o.f0 && o.f1 <= f1;
    return pitch > 0 && pitch == o.pitch && p0 <= o.p0 && o.p1 <= p1 && c0 <= o.c0 && o.c1 <= c1;
  }
};

Region region_of(const Tile& t) {
  int64_t lo = 0, hi = 0, elems = 1;
  bool positive = true;
  for (const ApDim& d : t.ap) {
    int64_t span = d.stride * (std::max<int64_t>(d.count, 1) - 1);
    (span < 0 ? lo : hi) += span;
    elems *= std::max<int64_t>(d.count, 1);
    positive = positive && (d.count <= 1 || d.stride > 0);
  }
  int64_t np = std::max<int64_t>(t.np, 1);
  Region r;
  r.dense = positive && elems == hi - lo + 1;
  if (!t.in_hbm) {
    r.onchip = true;
    r.p0 = t.p0;
    r.p1 = t.p0 + np - 1;
    r.f0 = t.offset + lo;
    r.f1 = t.offset + hi;
    return r;
  }
  int64_t pitch = t.pstride;
  if (pitch > 0 && t.offset >= 0 && lo >= 0 && t.offset % pitch + hi < pitch) {
    // Each partition's elements lie within one row of the pitch: rows x columns.
    r.pitch = pitch;
    r.p0 = t.offset / pitch;
    r.p1 = r.p0 + np - 1;
    r.c0 = t.offset % pitch;
    r.c1 = r.c0 + hi;
  }
  int64_t pspan = t.pstride * (np - 1);
  (pspan < 0 ? lo : hi) += pspan;
  r.f0 = t.offset + lo;
  r.f1 = t.offset + hi;
  return r;
}

} // namespace

std::vector<size_t> npu_issue_order(const NpuProgram& prog) {
  size_t n = prog.instrs.size();
  // Objects some instruction writes: only those carry hazards.
  std::map<std::pair<bool, int>, std::vector<Region>> live; // object -> accesses that matter
  for (const NpuInstr& x : prog.instrs)
    for (const auto& [name, t] : x.operands)
      if (x.instr->find_operand(name)->role == OperandRole::Out)
        live[{t.in_hbm, t.object}];
  std::vector<std::vector<size_t>> succ(n);
  std::vector<int> npred(n, 0);
  for (size_t i = 0; i < n; ++i) {
    const NpuInstr& x = prog.instrs[i];
    std::vector<std::pair<const Tile*, bool>> touched;
    for (const auto& [name, t] : x.operands)
      touched.push_back({&t, x.instr->find_operand(name)->role == OperandRole::Out});
    for (const auto& [name, v] : x.vectors)
      if (!v.immediate)
        touched.push_back({&v.tile, false});
    std::vector<size_t> preds;
    for (int a : x.after)
      preds.push_back(static_cast<size_t>(a));
    std::vector<std::pair<std::vector<Region>*, Region>> adds;
    for (auto& [t, w] : touched) {
      auto it = live.find({t->in_hbm, t->object});
      if (it == live.end())
        continue;
      Region r = region_of(*t);
      r.write = w;
      r.instr = i;
      for (const Region& o : it->second)
        if ((w || o.write) && o.instr != i && r.overlaps(o))
          preds.push_back(o.instr);
      adds.push_back({&it->second, r});
    }
    for (auto& [list, r] : adds) {
      if (r.write) // a later access that meets an access this write covers meets this write
        list->erase(std::remove_if(list->begin(), list->end(),
                                   [&](const Region& o) { return r.covers(o); }),
                    list->end());
      list->push_back(r);
    }
    std::sort(preds.begin(), preds.end());
    preds.erase(std::unique(preds.begin(), preds.end()), preds.end());
    for (size_t p : preds) {
      succ[p].push_back(i);
      ++npred[i];
    }
  }

  // List scheduling on the simulator's costs: lanes are the engines' queues; DMAs hold their
  // queue for the fixed cost, then a slot of their cost on the DMA engines.
  std::map<std::string, int> lane_base;
  int lanes = 0;
  for (const Engine& e : prog.isa->engines) {
    lane_base[e.name] = lanes;
    lanes += static_cast<int>(std::max<int64_t>(1, e.queues));
  }
  std::vector<double> lane_free(static_cast<size_t>(lanes), 0.0);
  std::map<std::string, double> pool_free;
  std::vector<double> ready(n, 0.0), dur(n, 0.0), level(n, 0.0);
  for (size_t i = 0; i < n; ++i) {
    const NpuInstr& x = prog.instrs[i];
    dur[i] = instruction_time_ns(prog, x) +
             (x.engine->kind == "dma" ? attribute_ns(*x.engine, "fixed_cost_ns") : 0);
  }
  // The longest chain of costs from each instruction to the end (program order is topological).
  for (size_t i = n; i-- > 0;) {
    double tail = 0;
    for (size_t s : succ[i])
      tail = std::max(tail, level[s]);
    level[i] = dur[i] + tail;
  }
  // Earliest start first; among equal starts the longer chain to the end, then program order.
  using Key = std::tuple<double, double, size_t>;
  std::priority_queue<Key, std::vector<Key>, std::greater<Key>> heap;
  auto lane_of = [&](size_t i) {
    const NpuInstr& x = prog.instrs[i];
    return static_cast<size_t>(lane_base.at(x.engine->name) + x.queue);
  };
  auto start_of = [&](size_t i) { return std::max(ready[i], lane_free[lane_of(i)]); };
  auto push = [&](size_t i) { heap.push({start_of(i), -level[i], i}); };
  for (size_t i = 0; i < n; ++i)
    if (npred[i] == 0)
      push(i);
  std::vector<size_t> order;
  order.reserve(n);
  // As the simulator: a result is seen by another queue after its engine's access overhead; a
  // compute instruction that waits on data, or reads the result of the one just before it in its
  // queue, pays its engine's dependency penalty.
  std::vector<long> last_on_lane(static_cast<size_t>(lanes), -1);
  std::vector<char> chained(n, 0);
  while (!heap.empty()) {
    auto [key, neg_level, i] = heap.top();
    heap.pop();
    double start = start_of(i);
    if (start > key) { // its queue got busier since it was pushed
      push(i);
      continue;
    }
    const NpuInstr& x = prog.instrs[i];
    size_t lane = lane_of(i);
    double end = start + dur[i];
    if (last_on_lane[lane] >= 0)
      for (size_t p : succ[static_cast<size_t>(last_on_lane[lane])])
        chained[i] = chained[i] || p == i;
    if (x.engine->kind != "dma" && (ready[i] > lane_free[lane] || chained[i]))
      end += attribute_ns(*x.engine, "dependency_penalty_cycles");
    if (x.engine->kind == "dma") {
      double fixed = attribute_ns(*x.engine, "fixed_cost_ns");
      double& pool = pool_free[x.engine->name];
      end = std::max(start + fixed, x.engine->queues > 1 ? pool : 0.0) + dur[i] - fixed;
      if (x.engine->queues > 1)
        pool = end;
    }
    lane_free[lane] = end;
    last_on_lane[lane] = static_cast<long>(i);
    order.push_back(i);
    double visible = end + attribute_ns(*x.engine, "access_overhead_cycles");
    for (size_t s : succ[i]) {
      bool same = lane_of(s) == lane;
      ready[s] = std::max(ready[s], same ? end : visible);
      if (--npred[s] == 0)
        push(s);
    }
  }
  return order;
}

} // namespace axon
