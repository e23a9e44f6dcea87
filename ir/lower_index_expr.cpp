// Resolves index-notation parse trees into checked Exprs (see index_scope.h).
#include <algorithm>
#include <cerrno>
#include <cmath>

#include "ir/error.h"
#include "ir/index_scope.h"
#include "ir/ranges.h"

namespace axon {

namespace {

struct Fn {
  const char* name;
  ExprKind kind;
  int arity;
};
const Fn kFunctions[] = {
    {"exp", ExprKind::Exp, 1},         {"log", ExprKind::Log, 1},
    {"sqrt", ExprKind::Sqrt, 1},       {"rsqrt", ExprKind::Rsqrt, 1},
    {"tanh", ExprKind::Tanh, 1},       {"erf", ExprKind::Erf, 1},
    {"sigmoid", ExprKind::Sigmoid, 1}, {"abs", ExprKind::Abs, 1},
    {"sin", ExprKind::Sin, 1},         {"cos", ExprKind::Cos, 1},
    {"recip", ExprKind::Recip, 1},     {"real", ExprKind::ToReal, 1},
    {"max", ExprKind::Max, 2},         {"min", ExprKind::Min, 2},
    {"pow", ExprKind::Pow, 2},         {"select", ExprKind::Select, 3},
    {"where", ExprKind::Select, 3},
};

[[noreturn]] void err(const IndexScope& s, Loc loc, const std::string& msg,
                      const std::string& hint = "") {
  user_error_at(*s.src, loc, msg, hint);
}

Expr to_real(const Expr& e) {
  if (e->sort() == Sort::Real)
    return e;
  if (e->kind() == ExprKind::IntConst)
    return ExprNode::real_const(static_cast<double>(e->int_value()));
  return ExprNode::unary(ExprKind::ToReal, e);
}

ExprKind binary_kind(const std::string& op) {
  static const std::map<std::string, ExprKind> m = {
      {"+", ExprKind::Add},  {"-", ExprKind::Sub},  {"*", ExprKind::Mul}, {"/", ExprKind::Div},
      {"%", ExprKind::Mod},  {"**", ExprKind::Pow}, {"<", ExprKind::Lt},  {"<=", ExprKind::Le},
      {">", ExprKind::Gt},   {">=", ExprKind::Ge},  {"==", ExprKind::Eq}, {"!=", ExprKind::Ne},
      {"&&", ExprKind::And}, {"||", ExprKind::Or}};
  return m.at(op);
}

// Index positions of an access list: for each argument, which dimension of the tensor it indexes
// (an ellipsis covers the tensor's batch dims, or every dim not named by the other arguments).
struct AccessLayout {
  std::vector<std::pair<const AstExpr*, size_t>> plain; // (argument, tensor dim)
  bool has_ellipsis = false;
  size_t ellipsis_first = 0, ellipsis_count = 0;
};

AccessLayout layout_of(const AstExpr& access, const ScopeTensor& t, const IndexScope& s) {
  AccessLayout L;
  size_t n_ell = 0;
  for (auto& a : access.args)
    n_ell += a->kind == AstExpr::Kind::Ellipsis;
  size_t rank = t.shape.size();
  if (n_ell > 1)
    err(s, access.loc, "at most one '...' in an index list");
  if (n_ell == 0) {
    if (access.args.size() != rank)
      err(s, access.loc,
          "'" + access.text + "' has rank " + std::to_string(rank) + " (shape " +
              shape_to_string(t.shape) + ") but is indexed with " +
              std::to_string(access.args.size()) + " indices",
          "give one index per dimension");
    for (size_t i = 0; i < rank; ++i)
      L.plain.push_back({access.args[i].get(), i});
    return L;
  }
  if (!s.allow_ellipsis)
    err(s, access.loc, "'...' is only allowed inside op specs");
  size_t named = access.args.size() - 1;
  if (named > rank)
    err(s, access.loc,
        "'" + access.text + "' has rank " + std::to_string(rank) + " but " + std::to_string(named) +
            " indices besides '...'");
  L.has_ellipsis = true;
  size_t pos = 0;
  bool after = false;
  for (auto& a : access.args) {
    if (a->kind == AstExpr::Kind::Ellipsis) {
      L.ellipsis_first = pos;
      L.ellipsis_count = rank - named;
      pos += L.ellipsis_count;
      after = true;
      continue;
    }
    L.plain.push_back({a.get(), pos++});
  }
  (void)after;
  return L;
}

class Lowerer {
public:
  explicit Lowerer(IndexScope& s) : s_(s) {}

