// Unrolling an obligation at concrete sizes into a quantifier-free query (see bounded.h).
#include "smt/bounded.h"

#include <functional>
#include <set>

#include "ir/error.h"
#include "smt/encode.h"

namespace axon::smt {

namespace {

struct Unroll {}; // thrown when unrolling is impossible; `why` says why

class Unroller {
public:
  Unroller(const std::map<std::string, int64_t>& dims,
           const std::map<std::string, std::vector<int64_t>>& shapes)
      : dims_(dims), shapes_(shapes) {}

  std::string why;
  BoundedQuery bq;

  int64_t ival(const Expr& e) {
    switch (e->kind()) {
    case ExprKind::IntConst:
      return e->int_value();
    case ExprKind::IndexVar: {
      auto it = env_.find(e->name());
      if (it == env_.end())
        fail("unbound index " + e->name());
      return it->second;
    }
    case ExprKind::DimVar: {
      auto it = dims_.find(e->name());
      if (it == dims_.end())
        fail("unbound dim " + e->name());
      return it->second;
    }
    case ExprKind::Neg:
      return -ival(e->arg(0));
    case ExprKind::Add:
      return ival(e->arg(0)) + ival(e->arg(1));
    case ExprKind::Sub:
      return ival(e->arg(0)) - ival(e->arg(1));
    case ExprKind::Mul:
      return ival(e->arg(0)) * ival(e->arg(1));
    case ExprKind::Div:
    case ExprKind::Mod: {
      int64_t a = ival(e->arg(0)), b = ival(e->arg(1));
      if (b == 0)
        return 0;
      int64_t q = a / b;
      if ((a % b != 0) && ((a < 0) != (b < 0)))
        --q;
      return e->kind() == ExprKind::Div ? q : a - b * q;
    }
    case ExprKind::Min:
      return std::min(ival(e->arg(0)), ival(e->arg(1)));
    case ExprKind::Max:
      return std::max(ival(e->arg(0)), ival(e->arg(1)));
    case ExprKind::Select: {
      SExpr c = bexpr(e->arg(0));
      if (c.kind != SExpr::Kind::Sym || (c.sym != "true" && c.sym != "false"))
        fail("an index depends on a real value");
      return c.sym == "true" ? ival(e->arg(1)) : ival(e->arg(2));
    }
    default:
      fail(std::string("cannot evaluate int ") + kind_name(e->kind()));
    }
  }

  SExpr bexpr(const Expr& e) {
    auto lit = [](bool b) { return s_sym(b ? "true" : "false"); };
    auto is_lit = [](const SExpr& s) {
      return s.kind == SExpr::Kind::Sym && (s.sym == "true" || s.sym == "false");
    };
    switch (e->kind()) {
    case ExprKind::Access: // a bool mask element: true when its Real constant is positive (the
                           // replay reads inputs of bool tensors the same way)
      return s_app(">", {element(e), s_real(0)});
    case ExprKind::Not: {
      SExpr a = bexpr(e->arg(0));
      return is_lit(a) ? lit(a.sym == "false") : s_app("not", {a});
    }
    case ExprKind::And:
    case ExprKind::Or: {
      SExpr a = bexpr(e->arg(0)), b = bexpr(e->arg(1));
      bool is_and = e->kind() == ExprKind::And;
      if (is_lit(a))
        return (a.sym == "true") == is_and ? b : a;
      if (is_lit(b))
        return (b.sym == "true") == is_and ? a : b;
      return s_app(is_and ? "and" : "or", {a, b});
    }
    case ExprKind::Lt:
    case ExprKind::Le:
    case ExprKind::Gt:
    case ExprKind::Ge:
    case ExprKind::Eq:
    case ExprKind::Ne: {
      static const std::map<ExprKind, const char*> ops = {{ExprKind::Lt, "<"}, {ExprKind::Le, "<="},
                                                          {ExprKind::Gt, ">"}, {ExprKind::Ge, ">="},
                                                          {ExprKind::Eq, "="}, {ExprKind::Ne, "="}};
      if (e->arg(0)->sort() == Sort::Int) {
        int64_t a = ival(e->arg(0)), b = ival(e->arg(1));
        bool r = e->kind() == ExprKind::Lt   ? a < b
                 : e->kind() == ExprKind::Le ? a <= b
                 : e->kind() == ExprKind::Gt ? a > b
                 : e->kind() == ExprKind::Ge ? a >= b
                 : e->kind() == ExprKind::Eq ? a == b
                                             : a != b;
        return lit(r);
      }
      SExpr a = e->arg(0)->sort() == Sort::Bool ? bexpr(e->arg(0)) : rexpr(e->arg(0));
      SExpr b = e->arg(1)->sort() == Sort::Bool ? bexpr(e->arg(1)) : rexpr(e->arg(1));
      SExpr r = s_app(ops.at(e->kind()), {a, b});
      return e->kind() == ExprKind::Ne ? s_app("not", {r}) : r;
    }
    default:
      fail(std::string("cannot encode bool ") + kind_name(e->kind()));
    }
  }

