// The normal form's nodes and its arithmetic: node keys, polynomials and the smart constructors of
// atoms, functions, selects, integer operators and comparisons, each keeping its result canonical.
// Substitution (normal_form_subst.cpp), reductions (normal_form_reduce.cpp) and the translation
// from ir expressions (normalize.cpp) are built on these. See normal_form.h for the list of
// rewrites and why each one is sound.
#include "smt/normal_form.h"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cmath>
#include <functional>
#include <numeric>
#include <optional>

#include "ir/error.h"
#include "smt/normal_form_internal.h"

namespace axon::smt {

namespace {
std::atomic<uint64_t> g_fresh{0};
} // namespace

std::string fresh_name(const char* prefix) {
  return std::string(prefix) + std::to_string(g_fresh++);
}

namespace {

std::string mono_key(const Mono& m, bool erased) {
  std::string s;
  for (auto& f : m.factors) {
    s += erased ? f.atom->ekey : f.atom->key;
    if (f.exp != 1)
      s += "^" + std::to_string(f.exp);
    s += ' ';
  }
  return s;
}

bool mono_less(const Mono& a, const Mono& b) {
  std::string ea = mono_key(a, true), eb = mono_key(b, true);
  if (ea != eb)
    return ea < eb;
  return mono_key(a, false) < mono_key(b, false);
}

bool invertible(const N& atom) { return atom->kind == NKind::Fn && atom->name == "exp"; }

std::string rat_text(const Rational& r) { return r.str(); }

} // namespace

N finish(NNode n) {
  auto join = [](const std::vector<N>& xs, bool erased) {
    std::string s;
    for (auto& x : xs)
      s += " " + (erased ? x->ekey : x->key);
    return s;
  };
  switch (n.kind) {
  case NKind::Poly: {
    std::string k, e;
    for (auto& m : n.monos) {
      k += "(" + rat_text(m.coef) + " " + mono_key(m, false) + ")";
      e += "(" + rat_text(m.coef) + " " + mono_key(m, true) + ")";
      for (auto& f : m.factors) {
        n.free.insert(f.atom->free.begin(), f.atom->free.end());
        n.height = std::max(n.height, f.atom->height);
      }
    }
    n.key = "[" + k + "]";
    n.ekey = "[" + e + "]";
    break;
  }
  case NKind::Var:
    n.free.insert(n.name);
    n.key = "v:" + n.name;
    n.ekey = n.vclass == VarClass::Bound   ? n.key
             : n.vclass == VarClass::Dim   ? "D"
             : n.vclass == VarClass::Index ? "I"
                                           : "W";
    break;
  case NKind::BoolConst:
    n.key = n.ekey = n.bval ? "true" : "false";
    break;
  default: {
    std::string head;
    switch (n.kind) {
    case NKind::Access:
      head = "@" + n.name;
      break;
    case NKind::Fn:
      head = n.name;
      break;
    case NKind::Inv:
      head = "inv";
      break;
    case NKind::Sum:
      head = "sum";
      break;
    case NKind::Max:
      head = "max";
      break;
    case NKind::Min:
      head = "min";
      break;
    case NKind::Select:
      head = "ite";
      break;
    case NKind::ToReal:
      head = "to_real";
      break;
    case NKind::IDiv:
      head = "div";
      break;
    case NKind::IMod:
      head = "mod";
      break;
    case NKind::IMin:
      head = "imin";
      break;
    case NKind::IMax:
      head = "imax";
      break;
    case NKind::RMinB:
      head = "rmin";
      break;
    case NKind::RMaxB:
      head = "rmax";
      break;
    case NKind::Abs:
      head = "abs";
      break;
    case NKind::Cmp:
      head = n.cmp == CmpOp::Le ? "<=" : n.cmp == CmpOp::Lt ? "<" : "=";
      break;
    case NKind::Not:
      head = "not";
      break;
    case NKind::And:
      head = "and";
      break;
    case NKind::Or:
      head = "or";
      break;
    default:
      internal_error("finish: unexpected kind");
    }
    std::string ehead = n.kind == NKind::Access ? "@T" : head;
    std::string bk, be;
    for (auto& [v, ext] : n.bound) {
      bk += "(" + v + " " + ext->key + ")";
      be += "(" + v + " " + ext->ekey + ")";
    }
    n.key = "(" + head + bk + join(n.args, false) + ")";
    n.ekey = "(" + ehead + be + join(n.args, true) + ")";
    for (auto& a : n.args) {
      n.free.insert(a->free.begin(), a->free.end());
      n.height = std::max(n.height, a->height);
    }
    for (auto& [v, ext] : n.bound) {
      n.free.insert(ext->free.begin(), ext->free.end());
      n.height = std::max(n.height, ext->height);
    }
    if (!n.bound.empty()) {
      for (auto& [v, ext] : n.bound)
        n.free.erase(v);
      n.height += 1;
    }
  }
  }
  return std::make_shared<const NNode>(std::move(n));
}

std::vector<Factor> mul_factors(const std::vector<Factor>& a, const std::vector<Factor>& b) {
  std::map<std::string, Factor> m;
  for (auto* fs : {&a, &b})
    for (auto& f : *fs) {
      auto it = m.find(f.atom->key);
      if (it == m.end())
        m.emplace(f.atom->key, f);
      else
        it->second.exp += f.exp;
    }
  std::vector<Factor> out;
  for (auto& [k, f] : m)
    if (f.exp != 0)
      out.push_back(f);
  std::sort(out.begin(), out.end(),
            [](const Factor& x, const Factor& y) { return node_less(x.atom, y.atom); });
  return out;
}

namespace {

// B * div(a, B) + mod(a, B) = a for B >= 1: the identity a tile flatten needs.
bool fuse_div_mod(std::map<std::string, Mono>& acc) {
  for (auto& [k, m] : acc) {
    for (size_t i = 0; i < m.factors.size(); ++i) {
      const Factor& f = m.factors[i];
      if (f.atom->kind != NKind::IMod || f.exp != 1)
        continue;
      const N& a = f.atom->args[0];
      const N& b = f.atom->args[1];
      if (b->monos.size() != 1 || !known_positive(b))
        continue;
      std::vector<Factor> rest = m.factors;
      rest.erase(rest.begin() + static_cast<long>(i));
      NNode dn{.kind = NKind::IDiv, .sort = Sort::Int, .args = {a, b}};
      N div_atom = finish(std::move(dn));
      std::vector<Factor> want =
          mul_factors(mul_factors(rest, b->monos[0].factors), {Factor{div_atom, 1}});
      Rational want_coef = m.coef * b->monos[0].coef;
      Mono probe{want_coef, want};
      std::string wk = mono_key(probe, false);
      auto it = acc.find(wk);
      if (it == acc.end() || !(it->second.coef == want_coef))
        continue;
      Rational c = m.coef;
      std::string k1 = k;
      acc.erase(it);
      acc.erase(k1);
      for (auto& am : a->monos) {
        Mono nm{am.coef * c, mul_factors(am.factors, rest)};
        std::string nk = mono_key(nm, false);
        auto jt = acc.find(nk);
        if (jt == acc.end())
          acc.emplace(nk, nm);
        else
          jt->second.coef = jt->second.coef + nm.coef;
      }
      return true;
    }
  }
  return false;
}

} // namespace

N mk_poly(std::vector<Mono> monos, Sort s) {
  std::map<std::string, Mono> acc;
  for (auto& m : monos) {
    if (m.coef.is_zero())
      continue;
    std::string k = mono_key(m, false);
    auto it = acc.find(k);
    if (it == acc.end())
      acc.emplace(k, std::move(m));
    else
      it->second.coef = it->second.coef + m.coef;
  }
  if (s == Sort::Int)
    while (fuse_div_mod(acc)) {
    }
  std::vector<Mono> out;
  for (auto& [k, m] : acc)
    if (!m.coef.is_zero())
      out.push_back(m);
  std::sort(out.begin(), out.end(), mono_less);
  NNode n{.kind = NKind::Poly, .sort = s};
  n.monos = std::move(out);
  return finish(std::move(n));
}

N atom_poly(const N& atom, int exp) {
  return mk_poly({Mono{Rational(1), {Factor{atom, exp}}}}, atom->sort);
}

N mk_atom(NKind k, Sort s, std::vector<N> args, std::string name) {
  NNode n{.kind = k, .sort = s, .name = std::move(name), .args = std::move(args)};
  return finish(std::move(n));
}

N pow_poly(const N& p, int e) {
  N r = mk_const(1, p->sort);
  for (int i = 0; i < e; ++i)
    r = mk_mul(r, p);
  return r;
}

N factor_poly(const Factor& f) { return atom_poly(f.atom, f.exp); }

namespace {

Rational floor_div(int64_t a, int64_t b) {
  if (b == 0)
    return 0;
  int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0)))
    --q;
  return q;
}

} // namespace

