// Name resolution for index notation: turns a parse tree expression into a checked Expr, given
// what names mean at that point (index variables, dims, tensors, spec attributes) and, inside
// specs, how `...` expands. Used by the checker (.tp index statements) and by expansion (specs).
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ir/ast.h"
#include "ir/expr.h"
#include "ir/shape.h"

namespace axon {

struct ScopeTensor {
  std::string ssa; // name used in the resulting Access nodes
  Shape shape;
  Sort sort = Sort::Real;
  std::optional<double> literal; // a scalar literal standing for the tensor (spec operands)
  size_t batch_rank = 0;         // leading dims matched by `...` (specs)
};

struct IndexScope {
  const SourceFile* src = nullptr;
  std::function<const ScopeTensor*(const std::string&)> tensor;
  std::function<std::optional<Expr>(const std::string&)> dim;      // dim name -> size expr
  std::function<std::optional<double>(const std::string&)> scalar; // spec attribute values
  // The program's dim sizes, where known: an explicit reduction extent that has a value must be
  // in 1..limits::kMaxExtent (ir/ranges.h).
  const std::map<std::string, std::optional<int64_t>>* dim_values = nullptr;
  // `...` inside specs: the statement's batch variables and the broadcast batch shape.
  std::vector<std::string> batch_vars;
  Shape batch_shape;
  bool allow_ellipsis = false;
  // Index variables in scope (statement variables and enclosing reductions) with their extents.
  std::vector<std::pair<std::string, Expr>> vars;

  std::optional<Expr> var_extent(const std::string& name) const;
};

// Resolves and checks `e`; UserError with file:line:col on an unknown name, a rank mismatch,
// a non-integer index, a bad function, or a reduction whose range cannot be inferred.
Expr lower_index_expr(const AstExpr& e, IndexScope& scope);

// The extent of index variable `var` inferred from its plain uses `t[..., var, ...]` in `e`:
// nullopt if it is never used plainly; UserError if two uses disagree.
std::optional<Expr> infer_extent(const AstExpr& e, const std::string& var, const IndexScope& scope);

// Names of the functions usable in index notation, for hints.
const std::vector<std::string>& index_functions();

} // namespace axon