  SExpr rexpr(const Expr& e) {
    if (++terms_ > 200000)
      fail("too large to unroll");
    switch (e->kind()) {
    case ExprKind::RealConst:
      return s_real(Rational::from_double(e->real_value()));
    case ExprKind::ToReal:
      return s_real(ival(e->arg(0)));
    case ExprKind::Access:
      return element(e);
    case ExprKind::Neg:
      return s_app("-", {rexpr(e->arg(0))});
    case ExprKind::Add:
      return s_app("+", {rexpr(e->arg(0)), rexpr(e->arg(1))});
    case ExprKind::Sub:
      return s_app("-", {rexpr(e->arg(0)), rexpr(e->arg(1))});
    case ExprKind::Mul:
      return s_app("*", {rexpr(e->arg(0)), rexpr(e->arg(1))});
    case ExprKind::Div:
      return div(rexpr(e->arg(0)), rexpr(e->arg(1)));
    case ExprKind::Recip:
      return div(s_real(1), rexpr(e->arg(0)));
    case ExprKind::Min:
    case ExprKind::Max: {
      SExpr a = rexpr(e->arg(0)), b = rexpr(e->arg(1));
      return s_app("ite", {s_app(e->kind() == ExprKind::Max ? ">=" : "<=", {a, b}), a, b});
    }
    case ExprKind::Abs: {
      SExpr a = rexpr(e->arg(0));
      return s_app("ite", {s_app(">=", {a, s_real(0)}), a, s_app("-", {a})});
    }
    case ExprKind::Select: {
      SExpr c = bexpr(e->arg(0));
      if (c.kind == SExpr::Kind::Sym && c.sym == "true")
        return rexpr(e->arg(1));
      if (c.kind == SExpr::Kind::Sym && c.sym == "false")
        return rexpr(e->arg(2));
      return s_app("ite", {c, rexpr(e->arg(1)), rexpr(e->arg(2))});
    }
    case ExprKind::Pow: {
      if (e->arg(1)->kind() == ExprKind::RealConst) {
        double p = e->arg(1)->real_value();
        if (p == static_cast<int>(p) && p >= 0 && p <= 8) {
          SExpr a = rexpr(e->arg(0));
          std::vector<SExpr> xs(static_cast<size_t>(p), a);
          if (xs.empty())
            return s_real(1);
          return xs.size() == 1 ? xs[0] : s_app("*", xs);
        }
      }
      return fn("pow", {rexpr(e->arg(0)), rexpr(e->arg(1))});
    }
    case ExprKind::Sigmoid: {
      SExpr x = rexpr(e->arg(0));
      return div(s_real(1), s_app("+", {s_real(1), fn("exp", {s_app("-", {x})})}));
    }
    case ExprKind::Exp:
    case ExprKind::Log:
    case ExprKind::Sqrt:
    case ExprKind::Rsqrt:
    case ExprKind::Tanh:
    case ExprKind::Erf:
    case ExprKind::Sin:
    case ExprKind::Cos:
      return fn(kind_name(e->kind()), {rexpr(e->arg(0))});
    case ExprKind::Sum:
    case ExprKind::RMax:
    case ExprKind::RMin: {
      int64_t n = ival(e->extent());
      std::vector<SExpr> xs;
      auto saved = env_.count(e->name()) ? std::optional<int64_t>(env_[e->name()]) : std::nullopt;
      for (int64_t k = 0; k < n; ++k) {
        env_[e->name()] = k;
        xs.push_back(rexpr(e->body()));
      }
      if (saved)
        env_[e->name()] = *saved;
      else
        env_.erase(e->name());
      if (e->kind() == ExprKind::Sum) {
        if (xs.empty())
          return s_real(0);
        return xs.size() == 1 ? xs[0] : s_app("+", xs);
      }
      if (xs.empty())
        fail("max/min over an empty range (-inf/+inf) at these sizes");
      SExpr acc = xs[0];
      for (size_t i = 1; i < xs.size(); ++i)
        acc = s_app("ite",
                    {s_app(e->kind() == ExprKind::RMax ? ">=" : "<=", {acc, xs[i]}), acc, xs[i]});
      return acc;
    }
    default:
      fail(std::string("cannot encode real ") + kind_name(e->kind()));
    }
  }

  void bind(const std::string& v, int64_t x) { env_[v] = x; }
  void declare(const std::string& n, std::vector<Sort> args, Sort r) {
    if (declared_.insert(n).second)
      bq.query.decls.push_back(SmtDecl{n, std::move(args), r});
  }
  void fact(const SExpr& f) {
    if (facts_.insert(to_string(f)).second)
      bq.query.asserts.push_back(f);
  }

private:
  [[noreturn]] void fail(const std::string& w) {
    why = w;
    throw Unroll{};
  }

