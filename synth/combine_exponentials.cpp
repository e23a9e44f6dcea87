// Merging the exp factors of a product into one.
#include "synth/combine_exponentials.h"

#include "synth/expr_edit.h"

namespace axon::synth {

std::vector<Rewrite> combine_exponentials(const VariantState& s) {
  std::vector<Rewrite> out;
  const IndexProgram& p = s.program;
  for (size_t i = 0; i < p.stmts().size(); ++i) {
    const IndexStmt& st = p.stmts()[i];
    auto site = [&](const Expr& e, const SiteContext& ctx) -> std::optional<Expr> {
      if (ctx.parent_is_product || (e->kind() != ExprKind::Mul && e->kind() != ExprKind::Div))
        return std::nullopt;
      std::vector<Factor> rest;
      Expr arg;
      size_t n = 0;
      for (auto& f : factors_of(e)) {
        if (f.e->kind() != ExprKind::Exp) {
          rest.push_back(f);
          continue;
        }
        ++n;
        const Expr& a = f.e->arg(0);
        if (!arg)
          arg = f.divisor ? ExprNode::unary(ExprKind::Neg, a) : a;
        else
          arg = f.divisor ? arg - a : arg + a;
      }
      if (n < 2)
        return std::nullopt;
      rest.insert(rest.begin(), Factor{ExprNode::unary(ExprKind::Exp, arg), false});
      return product_of(rest);
    };
    for (auto& v : rewrite_each(st.value, statement_context(p, st), site)) {
      auto ns = p.stmts();
      ns[i].value = v;
      out.push_back({StepKind::CombineExponentials,
                     "in " + st.out + ": combine exponentials",
                     {rebuild(p, ns), s.splits}});
    }
  }
  return out;
}

} // namespace axon::synth
