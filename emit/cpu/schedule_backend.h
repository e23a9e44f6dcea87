// A backend whose candidates are CPU loop schedules (emit/cpu/schedule.h): the schedule space,
// fusion, refinements and plans of the search interface (search/backend.h) for any target that
// lowers a Schedule, given its cost model (estimate_stmt_ns, estimate_schedule_ns), its vector
// shape, threads, streaming stores and prefetching, and how it compiles a schedule. CpuBackend
// (cpu_backend.h) is the one that compiles with LLVM; tests derive fakes from it.
//
// The space (schedule_space.cpp): per statement, the enumerated schedules (enumerate.h) ranked by
// the estimate and cut to the best few (the best of each reduction block size among them); whole
// candidates from the best of each statement and one statement at a time replaced; fusion groups
// and threads on the leading ones; the best of each kind (unfused or fused, serial or threaded),
// an earlier variant's winning statement schedules and the largest register-tile shapes always
// measured. The refinements (refinements.h) measure what the model cannot rank.
#pragma once

#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>

#include "emit/cpu/cost_model.h"
#include "emit/cpu/instruction_costs.h"
#include "emit/cpu/schedule.h"
#include "emit/cpu/schedule_plan.h"
#include "search/backend.h"

namespace axon {

// What the searches of one program's variants share: the statements whose register-tile shapes a
// variant measured (not measured again), and the statement schedules of the fastest candidate so
// far (by stmt_cost_key), tried in the later variants' statements.
class ScheduleMemory : public SearchMemory {
public:
  std::set<std::string> tile_shapes_measured;
  std::map<std::string, StmtSchedule> statement_hints;
};

class ScheduleBackend : public Backend {
public:
  // --- What a target that lowers a Schedule supplies.
  // The cost model's estimate in ns of one statement's loop nest.
  virtual double estimate_stmt_ns(const IndexProgram& p, size_t stmt,
                                  const StmtSchedule& s) const = 0;
  // The estimate of a whole schedule (fusion groups, threads); by default the statements' sum.
  virtual double estimate_schedule_ns(const IndexProgram& p, const Schedule& s) const;
  // Vector width in elements for the innermost loop (schedule enumeration uses it).
  virtual int vector_lanes() const = 0;
  // Vector registers of the target (register tiles are sized to fit them).
  virtual int vector_registers() const { return 16; }
  // Threads a kernel may split its outer loops across (1: single-threaded kernels only).
  virtual int threads() const { return 1; }
  // Outputs of at least this many bytes are worth trying with streaming stores
  // (StmtSchedule::stream; the search measures them); 0 when the target has none.
  virtual int64_t streaming_store_min_bytes() const { return 0; }
  // Whether kernels may prefetch a fusion group's next outer iteration (StmtSchedule::prefetch).
  virtual bool prefetches() const { return false; }
  // Called from several threads at once.
  virtual std::unique_ptr<Artifact> compile_schedule(const IndexProgram& p,
                                                     const Schedule& s) const = 0;

  // --- The search interface (search/backend.h).
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
  std::string plan_text(const IndexProgram& p, const Plan& plan) const override;
  nlohmann::json plan_to_json(const Plan& plan) const override;
  Plan plan_from_json(const nlohmann::json& j, const std::string& where) const override;
  SelectionSummary select_instructions(const std::vector<const IndexProgram*>& programs,
                                       const Isa& isa, const SelectOptions& opts,
                                       const SourceFile* src) override;
  nlohmann::json selection_report(const IndexProgram& p) const override;

  // The op-by-op baseline's schedule: every statement its own loop nest in the loop order the
  // cost model ranks best, without tiling, threaded where that lowers the estimate.
  Schedule baseline_schedule(const IndexProgram& p, double* estimate_ns = nullptr) const;

protected:
  // The compute costs instruction selection found (set by select_instructions before searching;
  // read-only after).
  const SelectedCosts& selected_costs() const { return selection_.costs; }

private:
  InstructionSelection selection_;
};

} // namespace axon
