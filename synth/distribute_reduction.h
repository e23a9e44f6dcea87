// Distributing a sum over the terms of its body: the body is expanded into a sum of products
// (+, -, unary minus, products and divisions by a whole expression), the sum splits into one sum
// per term and each term's factors free of the summation variable leave it. Statistics that read
// an earlier statistic (sum((x - mean)^2)) become sums of the input alone (one pass). Bodies
// that hold another reduction are left alone.
#pragma once
#include "synth/rewrite_step.h"
namespace axon::synth {
std::vector<Rewrite> distribute_reduction(const VariantState& s);
}
