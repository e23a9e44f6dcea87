// Common subexpressions: a temporary whose definition equals an earlier temporary's (up to the
// names of its variables) is replaced by that temporary at every read.
#pragma once
#include "synth/rewrite_step.h"
namespace axon::synth {
std::vector<Rewrite> share_common_temporary(const VariantState& s);
}
