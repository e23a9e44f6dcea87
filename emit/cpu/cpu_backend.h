// The CPU backend of the search: cost estimates from the target's machine model, kernels
// compiled with LLVM (emit/cpu/cpu_jit.h), checked and timed on this machine.
#pragma once

#include <memory>

#include "emit/cpu/cpu_jit.h"
#include "emit/cpu/timing_memory.h"
#include "search/backend.h"
#include "search/cost_model.h"

namespace axon {

class CpuBackend : public Backend {
public:
  CpuBackend(CpuTarget target, MachineModel model)
      : target_(std::move(target)), model_(std::move(model)) {}
  std::string target_name() const override { return target_.isa; }
  double estimate_stmt_ns(const IndexProgram& p, size_t stmt,
                          const StmtSchedule& s) const override {
    return axon::estimate_stmt_ns(p, stmt, s, model_, nullptr, &selected_);
  }
  double estimate_ns(const IndexProgram& p, const Schedule& s) const override {
    return axon::estimate_ns(p, s, model_, &selected_);
  }
  // The compute costs instruction selection found (set before searching; read-only after).
  void set_selected_costs(SelectedCosts c) { selected_ = std::move(c); }
  int vector_lanes() const override { return target_.vector_bytes / 4; }
  int vector_registers() const override {
    return model_.levels.empty()
               ? 16
               : static_cast<int>(model_.levels[0].capacity_bytes / target_.vector_bytes);
  }
  // The target's cores, at most the processors this machine has online.
  int threads() const override;
  // Outputs that do not fit the cores' private caches together.
  int64_t streaming_store_min_bytes() const override;
  bool prefetches() const override { return true; } // llvm.prefetch: a hint on every LLVM target
  std::unique_ptr<Artifact> compile(const IndexProgram& p, const Schedule& s) const override;
  std::string unsupported(const IndexProgram& p) const override;
  const CpuTarget& target() const { return target_; }
  // The buffers every candidate is timed on (tensor name -> buffer; see timing_memory.h).
  TimingMemory& timing_memory() const { return *timing_memory_; }

private:
  CpuTarget target_;
  MachineModel model_;
  SelectedCosts selected_;
  // Every candidate is timed on these buffers (see timing_memory.h).
  std::shared_ptr<TimingMemory> timing_memory_ = std::make_shared<TimingMemory>();
};

} // namespace axon
