// The JSON form of NPU programs (docs/npu-program.md) -> NpuProgram, without judging legality
// (sim/program_check.h does that; load_npu_program runs both).
#pragma once

#include <string>
#include <vector>

#include "sim/program.h"

namespace axon {

struct ParsedNpuProgram {
  NpuProgram program; // uses not yet indexed (sim/program_uses.h)
  // The JSON pointer of each expanded instruction, e.g. "/program/3/body/0" (every iteration of
  // a loop shares its body's pointers).
  std::vector<std::string> instr_pointers;
};

// UserError "path: /pointer: what" for malformed JSON, unknown fields, names or dtypes, integers
// outside [-2^40, 2^40], formulas past their limits and expansions past kMaxExpandedSteps.
ParsedNpuProgram parse_npu_program(const std::string& text, const Isa& isa,
                                   const std::string& path);

} // namespace axon
