// Exchanging nested sums and factoring the new inner sum.
#include "synth/exchange_reductions.h"

#include "synth/expr_edit.h"

namespace axon::synth {

std::vector<Rewrite> exchange_reductions(const VariantState& s) {
  return site_rewrites(
      StepKind::ExchangeReductions, s, "",
      [](const Expr& e, const SiteContext&) -> std::optional<SiteRewrite> {
        if (e->kind() != ExprKind::Sum || e->body()->kind() != ExprKind::Sum)
          return std::nullopt;
        const Expr& in = e->body();
        const std::string& k = e->name();
        const std::string& r = in->name();
        if (k == r || mentions_var(in->extent(), k))
          return std::nullopt;
        std::vector<Factor> inv, dep;
        for (auto& f : factors_of(in->body()))
          (mentions_var(f.e, k) ? dep : inv).push_back(f);
        if (dep.empty())
          return std::nullopt;
        inv.push_back({ExprNode::reduce(ExprKind::Sum, k, e->extent(), product_of(dep)), false});
        std::string label = "sum(" + k + ") sum(" + r + ") -> sum(" + r + ") sum(" + k + ")";
        return SiteRewrite{ExprNode::reduce(ExprKind::Sum, r, in->extent(), product_of(inv)),
                           label};
      });
}

} // namespace axon::synth
