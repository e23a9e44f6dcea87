// The NPU backend ("sim" in a target's `backends`): its candidates are NPU plans
// (emit/npu/npu_plan.h) over the covers instruction selection proved from the target's JSON
// (synth/select_instructions.h), lowered to NPU programs (emit/npu/lower.h), ranked by an
// analytic model of the lowered program (emit/npu/estimate.h), timed by the simulator's timing
// model (sim/timing.h: the clock is "simulated", exact, one run) and checked by its functional
// mode against the reference interpreter at reduced sizes that keep each plan's loop structure
// (check_dims). The artifact is the program's JSON, which `axon-synth sim` runs again.
#pragma once

#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "emit/npu/lower.h"
#include "emit/npu/npu_plan.h"
#include "isa/isa.h"
#include "search/backend.h"
#include "synth/select_instructions.h"

namespace axon {

class NpuBackend : public Backend {
public:
  explicit NpuBackend(const Isa& isa);
  std::string name() const override { return "sim"; }
  std::string target_name() const override { return isa_->name; }
  std::string unsupported(const IndexProgram& p) const override;

  Proposals propose(const IndexProgram& p, const SpaceOptions& o,
                    SearchMemory* memory) const override;
  std::vector<Plan> sample(const IndexProgram& p, uint64_t seed, size_t count) const override;
  Proposal baseline(const IndexProgram& p) const override;
  double best_estimate_ns(const IndexProgram& p) const override;
  double estimate_ns(const IndexProgram& p, const Plan& plan) const override;
  std::string legality(const IndexProgram& p, const Plan& plan) const override;
  std::unique_ptr<SearchMemory> new_memory() const override;
  void remember(const IndexProgram& p, const Plan& winner, SearchMemory& memory) const override;
  std::unique_ptr<Artifact> compile(const IndexProgram& p, const Plan& plan) const override;
  BackendClock clock() const override { return BackendClock::Simulated; }
  std::vector<std::map<std::string, int64_t>> check_dims(const IndexProgram& p,
                                                          const Plan& plan) const override;

  std::string plan_text(const IndexProgram& p, const Plan& plan) const override;
  nlohmann::json plan_to_json(const Plan& plan) const override;
  Plan plan_from_json(const nlohmann::json& j, const std::string& where) const override;

  SelectionSummary select_instructions(const std::vector<const IndexProgram*>& programs,
                                       const Isa& isa, const SelectOptions& opts,
                                       const SourceFile* src) override;
  nlohmann::json selection_report(const IndexProgram& p) const override;

  nlohmann::json fingerprint() const override;
  nlohmann::json device_report() const override;
  std::string kernel_json(const IndexProgram& p, const Plan& plan) const override;
  std::string artifact_kind() const override { return "npu_program"; } // runtime/manifest.h

  // The covers of each statement of `p` (alternatives, cheapest first); a UserError "no lowering
  // for ..." naming the first statement without one.
  NpuCovers covers(const IndexProgram& p) const;
  const Isa& isa() const { return *isa_; }

private:
  std::shared_ptr<const Isa> isa_;
  // Selections by statement (npu_stmt_key), filled by select_instructions; read-only afterwards
  // (compile runs on several threads). A statement selected for lazily (a program the job did not
  // select for, as a test's) is added under the mutex.
  mutable std::mutex mu_;
  mutable std::map<std::string, Selection> selected_;
  SelectOptions select_options_;
  const Selection& selection_for(const IndexProgram& p, size_t stmt) const;
};

// What identifies a statement for its selection: its text and its tensors' dtypes and shapes (the
// same at any sizes of the dims, so a reduced program finds the full program's covers).
std::string npu_stmt_key(const IndexProgram& p, size_t stmt);

} // namespace axon
