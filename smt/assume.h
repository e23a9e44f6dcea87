// Parsing of --assume preconditions ('eps > 0', 'K == S * KS', 'N % B == 0 && B >= 2') into Bool
// expressions over the dims and rank-0 inputs of the two programs. Ints mix with reals by
// promotion; an unknown name or bad syntax is a UserError that points at the text.
#pragma once

#include <string>
#include <vector>

#include "ir/index_program.h"

namespace axon::smt {

Expr parse_assumption(const std::string& text, const IndexProgram& a, const IndexProgram& b);

} // namespace axon::smt
