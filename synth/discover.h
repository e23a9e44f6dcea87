// Rewrite discovery (egg's Runner is the model): breadth-first from the input program, every
// propagation step (rewrite_step.h) proposes rewrites of every variant; a proposal whose canonical
// form is new is proven equal to its parent by smt/ (for all sizes, under the dim splits) and only
// then enters the variant graph. Limits are set builder-style; the report gives the stop reason,
// per-step-kind counts and times, per-depth records, and every variant with its derivation and
// float32 numerics; it prints and serializes to JSON.
#pragma once

#include <functional>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "smt/prove.h"
#include "synth/rewrite_step.h"

namespace axon::synth {

enum class StopReason { Saturated, VariantLimit, DepthLimit, TimeLimit, GoalReached };
const char* stop_reason_name(StopReason r); // "saturated", "variant limit", ...

struct StepStats {
  size_t proposed = 0;  // rewrites the step produced
  size_t duplicate = 0; // dropped before proving: canonical form already in the graph
  size_t attempted = 0; // sent to the prover
  size_t proven = 0, refuted = 0, unknown = 0;
  size_t malformed = 0; // the step built an invalid program (a bug in the step; counted, dropped)
  double seconds = 0;   // proposing and proving
};

// One proven step of a derivation.
struct DerivationStep {
  StepKind kind;
  std::string description;
  std::string prover;    // who proved it ("normalizer", "z3", ...)
  std::string canonical; // hash of the canonical form of the result (the replay finds it by this)
};

// Float32 behaviour of a variant against the float64 reference of the input program: the max
// scaled error (|a-b| / (atol + rtol |b|), > 1 is out of tolerance) on each kind of input.
struct Numerics {
  double error_unit = 0;   // inputs uniform in [-1, 1]
  double error_large = 0;  // inputs uniform in [-1000, 1000]
  double error_offset = 0; // inputs 1000 + uniform [-1, 1]
  bool stable = true;      // no trial out of tolerance where the input program is within it
  std::string note;
};

struct Variant {
  size_t id = 0;
  std::optional<size_t> parent;
  size_t depth = 0;
  VariantState state;
  std::vector<DerivationStep> derivation;
  std::string canonical; // hash of the canonical form
  Numerics numerics;
};

struct DepthRecord {
  size_t depth = 0, expanded = 0, added = 0;
  double seconds = 0;
};

struct DiscoveryReport {
  std::vector<Variant> variants; // variants[0] is the input program
  StopReason stop = StopReason::Saturated;
  std::map<StepKind, StepStats> steps;
  std::vector<DepthRecord> depths;
  double seconds = 0;          // the whole run, numerics included (the time limit covers both)
  double numerics_seconds = 0; // checking numerics, as each variant is added

  // Every step kind's counts and seconds added up.
  StepStats totals() const;
  std::string to_text() const;
  nlohmann::json to_json() const;
};

class RewriteRunner {
public:
  RewriteRunner& with_variant_limit(size_t n) {
    variant_limit_ = n;
    return *this;
  }
  RewriteRunner& with_depth_limit(size_t n) {
    depth_limit_ = n;
    return *this;
  }
  RewriteRunner& with_time_limit(double seconds) {
    time_limit_ = seconds;
    return *this;
  }
  RewriteRunner& with_prove_options(const smt::ProveOptions& o) {
    prove_ = o;
    return *this;
  }
  // Wall-clock limit of one step's proof (the solver child is killed after it).
  RewriteRunner& with_step_timeout(double seconds) {
    step_timeout_ = seconds;
    return *this;
  }
  // Also tile reductions (split_reduction's T x B tiling). Off by default: at the default limits
  // the tiled subgraphs (slower proofs over nested sums) crowd out depth 4 of the attention
  // kernels.
  RewriteRunner& with_tiling(bool on) {
    tiling_ = on;
    return *this;
  }
  RewriteRunner& with_numerics(bool on) {
    numerics_ = on;
    return *this;
  }
  // Stop as soon as a variant satisfies `goal` (egg's runner hooks; tests and targeted searches).
  RewriteRunner& with_stop_when(std::function<bool(const IndexProgram&)> goal) {
    goal_ = std::move(goal);
    return *this;
  }
  RewriteRunner& with_steps(std::vector<StepKind> kinds) {
    kinds_ = std::move(kinds);
    return *this;
  }

  DiscoveryReport run(const IndexProgram& p) const;

private:
  size_t variant_limit_ = 2000;
  size_t depth_limit_ = 5;
  double time_limit_ = 10.0;
  double step_timeout_ = 0.5;
  bool numerics_ = true;
  bool tiling_ = false;
  smt::ProveOptions prove_;
  std::function<bool(const IndexProgram&)> goal_;
  std::vector<StepKind> kinds_{std::begin(kAllStepKinds), std::end(kAllStepKinds)};
};

} // namespace axon::synth
