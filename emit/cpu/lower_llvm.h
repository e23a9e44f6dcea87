// Lowers an IndexProgram with concrete dims and a loop Schedule (through its loop nest,
// emit/loop_nest.h) to an LLVM IR function
//   void <name>(void** buffers)
// where buffers[i] points to the i-th tensor of p.tensors() (row-major and dense; f32 elements,
// bf16 as its 16 bits, f16 as IEEE half, bool as one byte). Temporaries are buffers too (the
// caller allocates them), so every statement is one loop nest over memory; fusion is a later search
// decision. When scratch_bytes(p, s) > 0, buffers[p.tensors().size()] points to that many bytes of
// scratch (64-byte aligned): the packed copies of operands and each thread's slices of a fusion
// group's contracted temporaries live there. The kernel itself allocates nothing, so the caller
// (the runtime's workspace) owns every byte and reports running out of memory.
//
// Real arithmetic is f32 with fast-math reassociation and contraction (the IR leaves the order
// of sums unspecified; every kernel is checked against the reference interpreter); bf16 and f16
// values are widened to f32 as they are loaded and rounded to nearest even as they are stored.
// Division is IEEE (the IR's x/0 = 0 convention is for proofs; zero divisors do not occur in
// checked runs).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "emit/loop_nest.h"
#include "ir/index_program.h"

namespace llvm {
class LLVMContext;
class Module;
} // namespace llvm

namespace axon {

// Bytes of scratch a kernel lowered with this schedule needs (0: none, and no extra buffer): its
// loop nest's. One fusion group runs at a time, so groups reuse the same bytes: the largest
// group's packed copies (f32) plus, per thread, its contracted temporaries' slices, each rounded
// up to 64 bytes (kScratchAlign).
int64_t scratch_bytes(const IndexProgram& p, const Schedule& s);

// UserError when the program has a dim without a size; internal_error when the schedule is
// invalid (validate it first). `vector_math` names vector routines of `math_lanes` f32 lanes
// (exp, log, tanh, erf) that explicit vector code may call (from the target's ISA description).
std::unique_ptr<llvm::Module>
lower_to_llvm(const IndexProgram& p, const Schedule& s, const std::string& name,
              llvm::LLVMContext& ctx, const std::map<std::string, std::string>& vector_math = {},
              int math_lanes = 0);
// The same from a loop nest already built (build_loop_nest of a valid schedule).
std::unique_ptr<llvm::Module>
lower_to_llvm(const IndexProgram& p, const LoopNest& nest, const std::string& name,
              llvm::LLVMContext& ctx, const std::map<std::string, std::string>& vector_math = {},
              int math_lanes = 0);

} // namespace axon
