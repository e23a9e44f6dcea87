// The issue order of a lowered NPU program. Lowering emits instructions in the order of its tile
// loops (a PE transpose, its copy-out, then the matmul reading it); every engine queue runs its
// instructions in program order, so an instruction that waits on another engine stalls everything
// queued behind it. This pass reorders the program as a list scheduler does: the dependencies are
// the program's own hazards (read after write, write after read, write after write on
// overlapping tiles), each instruction is charged the simulator's cost for it
// (instruction_time_ns, a DMA also its queue's fixed cost and a slot on the DMA engines all queues
// share), and the next instruction issued is the one that can start earliest (program order
// breaks ties). Every hazard keeps its order, so the reordered program computes what the original
// does.
#pragma once

#include <cstddef>
#include <vector>

#include "sim/program.h"

namespace axon {

// A permutation of prog.instrs (new position -> old index) respecting every hazard between
// instructions that touch overlapping tiles, at least one of them writing.
std::vector<size_t> npu_issue_order(const NpuProgram& prog);

} // namespace axon
