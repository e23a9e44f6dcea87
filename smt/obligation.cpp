// Building obligations from two programs (see obligation.h).
#include "smt/obligation.h"

#include <algorithm>
#include <map>

#include "ir/error.h"
#include "ir/inline.h"

namespace axon::smt {

namespace {

// The output's value with its statement variables renamed to the shared names o#0, o#1, ...
Expr output_value(const IndexProgram& p, const std::string& out) {
  const IndexStmt* st = nullptr;
  for (auto& s : p.stmts())
    if (s.out == out)
      st = &s;
  AXON_CHECK(st != nullptr, "output without a statement: " + out);
  std::map<std::string, Expr> ren;
  for (size_t i = 0; i < st->vars.size(); ++i)
    ren[st->vars[i]] = ExprNode::index_var("o#" + std::to_string(i));
  Expr v = rename_bound_apart(inline_tensor(p, out));
  return substitute(v, [&](const ExprNode& n) -> Expr {
    if (n.kind() != ExprKind::IndexVar)
      return nullptr;
    auto it = ren.find(n.name());
    return it == ren.end() ? nullptr : it->second;
  });
}

} // namespace

std::vector<Obligation> make_obligations(const IndexProgram& a, const IndexProgram& b,
                                         const std::vector<Expr>& assumptions) {
  for (auto* t : a.inputs()) {
    const TensorDecl* o = b.find_tensor(t->name);
    if (o && o->role == TensorRole::Input && o->rank() != t->rank())
      user_error("prove: input '" + t->name + "' has rank " + std::to_string(t->rank()) +
                 " in the first program and " + std::to_string(o->rank()) +
                 " in the second; the programs must read the same inputs");
  }
  std::vector<std::string> outs_a, outs_b;
  for (auto* t : a.outputs())
    outs_a.push_back(t->name);
  for (auto* t : b.outputs())
    outs_b.push_back(t->name);
  std::sort(outs_a.begin(), outs_a.end());
  std::sort(outs_b.begin(), outs_b.end());
  if (outs_a != outs_b) {
    auto join = [](const std::vector<std::string>& v) {
      std::string s;
      for (auto& x : v)
        s += (s.empty() ? "" : ", ") + x;
      return s;
    };
    user_error("prove: the programs have different outputs (first: " + join(outs_a) +
               "; second: " + join(outs_b) + "); name the outputs the same in both files");
  }
  std::vector<Obligation> obs;
  for (auto& out : outs_a) {
    const TensorDecl& ta = a.tensor(out);
    const TensorDecl& tb = b.tensor(out);
    if (ta.rank() != tb.rank())
      user_error("prove: output '" + out + "' has rank " + std::to_string(ta.rank()) +
                 " in the first program and " + std::to_string(tb.rank()) + " in the second");
    for (size_t i = 0; i < ta.rank(); ++i) {
      if (structurally_equal(ta.shape[i], tb.shape[i]))
        continue;
      Obligation s;
      s.name = out + ".shape[" + std::to_string(i) + "]";
      s.output = out;
      s.lhs = ExprNode::unary(ExprKind::ToReal, ta.shape[i]);
      s.rhs = ExprNode::unary(ExprKind::ToReal, tb.shape[i]);
      s.assumptions = assumptions;
      obs.push_back(s);
    }
    Obligation o;
    o.name = out;
    o.output = out;
    for (size_t i = 0; i < ta.rank(); ++i)
      o.index_vars.emplace_back("o#" + std::to_string(i), ta.shape[i]);
    o.lhs = output_value(a, out);
    o.rhs = output_value(b, out);
    o.assumptions = assumptions;
    obs.push_back(o);
  }
  return obs;
}

} // namespace axon::smt
