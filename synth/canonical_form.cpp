// Canonical text of a variant state (names erased).
#include "synth/canonical_form.h"

#include <map>
#include <sstream>

#include "synth/expr_edit.h"

namespace axon::synth {

namespace {

Expr canon(const Expr& e, const std::map<std::string, std::string>& tensors,
           std::map<std::string, std::string> vars, int depth) {
  switch (e->kind()) {
  case ExprKind::IndexVar: {
    auto it = vars.find(e->name());
    return it == vars.end() ? e : ExprNode::index_var(it->second);
  }
  case ExprKind::Access: {
    std::vector<Expr> idx;
    for (auto& a : e->args())
      idx.push_back(canon(a, tensors, vars, depth));
    auto it = tensors.find(e->name());
    return ExprNode::access(it == tensors.end() ? e->name() : it->second, idx, e->sort());
  }
  default:
    break;
  }
  if (e->args().empty())
    return e;
  if (is_reduce(e->kind())) {
    Expr ext = canon(e->extent(), tensors, vars, depth);
    std::string b = "b" + std::to_string(depth);
    vars[e->name()] = b;
    return ExprNode::reduce(e->kind(), b, ext, canon(e->body(), tensors, vars, depth + 1));
  }
  return map_args(e, [&](const Expr& a) { return canon(a, tensors, vars, depth); });
}

std::string shape_text(const TensorDecl& d) {
  std::string s = "[";
  for (size_t i = 0; i < d.rank(); ++i)
    s += (i ? ", " : "") + to_string(d.shape[i]);
  return s + "]";
}

} // namespace

std::string canonical_form(const VariantState& s) {
  const IndexProgram& p = s.program;
  std::map<std::string, std::string> tensors;
  size_t n = 0;
  for (auto& st : p.stmts())
    if (p.tensor(st.out).role == TensorRole::Temp)
      tensors[st.out] = "t" + std::to_string(n++);
  std::ostringstream o;
  for (auto& sp : s.splits)
    o << "split " << sp.dim << " = " << sp.head << (sp.tiles ? " * " : " + ") << sp.tail << "\n";
  for (auto& st : p.stmts()) {
    const TensorDecl& d = p.tensor(st.out);
    std::map<std::string, std::string> vars;
    for (size_t i = 0; i < st.vars.size(); ++i)
      vars[st.vars[i]] = "v" + std::to_string(i);
    auto it = tensors.find(st.out);
    o << (it == tensors.end() ? st.out : it->second) << ":" << dtype_name(d.dtype) << shape_text(d)
      << " = " << to_string(canon(st.value, tensors, vars, 0)) << "\n";
  }
  return o.str();
}

} // namespace axon::synth
