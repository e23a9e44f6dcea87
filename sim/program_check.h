// The legality rules of NPU programs (docs/npu-program.md, "Legality rules") on a program held in
// memory: what the loader applies after parsing, callable on an NpuProgram a backend or a search
// builds directly, so that both get the same diagnostics. The functional and timing simulators
// assume a program that passed this check (every address inside its buffer or tensor, every
// instruction legal on its engine).
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "isa/isa.h"
#include "sim/program.h"

namespace axon {

struct NpuDiagnostic {
  // JSON pointer into the in-memory program: "/tensors/I/...", "/buffers/I/...",
  // "/instrs/K/<operand or field>..." (K the index of the expanded instruction). The loader
  // rewrites "/instrs/K" to the pointer of the instruction in the program file.
  std::string pointer;
  std::string message; // names the instruction (NpuInstr::where) and the rule
};

// Checks tensors, then buffers, then instructions in program order, and returns the first
// `max_diagnostics` violations (empty: legal). Never throws for a bad program; objects that a
// broken in-memory program references out of range are diagnostics too.
std::vector<NpuDiagnostic> check_npu_program(const NpuProgram& p, const Isa& isa,
                                             size_t max_diagnostics = 1);

} // namespace axon
