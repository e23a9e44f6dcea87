// The canonical form that deduplicates the variant graph: the program's text with temporaries
// renamed t0, t1, ... in statement order, statement variables v0, v1, ... and bound variables by
// nesting depth, plus the state's dim splits. Two variants that differ only in names are one.
#pragma once
#include <string>

#include "synth/rewrite_step.h"
namespace axon::synth {
std::string canonical_form(const VariantState& s);
}
