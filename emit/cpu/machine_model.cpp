// ISA description -> MachineModel (see machine_model.h).
#include "emit/cpu/machine_model.h"

#include "ir/error.h"

namespace axon {

MachineModel cpu_machine_model(const Isa& isa) {
  const Engine* core = nullptr;
  for (auto& e : isa.engines)
    if (e.kind == "core")
      core = &e;
  if (!core)
    user_error(isa.path + ": the CPU backend needs an engine of kind \"core\"");
  if (!core->clock_ghz)
    user_error(isa.path + ": engine '" + core->name + "' needs clock_ghz");
  MachineModel m;
  m.lanes = static_cast<int>(core->lanes);
  m.clock_ghz = *core->clock_ghz;
  auto it = core->attributes.find("fma_units");
  m.vector_ops_per_cycle = it != core->attributes.end() ? it->second : 1.0;
  auto lp = core->attributes.find("load_ports");
  m.loads_per_cycle = lp != core->attributes.end() ? lp->second : 1.0;
  for (auto& mem : isa.memories) {
    if (mem.kind == MemoryKind::Register) {
      // Only the vector register file holds f32 lanes (not mask registers).
      if (mem.register_bytes != core->lanes * 4)
        continue;
      m.levels.push_back({mem.name, static_cast<double>(mem.registers * mem.register_bytes), 0});
    } else if (mem.kind == MemoryKind::Cache || mem.kind == MemoryKind::Dram) {
      if (!mem.bandwidth_gbps)
        user_error(isa.path + ": memory '" + mem.name +
                   "' needs bandwidth_gbps for the cost model");
      m.levels.push_back(
          {mem.name, mem.kind == MemoryKind::Dram ? 0.0 : static_cast<double>(mem.capacity_bytes),
           *mem.bandwidth_gbps, mem.aggregate_bandwidth_gbps.value_or(0), mem.shared});
    }
  }
  m.cores = static_cast<int>(core->count);
  auto ts = core->attributes.find("thread_start_ns");
  m.thread_start_ns = ts != core->attributes.end() ? ts->second : 0.0;
  if (m.levels.size() < 2)
    user_error(isa.path + ": the CPU cost model needs at least two memory levels");
  return m;
}

} // namespace axon
