// Inlining of intermediate tensors (see inline.h).
#include "ir/inline.h"

#include <atomic>
#include <map>

#include "ir/error.h"

namespace axon {

namespace {

std::atomic<uint64_t> g_counter{0};

Expr inline_expr(const IndexProgram& p, const Expr& e, std::map<std::string, Expr>& memo);

Expr defining(const IndexProgram& p, const std::string& t, std::map<std::string, Expr>& memo) {
  auto it = memo.find(t);
  if (it != memo.end())
    return it->second;
  for (auto& s : p.stmts())
    if (s.out == t) {
      Expr v = inline_expr(p, s.value, memo);
      memo[t] = v;
      return v;
    }
  return nullptr;
}

Expr inline_expr(const IndexProgram& p, const Expr& e, std::map<std::string, Expr>& memo) {
  // A rank-0 read of a written tensor has no arguments but must still be inlined.
  const TensorDecl* rank0 = e->kind() == ExprKind::Access ? p.find_tensor(e->name()) : nullptr;
  if (e->args().empty() && !(rank0 && rank0->role != TensorRole::Input))
    return e;
  std::vector<Expr> args;
  for (auto& a : e->args())
    args.push_back(inline_expr(p, a, memo));
  if (e->kind() == ExprKind::Access) {
    const TensorDecl* d = p.find_tensor(e->name());
    if (d && d->role != TensorRole::Input) {
      Expr def = defining(p, e->name(), memo);
      if (def) {
        const IndexStmt* st = nullptr;
        for (auto& s : p.stmts())
          if (s.out == e->name())
            st = &s;
        std::map<std::string, Expr> at;
        for (size_t i = 0; i < st->vars.size(); ++i)
          at[st->vars[i]] = args.at(i);
        Expr fresh = rename_bound_apart(def);
        return substitute(fresh, [&](const ExprNode& n) -> Expr {
          if (n.kind() != ExprKind::IndexVar)
            return nullptr;
          auto jt = at.find(n.name());
          return jt == at.end() ? nullptr : jt->second;
        });
      }
    }
  }
  return with_args(e, std::move(args));
}

} // namespace

Expr rename_bound_apart(const Expr& e) {
  if (e->args().empty())
    return e;
  std::vector<Expr> args;
  for (auto& a : e->args())
    args.push_back(rename_bound_apart(a));
  if (is_reduce(e->kind())) {
    std::string fresh = e->name() + "'" + std::to_string(g_counter++);
    Expr body = substitute_index(args[1], e->name(), ExprNode::index_var(fresh));
    return ExprNode::reduce(e->kind(), fresh, args[0], body);
  }
  return with_args(e, std::move(args));
}

Expr inline_tensor(const IndexProgram& p, const std::string& tensor) {
  std::map<std::string, Expr> memo;
  Expr d = defining(p, tensor, memo);
  if (!d)
    internal_error("inline_tensor: no statement writes " + tensor);
  return d;
}

} // namespace axon
