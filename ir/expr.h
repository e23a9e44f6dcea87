// Scalar expressions of the index notation: the one expression language shared by .tp index
// statements, op specs (specs/), instruction semantics (isa/) and the SMT encoding (smt/).
//
// Semantics (what smt/ encodes and the reference interpreter implements):
//   * Sorts: Int (indices, dimension sizes), Real (tensor values), Bool (conditions).
//   * Real arithmetic is over the reals. Division is total: x / 0 = 0 (so pulling a divisor out
//     of a sum stays sound). Int division is floor division, Int mod is the remainder with the
//     divisor's sign (Python semantics: a == (a / b) * b + a % b); both are 0 for a divisor of 0.
//   * log(x) for x <= 0, sqrt/rsqrt of x < 0 and rsqrt(0) are unspecified (uninterpreted in smt/,
//     NaN/inf in the interpreter); a rewrite that relies on them must state a precondition.
//   * Reductions Sum/RMax/RMin bind one Int variable over [0, extent). The order of a sum is
//     unspecified (the reals do not care; floats do and are checked numerically). The sum of an
//     empty range is 0; the max of an empty range is -inf and the min +inf.
//   * Select(c, a, b) evaluates only the taken branch (so a guarded out-of-range access is fine).
//   * Access(t, i...) reads element i... of tensor t. Tensors are named by string; the enclosing
//     program maps names to declarations.
//
// Grammar (one screen):
//   Expr ::= IntConst(i64) | RealConst(f64) | IndexVar(name) | DimVar(name) | Access(name, Int*)
//          | Unary(op, Expr) | Binary(op, Expr, Expr) | Select(Bool, T, T) | ToReal(Int)
//          | Reduce(op, var, extent: Int, body: Real)
// Nodes are immutable; every constructor checks sorts and fails with an internal error.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace axon {

enum class Sort { Int, Real, Bool };

// Integer division and remainder of the IR: floor division, remainder with the divisor's sign,
// both 0 for a zero divisor.
inline int64_t floor_div(int64_t a, int64_t b) {
  if (b == 0)
    return 0;
  // INT64_MIN / -1 traps on x86; it wraps here instead, and ir/ranges.h refuses programs where
  // it could happen.
  if (b == -1)
    return static_cast<int64_t>(0 - static_cast<uint64_t>(a));
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0)))
    --q;
  return q;
}
inline int64_t floor_mod(int64_t a, int64_t b) {
  if (b == 0 || b == -1)
    return 0;
  int64_t r = a % b;
  if (r != 0 && ((r < 0) != (b < 0)))
    r += b;
  return r;
}

enum class ExprKind {
  IntConst,
  RealConst,
  IndexVar,
  DimVar,
  Access,
  // unary
  Neg,
  Not,
  ToReal,
  Exp,
  Log,
  Sqrt,
  Rsqrt,
  Tanh,
  Erf,
  Sigmoid,
  Abs,
  Sin,
  Cos,
  Recip,
  // binary
  Add,
  Sub,
  Mul,
  Div,
  Mod,
  Min,
  Max,
  Pow,
  Lt,
  Le,
  Gt,
  Ge,
  Eq,
  Ne,
  And,
  Or,
  // other
  Select,
  Sum,
  RMax,
  RMin,
};

const char* kind_name(ExprKind k); // "add", "exp", "sum", ...
// A comparison (Lt, Le, Gt, Ge, Eq, Ne; Ne for any other kind) of two numbers: the one table
// every evaluator (the interpreter, the simulator's tile evaluation) uses.
inline bool compare_values(ExprKind k, double a, double b) {
  switch (k) {
  case ExprKind::Lt:
    return a < b;
  case ExprKind::Le:
    return a <= b;
  case ExprKind::Gt:
    return a > b;
  case ExprKind::Ge:
    return a >= b;
  case ExprKind::Eq:
    return a == b;
  default:
    return a != b;
  }
}
const char* sort_name(Sort s);
bool is_unary(ExprKind k);
bool is_binary(ExprKind k);
bool is_reduce(ExprKind k);
bool is_real_function(ExprKind k); // exp, log, sqrt, ... (Real -> Real, uninterpreted in smt/)

