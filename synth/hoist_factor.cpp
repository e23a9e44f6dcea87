// Hoisting reduction-invariant factors out of sums.
#include "synth/hoist_factor.h"

#include "synth/expr_edit.h"

namespace axon::synth {

std::vector<Rewrite> hoist_factor(const VariantState& s) {
  std::vector<Rewrite> out;
  const IndexProgram& p = s.program;
  for (size_t i = 0; i < p.stmts().size(); ++i) {
    const IndexStmt& st = p.stmts()[i];
    std::vector<std::string> what;
    auto site = [&](const Expr& e, const SiteContext&) -> std::optional<Expr> {
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
      what.push_back(to_string(product_of(inv)) + " out of sum(" + e->name() + ")");
      outer.insert(outer.begin(), Factor{sum, false});
      return product_of(outer);
    };
    auto vs = rewrite_each(st.value, statement_context(p, st), site);
    for (auto& w : what) w = "hoist " + w;
    for (auto& r : value_rewrites(StepKind::HoistFactor, s, i, vs, what)) out.push_back(std::move(r));
  }
  return out;
}

} // namespace axon::synth
