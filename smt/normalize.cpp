// The translation from ir expressions (ir/expr.h) to the normal form: each node through the smart
// constructors, dims replaced by their definitions, output indices known to be in range (see
// normal_form.h).
#include "smt/normal_form.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <numeric>
#include <optional>

#include "ir/error.h"
#include "smt/normal_form_internal.h"

namespace axon::smt {

namespace {

class Normalizer {
public:
  explicit Normalizer(const std::map<std::string, Expr>& defs) : defs_(defs) {}

  // 0 <= v < extent for a free output index (the obligation's range facts).
  void set_index_range(const std::string& v, const N& extent) { ranges_[v] = extent; }

  N go(const Expr& e) {
    switch (e->kind()) {
    case ExprKind::IntConst:
      return mk_const(e->int_value(), Sort::Int);
    case ExprKind::RealConst:
      return mk_const(Rational::from_double(e->real_value()), Sort::Real);
    case ExprKind::IndexVar: {
      auto it = env_.find(e->name());
      return it != env_.end() ? it->second : mk_var(e->name(), VarClass::Index);
    }
    case ExprKind::DimVar: {
      auto it = defs_.find(e->name());
      return it != defs_.end() ? go(it->second) : mk_var(e->name(), VarClass::Dim);
    }
    case ExprKind::Access: {
      if (e->sort() == Sort::Int)
        user_error("smt: tensor '" + e->name() +
                   "' is read as an int; only real and bool tensors can be encoded");
      std::vector<N> idx;
      for (auto& a : e->args())
        idx.push_back(go(a));
      if (e->sort() == Sort::Bool) // a bool mask: an uninterpreted Bool-valued function
        return mk_atom(NKind::Access, Sort::Bool, std::move(idx), e->name());
      return mk_access(e->name(), idx);
    }
    case ExprKind::Neg:
      return mk_neg(go(e->arg(0)));
    case ExprKind::Not:
      return mk_not(go(e->arg(0)));
    case ExprKind::ToReal:
      return mk_to_real(go(e->arg(0)));
    case ExprKind::Recip:
      return mk_inv(go(e->arg(0)));
    case ExprKind::Abs:
      return mk_abs(go(e->arg(0)));
    case ExprKind::Exp:
    case ExprKind::Log:
    case ExprKind::Sqrt:
    case ExprKind::Rsqrt:
    case ExprKind::Tanh:
    case ExprKind::Erf:
    case ExprKind::Sigmoid:
    case ExprKind::Sin:
    case ExprKind::Cos:
      return mk_fn(kind_name(e->kind()), go(e->arg(0)));
    case ExprKind::Add:
      return mk_add(go(e->arg(0)), go(e->arg(1)));
    case ExprKind::Sub:
      return mk_sub(go(e->arg(0)), go(e->arg(1)));
    case ExprKind::Mul:
      return mk_mul(go(e->arg(0)), go(e->arg(1)));
    case ExprKind::Div:
      if (e->sort() == Sort::Int)
        return div_mod(NKind::IDiv, go(e->arg(0)), go(e->arg(1)));
      return mk_mul(go(e->arg(0)), mk_inv(go(e->arg(1))));
    case ExprKind::Mod:
      return div_mod(NKind::IMod, go(e->arg(0)), go(e->arg(1)));
    case ExprKind::Min:
    case ExprKind::Max: {
      bool mx = e->kind() == ExprKind::Max;
      if (e->sort() == Sort::Int)
        return mk_int_op(mx ? NKind::IMax : NKind::IMin, go(e->arg(0)), go(e->arg(1)));
      // The identities of max and min: max(-inf, x) = x, min(inf, x) = x (x a real or itself
      // an infinity of the same sign).
      for (int side = 0; side < 2; ++side) {
        const Expr& c = e->arg(side);
        if (c->kind() == ExprKind::RealConst && std::isinf(c->real_value()) &&
            (c->real_value() < 0) == mx)
          return go(e->arg(1 - side));
      }
      return mk_real_minmax(mx ? NKind::RMaxB : NKind::RMinB, go(e->arg(0)), go(e->arg(1)));
    }
    case ExprKind::Pow:
      return mk_pow_fn(go(e->arg(0)), go(e->arg(1)));
    case ExprKind::Lt:
      return mk_cmp(CmpOp::Lt, mk_sub(go(e->arg(0)), go(e->arg(1))));
    case ExprKind::Le:
      return mk_cmp(CmpOp::Le, mk_sub(go(e->arg(0)), go(e->arg(1))));
    case ExprKind::Gt:
      return mk_cmp(CmpOp::Lt, mk_sub(go(e->arg(1)), go(e->arg(0))));
    case ExprKind::Ge:
      return mk_cmp(CmpOp::Le, mk_sub(go(e->arg(1)), go(e->arg(0))));
    case ExprKind::Eq:
    case ExprKind::Ne: {
      N r;
      if (e->arg(0)->sort() == Sort::Bool) {
        N a = go(e->arg(0)), b = go(e->arg(1));
        r = mk_or({mk_and({a, b}), mk_and({mk_not(a), mk_not(b)})});
      } else {
        r = mk_cmp(CmpOp::Eq, mk_sub(go(e->arg(0)), go(e->arg(1))));
      }
      return e->kind() == ExprKind::Eq ? r : mk_not(r);
    }
    case ExprKind::And:
      return mk_and({go(e->arg(0)), go(e->arg(1))});
    case ExprKind::Or:
      return mk_or({go(e->arg(0)), go(e->arg(1))});
    case ExprKind::Select:
      return mk_select(go(e->arg(0)), go(e->arg(1)), go(e->arg(2)));
    case ExprKind::Sum:
    case ExprKind::RMax:
    case ExprKind::RMin:
      return reduce(e);
    }
    internal_error("normalize: unknown expression kind");
  }

private:
  // Integer division and remainder by a positive b: the multiples of b leave
  // ((q b + r) div b = q + r div b, (q b + r) mod b = r mod b), and a variable known to lie in
  // [0, b) (an output index or a bound variable whose extent is b) is its own remainder with
  // quotient 0. This is what a reshape round trip (i div N, i mod N) needs.
  N div_mod(NKind k, const N& a, const N& b) {
    if (b->kind != NKind::Poly || b->monos.size() != 1 || !known_positive(b) ||
        a->kind != NKind::Poly)
      return mk_int_op(k, a, b);
    const Mono& bm = b->monos[0];
    std::vector<Mono> quot, rest;
    for (auto& m : a->monos) {
      Rational q = m.coef * bm.coef.inverse();
      std::vector<Factor> left = m.factors;
      bool divides = q.den() == 1;
      for (auto& f : bm.factors) {
        auto it = std::find_if(left.begin(), left.end(), [&](const Factor& g) {
          return g.atom->key == f.atom->key && g.exp >= f.exp && f.exp > 0;
        });
        if (it == left.end()) {
          divides = false;
          break;
        }
        if ((it->exp -= f.exp) == 0)
          left.erase(it);
      }
      if (divides)
        quot.push_back(Mono{q, left});
      else
        rest.push_back(m);
    }
    N r = mk_poly(rest, Sort::Int);
    N q = mk_poly(quot, Sort::Int);
    bool in_range = false;
    if (r->monos.empty()) {
      in_range = true;
    } else if (r->monos.size() == 1 && r->monos[0].coef.is_one() &&
               r->monos[0].factors.size() == 1 && r->monos[0].factors[0].exp == 1 &&
               r->monos[0].factors[0].atom->kind == NKind::Var) {
      auto it = ranges_.find(r->monos[0].factors[0].atom->name);
      in_range = it != ranges_.end() && it->second->key == b->key;
    }
    if (in_range)
      return k == NKind::IDiv ? q : r;
    if (quot.empty())
      return mk_int_op(k, a, b);
    return k == NKind::IDiv ? mk_add(q, mk_int_op(k, r, b)) : mk_int_op(k, r, b);
  }

