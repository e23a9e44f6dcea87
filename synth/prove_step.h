// Proving one step. When the step only changes statement values (same tensors written, same
// shapes), each changed statement is proven alone first, with every tensor it reads treated as an
// unconstrained input: equal statements over equal tensors give equal programs (congruence), and
// the local query is small. Otherwise, or when a local proof is refuted (a step may rely on what a
// temporary holds), the whole programs are proven equal; a local unknown (the statement alone is
// past the solver's limits) ends as unknown. Unknown is never a proof.
#pragma once
#include <string>

#include "smt/prove.h"
namespace axon::synth {
struct StepProof {
  smt::Verdict verdict = smt::Verdict::Unknown;
  std::string prover; // "local z3", "normalizer", ...
  std::string reason; // why not proven
};
StepProof prove_step(const IndexProgram& before, const IndexProgram& after,
                     const std::vector<Expr>& assumptions, const smt::ProveOptions& opts);
} // namespace axon::synth
