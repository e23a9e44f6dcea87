// Polynomial normal form of dim expressions: sum of coefficient * monomial, where a monomial is a
// sorted list of atoms (dim names, or opaque floor-division/mod terms printed canonically).
#include "ir/shape.h"

#include <algorithm>
#include <cctype>

#include "ir/error.h"
#include "ir/ranges.h"

namespace axon {

namespace {

using Monomial = std::vector<std::string>;
using Poly = std::map<Monomial, int64_t>;

Poly normal_form(const Expr& e);

Poly constant(int64_t c) {
  Poly p;
  if (c != 0)
    p[{}] = c;
  return p;
}

// Coefficients never wrap: a size expression whose constants overflow 64 bits is bad input.
void overflow_if(bool overflowed) {
  if (overflowed)
    user_error("error: a size expression's constants overflow 64 bits (docs/reliability.md)");
}

void add_into(Poly& a, const Poly& b, int64_t sign) {
  for (auto& [m, c] : b) {
    int64_t t = 0, sum = 0;
    overflow_if(__builtin_mul_overflow(sign, c, &t));
    overflow_if(__builtin_add_overflow(a[m], t, &sum));
    a[m] = sum;
    if (a[m] == 0)
      a.erase(m);
  }
}

Poly mul(const Poly& a, const Poly& b) {
  Poly out;
  for (auto& [ma, ca] : a)
    for (auto& [mb, cb] : b) {
      Monomial m = ma;
      m.insert(m.end(), mb.begin(), mb.end());
      std::sort(m.begin(), m.end());
      int64_t t = 0, sum = 0;
      overflow_if(__builtin_mul_overflow(ca, cb, &t));
      overflow_if(__builtin_add_overflow(out[m], t, &sum));
      out[m] = sum;
      if (out[m] == 0)
        out.erase(m);
    }
  return out;
}

std::string poly_text(const Poly& p) {
  if (p.empty())
    return "0";
  std::string s;
  for (auto& [m, c] : p) {
    if (!s.empty())
      s += c < 0 ? " - " : " + ";
    else if (c < 0)
      s += "-";
    int64_t a = c < 0 ? -c : c;
    std::string mono;
    for (auto& x : m)
      mono += (mono.empty() ? "" : "*") + x;
    if (mono.empty())
      s += std::to_string(a);
    else
      s += (a == 1 ? "" : std::to_string(a) + "*") + mono;
  }
  return s;
}

Poly atom(const std::string& name) { return Poly{{Monomial{name}, 1}}; }

Poly normal_form(const Expr& e) {
  switch (e->kind()) {
  case ExprKind::IntConst:
    return constant(e->int_value());
  case ExprKind::DimVar:
    return atom(e->name());
  case ExprKind::IndexVar:
    return atom("$" + e->name());
  case ExprKind::Add: {
    Poly p = normal_form(e->arg(0));
    add_into(p, normal_form(e->arg(1)), 1);
    return p;
  }
  case ExprKind::Sub: {
    Poly p = normal_form(e->arg(0));
    add_into(p, normal_form(e->arg(1)), -1);
    return p;
  }
  case ExprKind::Neg: {
    Poly p;
    add_into(p, normal_form(e->arg(0)), -1);
    return p;
  }
  case ExprKind::Mul:
    return mul(normal_form(e->arg(0)), normal_form(e->arg(1)));
  case ExprKind::Div:
  case ExprKind::Mod: {
    Poly a = normal_form(e->arg(0)), b = normal_form(e->arg(1));
    // Exact constant division of every coefficient stays polynomial.
    if (e->kind() == ExprKind::Div && b.size() == 1 && b.begin()->first.empty()) {
      int64_t d = b.begin()->second;
      bool exact = d != 0 && d != -1;
      for (auto& [m, c] : a)
        exact = exact && c % d == 0;
      if (exact) {
        Poly out;
        for (auto& [m, c] : a)
          out[m] = c / d;
        return out;
      }
    }
    if (a.empty())
      return {};
    if (a.size() == 1 && a.begin()->first.empty() && b.size() == 1 && b.begin()->first.empty()) {
      int64_t x = a.begin()->second, y = b.begin()->second;
      if (y != 0)
        return constant(e->kind() == ExprKind::Div ? floor_div(x, y) : floor_mod(x, y));
    }
    return atom("(" + poly_text(a) + (e->kind() == ExprKind::Div ? ")/(" : ")%(") + poly_text(b) +
                ")");
  }
  default:
    return atom("{" + to_string(e) + "}");
  }
}

} // namespace

bool dim_equal(const Expr& a, const Expr& b) { return normal_form(a) == normal_form(b); }

bool shape_equal(const Shape& a, const Shape& b) {
  if (a.size() != b.size())
    return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (!dim_equal(a[i], b[i]))
      return false;
  return true;
}

bool is_literal_one(const Expr& d) {
  Poly p = normal_form(d);
  return p.size() == 1 && p.begin()->first.empty() && p.begin()->second == 1;
}

std::string dim_to_string(const Expr& d) { return to_string(simplify_int(d)); }

std::string shape_to_string(const Shape& s) {
  std::string out = "[";
  for (size_t i = 0; i < s.size(); ++i)
    out += (i ? ", " : "") + dim_to_string(s[i]);
  return out + "]";
}

Expr shape_numel(const Shape& s) {
  Expr n = ExprNode::int_const(1);
  for (auto& d : s)
    n = simplify_int(ExprNode::binary(ExprKind::Mul, n, d));
  return n;
}

Expr canonical_dim(const Expr& d) {
  // Rebuild from the normal form when every atom is a plain dim name: constant last, monomials in
  // sorted order (so A + A prints as 2 * A and B * A as A * B). Other forms keep their structure.
  Poly p = normal_form(d);
  for (auto& [m, c] : p)
    for (auto& a : m)
      if (a.empty() || !(std::isalpha(static_cast<unsigned char>(a[0])) || a[0] == '_'))
        return simplify_int(d);
  Expr out;
  int64_t constant_term = 0;
  for (auto& [m, c] : p) {
    if (m.empty()) {
      constant_term = c;
      continue;
    }
    Expr mono;
    for (auto& a : m)
      mono =
          mono ? ExprNode::binary(ExprKind::Mul, mono, ExprNode::dim_var(a)) : ExprNode::dim_var(a);
    int64_t ac = c < 0 ? -c : c;
    if (ac != 1)
      mono = ExprNode::binary(ExprKind::Mul, ExprNode::int_const(ac), mono);
    if (!out)
      out = c < 0 ? ExprNode::unary(ExprKind::Neg, mono) : mono;
    else
      out = ExprNode::binary(c < 0 ? ExprKind::Sub : ExprKind::Add, out, mono);
  }
  if (!out)
    return ExprNode::int_const(constant_term);
  if (constant_term > 0)
    out = ExprNode::binary(ExprKind::Add, out, ExprNode::int_const(constant_term));
  if (constant_term < 0)
    out = ExprNode::binary(ExprKind::Sub, out, ExprNode::int_const(-constant_term));
  return out;
}

std::optional<int64_t> eval_dim(const Expr& d,
                                const std::map<std::string, std::optional<int64_t>>& dims) {
  // The checked evaluator of ir/ranges.h: a size that overflows 64 bits or divides by zero is
  // the user's error, never undefined behaviour.
  return eval_size_checked(d, dims, [](const std::string& why) { user_error("error: " + why); });
}

} // namespace axon
