// Reassociation of nested sums (Fubini): sum(k) sum(r) f becomes sum(r) [factors of f free of k] *
// sum(k) [the rest], so (X@A)@B turns into X@(A@B) and back. One rewrite per directly nested
// pair of sums over independent ranges.
#pragma once
#include "synth/rewrite_step.h"
namespace axon::synth {
std::vector<Rewrite> exchange_reductions(const VariantState& s);
}
