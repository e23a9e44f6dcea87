// The interface between the generic search (search/) and a backend (emit/<backend>/: the CPU
// through LLVM today, an NPU through the simulator or a GPU later; emit/registry.h finds one by
// the target's `backends` name). search/ keeps the loop every backend shares: it asks the backend
// for its schedule space, ranks what the backend proposes by the backend's estimate, measures the
// candidates under the time budget (each checked against the reference interpreter), asks the
// backend to refine the fastest measured ones, and times the closest again in a runoff when the
// backend's clock is noisy. What a schedule is, how it is enumerated, fused, estimated and
// refined is the backend's alone.
//
// A candidate is a Plan: the backend's schedule (the CPU's is a Schedule, emit/cpu/schedule.h),
// opaque to search/, which copies it, names it by Backend::plan_text (two plans with one text are
// one candidate) and hands it back to the backend that made it.
//
// Grammar of what crosses the interface:
//   Backend     ::= name target_name unsupported          identity; a program it cannot compile
//                   propose sample baseline best_estimate  its schedule space and cost model
//                   estimate legality compile Clock        one candidate: estimate, check, artifact
//                   check_dims                             the sizes its numerical check runs at
//                   plan_text plan_to_json plan_from_json   reports, the result cache, replay
//                   remember new_memory                    what one program's variants share
//                   select_instructions selection_report   instruction selection's costs
//                   fingerprint device_report kernel_json artifact_kind   the job's outputs
//   Proposals   ::= ranked: Proposal*  must: Proposal*  refinements: Refinement*  enumerated: Int
//                   (ranked: cut to the best `measure` by estimate; must: measured whatever their
//                   rank; refinements: asked in order once the proposals are measured)
//   Proposal    ::= estimate_ns: Double  plan: Plan
//   Refinement  ::= (measured plans, fastest first; whether a plan was measured) -> Plan* | none
//   Memory      ::= opaque; created by new_memory, grown by remember(winner of a variant)
//   Clock       ::= wall       noisy: repeats, early stopping of slow candidates, runoff
//                 | simulated  exact: one run, no early stopping, no runoff
//   Artifact    ::= run (the checking path) time (the timed path) files (for the output directory)
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "ir/index_program.h"
#include "ir/interp.h"
#include "ir/source.h"
#include "isa/isa.h"
#include "synth/select_instructions.h"

namespace axon {

struct Timing {
  double median_ns = 0;
  double min_ns = 0;
  double max_ns = 0;
  int repeats = 0;
  std::string clock; // "wall" (measured on the machine) or "simulated"
};

// A compiled candidate.
class Artifact {
public:
  virtual ~Artifact() = default;
  // The checking path: outputs for the given inputs (outputs and temporaries poisoned first).
  virtual TensorMap run(const TensorMap& inputs) const = 0;
  // The checking path's values at `points` (tensor -> indices), in that order: what the check
  // compares. By default sampled from run(); a backend may read them straight from its buffers
  // instead of converting whole outputs.
  virtual std::vector<double>
  run_points(const TensorMap& inputs,
             const std::map<std::string, std::vector<std::vector<int64_t>>>& points) const {
    TensorMap out = run(inputs);
    std::vector<double> vals;
    for (auto& [t, list] : points)
      for (auto& idx : list)
        vals.push_back(out.at(t).at(idx));
    return vals;
  }
  // The timed path: median of `repeats` runs after `warmup`. With stop_above_ns > 0 a candidate
  // whose first three timed runs have a median above it stops there (a loser need not be timed
  // precisely; `repeats` says 3).
  virtual Timing time(int warmup, int repeats, double stop_above_ns = 0) const = 0;
  // Files for the output directory: name -> contents.
  virtual std::map<std::string, std::string> files() const = 0;
};

// The backend's candidate (see the grammar above); search/ never looks inside.
class PlanData {
public:
  virtual ~PlanData() = default;
};
using Plan = std::shared_ptr<const PlanData>;

struct Proposal {
  double estimate_ns = 0;
  Plan plan;
};

// A refinement of the measured candidates: given the measured plans (the baseline's excluded),
// fastest first, and whether a plan was measured already, the plans to measure next; nullopt
// when it has nothing to say (then nothing is measured, not even an empty batch).
using Refinement = std::function<std::optional<std::vector<Plan>>(
    const std::vector<Plan>& fastest_first, const std::function<bool(const Plan&)>& measured)>;

struct Proposals {
  std::vector<Proposal> ranked; // ranked by estimate and cut to SearchOptions::measure
  std::vector<Proposal> must;   // measured whatever their rank (within max_estimate_ns)
  std::vector<Refinement> refinements;
  size_t enumerated = 0; // schedules the backend enumerated (all statements)
};

// What the searches of one program's variants share (an earlier variant's winner, what it
// measured), the backend's own; created by Backend::new_memory, grown by Backend::remember.
class SearchMemory {
public:
  virtual ~SearchMemory() = default;
};

struct SpaceOptions {
  uint64_t seed = 1;
  size_t per_stmt_keep = 4; // alternatives the backend keeps per statement after ranking
};

enum class BackendClock { Wall, Simulated };

// Instruction selection as the job reports it (the covers' costs stay in the backend).
struct SelectionSummary {
  size_t statements = 0; // statements selected
  bool stopped = false;  // the deadline stopped it: the others keep the cost model's weights
};

class Backend {
public:
  virtual ~Backend() = default;
  // The registry's key: the ISA's `backends` name ("llvm").
  virtual std::string name() const = 0;
  virtual std::string target_name() const = 0;
  // Why this backend cannot compile the program at all (empty when it can), checked before any
  // search so the user gets one clear message instead of a list of failed candidates.
  virtual std::string unsupported(const IndexProgram& p) const = 0;

