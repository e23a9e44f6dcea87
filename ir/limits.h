// Limits on what axon-synth accepts (docs/reliability.md). Input beyond them is a user error
// (exit 2) that names the position and the limit, never a crash, a hang or a wrap-around.
#pragma once
#include <cstdint>

namespace axon::limits {
// Every tensor size, dimension and reduction extent, wherever computed, is in 1..kMaxExtent.
inline constexpr int64_t kMaxExtent = int64_t(1) << 40;
// Nesting depth of any parsed expression (.tp, specs, ISA semantics and cost formulas, sim
// formulas, --assume): operators, parentheses and calls each add one level.
inline constexpr int kMaxExprDepth = 256;
// Operands of one call (concat of many tensors, a long argument list).
inline constexpr int kMaxCallOperands = 1024;
// Bytes of one input file (.tp, .spec, ISA JSON, NPU program, manifest).
inline constexpr int64_t kMaxInputFileBytes = int64_t(64) << 20;
} // namespace axon::limits
