// Checked constructors, printing, traversal and substitution for the scalar expression IR.
#include "ir/expr.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <set>
#include <sstream>

#include "ir/error.h"

namespace axon {

const char* kind_name(ExprKind k) {
  switch (k) {
  case ExprKind::IntConst:
    return "int";
  case ExprKind::RealConst:
    return "real";
  case ExprKind::IndexVar:
    return "index";
  case ExprKind::DimVar:
    return "dim";
  case ExprKind::Access:
    return "access";
  case ExprKind::Neg:
    return "neg";
  case ExprKind::Not:
    return "not";
  case ExprKind::ToReal:
    return "to_real";
  case ExprKind::Exp:
    return "exp";
  case ExprKind::Log:
    return "log";
  case ExprKind::Sqrt:
    return "sqrt";
  case ExprKind::Rsqrt:
    return "rsqrt";
  case ExprKind::Tanh:
    return "tanh";
  case ExprKind::Erf:
    return "erf";
  case ExprKind::Sigmoid:
    return "sigmoid";
  case ExprKind::Abs:
    return "abs";
  case ExprKind::Sin:
    return "sin";
  case ExprKind::Cos:
    return "cos";
  case ExprKind::Recip:
    return "recip";
  case ExprKind::Add:
    return "add";
  case ExprKind::Sub:
    return "sub";
  case ExprKind::Mul:
    return "mul";
  case ExprKind::Div:
    return "div";
  case ExprKind::Mod:
    return "mod";
  case ExprKind::Min:
    return "min";
  case ExprKind::Max:
    return "max";
  case ExprKind::Pow:
    return "pow";
  case ExprKind::Lt:
    return "lt";
  case ExprKind::Le:
    return "le";
  case ExprKind::Gt:
    return "gt";
  case ExprKind::Ge:
    return "ge";
  case ExprKind::Eq:
    return "eq";
  case ExprKind::Ne:
    return "ne";
  case ExprKind::And:
    return "and";
  case ExprKind::Or:
    return "or";
  case ExprKind::Select:
    return "select";
  case ExprKind::Sum:
    return "sum";
  case ExprKind::RMax:
    return "max";
  case ExprKind::RMin:
    return "min";
  }
  return "?";
}

const char* sort_name(Sort s) {
  switch (s) {
  case Sort::Int:
    return "int";
  case Sort::Real:
    return "real";
  case Sort::Bool:
    return "bool";
  }
  return "?";
}

bool is_unary(ExprKind k) { return k >= ExprKind::Neg && k <= ExprKind::Recip; }
bool is_binary(ExprKind k) { return k >= ExprKind::Add && k <= ExprKind::Or; }
bool is_reduce(ExprKind k) {
  return k == ExprKind::Sum || k == ExprKind::RMax || k == ExprKind::RMin;
}
bool is_real_function(ExprKind k) { return k >= ExprKind::Exp && k <= ExprKind::Recip; }

static bool is_comparison(ExprKind k) { return k >= ExprKind::Lt && k <= ExprKind::Ne; }

Expr ExprNode::int_const(int64_t v) {
  return Expr(new ExprNode(ExprKind::IntConst, Sort::Int, {}, "", v, 0));
}
Expr ExprNode::real_const(double v) {
  return Expr(new ExprNode(ExprKind::RealConst, Sort::Real, {}, "", 0, v));
}
Expr ExprNode::index_var(std::string name) {
  AXON_CHECK(!name.empty(), "index variable without a name");
  return Expr(new ExprNode(ExprKind::IndexVar, Sort::Int, {}, std::move(name), 0, 0));
}
Expr ExprNode::dim_var(std::string name) {
  AXON_CHECK(!name.empty(), "dim variable without a name");
  return Expr(new ExprNode(ExprKind::DimVar, Sort::Int, {}, std::move(name), 0, 0));
}
Expr ExprNode::access(std::string tensor, std::vector<Expr> indices, Sort value_sort) {
  AXON_CHECK(!tensor.empty(), "access without a tensor");
  AXON_CHECK(value_sort != Sort::Int, "tensors hold reals or booleans");
  for (auto& i : indices) {
    AXON_CHECK(i && i->sort() == Sort::Int, "index of " + tensor + " is not an int");
  }
  return Expr(
      new ExprNode(ExprKind::Access, value_sort, std::move(indices), std::move(tensor), 0, 0));
}

Expr ExprNode::unary(ExprKind k, Expr a) {
  AXON_CHECK(is_unary(k), std::string("not a unary op: ") + kind_name(k));
  AXON_CHECK(a != nullptr, "null operand");
  Sort s = a->sort();
  switch (k) {
  case ExprKind::Neg:
    AXON_CHECK(s != Sort::Bool, "neg of a bool");
    break;
  case ExprKind::Not:
    AXON_CHECK(s == Sort::Bool, "not of a non-bool");
    break;
  case ExprKind::ToReal:
    AXON_CHECK(s == Sort::Int, "to_real of a non-int");
    s = Sort::Real;
    break;
  default:
    AXON_CHECK(s == Sort::Real, std::string(kind_name(k)) + " of a non-real");
  }
  return Expr(new ExprNode(k, s, {std::move(a)}, "", 0, 0));
}

Expr ExprNode::binary(ExprKind k, Expr a, Expr b) {
  AXON_CHECK(is_binary(k), std::string("not a binary op: ") + kind_name(k));
  AXON_CHECK(a && b, "null operand");
  AXON_CHECK(a->sort() == b->sort(), std::string(kind_name(k)) + " of " + sort_name(a->sort()) +
                                         " and " + sort_name(b->sort()));
  Sort s = a->sort();
  if (k == ExprKind::And || k == ExprKind::Or) {
    AXON_CHECK(s == Sort::Bool, "and/or of non-bools");
  } else if (is_comparison(k)) {
    AXON_CHECK(s != Sort::Bool || k == ExprKind::Eq || k == ExprKind::Ne, "ordering of bools");
    s = Sort::Bool;
  } else {
    AXON_CHECK(s != Sort::Bool, std::string(kind_name(k)) + " of bools");
    if (k == ExprKind::Mod)
      AXON_CHECK(s == Sort::Int, "mod of reals");
    if (k == ExprKind::Pow)
      AXON_CHECK(s == Sort::Real, "pow of ints");
  }
  return Expr(new ExprNode(k, s, {std::move(a), std::move(b)}, "", 0, 0));
}

Expr ExprNode::select(Expr cond, Expr a, Expr b) {
  AXON_CHECK(cond && a && b, "null operand");
  AXON_CHECK(cond->sort() == Sort::Bool, "select condition is not a bool");
  AXON_CHECK(a->sort() == b->sort(), "select branches of different sorts");
  Sort s = a->sort();
  return Expr(
      new ExprNode(ExprKind::Select, s, {std::move(cond), std::move(a), std::move(b)}, "", 0, 0));
}

Expr ExprNode::reduce(ExprKind k, std::string var, Expr extent, Expr body) {
  AXON_CHECK(is_reduce(k), std::string("not a reduction: ") + kind_name(k));
  AXON_CHECK(!var.empty(), "reduction without a variable");
  AXON_CHECK(extent && extent->sort() == Sort::Int, "reduction extent is not an int");
  AXON_CHECK(body && body->sort() == Sort::Real, "reduction body is not a real");
  return Expr(
      new ExprNode(k, Sort::Real, {std::move(extent), std::move(body)}, std::move(var), 0, 0));
}

Expr operator+(const Expr& a, const Expr& b) { return ExprNode::binary(ExprKind::Add, a, b); }
Expr operator-(const Expr& a, const Expr& b) { return ExprNode::binary(ExprKind::Sub, a, b); }
Expr operator*(const Expr& a, const Expr& b) { return ExprNode::binary(ExprKind::Mul, a, b); }
Expr operator/(const Expr& a, const Expr& b) { return ExprNode::binary(ExprKind::Div, a, b); }

bool structurally_equal(const Expr& a, const Expr& b) {
  if (a.get() == b.get())
    return true;
  if (!a || !b)
    return false;
  if (a->kind() != b->kind() || a->sort() != b->sort() || a->name() != b->name() ||
      a->int_value() != b->int_value() || a->args().size() != b->args().size())
    return false;
  if (a->kind() == ExprKind::RealConst) {
    double x = a->real_value(), y = b->real_value();
    if (std::memcmp(&x, &y, sizeof(double)) != 0)
      return false;
  }
  for (size_t i = 0; i < a->args().size(); ++i)
    if (!structurally_equal(a->arg(i), b->arg(i)))
      return false;
  return true;
}

size_t structural_hash(const Expr& e) {
  size_t h = std::hash<int>()(static_cast<int>(e->kind()));
  auto mix = [&h](size_t v) { h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2); };
  mix(std::hash<std::string>()(e->name()));
  mix(std::hash<int64_t>()(e->int_value()));
  mix(std::hash<double>()(e->real_value()));
  for (auto& a : e->args())
    mix(structural_hash(a));
  return h;
}

