// The analytic model of an NPU program (see estimate.h).
#include "emit/npu/estimate.h"

#include <algorithm>
#include <map>

#include "sim/timing.h"

namespace axon {

NpuEstimate estimate_npu_program(const NpuProgram& prog) {
  const Isa& isa = *prog.isa;
  std::map<std::string, double> busy; // resource -> summed time
  double hbm_gbps = 0;
  if (const MemoryLevel* m = isa.find_memory(prog.hbm_memory); m && m->bandwidth_gbps)
    hbm_gbps = *m->bandwidth_gbps;
  for (const NpuInstr& x : prog.instrs) {
    const Engine& e = *x.engine;
    bool dma = e.kind == "dma";
    double dur = instruction_time_ns(prog, x);
    std::string queue = e.name + (e.queues > 1 ? " q" + std::to_string(x.queue) : "");
    busy[queue] += dur + (dma ? attribute_ns(e, "fixed_cost_ns") : 0);
    if (dma && e.queues > 1)
      busy[e.name + " pool"] += dur;
    double hbm = 0, moved = 0;
    std::vector<const Tile*> touched;
    for (const auto& [name, t] : x.operands)
      touched.push_back(&t);
    for (const auto& [name, v] : x.vectors)
      if (!v.immediate)
        touched.push_back(&v.tile);
    for (const Tile* t : touched) {
      double b = static_cast<double>(tile_bytes(prog, *t));
      if (t->in_hbm)
        hbm += b;
      moved = std::max(moved, b);
    }
    if (hbm > 0 && hbm_gbps > 0)
      busy["HBM"] += hbm / hbm_gbps;
    if (auto agg = e.attributes.find("aggregate_bandwidth_gbps");
        agg != e.attributes.end() && agg->second > 0)
      busy[e.name + " bandwidth"] += moved / agg->second;
    for (const ContentionRule& cr : isa.contention) {
      if (std::find(cr.engines.begin(), cr.engines.end(), e.name) == cr.engines.end())
        continue;
      for (const Tile* t : touched)
        if (prog.memory_of(*t) == cr.memory) {
          std::string port = "port " + cr.memory;
          for (auto& n : cr.engines)
            port += (&n == &cr.engines.front() ? " " : "/") + n;
          busy[port] += dur;
          break;
        }
    }
  }
  NpuEstimate est;
  for (auto& [what, ns] : busy)
    if (ns > est.ns) {
      est.ns = ns;
      est.bound = what;
    }
  return est;
}

} // namespace axon
