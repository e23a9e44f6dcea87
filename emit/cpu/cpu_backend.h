// The CPU backend ("llvm" in a target's `backends`): the CPU schedule space (schedule_backend.h)
// with cost estimates from the target's machine model, kernels compiled with LLVM
// (emit/cpu/cpu_jit.h), checked and timed on this machine, shipped as a shared object.
#pragma once

#include <memory>

#include "emit/cpu/cost_model.h"
#include "emit/cpu/cpu_jit.h"
#include "emit/cpu/schedule_backend.h"
#include "emit/cpu/timing_memory.h"

namespace axon {

class CpuBackend : public ScheduleBackend {
public:
  CpuBackend(CpuTarget target, MachineModel model)
      : target_(std::move(target)), model_(std::move(model)) {}
  std::string name() const override { return "llvm"; }
  std::string target_name() const override { return target_.isa; }
  double estimate_stmt_ns(const IndexProgram& p, size_t stmt,
                          const StmtSchedule& s) const override {
    return axon::estimate_stmt_ns(p, stmt, s, model_, nullptr, &selected_costs());
  }
  double estimate_schedule_ns(const IndexProgram& p, const Schedule& s) const override {
    return axon::estimate_ns(p, s, model_, &selected_costs());
  }
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
  std::unique_ptr<Artifact> compile_schedule(const IndexProgram& p,
                                             const Schedule& s) const override;
  std::string unsupported(const IndexProgram& p) const override;
  // This machine's processor, the LLVM CPU and its features.
  nlohmann::json fingerprint() const override;
  nlohmann::json device_report() const override;
  // runtime/kernel_interface.h's interface of the kernel compiled from the plan.
  std::string kernel_json(const IndexProgram& p, const Plan& plan) const override;
  std::string artifact_kind() const override { return "shared_object"; } // runtime/manifest.h
  const CpuTarget& target() const { return target_; }
  // The buffers every candidate is timed on (tensor name -> buffer; see timing_memory.h).
  TimingMemory& timing_memory() const { return *timing_memory_; }

private:
  CpuTarget target_;
  MachineModel model_;
  // Every candidate is timed on these buffers (see timing_memory.h).
  std::shared_ptr<TimingMemory> timing_memory_ = std::make_shared<TimingMemory>();
};

} // namespace axon