std::string format_number(double v) {
  if (std::isinf(v))
    return v > 0 ? "inf" : "-inf";
  char buf[64];
  for (int prec = 1; prec <= 17; ++prec) {
    std::snprintf(buf, sizeof buf, "%.*g", prec, v);
    if (std::strtod(buf, nullptr) == v)
      break;
  }
  return buf;
}

// ---- printing -------------------------------------------------------------------------------

namespace {

// Precedence levels of the .tp grammar (higher binds tighter).
int precedence(ExprKind k) {
  switch (k) {
  case ExprKind::Or:
    return 1;
  case ExprKind::And:
    return 2;
  case ExprKind::Lt:
  case ExprKind::Le:
  case ExprKind::Gt:
  case ExprKind::Ge:
  case ExprKind::Eq:
  case ExprKind::Ne:
    return 3;
  case ExprKind::Add:
  case ExprKind::Sub:
    return 4;
  case ExprKind::Mul:
  case ExprKind::Div:
  case ExprKind::Mod:
    return 5;
  case ExprKind::Neg:
  case ExprKind::Not:
    return 6;
  case ExprKind::Pow:
    return 7;
  case ExprKind::Sum:
  case ExprKind::RMax:
  case ExprKind::RMin:
    return 0;
  default:
    return 8;
  }
}

const char* infix(ExprKind k) {
  switch (k) {
  case ExprKind::Add:
    return " + ";
  case ExprKind::Sub:
    return " - ";
  case ExprKind::Mul:
    return " * ";
  case ExprKind::Div:
    return " / ";
  case ExprKind::Mod:
    return " % ";
  case ExprKind::Pow:
    return " ** ";
  case ExprKind::Lt:
    return " < ";
  case ExprKind::Le:
    return " <= ";
  case ExprKind::Gt:
    return " > ";
  case ExprKind::Ge:
    return " >= ";
  case ExprKind::Eq:
    return " == ";
  case ExprKind::Ne:
    return " != ";
  case ExprKind::And:
    return " && ";
  case ExprKind::Or:
    return " || ";
  default:
    return nullptr;
  }
}

std::string format_real(double v) {
  std::string s = format_number(v);
  if (std::isinf(v))
    return s;
  // Keep a real literal recognisable as real when printed back.
  if (s.find_first_of(".eEn") == std::string::npos)
    s += ".0";
  return s;
}

void print(std::ostream& os, const Expr& e, int parent_prec, bool right_operand);

void print_wrapped(std::ostream& os, const Expr& e, int my_prec, int parent_prec, bool right,
                   const std::function<void()>& body) {
  // Reductions extend to the right: they need parentheses unless they are the whole right operand
  // context with nothing after them; we print them parenthesised whenever nested.
  bool paren = my_prec < parent_prec || (right && my_prec == parent_prec && my_prec != 7) ||
               (my_prec == 0 && parent_prec > 0);
  if (paren)
    os << "(";
  body();
  if (paren)
    os << ")";
}

void print(std::ostream& os, const Expr& e, int parent_prec, bool right) {
  ExprKind k = e->kind();
  switch (k) {
  case ExprKind::IntConst:
    if (e->int_value() < 0 && parent_prec > 0)
      os << "(" << e->int_value() << ")";
    else
      os << e->int_value();
    return;
  case ExprKind::RealConst: {
    std::string s = format_real(e->real_value());
    if (s[0] == '-' && parent_prec > 0)
      os << "(" << s << ")";
    else
      os << s;
    return;
  }
  case ExprKind::IndexVar:
  case ExprKind::DimVar:
    os << e->name();
    return;
  case ExprKind::Access:
    os << e->name() << "[";
    for (size_t i = 0; i < e->args().size(); ++i) {
      if (i)
        os << ", ";
      print(os, e->arg(i), 0, false);
    }
    os << "]";
    return;
  case ExprKind::Neg:
  case ExprKind::Not:
    print_wrapped(os, e, 6, parent_prec, right, [&] {
      os << (k == ExprKind::Neg ? "-" : "!");
      print(os, e->arg(0), 6, false);
    });
    return;
  case ExprKind::ToReal:
    os << "real(";
    print(os, e->arg(0), 0, false);
    os << ")";
    return;
  case ExprKind::Min:
  case ExprKind::Max:
    os << kind_name(k) << "(";
    print(os, e->arg(0), 0, false);
    os << ", ";
    print(os, e->arg(1), 0, false);
    os << ")";
    return;
  case ExprKind::Select:
    os << "select(";
    print(os, e->arg(0), 0, false);
    os << ", ";
    print(os, e->arg(1), 0, false);
    os << ", ";
    print(os, e->arg(2), 0, false);
    os << ")";
    return;
  case ExprKind::Sum:
  case ExprKind::RMax:
  case ExprKind::RMin:
    print_wrapped(os, e, 0, parent_prec, right, [&] {
      os << kind_name(k) << "(" << e->name() << ": ";
      print(os, e->extent(), 0, false);
      os << ") ";
      print(os, e->body(), 0, false);
    });
    return;
  default:
    break;
  }
  if (is_unary(k)) {
    os << kind_name(k) << "(";
    print(os, e->arg(0), 0, false);
    os << ")";
    return;
  }
  const char* op = infix(k);
  AXON_CHECK(op != nullptr, std::string("no printer for ") + kind_name(k));
  int p = precedence(k);
  print_wrapped(os, e, p, parent_prec, right, [&] {
    // Comparisons do not chain; parenthesise nested ones on both sides.
    int left_ctx = (p == 3) ? 4 : p;
    int right_ctx = (p == 3) ? 4 : p;
    print(os, e->arg(0), left_ctx, false);
    os << op;
    print(os, e->arg(1), right_ctx, true);
  });
}

} // namespace