bool node_less(const N& a, const N& b) {
  if (a->ekey != b->ekey)
    return a->ekey < b->ekey;
  return a->key < b->key;
}

N mk_const(Rational v, Sort s) {
  if (v.is_zero())
    return mk_poly({}, s);
  return mk_poly({Mono{v, {}}}, s);
}

N mk_var(const std::string& name, VarClass c) {
  NNode n{.kind = NKind::Var, .sort = Sort::Int, .name = name, .vclass = c};
  return atom_poly(finish(std::move(n)));
}

bool is_const(const N& p, Rational* v) {
  if (p->kind != NKind::Poly)
    return false;
  if (p->monos.empty()) {
    if (v)
      *v = 0;
    return true;
  }
  if (p->monos.size() == 1 && p->monos[0].factors.empty()) {
    if (v)
      *v = p->monos[0].coef;
    return true;
  }
  return false;
}
bool is_zero(const N& p) { return p->kind == NKind::Poly && p->monos.empty(); }

static bool atom_positive(const N& a);
static bool atom_nonneg(const N& a) {
  if (atom_positive(a))
    return true;
  switch (a->kind) {
  case NKind::Var:
    return a->vclass != VarClass::Witness;
  case NKind::ToReal:
    return known_nonneg(a->args[0]);
  case NKind::Abs:
    return true;
  case NKind::Inv:
    return known_nonneg(a->args[0]);
  case NKind::Sum:
    return known_nonneg(a->args[0]);
  case NKind::IMax:
    return known_nonneg(a->args[0]) || known_nonneg(a->args[1]);
  case NKind::IMin:
    return known_nonneg(a->args[0]) && known_nonneg(a->args[1]);
  default:
    return false;
  }
}
static bool atom_positive(const N& a) {
  switch (a->kind) {
  case NKind::Inv:
    return known_positive(a->args[0]);
  case NKind::Sum: {
    for (auto& [v, e] : a->bound)
      if (!known_positive(e))
        return false;
    return known_positive(a->args[0]);
  }
  case NKind::Var:
    return a->vclass == VarClass::Dim;
  case NKind::Fn:
    return a->name == "exp";
  case NKind::ToReal:
    return known_positive(a->args[0]);
  case NKind::IMax:
    return known_positive(a->args[0]) || known_positive(a->args[1]);
  case NKind::IMin:
    return known_positive(a->args[0]) && known_positive(a->args[1]);
  default:
    return false;
  }
}

