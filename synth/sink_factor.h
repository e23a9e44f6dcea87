// Moving scalings into reductions (the inverse of hoisting): in a product f1 * ... * sum(k) g, the
// other factors move into the sum's body, so two reductions meet (sum(r) (sum(k) a) * b becomes a
// double sum that ExchangeReductions can reorder). One rewrite per (product, sum factor).
#pragma once
#include "synth/rewrite_step.h"
namespace axon::synth {
std::vector<Rewrite> sink_factor(const VariantState& s);
}