std::string to_string(const Expr& e) {
  std::ostringstream os;
  print(os, e, 0, false);
  return os.str();
}

// ---- traversal ------------------------------------------------------------------------------

void visit(const Expr& e, const std::function<void(const ExprNode&)>& f) {
  f(*e);
  for (auto& a : e->args())
    visit(a, f);
}

bool has_reduction(const Expr& e) {
  if (is_reduce(e->kind()))
    return true;
  for (auto& a : e->args())
    if (has_reduction(a))
      return true;
  return false;
}

Expr map_args(const Expr& e, const std::function<Expr(const Expr&)>& f) {
  if (e->args().empty())
    return e;
  std::vector<Expr> args;
  args.reserve(e->args().size());
  for (auto& a : e->args())
    args.push_back(f(a));
  return with_args(e, std::move(args));
}

Expr with_args(const Expr& e, std::vector<Expr> args) {
  if (e->args().empty())
    return e;
  bool same = true;
  for (size_t i = 0; i < args.size(); ++i)
    same = same && args[i].get() == e->arg(i).get();
  if (same)
    return e;
  ExprKind k = e->kind();
  if (k == ExprKind::Access)
    return ExprNode::access(e->name(), std::move(args), e->sort());
  if (is_unary(k))
    return ExprNode::unary(k, args[0]);
  if (is_binary(k))
    return ExprNode::binary(k, args[0], args[1]);
  if (k == ExprKind::Select)
    return ExprNode::select(args[0], args[1], args[2]);
  if (is_reduce(k))
    return ExprNode::reduce(k, e->name(), args[0], args[1]);
  internal_error(std::string("cannot rebuild ") + kind_name(k));
}

