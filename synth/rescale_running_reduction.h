// Rescaling a running reduction (online softmax, flash attention): in sum(k: E) ... exp(g - c) ...,
// where c is a max of several parts and one part is max(k: E) g itself (the max over the same
// chunk), the sum is rebased to that chunk max m and rescaled: exp(m - c) * sum(k: E) ... exp(g -
// m). The chunk max is named as a temporary when it was a part of a larger max's definition. An
// unshifted sum(k: E) ... exp(u) ... is shifted by a new temporary m = max(k: E) u the same way:
// exp(m) * sum(k: E) ... exp(u - m) (the max shift of softmax). A factor reading an elementwise
// temporary that holds an exp counts as that exp (it is inlined where it is rebased).
#pragma once
#include "synth/rewrite_step.h"
namespace axon::synth {
std::vector<Rewrite> rescale_running_reduction(const VariantState& s);
}
