// Functional simulation of an NPU program: runs the instructions in program order, each by its
// semantics from the ISA (the JSON statements instantiated as an IndexProgram and evaluated by
// the reference interpreter in float32), and stores every result rounded to the dtype of the
// buffer or tensor it lands in (bf16/fp16 round to nearest even; PSUM tiles are fp32, so
// matmul accumulation stays fp32). A read of an element that nothing wrote is a UserError
// naming the instruction.
#pragma once

#include <cstdint>

#include "ir/interp.h"
#include "sim/program.h"

namespace axon {

// `inputs` holds every input tensor of the program with its declared shape (values are rounded
// to the tensor's dtype on entry). Returns the output and scratch tensors; an output element
// that no instruction wrote is a UserError.
TensorMap run_functional(const NpuProgram& prog, const TensorMap& inputs);

// Deterministic random values in [-scale, scale] for every input tensor of `prog`.
TensorMap random_program_inputs(const NpuProgram& prog, uint64_t seed, double scale = 1.0);

} // namespace axon
