// Equivalence obligations between two IndexPrograms: one per output tensor (the output's value
// with temporaries inlined, at fresh symbolic indices), plus one per output dimension whose
// shape expressions differ. Inputs are shared by name; a mismatch in outputs or input ranks is a
// UserError (bad input, not a refutation).
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "ir/index_program.h"

namespace axon::smt {

struct Obligation {
  std::string name;                                     // "y" or "y.shape[1]"
  std::string output;                                   // output tensor
  std::vector<std::pair<std::string, Expr>> index_vars; // output index -> extent (A's shape)
  Expr lhs, rhs;                                        // Real, over inputs, dims and index_vars
  std::vector<Expr> assumptions;                        // Bool, over dims and rank-0 inputs
};

std::vector<Obligation> make_obligations(const IndexProgram& a, const IndexProgram& b,
                                         const std::vector<Expr>& assumptions);

} // namespace axon::smt
