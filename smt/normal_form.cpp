// The normalizer: smart constructors that keep every node canonical, and the translation from
// ir expressions. See normal_form.h for the list of rewrites and why each one is sound.
#include "smt/normal_form.h"

#include <algorithm>
#include <atomic>
#include <charconv>
#include <cmath>
#include <functional>
#include <numeric>
#include <optional>

#include "ir/error.h"

namespace axon::smt {

namespace {

std::atomic<uint64_t> g_fresh{0};
std::string fresh_name(const char* prefix) {
  return std::string(prefix) + std::to_string(g_fresh++);
}

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

// Finishes a node: computes key, erased key, free variables and height from its fields.
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

// Multiplies factor lists (both sorted); exponents of invertible atoms may cancel to zero.
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

namespace {

N atom_poly(const N& atom, int exp = 1) {
  return mk_poly({Mono{Rational(1), {Factor{atom, exp}}}}, atom->sort);
}

N mk_atom(NKind k, Sort s, std::vector<N> args, std::string name = "") {
  NNode n{.kind = k, .sort = s, .name = std::move(name), .args = std::move(args)};
  return finish(std::move(n));
}

N pow_poly(const N& p, int e) {
  N r = mk_const(1, p->sort);
  for (int i = 0; i < e; ++i)
    r = mk_mul(r, p);
  return r;
}

// The value of one factor as a polynomial (only invertible atoms have negative exponents).
N factor_poly(const Factor& f) { return atom_poly(f.atom, f.exp); }

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

// ---------------------------------------------------------------------------------------------
// Substitution

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

// ---------------------------------------------------------------------------------------------
// Reductions

namespace {

bool mentions(const N& x, const std::set<std::string>& names) {
  for (auto& v : names)
    if (x->free.count(v))
      return true;
  return false;
}

N count_of(const N& ext) {
  return mk_to_real(known_nonneg(ext) ? ext : mk_int_op(NKind::IMax, ext, mk_const(0, Sort::Int)));
}

// One reduction node with canonical bound-variable names: k<height>_<i>, the order of a
// multi-variable sum chosen to minimise the (name-erased) key.
N build_reduce_atom(NKind kind, const std::vector<std::pair<std::string, N>>& vars, const N& body) {
  int h = body->height + 1;
  for (auto& [v, e] : vars)
    h = std::max(h, e->height + 1);
  std::vector<size_t> perm(vars.size());
  std::iota(perm.begin(), perm.end(), 0);
  N best_body;
  std::vector<std::pair<std::string, N>> best_vars;
  std::string best_e, best_k;
  do {
    std::map<std::string, N> ren;
    std::vector<std::pair<std::string, N>> bv;
    std::string ek, fk;
    for (size_t i = 0; i < perm.size(); ++i) {
      std::string cn = "k" + std::to_string(h) + "_" + std::to_string(i);
      ren[vars[perm[i]].first] = mk_var(cn, VarClass::Bound);
      bv.emplace_back(cn, vars[perm[i]].second);
      ek += vars[perm[i]].second->ekey + ";";
      fk += vars[perm[i]].second->key + ";";
    }
    N b = subst(body, ren);
    ek += b->ekey;
    fk += b->key;
    if (!best_body || ek < best_e || (ek == best_e && fk < best_k)) {
      best_body = b;
      best_vars = bv;
      best_e = ek;
      best_k = fk;
    }
  } while (vars.size() <= 4 && std::next_permutation(perm.begin(), perm.end()));
  NNode n{.kind = kind, .sort = Sort::Real, .args = {best_body}};
  n.bound = best_vars;
  return atom_poly(finish(std::move(n)));
}

N mk_sum(std::vector<std::pair<std::string, N>> vars, const N& body);

// A mask factor select(v < c, f, 0) (or v >= c) folded into the extent of v.
bool fold_mask(std::vector<std::pair<std::string, N>>& used, std::vector<Factor>& dep,
               N& out_body) {
  std::set<std::string> names;
  for (auto& [v, e] : used)
    names.insert(v);
  for (size_t i = 0; i < dep.size(); ++i) {
    const N& s = dep[i].atom;
    if (s->kind != NKind::Select || dep[i].exp != 1 || s->sort != Sort::Real)
      continue;
    N cond, val;
    if (is_zero(s->args[2])) {
      cond = s->args[0];
      val = s->args[1];
    } else if (is_zero(s->args[1])) {
      cond = mk_not(s->args[0]);
      val = s->args[2];
    } else {
      continue;
    }
    std::vector<N> conj = cond->kind == NKind::And ? cond->args : std::vector<N>{cond};
    for (size_t c = 0; c < conj.size(); ++c) {
      const N& cmp = conj[c];
      if (cmp->kind != NKind::Cmp || cmp->cmp != CmpOp::Le)
        continue;
      const N& p = cmp->args[0];
      for (size_t vi = 0; vi < used.size(); ++vi) {
        const std::string& v = used[vi].first;
        int sign = 0;
        std::vector<Mono> rest;
        bool ok = true;
        for (auto& m : p->monos) {
          if (m.factors.size() == 1 && m.factors[0].exp == 1 &&
              m.factors[0].atom->kind == NKind::Var && m.factors[0].atom->name == v &&
              (m.coef == Rational(1) || m.coef == Rational(-1)) && sign == 0) {
            sign = m.coef.sign();
            continue;
          }
          Mono mm = m;
          N mp = mk_poly({mm}, Sort::Int);
          if (mentions(mp, names))
            ok = false;
          rest.push_back(m);
        }
        if (!ok || sign == 0)
          continue;
        N r = mk_poly(rest, Sort::Int);
        std::vector<N> others;
        for (size_t j = 0; j < conj.size(); ++j)
          if (j != c)
            others.push_back(conj[j]);
        N newval = mk_select(mk_and(others), val, mk_const(0, Sort::Real));
        N others_poly = mk_const(1, Sort::Real);
        for (size_t j = 0; j < dep.size(); ++j)
          if (j != i)
            others_poly = mk_mul(others_poly, factor_poly(dep[j]));
        N zero = mk_const(0, Sort::Int);
        if (sign > 0) {
          // v + r <= 0  <=>  v < 1 - r
          N bound = mk_int_op(NKind::IMax, mk_sub(mk_const(1, Sort::Int), r), zero);
          used[vi].second = mk_int_op(NKind::IMin, used[vi].second, bound);
          out_body = mk_mul(others_poly, newval);
        } else {
          // -v + r <= 0  <=>  v >= r: shift v = u + max(r, 0)
          N lo = mk_int_op(NKind::IMax, r, zero);
          std::string u = fresh_name("%m");
          std::map<std::string, N> sh{{v, mk_add(mk_var(u, VarClass::Bound), lo)}};
          used[vi].second = mk_int_op(NKind::IMax, mk_sub(used[vi].second, lo), zero);
          used[vi].first = u;
          out_body = subst(mk_mul(others_poly, newval), sh);
        }
        return true;
      }
    }
  }
  return false;
}

N sum_mono(const std::vector<std::pair<std::string, N>>& vars, const Mono& mono) {
  std::set<std::string> names;
  for (auto& [v, e] : vars)
    names.insert(v);
  N indep = mk_const(mono.coef, Sort::Real);
  std::vector<Factor> dep;
  for (auto& f : mono.factors) {
    if (mentions(f.atom, names))
      dep.push_back(f);
    else
      indep = mk_mul(indep, factor_poly(f));
  }
  std::vector<std::pair<std::string, N>> used;
  for (auto& [v, e] : vars) {
    bool u = false;
    for (auto& f : dep)
      u = u || f.atom->free.count(v);
    if (u)
      used.emplace_back(v, e);
    else
      indep = mk_mul(indep, count_of(e));
  }
  if (used.empty())
    return indep;
  std::set<std::string> used_names;
  for (auto& [v, e] : used)
    used_names.insert(v);
  // Merge nested sums over independent ranges into this one (Fubini).
  for (bool again = true; again;) {
    again = false;
    for (size_t i = 0; i < dep.size(); ++i) {
      const N& s = dep[i].atom;
      if (s->kind != NKind::Sum || dep[i].exp != 1)
        continue;
      bool indep_ext = true;
      for (auto& [v, e] : s->bound)
        indep_ext = indep_ext && !mentions(e, used_names);
      if (!indep_ext)
        continue;
      std::map<std::string, N> ren;
      std::vector<std::pair<std::string, N>> nv;
      for (auto& [v, e] : s->bound) {
        std::string f = fresh_name("%s");
        ren[v] = mk_var(f, VarClass::Bound);
        nv.emplace_back(f, e);
      }
      N b = subst(s->args[0], ren);
      if (b->monos.size() != 1)
        continue;
      Rational bc = b->monos[0].coef;
      std::vector<Factor> fs = b->monos[0].factors;
      dep.erase(dep.begin() + static_cast<long>(i));
      dep = mul_factors(dep, fs);
      indep = mk_mul(indep, mk_const(bc, Sort::Real));
      for (auto& x : nv) {
        used.push_back(x);
        used_names.insert(x.first);
      }
      again = true;
      break;
    }
  }
  N masked;
  if (fold_mask(used, dep, masked))
    return mk_mul(indep, mk_sum(used, masked));
  // A select on a bound variable with two nonzero branches (a concatenation read at its
  // boundary) splits into two masked terms, each of which folds into its own range:
  // select(c, a, b) = select(c, a, 0) + select(c, 0, b). At most 3 such selects per product are
  // split (each split doubles the terms).
  size_t splittable = 0;
  for (auto& f : dep)
    splittable += f.atom->kind == NKind::Select && f.exp == 1 && f.atom->sort == Sort::Real &&
                  !is_zero(f.atom->args[1]) && !is_zero(f.atom->args[2]) &&
                  mentions(f.atom->args[0], used_names);
  for (size_t i = 0; i < dep.size() && splittable <= 3; ++i) {
    const N& sel = dep[i].atom;
    if (sel->kind != NKind::Select || dep[i].exp != 1 || sel->sort != Sort::Real ||
        is_zero(sel->args[1]) || is_zero(sel->args[2]) || !mentions(sel->args[0], used_names))
      continue;
    N others = mk_const(1, Sort::Real);
    for (size_t j = 0; j < dep.size(); ++j)
      if (j != i)
        others = mk_mul(others, factor_poly(dep[j]));
    N zero = mk_const(0, Sort::Real);
    N first = mk_mul(others, mk_select(sel->args[0], sel->args[1], zero));
    N second = mk_mul(others, mk_select(sel->args[0], zero, sel->args[2]));
    return mk_mul(indep, mk_add(mk_sum(used, first), mk_sum(used, second)));
  }
  // Independent components become separate sums: sum_{j,k} f(j) g(k) = sum_j f(j) * sum_k g(k).
  std::vector<int> comp(dep.size(), -1);
  std::vector<std::set<std::string>> comp_vars;
  for (size_t i = 0; i < dep.size(); ++i) {
    std::set<std::string> vs;
    for (auto& [v, e] : used)
      if (dep[i].atom->free.count(v))
        vs.insert(v);
    std::vector<int> hits;
    for (size_t c = 0; c < comp_vars.size(); ++c) {
      bool inter = false;
      for (auto& v : vs)
        inter = inter || comp_vars[c].count(v);
      if (inter)
        hits.push_back(static_cast<int>(c));
    }
    if (hits.empty()) {
      comp_vars.push_back(vs);
      comp[i] = static_cast<int>(comp_vars.size() - 1);
    } else {
      int c0 = hits[0];
      comp_vars[c0].insert(vs.begin(), vs.end());
      comp[i] = c0;
      for (size_t h = 1; h < hits.size(); ++h) {
        comp_vars[c0].insert(comp_vars[hits[h]].begin(), comp_vars[hits[h]].end());
        comp_vars[hits[h]].clear();
        for (auto& x : comp)
          if (x == hits[h])
            x = c0;
      }
    }
  }
  N result = indep;
  for (size_t c = 0; c < comp_vars.size(); ++c) {
    if (comp_vars[c].empty())
      continue;
    std::vector<Factor> fs;
    for (size_t i = 0; i < dep.size(); ++i)
      if (comp[i] == static_cast<int>(c))
        fs.push_back(dep[i]);
    std::vector<std::pair<std::string, N>> cv;
    for (auto& x : used)
      if (comp_vars[c].count(x.first))
        cv.push_back(x);
    result = mk_mul(
        result, build_reduce_atom(NKind::Sum, cv, mk_poly({Mono{Rational(1), fs}}, Sort::Real)));
  }
  return result;
}

N mk_sum(std::vector<std::pair<std::string, N>> vars, const N& body) {
  N r = mk_const(0, Sort::Real);
  for (auto& m : body->monos)
    r = mk_add(r, sum_mono(vars, m));
  return r;
}

N mk_minmax(NKind kind, const std::pair<std::string, N>& var, const N& body) {
  std::set<std::string> names{var.first};
  std::vector<Mono> indep, dep;
  for (auto& m : body->monos)
    (mentions(mk_poly({m}, Sort::Real), names) ? dep : indep).push_back(m);
  if (dep.empty() && known_positive(var.second))
    return body;
  N add = mk_poly(indep, Sort::Real);
  if (dep.size() == 1 && !dep[0].coef.is_one()) {
    Rational c = dep[0].coef;
    Mono unit{Rational(1), dep[0].factors};
    NKind k = c.sign() > 0 ? kind : (kind == NKind::Max ? NKind::Min : NKind::Max);
    return mk_add(add,
                  mk_mul(mk_const(c, Sort::Real), mk_minmax(k, var, mk_poly({unit}, Sort::Real))));
  }
  if (dep.empty())
    return mk_add(add, build_reduce_atom(kind, {var}, mk_const(0, Sort::Real)));
  return mk_add(add, build_reduce_atom(kind, {var}, mk_poly(dep, Sort::Real)));
}

} // namespace

N mk_reduce(NKind k, std::vector<std::pair<std::string, N>> vars, const N& body) {
  // A reduction over a range of exactly one element is its one term (at index 0).
  N b = body;
  for (size_t i = 0; i < vars.size();) {
    Rational c;
    if (is_const(vars[i].second, &c) && c.is_one()) {
      b = subst(b, {{vars[i].first, mk_const(0, Sort::Int)}});
      vars.erase(vars.begin() + static_cast<long>(i));
    } else {
      ++i;
    }
  }
  if (vars.empty())
    return b;
  return mk_reduce_ranges(k, std::move(vars), b);
}

N mk_reduce_ranges(NKind k, std::vector<std::pair<std::string, N>> vars, const N& body) {
  if (k == NKind::Sum)
    return mk_sum(std::move(vars), body);
  AXON_CHECK(vars.size() == 1, "max/min bind one variable");
  return mk_minmax(k, vars[0], body);
}

// ---------------------------------------------------------------------------------------------
// From ir expressions

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

Rational Rational::from_double(double v) {
  if (!std::isfinite(v))
    throw RationalOverflow();
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, v);
  std::string s(buf, res.ptr);
  bool neg = false;
  size_t i = 0;
  if (s[i] == '-') {
    neg = true;
    ++i;
  }
  int64_t mant = 0;
  int exp10 = 0, digits = 0;
  bool frac = false;
  for (; i < s.size() && s[i] != 'e'; ++i) {
    if (s[i] == '.') {
      frac = true;
      continue;
    }
    if (++digits > 18)
      throw RationalOverflow();
    mant = mant * 10 + (s[i] - '0');
    if (frac)
      --exp10;
  }
  if (i < s.size())
    exp10 += std::stoi(s.substr(i + 1));
  Rational r(neg ? -mant : mant);
  Rational ten(10);
  for (; exp10 > 0; --exp10)
    r = r * ten;
  for (; exp10 < 0; ++exp10)
    r = r * Rational(1, 10);
  return r;
}

} // namespace axon::smt