bool known_positive(const N& p) {
  if (p->kind != NKind::Poly || p->monos.empty())
    return false;
  for (auto& m : p->monos) {
    if (m.coef.sign() <= 0)
      return false;
    for (auto& f : m.factors)
      if (!atom_positive(f.atom))
        return false;
  }
  return true;
}
bool known_nonneg(const N& p) {
  if (p->kind != NKind::Poly)
    return false;
  for (auto& m : p->monos) {
    if (m.coef.sign() <= 0)
      return false;
    for (auto& f : m.factors)
      if (!atom_nonneg(f.atom) && f.exp % 2 != 0)
        return false;
  }
  return true;
}

N mk_add(const N& a, const N& b) {
  AXON_CHECK(a->sort == b->sort, "add of different sorts");
  AXON_CHECK(a->kind == NKind::Poly && b->kind == NKind::Poly, "add of a non-polynomial");
  std::vector<Mono> ms = a->monos;
  ms.insert(ms.end(), b->monos.begin(), b->monos.end());
  return mk_poly(std::move(ms), a->sort);
}
N mk_neg(const N& a) {
  std::vector<Mono> ms = a->monos;
  for (auto& m : ms)
    m.coef = -m.coef;
  return mk_poly(std::move(ms), a->sort);
}
N mk_sub(const N& a, const N& b) { return mk_add(a, mk_neg(b)); }
N mk_mul(const N& a, const N& b) {
  AXON_CHECK(a->sort == b->sort, "mul of different sorts");
  AXON_CHECK(a->kind == NKind::Poly && b->kind == NKind::Poly, "mul of a non-polynomial");
  std::vector<Mono> ms;
  for (auto& x : a->monos)
    for (auto& y : b->monos)
      ms.push_back(Mono{x.coef * y.coef, mul_factors(x.factors, y.factors)});
  return mk_poly(std::move(ms), a->sort);
}