  SExpr div(const SExpr& a, const SExpr& b) {
    return s_app("ite", {s_app("=", {b, s_real(0)}), s_real(0), s_app("/", {a, b})});
  }

  SExpr fn(const std::string& name, std::vector<SExpr> args) {
    std::string f = "f_" + name;
    declare(f, std::vector<Sort>(args.size(), Sort::Real), Sort::Real);
    SExpr t = s_app(f, args);
    const SExpr& x = args[0];
    if (name == "exp")
      fact(s_app(">", {t, s_real(0)}));
    if (name == "sqrt")
      fact(s_app("=>", {s_app(">=", {x, s_real(0)}),
                        s_app("and", {s_app(">=", {t, s_real(0)}),
                                      s_app("=", {s_app("*", {t, t}), x})})}));
    if (name == "rsqrt")
      fact(s_app("=>", {s_app(">", {x, s_real(0)}),
                        s_app("and", {s_app(">", {t, s_real(0)}),
                                      s_app("=", {s_app("*", {t, t, x}), s_real(1)})})}));
    return t;
  }

  SExpr element(const Expr& e) {
    auto sh = shapes_.find(e->name());
    if (sh == shapes_.end())
      fail("tensor " + e->name() + " is not an input");
    std::vector<int64_t> idx;
    for (auto& a : e->args())
      idx.push_back(ival(a));
    bool in_range = idx.size() == sh->second.size();
    for (size_t i = 0; in_range && i < idx.size(); ++i)
      in_range = idx[i] >= 0 && idx[i] < sh->second[i];
    if (!in_range)
      fail("out-of-range read of " + e->name() + " at these sizes");
    std::string sym = smt_symbol("e_", e->name());
    for (auto i : idx)
      sym += "_" + std::to_string(i);
    if (declared_.count(sym) == 0) {
      declare(sym, {}, Sort::Real);
      bq.query.model_symbols.push_back(sym);
      bq.elements[sym] = ElementRef{e->name(), idx};
      fact(s_app("and",
                 {s_app("<=", {s_real(-4), s_sym(sym)}), s_app("<=", {s_sym(sym), s_real(4)})}));
    }
    return s_sym(sym);
  }

  const std::map<std::string, int64_t>& dims_;
  const std::map<std::string, std::vector<int64_t>>& shapes_;
  std::map<std::string, int64_t> env_;
  std::set<std::string> declared_, facts_;
  size_t terms_ = 0;
};

} // namespace

std::optional<BoundedQuery>
encode_bounded(const Obligation& ob, const std::map<std::string, int64_t>& dims,
               const std::map<std::string, std::vector<int64_t>>& input_shapes, std::string* why) {
  Unroller u(dims, input_shapes);
  try {
    u.bq.query.comments.push_back("bounded refutation query for " + ob.name);
    for (auto& a : ob.assumptions) {
      SExpr c = u.bexpr(a);
      if (c.kind == SExpr::Kind::Sym && c.sym == "false") {
        *why = "assumptions do not hold at these sizes";
        return std::nullopt;
      }
      if (!(c.kind == SExpr::Kind::Sym && c.sym == "true"))
        u.fact(c);
    }
    std::vector<int64_t> ext;
    int64_t total = 1;
    for (auto& [v, e] : ob.index_vars) {
      ext.push_back(u.ival(e));
      total *= std::max<int64_t>(ext.back(), 0);
    }
    if (total > 256) {
      *why = "too many output elements to unroll";
      return std::nullopt;
    }
    std::vector<SExpr> diffs;
    SExpr delta = s_real(Rational(1, 1024));
    for (int64_t flat = 0; flat < total; ++flat) {
      int64_t rem = flat;
      for (size_t i = ob.index_vars.size(); i-- > 0;) {
        u.bind(ob.index_vars[i].first, rem % ext[i]);
        rem /= ext[i];
      }
      SExpr d = s_app("-", {u.rexpr(ob.lhs), u.rexpr(ob.rhs)});
      diffs.push_back(s_app("or", {s_app(">", {d, delta}), s_app("<", {d, s_app("-", {delta})})}));
    }
    if (diffs.empty()) {
      *why = "no output elements at these sizes";
      return std::nullopt;
    }
    u.fact(diffs.size() == 1 ? diffs[0] : s_app("or", diffs));
  } catch (const Unroll&) {
    *why = u.why;
    return std::nullopt;
  } catch (const RationalOverflow&) {
    *why = "a constant has no exact rational form (inf or too many digits)";
    return std::nullopt;
  }
  return u.bq;
}

} // namespace axon::smt
