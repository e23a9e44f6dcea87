// Bounds on sizes and integer arithmetic (docs/reliability.md): every size and extent, wherever
// computed, is in 1..limits::kMaxExtent, every tensor holds at most kMaxTensorElements elements,
// and every integer (index) expression stays within 64 bits for every value its index variables
// take. Checked from the dims and extents before anything runs, so the interpreter and the
// kernels never wrap around.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <optional>
#include <string>

#include "ir/expr.h"
#include "ir/index_program.h"
#include "ir/limits.h"
#include "ir/source.h"

namespace axon {

// Elements of one tensor (the product of its dims): at most this many, so that element offsets,
// and byte offsets of up to 8-byte elements, fit in 64 bits with room to spare.
inline constexpr int64_t kMaxTensorElements = limits::kMaxExtent;

using DimValues = std::map<std::string, std::optional<int64_t>>;

// The value of a size expression (dims, integers, + - * / % min max), computed without
// wrapping: nullopt when it mentions a dim without a size; `fail` (which must not return) with a
// message when an operation overflows 64 bits or divides by zero.
std::optional<int64_t> eval_size_checked(const Expr& e, const DimValues& dims,
                                         const std::function<void(const std::string&)>& fail);

// "" when 1 <= v <= kMaxExtent, else why not (`what` names the size: "dimension 2 of 'y'").
std::string extent_problem(int64_t v, const std::string& what);

// Checks a whole program: every tensor's dims and element count, every reduction's extent (at
// most kMaxExtent; a reduction over an empty range is allowed where computed, as in `sum(k: i)`),
// and every integer subexpression's range. A problem is a UserError at the statement's position
// in `src` (or naming the statement when src is null). Dims without a size are skipped.
void check_ranges(const IndexProgram& p, const SourceFile* src);

// An upper bound on the reference interpreter's work for `p`: over every statement, its elements
// times the nodes it evaluates per element, each reduction counted at the largest extent it can
// have. Infinity when a dim has no size. `eval` refuses programs above its --max-work with it.
double interpretation_work(const IndexProgram& p);

} // namespace axon