  // Whether the tile flatten can apply at all: the body reads `t * B` (a tile index times the
  // inner extent). Trying it elsewhere normalizes every nested body twice (exponential in the
  // nesting of reductions).
  static bool has_tile_pattern(const Expr& body, const std::string& t, const Expr& B) {
    bool hit = false;
    visit(body, [&](const ExprNode& n) {
      if (hit || n.kind() != ExprKind::Mul || n.sort() != Sort::Int)
        return;
      for (int side = 0; side < 2; ++side) {
        const Expr& v = n.arg(side);
        if (v->kind() == ExprKind::IndexVar && v->name() == t &&
            structurally_equal(n.arg(1 - side), B))
          hit = true;
      }
    });
    return hit;
  }

  static bool mentions_var(const Expr& e, const std::string& v) {
    auto fv = free_index_vars(e);
    return std::find(fv.begin(), fv.end(), v) != fv.end();
  }

  static bool mentions_bound(const N& n) {
    if (n->kind == NKind::Var)
      return n->vclass == VarClass::Bound;
    for (auto& a : n->args)
      if (mentions_bound(a))
        return true;
    for (auto& m : n->monos)
      for (auto& f : m.factors)
        if (mentions_bound(f.atom))
          return true;
    return false;
  }
  static bool has_bound_div_mod(const N& n) {
    if ((n->kind == NKind::IDiv || n->kind == NKind::IMod) && mentions_bound(n->args[0]))
      return true;
    for (auto& a : n->args)
      if (has_bound_div_mod(a))
        return true;
    for (auto& m : n->monos)
      for (auto& f : m.factors)
        if (has_bound_div_mod(f.atom))
          return true;
    for (auto& [v, ext] : n->bound)
      if (has_bound_div_mod(ext))
        return true;
    return false;
  }

