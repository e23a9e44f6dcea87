// Sharing an operand between two reductions: two statements sum(k) s * f1 and sum(k) s * f2 over
// the same range and output shape, with common factors s, become one stacked statement
// t[c, ...] = sum(k) s * select(c == 0, f1, f2) (one reduction over concatenated operands, s
// loaded once), and the two statements read t[0, ...] and t[1, ...].
#pragma once
#include "synth/rewrite_step.h"
namespace axon::synth {
std::vector<Rewrite> merge_shared_reductions(const VariantState& s);
}