N mk_inv(const N& p) {
  AXON_CHECK(p->sort == Sort::Real, "inv of a non-real");
  Rational c;
  if (is_const(p, &c))
    return mk_const(c.inverse(), Sort::Real);
  if (p->monos.size() == 1) {
    const Mono& m = p->monos[0];
    N r = mk_const(m.coef.inverse(), Sort::Real);
    for (auto& f : m.factors) {
      if (invertible(f.atom))
        r = mk_mul(r, atom_poly(f.atom, -f.exp));
      else if (f.atom->kind == NKind::Inv)
        r = mk_mul(r, pow_poly(f.atom->args[0], f.exp));
      else
        r = mk_mul(
            r, pow_poly(atom_poly(mk_atom(NKind::Inv, Sort::Real, {atom_poly(f.atom)})), f.exp));
    }
    return r;
  }
  // Pull out the leading coefficient and the factors common to every monomial, so that
  // inv(2a + 2b) and 2 * inv(a + b) * ... meet in one form.
  Rational lead = p->monos[0].coef;
  std::vector<Factor> common;
  for (auto& f : p->monos[0].factors) {
    int e = f.exp;
    bool all = true;
    for (auto& m : p->monos) {
      auto it = std::find_if(m.factors.begin(), m.factors.end(),
                             [&](const Factor& g) { return g.atom->key == f.atom->key; });
      if (it == m.factors.end() || (it->exp > 0) != (f.exp > 0)) {
        all = false;
        break;
      }
      e = f.exp > 0 ? std::min(e, it->exp) : std::max(e, it->exp);
    }
    if (all)
      common.push_back(Factor{f.atom, e});
  }
  std::vector<Factor> neg_common;
  for (auto& f : common)
    neg_common.push_back(Factor{f.atom, -f.exp});
  std::vector<Mono> rest;
  for (auto& m : p->monos) {
    std::vector<Factor> fs;
    // Divide out the common factors (exponents subtract; only common atoms change).
    std::map<std::string, int> sub;
    for (auto& f : common)
      sub[f.atom->key] = f.exp;
    for (auto& f : m.factors) {
      auto it = sub.find(f.atom->key);
      int e = f.exp - (it == sub.end() ? 0 : it->second);
      if (e != 0)
        fs.push_back(Factor{f.atom, e});
    }
    rest.push_back(Mono{m.coef * lead.inverse(), fs});
  }
  N q = mk_poly(rest, Sort::Real);
  N r = mk_const(lead.inverse(), Sort::Real);
  if (!common.empty())
    r = mk_mul(r, mk_inv(mk_poly({Mono{Rational(1), common}}, Sort::Real)));
  if (q->monos.size() == 1)
    return mk_mul(r, mk_inv(q));
  return mk_mul(r, atom_poly(mk_atom(NKind::Inv, Sort::Real, {q})));
}

