// Loop rolling for the JSON form of NPU programs (docs/npu-program.md, "Loops and formulas"): a
// flat list of instructions -> the same list with repeated blocks folded into `loop` items whose
// integer fields are affine formulas of the loop variables. Expanding the result (what the
// loader does) gives back exactly the input, so rolling only keeps files small.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace axon {

// One instruction as JSON text with a hole (kRollHole) wherever an integer field goes, and those
// integers in order. Only fields the loader reads as integers (and so accepts as formulas) may be
// holes.
inline constexpr char kRollHole = '\x01';
struct RollRecord {
  std::string text;
  std::vector<int64_t> ints;
};

struct RolledProgram {
  std::string text;  // the items of a "program" array, one per line, each line starting `indent`
  int64_t steps = 0; // instructions and loop iterations the loader expands them to
};

// A run of n >= 2 consecutive blocks of L <= max_block records that are equal except for integers
// changing by the same step from block to block becomes {"loop": "iD", "count": n, "body": [...]}
// with those integers as formulas ("4 + 128 * i0"). Rolling repeats over its own output (at most
// `max_depth` times), so nested loops fold too; loop variables are i0, i1, ... from the innermost.
// max_depth 0 writes the records as they are. Deterministic: the same input, the same text.
RolledProgram roll_npu_program(const std::vector<RollRecord>& flat, const std::string& indent,
                               int max_depth = 8, int max_block = 48);

} // namespace axon