  Expr lower(const AstExpr& e) {
    switch (e.kind) {
    case AstExpr::Kind::Number:
      if (e.is_int()) {
        errno = 0;
        long long v = std::strtoll(e.text.c_str(), nullptr, 10);
        if (errno == ERANGE)
          err(s_, e.loc, "integer " + e.text + " is out of range");
        return ExprNode::int_const(v);
      }
      return ExprNode::real_const(e.number());
    case AstExpr::Kind::String:
      err(s_, e.loc, "a string is not a value in index notation");
    case AstExpr::Kind::Ellipsis:
      err(s_, e.loc, "'...' may only appear in an index list");
    case AstExpr::Kind::List:
      err(s_, e.loc, "a list is not a value in index notation");
    case AstExpr::Kind::Name:
      return lower_name(e);
    case AstExpr::Kind::Index:
      return lower_access(e);
    case AstExpr::Kind::Call:
      return lower_call(e);
    case AstExpr::Kind::Unary: {
      Expr a = lower(*e.args[0]);
      if (e.text == "!") {
        if (a->sort() != Sort::Bool)
          err(s_, e.loc, "'!' needs a condition");
        return ExprNode::unary(ExprKind::Not, a);
      }
      if (a->sort() == Sort::Bool)
        err(s_, e.loc, "cannot negate a condition", "use '!'");
      if (a->kind() == ExprKind::IntConst)
        return ExprNode::int_const(-a->int_value());
      if (a->kind() == ExprKind::RealConst)
        return ExprNode::real_const(-a->real_value());
      return ExprNode::unary(ExprKind::Neg, a);
    }
    case AstExpr::Kind::Binary:
      return lower_binary(e);
    case AstExpr::Kind::Reduce:
      return lower_reduce(e);
    }
    internal_error("unknown parse tree node");
  }

private:
  Expr lower_name(const AstExpr& e) {
    const std::string& n = e.text;
    if (auto ext = s_.var_extent(n))
      return ExprNode::index_var(n);
    if (s_.dim)
      if (auto d = s_.dim(n))
        return *d;
    if (s_.scalar)
      if (auto v = s_.scalar(n))
        return ExprNode::real_const(*v);
    if (const ScopeTensor* t = s_.tensor ? s_.tensor(n) : nullptr) {
      if (t->literal)
        return ExprNode::real_const(*t->literal);
      if (!t->shape.empty())
        err(s_, e.loc, "tensor '" + n + "' has shape " + shape_to_string(t->shape) + "; index it",
            "write " + n + "[" + std::string(t->shape.size() == 1 ? "i" : "i, j") + "...]");
      return ExprNode::access(t->ssa, {}, t->sort);
    }
    if (n == "inf")
      return ExprNode::real_const(INFINITY);
    err(s_, e.loc, "unknown name '" + n + "' in index notation",
        "index variables must appear on the left-hand side or be bound by sum/max/min; "
        "tensors must be defined before use");
  }

  Expr lower_access(const AstExpr& e) {
    const ScopeTensor* t = s_.tensor ? s_.tensor(e.text) : nullptr;
    if (!t) {
      if (s_.dim && s_.dim(e.text))
        err(s_, e.loc, "'" + e.text + "' is a dimension, not a tensor");
      err(s_, e.loc, "unknown tensor '" + e.text + "'", "define it before this statement");
    }
    AccessLayout L = layout_of(e, *t, s_);
    std::vector<Expr> idx(t->shape.size());
    for (auto& [arg, dim] : L.plain) {
      Expr i = lower(*arg);
      if (i->sort() != Sort::Int)
        err(s_, arg->loc,
            "index " + std::to_string(dim) + " of '" + e.text + "' is not an integer expression");
      idx[dim] = i;
    }
    if (L.has_ellipsis) {
      // Right-align the tensor's batch dims with the statement's batch variables; literal size-1
      // dims broadcast (index 0).
      size_t nb = L.ellipsis_count;
      if (nb > s_.batch_vars.size())
        err(s_, e.loc,
            "'" + e.text + "' has " + std::to_string(nb) + " batch dims but the statement has " +
                std::to_string(s_.batch_vars.size()));
      size_t off = s_.batch_vars.size() - nb;
      for (size_t i = 0; i < nb; ++i) {
        const Expr& d = t->shape[L.ellipsis_first + i];
        bool bcast = is_literal_one(d) && !is_literal_one(s_.batch_shape[off + i]);
        idx[L.ellipsis_first + i] =
            bcast ? ExprNode::int_const(0) : ExprNode::index_var(s_.batch_vars[off + i]);
      }
    }
    if (t->literal)
      return ExprNode::real_const(*t->literal);
    return ExprNode::access(t->ssa, std::move(idx), t->sort);
  }