N mk_fn(const std::string& fn, const N& a) {
  Rational c;
  bool k = is_const(a, &c);
  if (fn == "exp") {
    if (k && c.is_zero())
      return mk_const(1, Sort::Real);
    N r = mk_const(1, Sort::Real);
    for (auto& m : a->monos) {
      Mono unit{Rational(1), m.factors};
      N arg;
      int e;
      if (m.coef.is_int() && m.coef.num() >= -64 && m.coef.num() <= 64) {
        arg = mk_poly({unit}, Sort::Real);
        e = static_cast<int>(m.coef.num());
      } else {
        Mono pos{m.coef.sign() > 0 ? m.coef : -m.coef, m.factors};
        arg = mk_poly({pos}, Sort::Real);
        e = m.coef.sign() > 0 ? 1 : -1;
      }
      r = mk_mul(r, atom_poly(mk_atom(NKind::Fn, Sort::Real, {arg}, "exp"), e));
    }
    return r;
  }
  if (fn == "log") {
    // log(exp(p1)^e1 * exp(p2)^e2) = e1 p1 + e2 p2 (valid for all reals).
    if (a->monos.size() == 1 && a->monos[0].coef.is_one()) {
      bool all_exp = !a->monos[0].factors.empty();
      for (auto& f : a->monos[0].factors)
        all_exp = all_exp && invertible(f.atom);
      if (all_exp) {
        N r = mk_const(0, Sort::Real);
        for (auto& f : a->monos[0].factors)
          r = mk_add(r, mk_mul(mk_const(f.exp, Sort::Real), f.atom->args[0]));
        return r;
      }
    }
    if (k && c.is_one())
      return mk_const(0, Sort::Real);
    // log(exp(p)^e * y) = e p + log(y) holds for y > 0 (log is unspecified elsewhere), so it is
    // stated under that guard: select(y > 0, e p + log(y), log(exp(p)^e * y)).
    if (a->monos.size() == 1) {
      const Mono& m = a->monos[0];
      std::vector<Factor> rest;
      N shift = mk_const(0, Sort::Real);
      for (auto& f : m.factors) {
        if (invertible(f.atom))
          shift = mk_add(shift, mk_mul(mk_const(f.exp, Sort::Real), f.atom->args[0]));
        else
          rest.push_back(f);
      }
      if (rest.size() < m.factors.size()) {
        N y = mk_poly({Mono{m.coef, rest}}, Sort::Real);
        N split = mk_add(shift, mk_fn("log", y));
        if (known_positive(y))
          return split;
        return mk_select(mk_cmp(CmpOp::Lt, mk_neg(y)), split,
                         atom_poly(mk_atom(NKind::Fn, Sort::Real, {a}, "log")));
      }
    }
  }
  if (fn == "sigmoid")
    return mk_inv(mk_add(mk_const(1, Sort::Real), mk_fn("exp", mk_neg(a))));
  if (fn == "sqrt" && k && (c.is_zero() || c.is_one()))
    return a;
  if (fn == "tanh" && k && c.is_zero())
    return a;
  if (fn == "erf" && k && c.is_zero())
    return a;
  if (fn == "sin" && k && c.is_zero())
    return a;
  if (fn == "cos" && k && c.is_zero())
    return mk_const(1, Sort::Real);
  return atom_poly(mk_atom(NKind::Fn, Sort::Real, {a}, fn));
}

