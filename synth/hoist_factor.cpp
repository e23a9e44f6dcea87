// Hoisting reduction-invariant factors out of sums.
#include "synth/hoist_factor.h"

#include "synth/expr_edit.h"

namespace axon::synth {

std::vector<Rewrite> hoist_factor(const VariantState& s) {
  return site_rewrites(
      StepKind::HoistFactor, s, "hoist ",
      [](const Expr& e, const SiteContext&) -> std::optional<SiteRewrite> {
        if (e->kind() != ExprKind::Sum)
          return std::nullopt;
        std::vector<Factor> inv, dep;
        for (auto& f : factors_of(e->body()))
          (mentions_var(f.e, e->name()) ? dep : inv).push_back(f);
        if (inv.empty() || dep.empty())
          return std::nullopt;
        bool all_const = true;
        for (auto& f : inv)
          all_const = all_const && f.e->kind() == ExprKind::RealConst;
        if (all_const && inv.size() == 1 && inv[0].e->real_value() == 1.0)
          return std::nullopt;
        Expr sum = ExprNode::reduce(ExprKind::Sum, e->name(), e->extent(), product_of(dep));
        std::vector<Factor> outer = inv;
        std::string label = to_string(product_of(inv)) + " out of sum(" + e->name() + ")";
        outer.insert(outer.begin(), Factor{sum, false});
        return SiteRewrite{product_of(outer), label};
      });
}

} // namespace axon::synth
