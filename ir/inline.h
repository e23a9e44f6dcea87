// Inlining of an IndexProgram's intermediate tensors: the value of one written tensor as a single
// expression over the program's inputs, every read of a tensor written by an earlier statement
// replaced by that statement's (recursively inlined) expression at the read's indices. Bound
// variables are renamed apart first, so substitution never captures. Used by smt/ to state one
// equivalence per output.
#pragma once

#include <string>

#include "ir/index_program.h"

namespace axon {

// The defining expression of `tensor` (written by some statement of p) over p's inputs, with the
// statement's own index variables free.
Expr inline_tensor(const IndexProgram& p, const std::string& tensor);

// The same expression with bound reduction variables renamed to fresh unique names.
Expr rename_bound_apart(const Expr& e);

} // namespace axon
