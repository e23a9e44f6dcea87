// Inlining as a propagation step: a temporary's definition replaces its reads in one consumer
// statement (the temporary is dropped when nothing else reads it). A temporary holding a reduction
// is inlined only into a reduction's body, where it lets the two reductions interact
// (reassociation).
#pragma once
#include "synth/rewrite_step.h"
namespace axon::synth {
std::vector<Rewrite> inline_temporary(const VariantState& s);
}
