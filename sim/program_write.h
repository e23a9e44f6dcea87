// NpuProgram -> the JSON text load_npu_program reads (docs/npu-program.md). Loading the text gives
// back an equal program (same tensors, buffers with their placement, instructions with their
// tiles, parameters and `after` edges) that simulates to the same time. The text is
// deterministic: the same program gives the same bytes. Instructions are written in program order,
// repeated blocks folded into loops (sim/program_roll.h), one instruction per line.
#pragma once

#include <string>

#include "sim/program.h"

namespace axon {

struct NpuWriteOptions {
  bool roll_loops = true; // false: one line per expanded instruction
};

// `p` must reference valid objects (as check_npu_program accepts). An `after` edge is written as
// the name of its target, which the loader resolves to the latest earlier instruction of that
// name; a target that its name does not reach that way (unnamed, or a later instruction shares
// the name) is written under the name "<name>@<index>" instead.
std::string write_npu_program(const NpuProgram& p, const NpuWriteOptions& options = {});

} // namespace axon