class ExprNode;
using Expr = std::shared_ptr<const ExprNode>;

class ExprNode {
public:
  ExprKind kind() const { return kind_; }
  Sort sort() const { return sort_; }
  const std::vector<Expr>& args() const { return args_; }
  const Expr& arg(size_t i) const { return args_.at(i); }
  int64_t int_value() const { return ival_; }
  double real_value() const { return rval_; }
  // IndexVar/DimVar: the variable; Access: the tensor; Sum/RMax/RMin: the bound variable.
  const std::string& name() const { return name_; }

  // Checked constructors.
  static Expr int_const(int64_t v);
  static Expr real_const(double v);
  static Expr index_var(std::string name);
  static Expr dim_var(std::string name);
  static Expr access(std::string tensor, std::vector<Expr> indices, Sort value_sort = Sort::Real);
  static Expr unary(ExprKind k, Expr a);
  static Expr binary(ExprKind k, Expr a, Expr b);
  static Expr select(Expr cond, Expr a, Expr b);
  // body's free occurrences of IndexVar(var) are bound; extent is an Int expression.
  static Expr reduce(ExprKind k, std::string var, Expr extent, Expr body);

  // Reduce: args = {extent, body}.
  const Expr& extent() const { return args_.at(0); }
  const Expr& body() const { return args_.at(1); }

private:
  ExprNode(ExprKind k, Sort s, std::vector<Expr> args, std::string name, int64_t i, double r)
      : kind_(k), sort_(s), args_(std::move(args)), name_(std::move(name)), ival_(i), rval_(r) {}
  ExprKind kind_;
  Sort sort_;
  std::vector<Expr> args_;
  std::string name_;
  int64_t ival_ = 0;
  double rval_ = 0;
};

// Operator helpers used by rewrites and tests: they build checked nodes.
Expr operator+(const Expr& a, const Expr& b);
Expr operator-(const Expr& a, const Expr& b);
Expr operator*(const Expr& a, const Expr& b);
Expr operator/(const Expr& a, const Expr& b);

// Structural equality and a hash consistent with it (names compared literally).
bool structurally_equal(const Expr& a, const Expr& b);
size_t structural_hash(const Expr& e);

// The shortest decimal text that reads back as exactly v ("inf"/"-inf" for infinities).
std::string format_number(double v);

// Readable text in .tp index-notation syntax; parses back to an equal expression.
std::string to_string(const Expr& e);

// The same node with new arguments (same kind, name and bound variable); `e` itself when the
// arguments are unchanged. Leaves have no arguments and are returned as they are.
Expr with_args(const Expr& e, std::vector<Expr> args);
// The same node with `f` applied to each argument (with_args: `e` itself when none changes).
Expr map_args(const Expr& e, const std::function<Expr(const Expr&)>& f);

// Replace free IndexVar/DimVar occurrences by name (bound reduction variables are respected).
// Bound variables are not renamed: a replacement whose free variables share a name with a
// reduction variable inside `e` would be captured. Rename them apart first (ir/inline.h:
// rename_bound_apart) when that can happen.
Expr substitute(const Expr& e, const std::function<Expr(const ExprNode&)>& leaf_map);
Expr substitute_index(const Expr& e, const std::string& var, const Expr& value);

// Visit every node (pre-order).
void visit(const Expr& e, const std::function<void(const ExprNode&)>& f);
// Whether e contains a reduction (sum, max, min) anywhere.
bool has_reduction(const Expr& e);

// Free index variables (not bound by a reduction inside e), and all tensors read.
std::vector<std::string> free_index_vars(const Expr& e);
std::vector<std::string> tensors_read(const Expr& e);

// Light simplification of Int expressions (constant folding, x+0, x*1, x*0); keeps structure.
Expr simplify_int(const Expr& e);

} // namespace axon