  // --- The schedule space.
  // The candidates of one program, with the refinements to ask once they are measured; `memory`
  // (may be null) holds what earlier variants' searches learnt.
  virtual Proposals propose(const IndexProgram& p, const SpaceOptions& o,
                            SearchMemory* memory) const = 0;
  // `count` random legal candidates of the space (deterministic for the seed; fused ones among
  // them): what the backend conformance test compiles and checks.
  virtual std::vector<Plan> sample(const IndexProgram& p, uint64_t seed, size_t count) const = 0;
  // The op-by-op baseline: every statement on its own, untiled; the denominator of the speed-up.
  virtual Proposal baseline(const IndexProgram& p) const = 0;
  // The estimate of the best candidate of the space (ranks program variants against each other).
  virtual double best_estimate_ns(const IndexProgram& p) const = 0;
  // The cost model's estimate of one candidate (for ranking only; never reported as a
  // measurement).
  virtual double estimate_ns(const IndexProgram& p, const Plan& plan) const = 0;
  // Why the plan is not a legal candidate for the program (empty when it is).
  virtual std::string legality(const IndexProgram& p, const Plan& plan) const = 0;
  virtual std::unique_ptr<SearchMemory> new_memory() const = 0;
  // A variant's winner, for the searches of the variants after it.
  virtual void remember(const IndexProgram& p, const Plan& winner, SearchMemory& memory) const = 0;
  // Called from several threads at once (the search compiles its candidates in parallel).
  virtual std::unique_ptr<Artifact> compile(const IndexProgram& p, const Plan& plan) const = 0;
  virtual BackendClock clock() const { return BackendClock::Wall; }
  // The dim sizes the numerical check runs a plan at, when not the program's own: the search
  // compiles the plan for p.with_dims(shape) and checks that artifact against the reference at
  // the same sizes (the full-size artifact is only timed). Every measured candidate is checked at
  // the first shape, the winner also at the others. Empty (the default): checked at full size.
  // A backend whose checking path is slow at full size (a simulator) returns smaller sizes that
  // keep the plan's loop structure.
  virtual std::vector<std::map<std::string, int64_t>> check_dims(const IndexProgram& p,
                                                                 const Plan& plan) const {
    (void)p;
    (void)plan;
    return {};
  }

  // --- Plans in text and JSON.
  // Readable, one line per statement; distinct plans have distinct texts.
  virtual std::string plan_text(const IndexProgram& p, const Plan& plan) const = 0;
  virtual nlohmann::json plan_to_json(const Plan& plan) const = 0;
  // UserError naming the JSON pointer `where` when the document is not a plan of this backend.
  virtual Plan plan_from_json(const nlohmann::json& j, const std::string& where) const = 0;

  // --- Instruction selection (before the search; the backend keeps the covers' costs).
  virtual SelectionSummary select_instructions(const std::vector<const IndexProgram*>& programs,
                                               const Isa& isa, const SelectOptions& opts,
                                               const SourceFile* src) = 0;
  // The report's "selection" section for program `p` (one of those selected for).
  virtual nlohmann::json selection_report(const IndexProgram& p) const = 0;

  // --- The job's outputs.
  // What a search result depends on besides the program, the ISA and the flags (the result
  // cache's key): the device and what the backend targets on it.
  virtual nlohmann::json fingerprint() const = 0;
  // report.json's "device" section.
  virtual nlohmann::json device_report() const = 0;
  // kernel.json: how to call the kernel compiled from the plan.
  virtual std::string kernel_json(const IndexProgram& p, const Plan& plan) const = 0;
  // What the artifact's files are ("shared object" for the CPU).
  virtual std::string artifact_kind() const = 0;
};

} // namespace axon
