// Sinking factors into a sum.
#include "synth/sink_factor.h"

#include "synth/expr_edit.h"

namespace axon::synth {

std::vector<Rewrite> sink_factor(const VariantState& s) {
  std::vector<Rewrite> out;
  const IndexProgram& p = s.program;
  for (size_t i = 0; i < p.stmts().size(); ++i) {
    const IndexStmt& st = p.stmts()[i];
    std::vector<std::string> what;
    std::vector<Expr> results;
    auto site = [&](const Expr& e, const SiteContext& ctx) -> std::optional<Expr> {
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
        what.push_back(to_string(product_of(rest)) + " into sum(" + sum->name() + ")");
        return ExprNode::reduce(ExprKind::Sum, v, sum->extent(), product_of(inner));
      }
      return std::nullopt;
    };
    auto vs = rewrite_each(st.value, statement_context(p, st), site);
    for (auto& w : what) w = "sink " + w;
    for (auto& r : value_rewrites(StepKind::SinkFactor, s, i, vs, what)) out.push_back(std::move(r));
  }
  return out;
}

} // namespace axon::synth