  N reduce(const Expr& e) {
    ExprKind k = e->kind();
    // Tile flatten: red_t<T> red_j<B> f(t, j) = red_k<T*B> f(k div B, k mod B) for B >= 1.
    const Expr& b = e->body();
    Expr inner, other;
    if (b->kind() == k)
      inner = b;
    else if (k == ExprKind::Sum && b->kind() == ExprKind::Mul) {
      if (b->arg(0)->kind() == k) {
        inner = b->arg(0);
        other = b->arg(1);
      } else if (b->arg(1)->kind() == k) {
        inner = b->arg(1);
        other = b->arg(0);
      }
    } else if (k == ExprKind::Sum && b->kind() == ExprKind::Div && b->arg(0)->kind() == k &&
               b->sort() == Sort::Real) {
      // A per-tile divisor outside the inner sum: (sum_j f) / d = (1 / d) * sum_j f.
      inner = b->arg(0);
      other = ExprNode::binary(ExprKind::Div, ExprNode::real_const(1), b->arg(1));
    }
    if (inner && has_tile_pattern(inner->body(), e->name(), inner->extent()) &&
        !mentions_var(inner->extent(), e->name()) &&
        !(other && mentions_var(other, inner->name())) && inner->name() != e->name() &&
        known_positive(go(inner->extent()))) {
      Expr kv = ExprNode::index_var(fresh_name("%f"));
      Expr B = inner->extent();
      Expr q = ExprNode::binary(ExprKind::Div, kv, B);
      Expr r = ExprNode::binary(ExprKind::Mod, kv, B);
      Expr nb = substitute_index(substitute_index(inner->body(), inner->name(), r), e->name(), q);
      if (other)
        nb = substitute_index(other, e->name(), q) * nb;
      N flat = go(ExprNode::reduce(k, kv->name(), e->extent() * B, nb));
      // Only a real tiling pattern (t * B + j) flattens: if k div B or k mod B survive, the
      // nested form is the better normal form (it keeps Fubini by merging).
      if (!has_bound_div_mod(flat))
        return flat;
    }
    N ext = go(e->extent());
    std::string v = fresh_name("%b");
    auto it = env_.find(e->name());
    bool had = it != env_.end();
    N saved = had ? it->second : nullptr;
    env_[e->name()] = mk_var(v, VarClass::Bound);
    ranges_[v] = ext;
    N body = go(e->body());
    ranges_.erase(v);
    if (had)
      env_[e->name()] = saved;
    else
      env_.erase(e->name());
    NKind nk = k == ExprKind::Sum ? NKind::Sum : k == ExprKind::RMax ? NKind::Max : NKind::Min;
    return mk_reduce(nk, {{v, ext}}, body);
  }

  const std::map<std::string, Expr>& defs_;
  std::map<std::string, N> env_;
  std::map<std::string, N> ranges_; // variable -> extent (0 <= v < extent)
};

} // namespace

N normalize(const Expr& e, const std::map<std::string, Expr>& dim_defs) {
  Normalizer n(dim_defs);
  return n.go(e);
}

N normalize(const Expr& e, const std::map<std::string, Expr>& dim_defs,
            const std::vector<std::pair<std::string, Expr>>& index_ranges) {
  Normalizer n(dim_defs);
  for (auto& [v, ext] : index_ranges)
    n.set_index_range(v, n.go(ext));
  return n.go(e);
}

std::string to_string(const N& n) { return n->key; }

} // namespace axon::smt
