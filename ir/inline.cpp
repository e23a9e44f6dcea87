// Capture-avoiding instantiation and the inlining of intermediate tensors (see inline.h).
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
        return instantiate(st->vars, def, args);
      }
    }
  }
  return with_args(e, std::move(args));
}

} // namespace

std::set<std::string> index_names(const Expr& e) {
  std::set<std::string> out;
  visit(e, [&](const ExprNode& n) {
    if (n.kind() == ExprKind::IndexVar || is_reduce(n.kind()))
      out.insert(n.name());
  });
  return out;
}

std::string fresh_name(const std::string& base, const std::set<std::string>& used) {
  if (!used.count(base))
    return base;
  for (int i = 1;; ++i) {
    std::string c = base + std::to_string(i);
    if (!used.count(c))
      return c;
  }
}

Expr rename_bound(const Expr& e, std::set<std::string>& avoid) {
  if (e->args().empty())
    return e;
  if (is_reduce(e->kind())) {
    std::string v = fresh_name(e->name(), avoid);
    avoid.insert(v);
    Expr body =
        v == e->name() ? e->body() : substitute_index(e->body(), e->name(), ExprNode::index_var(v));
    return ExprNode::reduce(e->kind(), v, rename_bound(e->extent(), avoid),
                            rename_bound(body, avoid));
  }
  return map_args(e, [&](const Expr& a) { return rename_bound(a, avoid); });
}

Expr instantiate(const std::vector<std::string>& vars, const Expr& value,
                 const std::vector<Expr>& idx, std::set<std::string> avoid) {
  AXON_CHECK(idx.size() == vars.size(), "instantiate: " + std::to_string(idx.size()) +
                                            " indices for a definition over " +
                                            std::to_string(vars.size()) + " variables");
  for (auto& i : idx)
    for (auto& n : index_names(i))
      avoid.insert(n);
  for (auto& v : vars)
    avoid.insert(v);
  Expr def = rename_bound(value, avoid);
  std::map<std::string, Expr> at;
  for (size_t i = 0; i < vars.size(); ++i)
    at[vars[i]] = idx[i];
  return substitute(def, [&](const ExprNode& n) -> Expr {
    if (n.kind() != ExprKind::IndexVar)
      return nullptr;
    auto it = at.find(n.name());
    return it == at.end() ? nullptr : it->second;
  });
}

Expr instantiate(const IndexStmt& s, const std::vector<Expr>& idx, std::set<std::string> avoid) {
  return instantiate(s.vars, s.value, idx, std::move(avoid));
}

Expr replace_reads(const Expr& e, const std::string& tensor,
                   const std::function<Expr(const std::vector<Expr>&)>& f) {
  if (e->args().empty())
    return e;
  std::vector<Expr> args;
  for (auto& a : e->args())
    args.push_back(replace_reads(a, tensor, f));
  if (e->kind() == ExprKind::Access && e->name() == tensor)
    return f(args);
  return with_args(e, std::move(args));
}

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