static Expr substitute_impl(const Expr& e, const std::function<Expr(const ExprNode&)>& leaf_map,
                            std::set<std::string>& bound) {
  ExprKind k = e->kind();
  if (k == ExprKind::IndexVar || k == ExprKind::DimVar) {
    if (k == ExprKind::IndexVar && bound.count(e->name()))
      return e;
    Expr r = leaf_map(*e);
    return r ? r : e;
  }
  if (is_reduce(k)) {
    Expr ext = substitute_impl(e->extent(), leaf_map, bound);
    bool was_bound = bound.count(e->name()) != 0;
    bound.insert(e->name());
    Expr body = substitute_impl(e->body(), leaf_map, bound);
    if (!was_bound)
      bound.erase(e->name());
    return with_args(e, {ext, body});
  }
  if (e->args().empty())
    return e;
  return map_args(e, [&](const Expr& a) { return substitute_impl(a, leaf_map, bound); });
}

Expr substitute(const Expr& e, const std::function<Expr(const ExprNode&)>& leaf_map) {
  std::set<std::string> bound;
  return substitute_impl(e, leaf_map, bound);
}

Expr substitute_index(const Expr& e, const std::string& var, const Expr& value) {
  return substitute(e, [&](const ExprNode& n) -> Expr {
    return (n.kind() == ExprKind::IndexVar && n.name() == var) ? value : nullptr;
  });
}

