// Lowering an NPU plan (npu_plan.h) to an NPU program (sim/program.h) that the simulator runs:
// every statement becomes per-tile instances of its selected cover (synth/isel_tile.h), with the
// data movement the target's JSON semantics name (lower_movement.h) around it. The program is
// built with NpuProgramBuilder, so it passes the simulator's legality checks or lowering fails
// with an internal error (a legal plan must lower to a legal program).
//
// Tensors: every input and output tensor of the .tp is an HBM tensor of the same name, shape and
// dtype; a rank-0 tensor is an HBM tensor of shape [1]; an intermediate statement's tensor that
// leaves its group is a scratch HBM tensor of its own name.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "emit/npu/lower_ops.h"
#include "emit/npu/npu_plan.h"
#include "ir/index_program.h"
#include "isa/isa.h"
#include "sim/program.h"
#include "synth/isel_cover.h"

namespace axon {

// UserError when the plan cannot be lowered (a message starting "no lowering for" + the
// statement, or naming the capacity/limit exceeded and its place in the target file).
NpuProgram lower_npu_plan(const IndexProgram& p, const NpuPlan& plan, const NpuCovers& covers,
                          const Isa& isa, const std::string& name);

// Why the plan is illegal before anything is built (capacities: SBUF/PSUM bytes per partition
// with `bufs` rotating buffers, partition count, instruction dim bounds), "" when legal; cheap
// (instantiates each statement's first tile only).
std::string npu_plan_legality(const IndexProgram& p, const NpuPlan& plan, const NpuCovers& covers,
                              const Isa& isa);

} // namespace axon
