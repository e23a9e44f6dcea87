// A statement's top-level reduction and its epilogue (see reduction.h).
#include "ir/reduction.h"

namespace axon {

namespace {

// Reductions of `e` not nested inside another reduction.
void outer_reductions(const Expr& e, std::vector<const ExprNode*>& out) {
  if (is_reduce(e->kind())) {
    out.push_back(e.get());
    return;
  }
  for (auto& a : e->args())
    outer_reductions(a, out);
}

Expr replace_node(const Expr& e, const ExprNode* target, const Expr& by) {
  if (e.get() == target)
    return by;
  if (is_reduce(e->kind()))
    return e;
  return map_args(e, [&](const Expr& a) { return replace_node(a, target, by); });
}

} // namespace

const ExprNode* top_reduction(const IndexStmt& s) {
  if (is_reduce(s.value->kind()))
    return s.value.get();
  if (s.value->sort() != Sort::Real)
    return nullptr;
  std::vector<const ExprNode*> reds;
  outer_reductions(s.value, reds);
  return reds.size() == 1 ? reds[0] : nullptr;
}

Expr reduction_epilogue(const IndexStmt& s) {
  const ExprNode* r = top_reduction(s);
  if (!r || r == s.value.get())
    return nullptr;
  std::vector<Expr> idx;
  for (auto& v : s.vars)
    idx.push_back(ExprNode::index_var(v));
  return replace_node(s.value, r, ExprNode::access(s.out, idx));
}

} // namespace axon
