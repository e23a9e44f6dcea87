// Instantiating a spec op for concrete operands: match the operands' shapes against the spec's
// shape patterns (binding pattern dims, broadcasting the `...` batch dims NumPy-style), pick the
// overload whose `when` clause matches the string attributes, and expand the body into
// index statements over the operands.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ir/index_program.h"
#include "ir/program.h"
#include "ir/shape.h"
#include "ir/spec_library.h"

namespace axon {

struct SpecOperand {
  std::string ssa; // tensor name in the IndexProgram (empty for a literal)
  Shape shape;     // [] for a literal
  std::optional<double> literal;
  Sort sort = Sort::Real; // Bool for comparison results
  Loc loc;                // where the operand is written (for diagnostics)
};

struct SpecBinding {
  const SpecOp* op = nullptr;
  std::map<std::string, Expr> dims; // pattern dim -> operand dim
  Shape batch_shape;                // broadcast of the operands' `...` dims
  std::vector<size_t> batch_rank;   // per operand
  std::map<std::string, double> attrs;
  Shape result_shape;
};

// Errors (UserError at `loc` in `src`) name the op, the operand and both shapes.
SpecBinding bind_spec(const std::string& name, const std::vector<const SpecOp*>& overloads,
                      const std::vector<SpecOperand>& operands,
                      const std::vector<std::pair<std::string, AttrValue>>& attrs,
                      const SourceFile& src, Loc loc);

// Expands the bound op into statements writing `result` (declared by the caller); temporaries
// are named "<result>.<local>" and returned in `temps`.
std::vector<IndexStmt> expand_spec(const SpecBinding& b, const std::vector<SpecOperand>& operands,
                                   const std::string& result, Loc loc,
                                   std::vector<TensorDecl>& temps);

} // namespace axon
