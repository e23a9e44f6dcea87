// The use of an NPU instruction (isa/isa.h InstrUse: engine, operand sizes, memories, dtypes and
// parameter choices), derived from its tiles; what costs, semantics and the ISA's legality
// checks see. Instructions with the same use share one entry of NpuProgram::uses.
#pragma once

#include <string>

#include "sim/program.h"

namespace axon {

// The use of `x`: dims bound from the tiles ([P, F] operands bind P = partitions, F = free size;
// [P] operands and vector parameters bind P), the first binding of a dim winning (the checker
// reports dims that disagree). `x` must reference valid objects of `p`.
InstrUse instruction_use(const NpuProgram& p, const NpuInstr& x);

// A string identifying a use of `in`: equal keys, equal uses.
std::string use_key(const Instruction& in, const InstrUse& u);

// Fills p.uses with the distinct uses and sets every instruction's `use` index.
void index_uses(NpuProgram& p);

} // namespace axon
