// Merging two reductions that share an operand into one stacked reduction.
#include "synth/merge_shared_reductions.h"

#include <map>

#include "synth/expr_edit.h"

namespace axon::synth {

namespace {

Expr rename_vars(const Expr& e, const std::map<std::string, Expr>& to) {
  return substitute(e, [&](const ExprNode& n) -> Expr {
    if (n.kind() != ExprKind::IndexVar)
      return nullptr;
    auto it = to.find(n.name());
    return it == to.end() ? nullptr : it->second;
  });
}

bool same_shape(const TensorDecl& a, const TensorDecl& b) {
  if (a.rank() != b.rank())
    return false;
  for (size_t i = 0; i < a.rank(); ++i)
    if (!structurally_equal(a.shape[i], b.shape[i]))
      return false;
  return true;
}

} // namespace

std::vector<Rewrite> merge_shared_reductions(const VariantState& s) {
  std::vector<Rewrite> out;
  const IndexProgram& p = s.program;
  const auto& st = p.stmts();
  std::map<std::string, size_t> written_at;
  for (size_t i = 0; i < st.size(); ++i)
    written_at[st[i].out] = i;
  for (size_t i = 0; i < st.size(); ++i) {
    const Expr& a = st[i].value;
    if (a->kind() != ExprKind::Sum)
      continue;
    for (size_t j = i + 1; j < st.size(); ++j) {
      if (!same_shape(p.tensor(st[i].out), p.tensor(st[j].out)))
        continue;
      bool early = true;
      for (auto& t : tensors_read(st[j].value)) {
        auto it = written_at.find(t);
        early = early && (it == written_at.end() || it->second < i);
      }
      if (!early)
        continue;
      // st[j] in st[i]'s variable names.
      std::set<std::string> avoid = index_names(a);
      for (auto& v : st[i].vars)
        avoid.insert(v);
      Expr b = instantiate(
          st[j],
          [&] {
            std::vector<Expr> idx;
            for (auto& v : st[i].vars)
              idx.push_back(ExprNode::index_var(v));
            return idx;
          }(),
          avoid);
      if (b->kind() != ExprKind::Sum || !structurally_equal(a->extent(), b->extent()))
        continue;
      Expr bb = rename_vars(b->body(), {{b->name(), ExprNode::index_var(a->name())}});
      auto fa = factors_of(a->body()), fb = factors_of(bb);
      std::vector<Factor> common, only_a, rest_b = fb;
      for (auto& f : fa) {
        auto it = std::find_if(rest_b.begin(), rest_b.end(), [&](const Factor& g) {
          return g.divisor == f.divisor && alpha_equal(g.e, f.e);
        });
        if (it != rest_b.end()) {
          common.push_back(f);
          rest_b.erase(it);
        } else {
          only_a.push_back(f);
        }
      }
      bool shares_read = false;
      for (auto& f : common)
        shares_read = shares_read || !tensors_read(f.e).empty();
      if (!shares_read || only_a.empty() || rest_b.empty())
        continue;
      std::set<std::string> names = avoid;
      for (auto& n : index_names(bb))
        names.insert(n);
      std::string c = fresh_name("c", names);
      std::string t = fresh_tensor_name(p, st[i].out + "_" + st[j].out);
      Expr which = ExprNode::binary(ExprKind::Eq, ExprNode::index_var(c), ExprNode::int_const(0));
      std::vector<Factor> body = common;
      body.push_back({ExprNode::select(which, product_of(only_a), product_of(rest_b)), false});
      IndexStmt merged{t,
                       {},
                       ExprNode::reduce(ExprKind::Sum, a->name(), a->extent(), product_of(body)),
                       {},
                       "rewrite"};
      merged.vars.push_back(c);
      for (auto& v : st[i].vars)
        merged.vars.push_back(v);
      TensorDecl d = p.tensor(st[i].out);
      d.name = t;
      d.role = TensorRole::Temp;
      d.shape.insert(d.shape.begin(), ExprNode::int_const(2));
      auto read = [&](int64_t which_one, const IndexStmt& like) {
        std::vector<Expr> idx{ExprNode::int_const(which_one)};
        for (auto& v : like.vars)
          idx.push_back(ExprNode::index_var(v));
        return ExprNode::access(t, idx);
      };
      auto ns = st;
      ns[i].value = read(0, st[i]);
      ns[j].value = read(1, st[j]);
      ns.insert(ns.begin() + static_cast<long>(i), merged);
      out.push_back({StepKind::MergeSharedReductions,
                     "merge " + st[i].out + " and " + st[j].out + " (sharing " +
                         to_string(product_of(common)) + ") into one stacked reduction " + t,
                     {rebuild(p, ns, {d}), s.splits}});
    }
  }
  return out;
}

} // namespace axon::synth
