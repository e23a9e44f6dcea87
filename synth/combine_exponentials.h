// Combining exponentials in a product: exp(a) * exp(b) / exp(c) becomes exp(a + b - c), so a
// shift introduced in a denominator (exp(m) * sum ...) cancels against the numerator's exp.
// One rewrite per product with at least two exp factors.
#pragma once
#include "synth/rewrite_step.h"
namespace axon::synth {
std::vector<Rewrite> combine_exponentials(const VariantState& s);
}
