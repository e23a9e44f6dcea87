// Limits of the simulator beyond the shared ones of ir/limits.h (docs/reliability.md). A
// program past any of them is refused when it loads, with exit 2 and the JSON pointer of the
// construct: the simulator never wraps an address, runs out of memory or runs without end.
#pragma once

#include <cstdint>

#include "ir/limits.h"

namespace axon::sim_limits {
// Instructions after loop expansion, plus loop iterations (an empty loop body still costs one
// step per iteration). The shipped calibration programs expand to 40k-100k instructions; at about
// 0.5 KB per expanded instruction the cap keeps a program under about 1 GB.
inline constexpr int64_t kMaxExpandedSteps = int64_t(1) << 21;
// Nesting depth of loops (the loader recurses on it; 40 nested loops of 2 already exceed
// kMaxExpandedSteps).
inline constexpr int kMaxLoopDepth = 64;
// Every integer of a program (sizes, offsets, strides, counts, partitions, queues, immediates,
// formula results) lies in [-kMaxExtent, kMaxExtent]; address arithmetic is then checked.
inline constexpr int64_t kMaxInteger = limits::kMaxExtent;
// Characters of one integer formula (a tile offset such as "k * 128 + m * 512"). Together with
// limits::kMaxExprDepth (operators, parentheses and calls of one formula) this bounds parsing
// and evaluation whatever the formula parser does with long chains.
inline constexpr int kMaxFormulaChars = 1024;
// Elements of one tile (partitions x free size). The largest legal on-chip tile is 128 x 64K;
// only device-memory-to-device-memory copies could ask for more.
inline constexpr int64_t kMaxTileElements = int64_t(1) << 24;
// Elements of all HBM tensors of a program (each also <= kMaxExtent).
inline constexpr int64_t kMaxTensorElements = limits::kMaxExtent;
// Functional mode holds every tensor and buffer as floats: at most this many elements in all
// (2 GiB of floats), refused before anything is allocated.
inline constexpr int64_t kMaxFunctionalElements = int64_t(1) << 29;
// Queues of one engine, in the target or through `--set ENGINE.queues=N` (the timing model keeps
// a timeline per queue).
inline constexpr int64_t kMaxEngineQueues = 1024;
} // namespace axon::sim_limits
