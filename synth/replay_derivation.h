// The derivation checker: replays a variant's derivation from the input program, step by step.
// Each step's kind proposes its rewrites of the current program again, the one with the recorded
// canonical form is taken, and it is proven equal to the current program again (pass a
// ProveOptions without the cache to re-prove from scratch). Returns "" when every step re-checks,
// else a message naming the first step that fails and why. With a certificate_root, step N's
// proven obligations are written as SMT-LIB2 certificates into certificate_root/step-NN/; with
// `end`, it receives the replayed program (and its splits) when every step re-checks.
#pragma once
#include "synth/discover.h"
namespace axon::synth {
std::string replay_derivation(const IndexProgram& original, const Variant& v,
                              const smt::ProveOptions& opts,
                              const std::string& certificate_root = "",
                              VariantState* end = nullptr);
}
