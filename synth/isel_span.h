// Covers spanning two statements: the instruction that writes a statement's tensor (the last of
// its cover) also computes a second statement through another of its out operands, under some
// choice of its parameters (softmax's exp and its row sum as one activation with add-reduce).
// Found from the JSON semantics only, and proven with smt/ twice: under the new choice the
// instruction's result is what it was (the first statement is still computed), and the other
// out operand, with the cover's operands bound, equals the second statement with the first
// statement's tensor inlined, for all sizes.
#pragma once

#include <cstddef>
#include <string>
#include <vector>

#include "ir/index_program.h"
#include "isa/isa.h"
#include "smt/prove.h"
#include "synth/isel_cover.h"

namespace axon {

struct SpanningCover {
  bool found = false;
  std::string reason;  // when !found: why not
  size_t instr = 0;    // the instruction of the first cover that also writes the second
  ParamChoice params;  // the choice under which it writes both
  std::string operand; // its out operand carrying the second statement's value
  std::vector<std::string> out_axes; // per axis of `operand`: the second statement's variable
                                     // it carries ("": size 1)
  size_t proofs = 0;
};

// Whether the last instruction of `first_cover` (the cover of statement `first` of `program`)
// can also write statement `second`, which reads the first statement's tensor. The first
// choice, in all_param_choices order, whose two equations are proven is returned.
SpanningCover select_spanning(const IndexProgram& program, size_t first, const Cover& first_cover,
                              size_t second, const Isa& isa, const smt::ProveOptions& opts);

} // namespace axon
