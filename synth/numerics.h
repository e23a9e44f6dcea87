// The numerics check of a variant: interpret it in float32 at small sizes (dim splits kept
// consistent) and compare with the float64 interpretation of the input program, on unit,
// large-magnitude and large-offset random inputs. A variant out of tolerance where the input
// program is within it (softmax without its max shift at large logits) is flagged unstable.
#pragma once
#include "synth/discover.h"
namespace axon::synth {
Numerics check_numerics(const IndexProgram& original, const VariantState& v);
}