  Expr lower_call(const AstExpr& e) {
    if (!e.kwargs.empty())
      err(s_, e.loc, "keyword arguments are not allowed in index notation");
    const Fn* fn = nullptr;
    for (auto& f : kFunctions)
      if (e.text == f.name)
        fn = &f;
    if (!fn) {
      std::string list;
      for (auto& f : index_functions())
        list += (list.empty() ? "" : ", ") + f;
      err(s_, e.loc, "unknown function '" + e.text + "' in index notation", "available: " + list);
    }
    if (static_cast<int>(e.args.size()) != fn->arity)
      err(s_, e.loc,
          "'" + e.text + "' takes " + std::to_string(fn->arity) + " argument" +
              (fn->arity == 1 ? "" : "s") + ", got " + std::to_string(e.args.size()));
    std::vector<Expr> a;
    for (auto& x : e.args)
      a.push_back(lower(*x));
    if (fn->kind == ExprKind::ToReal) {
      if (a[0]->sort() != Sort::Int)
        err(s_, e.loc, "real() takes an integer expression");
      return to_real(a[0]);
    }
    if (fn->kind == ExprKind::Select) {
      if (a[0]->sort() != Sort::Bool)
        err(s_, e.args[0]->loc, "the condition of " + e.text + " must be a comparison");
      if (a[1]->sort() == Sort::Bool || a[2]->sort() == Sort::Bool)
        err(s_, e.loc, "the branches of " + e.text + " must be values");
      if (a[1]->sort() != a[2]->sort()) {
        a[1] = to_real(a[1]);
        a[2] = to_real(a[2]);
      }
      return ExprNode::select(a[0], a[1], a[2]);
    }
    for (size_t i = 0; i < a.size(); ++i)
      if (a[i]->sort() == Sort::Bool)
        err(s_, e.args[i]->loc, "'" + e.text + "' of a condition");
    if (fn->arity == 2) {
      if (fn->kind == ExprKind::Pow || a[0]->sort() != a[1]->sort()) {
        a[0] = to_real(a[0]);
        a[1] = to_real(a[1]);
      }
      return ExprNode::binary(fn->kind, a[0], a[1]);
    }
    return ExprNode::unary(fn->kind, to_real(a[0]));
  }

  Expr lower_binary(const AstExpr& e) {
    Expr a = lower(*e.args[0]);
    Expr b = lower(*e.args[1]);
    ExprKind k = binary_kind(e.text);
    if (k == ExprKind::And || k == ExprKind::Or) {
      if (a->sort() != Sort::Bool || b->sort() != Sort::Bool)
        err(s_, e.loc, "'" + e.text + "' needs conditions on both sides");
      return ExprNode::binary(k, a, b);
    }
    if (a->sort() == Sort::Bool || b->sort() == Sort::Bool) {
      if ((k == ExprKind::Eq || k == ExprKind::Ne) && a->sort() == b->sort())
        return ExprNode::binary(k, a, b);
      err(s_, e.loc, "'" + e.text + "' of a condition",
          "use select(cond, a, b) to turn a condition into a value");
    }
    if (k == ExprKind::Mod && (a->sort() != Sort::Int || b->sort() != Sort::Int))
      err(s_, e.loc, "'%' takes integer operands");
    if (k == ExprKind::Pow || a->sort() != b->sort()) {
      a = to_real(a);
      b = to_real(b);
    }
    return ExprNode::binary(k, a, b);
  }

