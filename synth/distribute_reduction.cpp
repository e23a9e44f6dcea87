// Distributing sums over the terms of their expanded bodies.
#include "synth/distribute_reduction.h"

#include <cmath>

#include "synth/expr_edit.h"

namespace axon::synth {

namespace {

constexpr size_t kMaxTerms = 16;
using Term = std::vector<Factor>;

// Sum-of-products expansion; nullopt when it would exceed kMaxTerms.
std::optional<std::vector<Term>> expand(const Expr& e) {
  auto neg = [](std::vector<Term> ts) {
    for (auto& t : ts)
      t.insert(t.begin(), Factor{ExprNode::real_const(-1.0), false});
    return ts;
  };
  switch (e->kind()) {
  case ExprKind::Add:
  case ExprKind::Sub: {
    auto a = expand(e->arg(0)), b = expand(e->arg(1));
    if (!a || !b || a->size() + b->size() > kMaxTerms)
      return std::nullopt;
    if (e->kind() == ExprKind::Sub)
      *b = neg(*b);
    a->insert(a->end(), b->begin(), b->end());
    return a;
  }
  case ExprKind::Neg: {
    auto a = expand(e->arg(0));
    if (!a)
      return std::nullopt;
    return neg(*a);
  }
  case ExprKind::Mul: {
    auto a = expand(e->arg(0)), b = expand(e->arg(1));
    if (!a || !b || a->size() * b->size() > kMaxTerms)
      return std::nullopt;
    std::vector<Term> out;
    for (auto& x : *a)
      for (auto& y : *b) {
        Term t = x;
        t.insert(t.end(), y.begin(), y.end());
        out.push_back(t);
      }
    return out;
  }
  case ExprKind::Div: {
    auto a = expand(e->arg(0));
    if (!a)
      return std::nullopt;
    for (auto& t : *a)
      t.push_back({e->arg(1), true});
    return a;
  }
  default:
    return std::vector<Term>{{Factor{e, false}}};
  }
}

} // namespace

std::vector<Rewrite> distribute_reduction(const VariantState& s) {
  return site_rewrites(
      StepKind::DistributeReduction, s, "distribute ",
      [](const Expr& e, const SiteContext&) -> std::optional<SiteRewrite> {
        if (e->kind() != ExprKind::Sum || e->body()->sort() != Sort::Real)
          return std::nullopt;
        // A body holding another reduction would expand into products of sums (slow to prove,
        // not one pass); distribute after extracting the inner reduction instead.
        bool nested = false;
        visit(e->body(), [&](const ExprNode& n) { nested = nested || is_reduce(n.kind()); });
        if (nested)
          return std::nullopt;
        auto terms = expand(e->body());
        if (!terms || terms->size() < 2)
          return std::nullopt;
        Expr acc;
        for (auto& t : *terms) {
          double coef = 1.0;
          std::vector<Factor> inv, dep;
          for (auto& f : t) {
            if (f.e->kind() == ExprKind::RealConst && !f.divisor)
              coef *= f.e->real_value();
            else
              (mentions_var(f.e, e->name()) ? dep : inv).push_back(f);
          }
          if (dep.empty())
            inv.insert(inv.begin(), Factor{ExprNode::unary(ExprKind::ToReal, e->extent()), false});
          else
            inv.insert(inv.begin(), Factor{ExprNode::reduce(ExprKind::Sum, e->name(), e->extent(),
                                                            product_of(dep)),
                                           false});
          bool negative = coef < 0;
          if (std::abs(coef) != 1.0)
            inv.insert(inv.begin(), Factor{ExprNode::real_const(std::abs(coef)), false});
          Expr term = product_of(inv);
          if (!acc)
            acc = negative ? ExprNode::unary(ExprKind::Neg, term) : term;
          else
            acc = negative ? acc - term : acc + term;
        }
        std::string label =
            "sum(" + e->name() + ") over " + std::to_string(terms->size()) + " terms";
        return SiteRewrite{acc, label};
      });
}

} // namespace axon::synth
