// Sinking factors into a sum.
#include "synth/sink_factor.h"

#include "synth/expr_edit.h"

namespace axon::synth {

std::vector<Rewrite> sink_factor(const VariantState& s) {
  return site_rewrites(
      StepKind::SinkFactor, s, "sink ",
      [](const Expr& e, const SiteContext& ctx) -> std::optional<SiteRewrite> {
        if (ctx.parent_is_product || (e->kind() != ExprKind::Mul && e->kind() != ExprKind::Div))
          return std::nullopt;
        auto fs = factors_of(e);
        // Only the first sum factor is a site (one rewrite per product keeps the graph small; the
        // others are reached after hoisting).
        for (size_t k = 0; k < fs.size(); ++k) {
          if (fs[k].divisor || fs[k].e->kind() != ExprKind::Sum)
            continue;
          const Expr& sum = fs[k].e;
          std::vector<Factor> rest;
          std::set<std::string> avoid = index_names(sum);
          for (size_t m = 0; m < fs.size(); ++m)
            if (m != k) {
              rest.push_back(fs[m]);
              for (auto& n : index_names(fs[m].e))
                avoid.insert(n);
            }
          for (auto& b : ctx.scope)
            avoid.insert(b.var);
          // Rename the sum's variable apart from the factors moving in.
          std::string v = sum->name();
          Expr body = sum->body();
          bool clash = false;
          for (auto& f : rest)
            clash = clash || mentions_var(f.e, v);
          if (clash) {
            v = fresh_name(v, avoid);
            body = substitute_index(body, sum->name(), ExprNode::index_var(v));
          }
          std::vector<Factor> inner = factors_of(body);
          inner.insert(inner.end(), rest.begin(), rest.end());
          std::string label = to_string(product_of(rest)) + " into sum(" + sum->name() + ")";
          return SiteRewrite{ExprNode::reduce(ExprKind::Sum, v, sum->extent(), product_of(inner)),
                             label};
        }
        return std::nullopt;
      });
}

} // namespace axon::synth