N mk_pow_fn(const N& a, const N& b) {
  Rational c;
  if (is_const(b, &c)) {
    if (c.is_int() && c.num() >= 0 && c.num() <= 16)
      return pow_poly(a, static_cast<int>(c.num()));
    if (c.is_int() && c.num() < 0 && c.num() >= -16)
      return pow_poly(mk_inv(a), static_cast<int>(-c.num()));
    if (c == Rational(1, 2))
      return mk_fn("sqrt", a);
  }
  return atom_poly(mk_atom(NKind::Fn, Sort::Real, {a, b}, "pow"));
}

N mk_access(const std::string& tensor, std::vector<N> idx) {
  return atom_poly(mk_atom(NKind::Access, Sort::Real, std::move(idx), tensor));
}

N mk_bool(bool v) {
  NNode n{.kind = NKind::BoolConst, .sort = Sort::Bool, .bval = v};
  return finish(std::move(n));
}

N mk_select(const N& c, const N& a, const N& b) {
  if (c->kind == NKind::BoolConst)
    return c->bval ? a : b;
  if (a->key == b->key)
    return a;
  if (c->kind == NKind::Not)
    return mk_select(c->args[0], b, a);
  return atom_poly(mk_atom(NKind::Select, a->sort, {c, a, b}));
}

N mk_to_real(const N& a) {
  AXON_CHECK(a->sort == Sort::Int, "to_real of a non-int");
  std::vector<Mono> ms;
  for (auto& m : a->monos) {
    std::vector<Factor> fs;
    for (auto& f : m.factors)
      fs.push_back(Factor{mk_atom(NKind::ToReal, Sort::Real, {atom_poly(f.atom)}), f.exp});
    std::sort(fs.begin(), fs.end(),
              [](const Factor& x, const Factor& y) { return node_less(x.atom, y.atom); });
    ms.push_back(Mono{m.coef, fs});
  }
  return mk_poly(std::move(ms), Sort::Real);
}

N mk_int_op(NKind k, const N& a, const N& b) {
  Rational x, y;
  bool ka = is_const(a, &x), kb = is_const(b, &y);
  switch (k) {
  case NKind::IDiv:
    if (ka && kb)
      return mk_const(floor_div(x.num(), y.num()), Sort::Int);
    if (kb && y.is_one())
      return a;
    if (ka && x.is_zero())
      return a;
    break;
  case NKind::IMod:
    if (ka && kb) {
      if (y.is_zero())
        return mk_const(0, Sort::Int);
      return mk_const(x - y * floor_div(x.num(), y.num()), Sort::Int);
    }
    if (kb && y.is_one())
      return mk_const(0, Sort::Int);
    if (ka && x.is_zero())
      return a;
    break;
  case NKind::IMin:
  case NKind::IMax: {
    if (a->key == b->key)
      return a;
    N d = mk_sub(a, b);
    Rational dv;
    if (is_const(d, &dv))
      return ((dv.sign() >= 0) == (k == NKind::IMax)) ? a : b;
    if (known_nonneg(d))
      return k == NKind::IMax ? a : b;
    if (known_nonneg(mk_neg(d)))
      return k == NKind::IMax ? b : a;
    N p = a, q = b;
    if (node_less(q, p))
      std::swap(p, q);
    return atom_poly(mk_atom(k, Sort::Int, {p, q}));
  }
  default:
    internal_error("mk_int_op: not an int op");
  }
  return atom_poly(mk_atom(k, Sort::Int, {a, b}));
}

N mk_real_minmax(NKind k, const N& a, const N& b) {
  if (a->key == b->key)
    return a;
  Rational x, y;
  if (is_const(a, &x) && is_const(b, &y))
    return ((x < y) == (k == NKind::RMinB)) ? a : b;
  N p = a, q = b;
  if (node_less(q, p))
    std::swap(p, q);
  return atom_poly(mk_atom(k, Sort::Real, {p, q}));
}

