// The normal form the SMT encoding works on, and the normalizer that builds it from ir/expr.h
// expressions. Every numeric value is a polynomial (sorted monomials with exact rational
// coefficients) over opaque atoms: tensor accesses, uninterpreted real functions (exp, sqrt...),
// inv (total 1/x), selects, integer div/mod/min/max, and reductions. The smart constructors below
// are the only way to build nodes, so every node is canonical:
//   * linearity of sums, index-free factors pulled out, sum of a constant = count * constant;
//   * nested sums over independent ranges merged into one multi-variable sum (Fubini), split
//     again into independent components, bound variables named canonically (k<height>_<i>);
//   * a tiled double sum (extent B >= 1 inside) flattened into one sum over T*B with k div B and
//     k mod B; a mask `select(k < c, f, 0)` folded into the extent (k < min(n, max(c, 0)));
//   * max/min: additive index-free terms and constant factors pulled out;
//   * exp(a + b) = exp(a) * exp(b), exp(-a) = inv(exp(a)) (exp atoms carry signed exponents since
//     exp > 0), inv(a * b) = inv(a) * inv(b), inv(inv(a)) = a, sigmoid(x) = inv(1 + inv(exp(x))),
//     log(exp(x)) = x, x / y = x * inv(y), integer powers expanded;
//   * comparisons as `p <= 0`, `p < 0` (reals only) or `p = 0` with a sign-normalized p.
// Every rewrite here is valid for all values under the total-division semantics of ir/expr.h;
// rewrites that need a side condition are emitted as guarded ground lemmas by encode.h instead.
// Atoms are ordered by a key with tensor, dim and free-index names erased first, so that renaming
// them does not reorder commutative operands (the proof-cache key relies on it).
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "ir/expr.h"
#include "smt/rational.h"

namespace axon::smt {

enum class NKind {
  Poly,
  Var,
  Access,
  Fn,
  Inv,
  Sum,
  Max,
  Min,
  Select,
  ToReal,
  IDiv,
  IMod,
  IMin,
  IMax,
  RMinB,
  RMaxB,
  Abs,
  Cmp,
  Not,
  And,
  Or,
  BoolConst,
};
enum class VarClass { Dim, Index, Bound, Witness };
enum class CmpOp { Le, Lt, Eq };

struct NNode;
using N = std::shared_ptr<const NNode>;

struct Factor {
  N atom;
  int exp = 1; // negative only for exp(...) atoms (known nonzero)
};
struct Mono {
  Rational coef;
  std::vector<Factor> factors; // sorted by atom order, distinct atoms
};

struct NNode {
  NKind kind = NKind::Poly;
  Sort sort = Sort::Real;
  std::string name{};              // Var: variable; Access: tensor; Fn: function name
  VarClass vclass = VarClass::Dim; // Var
  CmpOp cmp = CmpOp::Eq;           // Cmp: args[0] cmp 0
  bool bval = false;               // BoolConst
  std::vector<N> args{};           // operands (Poly nodes for numeric operands)
  std::vector<Mono> monos{};       // Poly
  // Sum/Max/Min: bound variables with their extents (Int Poly); args[0] is the body (Poly).
  std::vector<std::pair<std::string, N>> bound{};
  std::string key{};            // canonical text (SMT-like); equal keys = equal nodes
  std::string ekey{};           // key with dims, tensors and free indices erased (ordering)
  std::set<std::string> free{}; // free variable names (all classes)
  int height = 0;               // reduction nesting height
};

bool node_less(const N& a, const N& b);

// Smart constructors (all return canonical nodes; numeric ones return Poly nodes).
N mk_const(Rational v, Sort s);
N mk_poly(std::vector<Mono> monos, Sort s); // merges, sorts, drops zeros
N mk_var(const std::string& name, VarClass c);
N mk_add(const N& a, const N& b);
N mk_sub(const N& a, const N& b);
N mk_mul(const N& a, const N& b);
N mk_neg(const N& a);
N mk_inv(const N& a);
N mk_fn(const std::string& fn, const N& a); // exp, log, sqrt, rsqrt, tanh, erf, sin, cos, pow...
N mk_pow_fn(const N& a, const N& b);        // non-integer power: uninterpreted
N mk_access(const std::string& tensor, std::vector<N> idx);
N mk_select(const N& c, const N& a, const N& b);
N mk_to_real(const N& a);
N mk_int_op(NKind k, const N& a, const N& b);      // IDiv, IMod, IMin, IMax
N mk_real_minmax(NKind k, const N& a, const N& b); // RMinB, RMaxB
N mk_abs(const N& a);
N mk_reduce(NKind k, std::vector<std::pair<std::string, N>> vars, const N& body);
N mk_cmp(CmpOp op, const N& p); // p op 0
N mk_bool(bool v);
N mk_not(const N& a);
N mk_and(std::vector<N> xs);
N mk_or(std::vector<N> xs);

bool is_const(const N& p, Rational* v = nullptr);
bool is_zero(const N& p);
// Sign facts the normalizer can read off syntactically (dims >= 1, indices >= 0).
bool known_positive(const N& p);
bool known_nonneg(const N& p);

// Rebuild with free variables replaced (values are Poly nodes); bound variables are respected.
N subst(const N& n, const std::map<std::string, N>& m);

// Normalize an ir expression. Free IndexVar/DimVar become Var nodes of class Index/Dim.
// `dim_defs` replaces dims by expressions (from assumptions like K == S * KS).
N normalize(const Expr& e, const std::map<std::string, Expr>& dim_defs = {});
// The same, knowing that each free output index v lies in [0, extent) (for v div extent = 0,
// v mod extent = v).
N normalize(const Expr& e, const std::map<std::string, Expr>& dim_defs,
            const std::vector<std::pair<std::string, Expr>>& index_ranges);
// mk_reduce without collapsing ranges of one element.
N mk_reduce_ranges(NKind k, std::vector<std::pair<std::string, N>> vars, const N& body);

std::string to_string(const N& n);

} // namespace axon::smt
