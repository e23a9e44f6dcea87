// The variants later stages should try: numerically stable (float32 within tolerance wherever the
// input program is), not the input program itself, and estimated to do at most 1.25x its
// arithmetic (estimated_work); the search's cost model and measurements decide among them. Least
// estimated work first, then shallower derivation; at most n. A variant made only by inlining
// temporaries (no reduction nested in another) is not passed on: the main job searches those
// fusions of the input program anyway; nor is one that is such a fusion, or another variant
// already ranked, up to the order of commutative operands (a factor hoisted and sunk back).
#pragma once
#include "synth/discover.h"
namespace axon::synth {
std::vector<const Variant*> pick_variants(const DiscoveryReport& r, size_t n);
// Arithmetic the kernel executes, at the program's concrete dims: every subterm counts once per
// combination of the loop variables it reads (loop-invariant work hoisted: a per-row scale of an
// M x N output is M*N multiplies, and g[k] * w[k, n] inside a sum over k of an [m, n] output is
// K*N, not M*N*K), products in their cheapest order, a reduction one accumulation per element of
// its range (repeated for every iteration of enclosing loops it does not read), a select its
// larger branch. Throws for a symbolic dim.
double estimated_work(const IndexProgram& p);
} // namespace axon::synth
