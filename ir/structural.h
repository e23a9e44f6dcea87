// Structural ops: the ops of the language that only move, select or reduce elements along axes
// given by attributes (transpose, reshape, broadcast_to, concat, slice, sum/mean/max/min with
// axis and keepdims, cast, copy). Their semantics depend on attribute values (axes, shapes), so
// they are defined here once — shape rule and index map side by side — rather than in specs/.
#pragma once

#include <string>
#include <vector>

#include "ir/index_program.h"
#include "ir/program.h"
#include "ir/shape.h"

namespace axon {

struct StructOperand {
  std::string ssa; // tensor name in the IndexProgram
  Shape shape;
  DType dtype = DType::F32;
  Loc loc;
};

bool is_structural(const std::string& op);
const std::vector<std::string>& structural_ops();

struct StructResult {
  Shape shape;
  DType dtype = DType::F32;
};

// Checks operands and attributes (UserError at loc, naming the op and shapes); returns the result
// type. `dims` binds dim sizes so static bounds (slice ranges) can be checked where known.
StructResult infer_structural(const std::string& op, const std::vector<StructOperand>& operands,
                              const std::vector<std::pair<std::string, AttrValue>>& attrs,
                              const std::map<std::string, std::optional<int64_t>>& dims,
                              const SourceFile& src, Loc loc);

// The index statement computing `result` (shape from infer_structural).
IndexStmt expand_structural(const std::string& op, const std::vector<StructOperand>& operands,
                            const std::vector<std::pair<std::string, AttrValue>>& attrs,
                            const std::string& result, const Shape& result_shape, Loc loc);

} // namespace axon
