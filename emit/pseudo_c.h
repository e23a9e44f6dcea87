// A readable C-like rendering of a scheduled loop nest (for kernel.c in the output directory):
// what the kernel computes, loop by loop. Not compiled; the kernel is the LLVM IR.
#pragma once

#include <string>

#include "emit/loop_nest.h"
#include "ir/index_program.h"

namespace axon {

std::string pseudo_c(const IndexProgram& p, const Schedule& s, const std::string& name);
// The same from a loop nest already built.
std::string pseudo_c(const IndexProgram& p, const LoopNest& nest, const std::string& name);

} // namespace axon
