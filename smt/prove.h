// The prover: for every obligation between two programs, normalize, run a few cheap float64
// trials, encode for all sizes and ask the solver(s); unsat is Proven. Otherwise look for a
// counterexample (bounded query at small sizes, then more random float64 trials). Every
// counterexample is replayed through the reference interpreter before it is reported: Refuted.
// Anything else is Unknown with the reason, and Unknown is never a proof. Proven results and
// confirmed counterexamples go to the proof cache; proven obligations can be written as SMT-LIB2
// certificates.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "smt/encode.h"
#include "smt/obligation.h"
#include "smt/replay.h"
#include "smt/solver.h"

namespace axon::smt {

enum class Verdict { Proven, Refuted, Unknown };

// Nesting depth of an obligation's sides (temporaries inlined) the prover takes; deeper ones are
// unknown with the reason (docs/smt.md, "Known limits").
inline constexpr int kMaxObligationDepth = 2000;
const char* verdict_name(Verdict v); // "proven", "refuted", "unknown"

struct ProveOptions {
  SolverMode mode = SolverMode::Z3;
  SolverLimits limits;
  std::string certificate_dir; // empty: no certificates
  bool use_cache = true;
  std::string cache_dir;    // empty: default_cache_dir()
  size_t bounded_sizes = 3; // size assignments tried by the bounded query
  size_t trial_sizes = 16;  // size assignments tried by random trials
  int trial_seeds = 2;
  size_t quick_trials = 4; // size assignments tried numerically before any solver call (0: off)
  size_t large_sizes = 8;  // larger size assignments (7..17) tried by the refutation search
};

struct ObligationResult {
  std::string name;
  Verdict verdict = Verdict::Unknown;
  std::string reason; // how it was decided, or why it is unknown
  std::string solver; // who answered ("normalizer", "z3", "cvc5", "z3+cvc5", "replay")
  double seconds = 0;
  bool cached = false;
  bool solver_disagreement = false; // a bug: both mode saw sat vs unsat
  std::optional<Counterexample> counterexample;
  std::string certificate; // path of the written certificate
  // The certificate's header says "normalizer-only": the solvers could not re-check it (or it
  // would check nothing beyond the normalizer's instances); the proof rests on the normalizer.
  bool certificate_normalizer_only = false;
};

struct ProveResult {
  Verdict verdict = Verdict::Unknown;
  std::vector<ObligationResult> obligations;
  double seconds = 0;
};

// Whether the assumptions, with every dim >= 1, can hold at all: Sat when a small concrete witness
// (sizes and inputs) satisfies them or the solver finds a model, Unsat when the solver shows that
// none exists (prove_programs then refuses with a UserError: anything would be proven), Unknown
// otherwise (prove_programs then answers unknown, never proven).
struct AssumptionCheck {
  SatStatus status = SatStatus::Sat;
  std::string reason;
};
AssumptionCheck check_assumptions(const IndexProgram& a, const IndexProgram& b,
                                  const std::vector<Expr>& assumptions, const ProveOptions& opts);

// Refuses (UserError) assumptions that no sizes satisfy; see check_assumptions.
ProveResult prove_programs(const IndexProgram& a, const IndexProgram& b,
                           const std::vector<Expr>& assumptions, const ProveOptions& opts);
ObligationResult prove_obligation(const IndexProgram& a, const IndexProgram& b,
                                  const Obligation& ob, const ProveOptions& opts);

// Two index expressions over shared inputs: each becomes a one-statement program writing
// `out[index_vars...]`, then prove_programs. Dims are every DimVar the shapes and extents name.
ProveResult prove_expressions(const Expr& lhs, const Expr& rhs,
                              const std::vector<TensorDecl>& inputs,
                              const std::vector<std::pair<std::string, Expr>>& index_vars,
                              const std::vector<Expr>& assumptions, const ProveOptions& opts);

// The normalized goal and its unbounded query (what a certificate contains).
Goal make_goal(const Obligation& ob);
SmtQuery obligation_query(const Obligation& ob);

} // namespace axon::smt
