// Splitting every reduction over one dim into a head and a tail chunk.
#include "synth/split_reduction.h"

#include "synth/expr_edit.h"

namespace axon::synth {

namespace {

Expr split(const Expr& e, const std::string& dim, const Expr& head, const Expr& tail) {
  if (e->args().empty())
    return e;
  Expr r = map_args(e, [&](const Expr& a) { return split(a, dim, head, tail); });
  if (!is_reduce(r->kind()) || r->extent()->kind() != ExprKind::DimVar ||
      r->extent()->name() != dim)
    return r;
  const std::string& k = r->name();
  Expr a = ExprNode::reduce(r->kind(), k, head, r->body());
  Expr b = ExprNode::reduce(r->kind(), k, tail,
                            substitute_index(r->body(), k, head + ExprNode::index_var(k)));
  switch (r->kind()) {
  case ExprKind::Sum:
    return a + b;
  case ExprKind::RMax:
    return ExprNode::binary(ExprKind::Max, a, b);
  default:
    return ExprNode::binary(ExprKind::Min, a, b);
  }
}

Expr tile(const Expr& e, const std::string& dim, const Expr& count, const Expr& size) {
  if (e->args().empty())
    return e;
  Expr r = map_args(e, [&](const Expr& a) { return tile(a, dim, count, size); });
  if (!is_reduce(r->kind()) || r->extent()->kind() != ExprKind::DimVar ||
      r->extent()->name() != dim)
    return r;
  std::set<std::string> used = index_names(r);
  std::string t = fresh_name(r->name() + "t", used);
  used.insert(t);
  std::string j = fresh_name(r->name() + "i", used);
  Expr at = ExprNode::index_var(t) * size + ExprNode::index_var(j);
  Expr inner = ExprNode::reduce(r->kind(), j, size, substitute_index(r->body(), r->name(), at));
  return ExprNode::reduce(r->kind(), t, count, inner);
}

bool reduces_over(const Expr& e, const std::string& dim) {
  bool r = false;
  visit(e, [&](const ExprNode& n) {
    r = r || (is_reduce(n.kind()) && n.extent()->kind() == ExprKind::DimVar &&
              n.extent()->name() == dim);
  });
  return r;
}

} // namespace

std::vector<Rewrite> split_reduction(const VariantState& s) {
  std::vector<Rewrite> out;
  const IndexProgram& p = s.program;
  std::set<std::string> used;
  for (auto& [d, v] : p.dims())
    used.insert(d);
  for (auto& t : p.tensors())
    used.insert(t.name);
  for (auto& [dim, size] : p.dims()) {
    if (!size || *size < 2)
      continue;
    bool split_before = false;
    for (auto& sp : s.splits)
      split_before = split_before || sp.dim == dim || sp.head == dim || sp.tail == dim;
    if (split_before)
      continue;
    bool any = false;
    for (auto& st : p.stmts())
      any = any || reduces_over(st.value, dim);
    if (!any)
      continue;
    std::string h = fresh_name(dim + "0", used);
    std::set<std::string> used2 = used;
    used2.insert(h);
    std::string t = fresh_name(dim + "1", used2);
    int64_t tail = *size / 2, head = *size - tail;
    auto ns = p.stmts();
    for (auto& st : ns)
      st.value = split(st.value, dim, ExprNode::dim_var(h), ExprNode::dim_var(t));
    VariantState r{rebuild(p, ns, {}, {{h, head}, {t, tail}}), s.splits};
    r.splits.push_back({dim, h, t});
    out.push_back({StepKind::SplitReduction,
                   "split every reduction over " + dim + " into " + h + " + " + t + " (" +
                       std::to_string(head) + " + " + std::to_string(tail) + ")",
                   std::move(r)});
    int64_t size_b = 0;
    for (int64_t b = 2; b * b <= *size; ++b)
      if (*size % b == 0)
        size_b = b;
    if (size_b == 0)
      continue;
    std::string tc = fresh_name(dim + "t", used2);
    used2.insert(tc);
    std::string tb = fresh_name(dim + "b", used2);
    auto ts = p.stmts();
    for (auto& st : ts)
      st.value = tile(st.value, dim, ExprNode::dim_var(tc), ExprNode::dim_var(tb));
    VariantState tv{rebuild(p, ts, {}, {{tc, *size / size_b}, {tb, size_b}}), s.splits};
    tv.splits.push_back({dim, tc, tb, true});
    out.push_back({StepKind::SplitReduction,
                   "tile every reduction over " + dim + " into " + tc + " tiles of " + tb + " (" +
                       std::to_string(*size / size_b) + " x " + std::to_string(size_b) + ")",
                   std::move(tv)});
  }
  return out;
}

} // namespace axon::synth