  Expr lower_reduce(const AstExpr& e) {
    const std::string& v = e.var;
    if (s_.var_extent(v))
      err(s_, e.loc, "reduction variable '" + v + "' shadows an index variable in scope",
          "pick another name");
    if (s_.dim && s_.dim(v))
      err(s_, e.loc, "reduction variable '" + v + "' is also a dimension name",
          "pick another name");
    if (s_.tensor && s_.tensor(v))
      err(s_, e.loc, "reduction variable '" + v + "' is also a tensor name", "pick another name");
    Expr extent;
    if (e.extent) {
      extent = lower(*e.extent);
      if (extent->sort() != Sort::Int)
        err(s_, e.extent->loc, "the range of '" + v + "' must be an integer expression");
      if (s_.dim_values) {
        // An extent written as a constant or from dims with sizes (not from index variables).
        auto n = eval_size_checked(extent, *s_.dim_values, [&](const std::string& why) {
          err(s_, e.extent->loc, "the range of '" + v + "': " + why);
        });
        if (!n && canonical_dim(extent)->kind() == ExprKind::IntConst)
          n = canonical_dim(extent)->int_value();
        if (n) {
          std::string bad = extent_problem(*n, "the range of '" + v + "'");
          if (!bad.empty())
            err(s_, e.extent->loc, bad, "sizes are integers from 1 to 2^40 (docs/reliability.md)");
        }
      }
    } else {
      auto inferred = infer_extent(*e.args[0], v, s_);
      if (!inferred)
        err(s_, e.loc, "cannot infer the range of reduction variable '" + v + "'",
            "use it as a plain index somewhere in the body, or write " + e.text + "(" + v + ": N)");
      extent = *inferred;
    }
    s_.vars.push_back({v, extent});
    Expr body = lower(*e.args[0]);
    s_.vars.pop_back();
    if (body->sort() == Sort::Bool)
      err(s_, e.loc, "the body of '" + e.text + "' is a condition, not a value");
    ExprKind k = e.text == "sum"   ? ExprKind::Sum
                 : e.text == "max" ? ExprKind::RMax
                                   : ExprKind::RMin;
    return ExprNode::reduce(k, v, extent, to_real(body));
  }

  IndexScope& s_;
};

void collect_extents(const AstExpr& e, const std::string& var, const IndexScope& s,
                     std::vector<std::pair<Expr, std::string>>& found, Loc& first_loc) {
  if (e.kind == AstExpr::Kind::Reduce && e.var == var) {
    if (e.extent)
      collect_extents(*e.extent, var, s, found, first_loc);
    return; // shadowed inside
  }
  if (e.kind == AstExpr::Kind::Index) {
    const ScopeTensor* t = s.tensor ? s.tensor(e.text) : nullptr;
    if (t) {
      AccessLayout L = layout_of(e, *t, s);
      for (auto& [arg, dim] : L.plain) {
        if (arg->kind == AstExpr::Kind::Name && arg->text == var) {
          // Equality of dims is transitive: comparing each use with the first is enough (and
          // linear; comparing with every earlier use was quadratic in the number of uses).
          if (!found.empty() && !dim_equal(found.front().first, t->shape[dim]))
            err(s, arg->loc,
                "index '" + var + "' ranges over " + dim_to_string(found.front().first) + " in " +
                    found.front().second + " but over " + dim_to_string(t->shape[dim]) + " in " +
                    e.text + " (shape " + shape_to_string(t->shape) + ")",
                "use different index variables, or make the dims agree");
          if (found.empty())
            first_loc = arg->loc;
          found.push_back({t->shape[dim], e.text});
        }
      }
    }
  }
  for (auto& a : e.args)
    collect_extents(*a, var, s, found, first_loc);
  if (e.extent)
    collect_extents(*e.extent, var, s, found, first_loc);
}

} // namespace

std::optional<Expr> IndexScope::var_extent(const std::string& name) const {
  for (auto it = vars.rbegin(); it != vars.rend(); ++it)
    if (it->first == name)
      return it->second;
  return std::nullopt;
}

Expr lower_index_expr(const AstExpr& e, IndexScope& scope) { return Lowerer(scope).lower(e); }

std::optional<Expr> infer_extent(const AstExpr& e, const std::string& var,
                                 const IndexScope& scope) {
  std::vector<std::pair<Expr, std::string>> found;
  Loc first;
  collect_extents(e, var, scope, found, first);
  if (found.empty())
    return std::nullopt;
  return found.front().first;
}

const std::vector<std::string>& index_functions() {
  static const std::vector<std::string> names = [] {
    std::vector<std::string> n;
    for (auto& f : kFunctions)
      n.push_back(f.name);
    n.push_back("sum(k) body");
    n.push_back("max(k) body");
    n.push_back("min(k) body");
    return n;
  }();
  return names;
}

} // namespace axon
