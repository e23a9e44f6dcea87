// Replacing a recomputed temporary by the earlier one.
#include "synth/share_common_temporary.h"

#include "synth/expr_edit.h"

namespace axon::synth {

std::vector<Rewrite> share_common_temporary(const VariantState& s) {
  std::vector<Rewrite> out;
  const IndexProgram& p = s.program;
  const auto& st = p.stmts();
  for (size_t j = 0; j < st.size(); ++j) {
    const TensorDecl& dj = p.tensor(st[j].out);
    if (dj.role != TensorRole::Temp)
      continue;
    for (size_t i = 0; i < j; ++i) {
      const TensorDecl& di = p.tensor(st[i].out);
      if (di.rank() != dj.rank() || di.dtype != dj.dtype)
        continue;
      bool same = true;
      for (size_t r = 0; r < di.rank(); ++r)
        same = same && structurally_equal(di.shape[r], dj.shape[r]);
      if (!same)
        continue;
      std::vector<Expr> idx;
      for (auto& v : st[i].vars)
        idx.push_back(ExprNode::index_var(v));
      std::set<std::string> avoid = index_names(st[i].value);
      if (!alpha_equal(instantiate(st[j], idx, avoid), st[i].value))
        continue;
      auto ns = st;
      for (auto& x : ns)
        x.value = replace_reads(x.value, st[j].out, [&](const std::vector<Expr>& at) {
          return ExprNode::access(st[i].out, at);
        });
      out.push_back({StepKind::ShareCommonTemporary,
                     "reuse " + st[i].out + " for " + st[j].out,
                     {rebuild(p, ns), s.splits}});
      break;
    }
  }
  return out;
}

} // namespace axon::synth