N mk_abs(const N& a) {
  Rational x;
  if (is_const(a, &x))
    return mk_const(x.sign() < 0 ? -x : x, Sort::Real);
  if (known_nonneg(a))
    return a;
  return atom_poly(mk_atom(NKind::Abs, Sort::Real, {a}));
}

N mk_cmp(CmpOp op, const N& p0) {
  N p = p0;
  if (p->sort == Sort::Int && op == CmpOp::Lt) {
    p = mk_add(p, mk_const(1, Sort::Int));
    op = CmpOp::Le;
  }
  Rational c;
  if (is_const(p, &c)) {
    bool v = op == CmpOp::Eq ? c.is_zero() : op == CmpOp::Le ? c.sign() <= 0 : c.sign() < 0;
    return mk_bool(v);
  }
  // Scale so equal constraints print equally: reals by the leading coefficient (its absolute
  // value for inequalities), ints by the gcd of the coefficients.
  Rational lead = p->monos[0].coef;
  if (p->sort == Sort::Real) {
    Rational s = op == CmpOp::Eq ? lead.inverse() : (lead.sign() < 0 ? -lead : lead).inverse();
    p = mk_mul(p, mk_const(s, Sort::Real));
  } else {
    int64_t g = 0;
    for (auto& m : p->monos)
      g = std::gcd(g, m.coef.num());
    if (op == CmpOp::Eq && lead.sign() < 0)
      g = -g;
    if (g != 1 && g != 0) {
      std::vector<Mono> ms = p->monos;
      for (auto& m : ms)
        m.coef = Rational(m.coef.num() / g);
      p = mk_poly(ms, Sort::Int);
    }
  }
  NNode n{.kind = NKind::Cmp, .sort = Sort::Bool, .cmp = op, .args = {p}};
  return finish(std::move(n));
}

N mk_not(const N& a) {
  if (a->kind == NKind::BoolConst)
    return mk_bool(!a->bval);
  if (a->kind == NKind::Not)
    return a->args[0];
  if (a->kind == NKind::Cmp && a->cmp != CmpOp::Eq) {
    const N& p = a->args[0];
    if (p->sort == Sort::Int)
      return mk_cmp(CmpOp::Le, mk_add(mk_neg(p), mk_const(1, Sort::Int)));
    return mk_cmp(a->cmp == CmpOp::Le ? CmpOp::Lt : CmpOp::Le, mk_neg(p));
  }
  return mk_atom(NKind::Not, Sort::Bool, {a});
}

static N mk_andor(NKind k, std::vector<N> xs) {
  bool unit = k == NKind::And; // neutral element
  std::vector<N> flat;
  std::function<void(const N&)> add = [&](const N& x) {
    if (x->kind == k) {
      for (auto& y : x->args)
        add(y);
    } else {
      flat.push_back(x);
    }
  };
  for (auto& x : xs)
    add(x);
  std::vector<N> out;
  for (auto& x : flat) {
    if (x->kind == NKind::BoolConst) {
      if (x->bval != unit)
        return mk_bool(!unit);
      continue;
    }
    out.push_back(x);
  }
  std::sort(out.begin(), out.end(), node_less);
  out.erase(
      std::unique(out.begin(), out.end(), [](const N& a, const N& b) { return a->key == b->key; }),
      out.end());
  if (out.empty())
    return mk_bool(unit);
  if (out.size() == 1)
    return out[0];
  return mk_atom(k, Sort::Bool, std::move(out));
}
N mk_and(std::vector<N> xs) { return mk_andor(NKind::And, std::move(xs)); }
N mk_or(std::vector<N> xs) { return mk_andor(NKind::Or, std::move(xs)); }

} // namespace axon::smt
