// The variants later stages should try: numerically stable (float32 within tolerance wherever the
// input program is), not the input program itself, and estimated to do at most 1.25x its
// arithmetic (operations counted per statement: output elements times the expression's
// operations, a reduction counting its body once per element of its range, a select only its
// larger branch); the search's cost model and measurements decide among them. Least estimated
// work first, then shallower derivation; at most n.
#pragma once
#include "synth/discover.h"
namespace axon::synth {
std::vector<const Variant*> pick_variants(const DiscoveryReport& r, size_t n);
}