static void free_vars_impl(const Expr& e, std::set<std::string>& bound,
                           std::vector<std::string>& out) {
  if (e->kind() == ExprKind::IndexVar) {
    if (!bound.count(e->name()) && std::find(out.begin(), out.end(), e->name()) == out.end())
      out.push_back(e->name());
    return;
  }
  if (is_reduce(e->kind())) {
    free_vars_impl(e->extent(), bound, out);
    bool was = bound.count(e->name()) != 0;
    bound.insert(e->name());
    free_vars_impl(e->body(), bound, out);
    if (!was)
      bound.erase(e->name());
    return;
  }
  for (auto& a : e->args())
    free_vars_impl(a, bound, out);
}

std::vector<std::string> free_index_vars(const Expr& e) {
  std::set<std::string> bound;
  std::vector<std::string> out;
  free_vars_impl(e, bound, out);
  return out;
}

std::vector<std::string> tensors_read(const Expr& e) {
  std::vector<std::string> out;
  visit(e, [&](const ExprNode& n) {
    if (n.kind() == ExprKind::Access && std::find(out.begin(), out.end(), n.name()) == out.end())
      out.push_back(n.name());
  });
  return out;
}

Expr simplify_int(const Expr& e) {
  if (e->sort() != Sort::Int || e->args().empty())
    return e;
  if (e->kind() == ExprKind::Access)
    return e;
  std::vector<Expr> args;
  for (auto& a : e->args())
    args.push_back(simplify_int(a));
  auto is_c = [](const Expr& x, int64_t v) {
    return x->kind() == ExprKind::IntConst && x->int_value() == v;
  };
  auto both_c = args.size() == 2 && args[0]->kind() == ExprKind::IntConst &&
                args[1]->kind() == ExprKind::IntConst;
  switch (e->kind()) {
  case ExprKind::Add:
    if (both_c)
      return ExprNode::int_const(args[0]->int_value() + args[1]->int_value());
    if (is_c(args[0], 0))
      return args[1];
    if (is_c(args[1], 0))
      return args[0];
    break;
  case ExprKind::Sub:
    if (both_c)
      return ExprNode::int_const(args[0]->int_value() - args[1]->int_value());
    if (is_c(args[1], 0))
      return args[0];
    break;
  case ExprKind::Mul:
    if (both_c)
      return ExprNode::int_const(args[0]->int_value() * args[1]->int_value());
    if (is_c(args[0], 0) || is_c(args[1], 0))
      return ExprNode::int_const(0);
    if (is_c(args[0], 1))
      return args[1];
    if (is_c(args[1], 1))
      return args[0];
    break;
  case ExprKind::Div:
    if (both_c && args[1]->int_value() != 0)
      return ExprNode::int_const(floor_div(args[0]->int_value(), args[1]->int_value()));
    if (is_c(args[1], 1))
      return args[0];
    break;
  case ExprKind::Neg:
    if (args[0]->kind() == ExprKind::IntConst)
      return ExprNode::int_const(-args[0]->int_value());
    break;
  default:
    break;
  }
  return with_args(e, std::move(args));
}

} // namespace axon
