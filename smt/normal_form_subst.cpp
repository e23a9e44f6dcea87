// Substitution in the normal form: free variables replaced, bound ones respected, every node
// rebuilt through its smart constructor so the result is canonical again (see normal_form.h).
#include "smt/normal_form.h"

#include <algorithm>
#include <functional>
#include <numeric>
#include <optional>

#include "ir/error.h"
#include "smt/normal_form_internal.h"

namespace axon::smt {

static N subst_atom(const N& a, const std::map<std::string, N>& m);

N subst(const N& n, const std::map<std::string, N>& m) {
  bool touches = false;
  for (auto& [k, v] : m)
    if (n->free.count(k)) {
      touches = true;
      break;
    }
  if (!touches)
    return n;
  auto rec = [&](const N& x) { return subst(x, m); };
  switch (n->kind) {
  case NKind::Poly: {
    N r = mk_const(0, n->sort);
    for (auto& mono : n->monos) {
      N t = mk_const(mono.coef, n->sort);
      for (auto& f : mono.factors) {
        N base = subst_atom(f.atom, m);
        t = mk_mul(t, f.exp > 0 ? pow_poly(base, f.exp) : pow_poly(mk_inv(base), -f.exp));
      }
      r = mk_add(r, t);
    }
    return r;
  }
  case NKind::Cmp:
    return mk_cmp(n->cmp, rec(n->args[0]));
  case NKind::Not:
    return mk_not(rec(n->args[0]));
  case NKind::And:
  case NKind::Or: {
    std::vector<N> xs;
    for (auto& x : n->args)
      xs.push_back(rec(x));
    return n->kind == NKind::And ? mk_and(xs) : mk_or(xs);
  }
  case NKind::BoolConst:
    return n;
  default:
    return subst_atom(n, m);
  }
}

static N subst_atom(const N& a, const std::map<std::string, N>& m) {
  bool touches = false;
  for (auto& [k, v] : m)
    if (a->free.count(k)) {
      touches = true;
      break;
    }
  if (!touches)
    return atom_poly(a);
  auto rec = [&](const N& x) { return subst(x, m); };
  switch (a->kind) {
  case NKind::Var:
    return m.at(a->name);
  case NKind::Access: {
    std::vector<N> idx;
    for (auto& x : a->args)
      idx.push_back(rec(x));
    return mk_access(a->name, idx);
  }
  case NKind::Fn:
    if (a->name == "pow")
      return mk_pow_fn(rec(a->args[0]), rec(a->args[1]));
    return mk_fn(a->name, rec(a->args[0]));
  case NKind::Inv:
    return mk_inv(rec(a->args[0]));
  case NKind::Sum:
  case NKind::Max:
  case NKind::Min: {
    std::map<std::string, N> inner = m;
    std::vector<std::pair<std::string, N>> vars;
    for (auto& [v, ext] : a->bound) {
      inner.erase(v);
      vars.emplace_back(v, rec(ext));
    }
    return mk_reduce(a->kind, vars, subst(a->args[0], inner));
  }
  case NKind::Select:
    return mk_select(rec(a->args[0]), rec(a->args[1]), rec(a->args[2]));
  case NKind::ToReal:
    return mk_to_real(rec(a->args[0]));
  case NKind::IDiv:
  case NKind::IMod:
  case NKind::IMin:
  case NKind::IMax:
    return mk_int_op(a->kind, rec(a->args[0]), rec(a->args[1]));
  case NKind::RMinB:
  case NKind::RMaxB:
    return mk_real_minmax(a->kind, rec(a->args[0]), rec(a->args[1]));
  case NKind::Abs:
    return mk_abs(rec(a->args[0]));
  default:
    internal_error("subst_atom: not an atom");
  }
}

} // namespace axon::smt
