// Naming a reduction: a reduction inside another reduction, or one multiplied by other factors,
// becomes a new temporary
// indexed by its free variables (enclosing reduction variables first, then statement variables),
// computed just before the statement; e.g. sum(k) x[m,k] * sum(r) a[k,r] * b[r,n] gets A@B.
#pragma once
#include "synth/rewrite_step.h"
namespace axon::synth {
std::vector<Rewrite> extract_reduction(const VariantState& s);
}
