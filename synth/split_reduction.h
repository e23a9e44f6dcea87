// Splitting reductions: every sum/max/min over a dim N (of known size >= 2, not split before) is
// split at a new dim into a head chunk [0, N0) and a tail chunk [N0, N0 + N1) (N1 = N / 2): the
// head is the running state of a tiled loop and the tail its next tile. The new dims are recorded
// in the state; `N == N0 + N1` is an assumption of every later proof. When N has a divisor B with
// 2 <= B <= N / B (the largest such), every reduction over N is also tiled into T = N / B tiles of
// B: sum(k: N) f(k) becomes sum(t: T) sum(j: B) f(t * B + j) (assumption N == T * B).
#pragma once
#include "synth/rewrite_step.h"
namespace axon::synth {
std::vector<Rewrite> split_reduction(const VariantState& s);
}
