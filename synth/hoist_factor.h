// Moving scalings out of reductions: in sum(k) f1 * ... * fn, the factors (and divisors) that do
// not depend on k leave the sum, e.g. a row scaling applied before a matmul becomes a scaling of
// the matmul's output rows. One rewrite per sum that has both kinds of factor.
#pragma once
#include "synth/rewrite_step.h"
namespace axon::synth {
std::vector<Rewrite> hoist_factor(const VariantState& s);
}
