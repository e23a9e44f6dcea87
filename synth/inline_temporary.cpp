// Inlining one temporary into one consumer.
#include "synth/inline_temporary.h"

#include "synth/expr_edit.h"

namespace axon::synth {

namespace {

// Does e read `t` outside every reduction body?
bool read_outside_reduction(const Expr& e, const std::string& t) {
  if (e->kind() == ExprKind::Access && e->name() == t)
    return true;
  if (is_reduce(e->kind()))
    return false;
  for (auto& a : e->args())
    if (read_outside_reduction(a, t))
      return true;
  return false;
}

} // namespace

std::vector<Rewrite> inline_temporary(const VariantState& s) {
  std::vector<Rewrite> out;
  const IndexProgram& p = s.program;
  const auto& stmts = p.stmts();
  for (size_t i = 0; i < stmts.size(); ++i) {
    const IndexStmt& def = stmts[i];
    if (p.tensor(def.out).role != TensorRole::Temp)
      continue;
    bool reduction = has_reduction(def.value);
    for (size_t j = i + 1; j < stmts.size(); ++j) {
      const IndexStmt& use = stmts[j];
      auto rd = tensors_read(use.value);
      if (std::find(rd.begin(), rd.end(), def.out) == rd.end())
        continue;
      if (reduction && read_outside_reduction(use.value, def.out))
        continue;
      std::set<std::string> avoid = index_names(use.value);
      for (auto& v : use.vars)
        avoid.insert(v);
      Expr v = replace_reads(use.value, def.out, [&](const std::vector<Expr>& idx) {
        return instantiate(def, idx, avoid);
      });
      std::vector<IndexStmt> ns = stmts;
      ns[j].value = v;
      out.push_back({StepKind::InlineTemporary,
                     "inline " + def.out + " into " + use.out,
                     {rebuild(p, ns), s.splits}});
    }
  }
  return out;
}

} // namespace axon::synth
