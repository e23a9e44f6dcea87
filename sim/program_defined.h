// Use before definition: every element an instruction reads (its `in` operands, its vector
// parameters given as tiles, and the `out` operand it accumulates into when its accumulate flag
// is set) must have been written by an earlier instruction in program order, or belong to an
// input tensor. Functional mode finds the same fault when it reaches it (sim/functional.h); this
// check finds it without running the program, with the same message.
#pragma once

#include <cstddef>
#include <vector>

#include "sim/program_check.h"

namespace axon {

// `p` must pass check_npu_program first (every tile inside its buffer or tensor). Returns the
// first `max_diagnostics` reads of never-written memory, pointer "/instrs/K/<operand>".
std::vector<NpuDiagnostic> check_defined_reads(const NpuProgram& p, size_t max_diagnostics = 1);

} // namespace axon
