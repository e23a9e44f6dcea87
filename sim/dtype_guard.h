// The dtype guard (issue 21): a program may not compute a value in a narrower dtype than the
// precision it declares for what it computes, so that no f32 program passes for fast by running
// its matmuls in bf16. The declared precision is the narrowest dtype among the program's output
// tensors (per-output precision would need a data-flow analysis; the narrowest is never a false
// alarm). An instruction narrows when it writes a result in a dtype narrower than both that
// precision and the widest of its tile inputs: a cast down of a value that was wider. Writing a
// bf16 input into a bf16 buffer, or a constant (memset, iota) into any dtype, is not narrowing.
#pragma once

#include <string>
#include <vector>

#include "sim/program.h"

namespace axon {

struct Narrowing {
  int index = 0;
  std::string message; // names the instruction, the operand, its dtype and the two widths
};

// Every narrowing instruction of `p`, in program order (at most `max`).
std::vector<Narrowing> find_narrowing(const NpuProgram& p, size_t max = 1000);

} // namespace axon
