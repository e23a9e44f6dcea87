// Extracting a nested reduction into its own temporary.
#include "synth/extract_reduction.h"

#include "synth/expr_edit.h"

namespace axon::synth {

std::vector<Rewrite> extract_reduction(const VariantState& s) {
  std::vector<Rewrite> out;
  const IndexProgram& p = s.program;
  for (size_t i = 0; i < p.stmts().size(); ++i) {
    const IndexStmt& st = p.stmts()[i];
    std::string name = fresh_tensor_name(p, st.out + "_r");
    std::vector<IndexStmt> defs;
    std::vector<TensorDecl> decls;
    auto site = [&](const Expr& e, const SiteContext& ctx) -> std::optional<Expr> {
      if (!is_reduce(e->kind()) || structurally_equal(e, st.value))
        return std::nullopt;
      // Sites: a reduction inside another reduction (it becomes a separate contraction), or one
      // scaled by other factors (it becomes a plain reduction and the scaling an elementwise op).
      bool nested = false;
      for (auto& b : ctx.scope)
        nested = nested || b.bound_by_reduction;
      if (!nested && !ctx.parent_is_product)
        return std::nullopt;
      auto fv = free_index_vars(e);
      std::vector<Binding> order;
      for (auto& b : ctx.scope)
        if (b.bound_by_reduction && std::find(fv.begin(), fv.end(), b.var) != fv.end())
          order.push_back(b);
      for (auto& b : ctx.scope)
        if (!b.bound_by_reduction && std::find(fv.begin(), fv.end(), b.var) != fv.end())
          order.push_back(b);
      IndexStmt def;
      def.out = name;
      def.origin = "rewrite";
      TensorDecl d;
      d.name = name;
      d.dtype = p.tensor(st.out).dtype;
      d.role = TensorRole::Temp;
      std::vector<Expr> idx;
      for (auto& b : order) {
        def.vars.push_back(b.var);
        d.shape.push_back(b.extent);
        idx.push_back(ExprNode::index_var(b.var));
      }
      // A reduction extent that depends on an index variable cannot be a tensor shape.
      for (auto& ext : d.shape)
        if (!free_index_vars(ext).empty())
          return std::nullopt;
      def.value = e;
      defs.push_back(def);
      decls.push_back(d);
      return ExprNode::access(name, idx);
    };
    auto vs = rewrite_each(st.value, statement_context(p, st), site);
    for (size_t c = 0; c < vs.size(); ++c) {
      auto ns = p.stmts();
      ns[i].value = vs[c];
      ns.insert(ns.begin() + static_cast<long>(i), defs[c]);
      out.push_back({StepKind::ExtractReduction,
                     "in " + st.out + ": name " + to_string(defs[c].value) + " as " + name,
                     {rebuild(p, ns, {decls[c]}), s.splits}});
    }
  }
  return out;
}

} // namespace axon::synth
