// Symbolic shapes: lists of Int expressions over named dims. Two dims are equal when their
// polynomial normal forms agree (so K*2 == 2*K, but K != N even if both are 1024): a checked
// program is then well-typed for every binding of its dims.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ir/expr.h"

namespace axon {

using Shape = std::vector<Expr>;

bool dim_equal(const Expr& a, const Expr& b);
bool shape_equal(const Shape& a, const Shape& b);
bool is_literal_one(const Expr& d);
std::string dim_to_string(const Expr& d);
std::string shape_to_string(const Shape& s); // "[M, 2*K]"
// Product of the dims (1 for a scalar), simplified.
Expr shape_numel(const Shape& s);
// Canonical, simplified form of a dim expression (used when printing derived shapes).
Expr canonical_dim(const Expr& d);
// Concrete value under a binding; nullopt if a dim is unbound. A value that overflows 64 bits or
// divides by zero is a UserError (ir/ranges.h eval_size_checked).
std::optional<int64_t> eval_dim(const Expr& d,
                                const std::map<std::string, std::optional<int64_t>>& dims);

} // namespace axon
