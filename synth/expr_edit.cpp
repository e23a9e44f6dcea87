// Shared machinery of the propagation steps: site enumeration, factor lists, renaming, rebuild.
#include "synth/expr_edit.h"

#include "synth/rewrite_step.h"

#include <algorithm>
#include <map>

#include "ir/error.h"

namespace axon::synth {

namespace {

void each_site(const Expr& e, const SiteContext& ctx,
               const std::function<std::optional<Expr>(const Expr&, const SiteContext&)>& f,
               std::vector<Expr>& out) {
  if (auto r = f(e, ctx))
    out.push_back(*r);
  for (size_t i = 0; i < e->args().size(); ++i) {
    SiteContext c = ctx;
    c.parent_is_product = e->kind() == ExprKind::Mul || (e->kind() == ExprKind::Div && i == 0);
    if (is_reduce(e->kind()) && i == 1)
      c.scope.push_back({e->name(), e->extent(), true});
    std::vector<Expr> subs;
    each_site(e->arg(i), c, f, subs);
    for (auto& sub : subs) {
      std::vector<Expr> args = e->args();
      args[i] = sub;
      out.push_back(with_args(e, std::move(args)));
    }
  }
}

void collect_factors(const Expr& e, bool divisor, std::vector<Factor>& out) {
  switch (e->kind()) {
  case ExprKind::Mul:
    collect_factors(e->arg(0), divisor, out);
    collect_factors(e->arg(1), divisor, out);
    return;
  case ExprKind::Div:
    collect_factors(e->arg(0), divisor, out);
    collect_factors(e->arg(1), !divisor, out);
    return;
  case ExprKind::Recip:
    collect_factors(e->arg(0), !divisor, out);
    return;
  case ExprKind::Neg:
    out.push_back({ExprNode::real_const(-1.0), false});
    collect_factors(e->arg(0), divisor, out);
    return;
  default:
    out.push_back({e, divisor});
  }
}

Expr canon_bound(const Expr& e, int depth) {
  if (e->args().empty())
    return e;
  if (is_reduce(e->kind())) {
    std::string v = "$" + std::to_string(depth);
    Expr body = substitute_index(e->body(), e->name(), ExprNode::index_var(v));
    return ExprNode::reduce(e->kind(), v, canon_bound(e->extent(), depth),
                            canon_bound(body, depth + 1));
  }
  return map_args(e, [&](const Expr& a) { return canon_bound(a, depth); });
}

} // namespace

std::vector<Expr>
rewrite_each(const Expr& e, const SiteContext& top,
             const std::function<std::optional<Expr>(const Expr&, const SiteContext&)>& f) {
  std::vector<Expr> out;
  each_site(e, top, f, out);
  return out;
}

SiteContext statement_context(const IndexProgram& p, const IndexStmt& s) {
  SiteContext c;
  const TensorDecl& d = p.tensor(s.out);
  for (size_t i = 0; i < s.vars.size(); ++i)
    c.scope.push_back({s.vars[i], d.shape.at(i), false});
  return c;
}

std::vector<Factor> factors_of(const Expr& e) {
  std::vector<Factor> out;
  if (e->sort() == Sort::Real)
    collect_factors(e, false, out);
  else
    out.push_back({e, false});
  return out;
}

Expr product_of(const std::vector<Factor>& fs) {
  Expr num, den;
  for (auto& f : fs) {
    Expr& acc = f.divisor ? den : num;
    acc = acc ? acc * f.e : f.e;
  }
  if (!num)
    num = ExprNode::real_const(1.0);
  return den ? num / den : num;
}

bool mentions_var(const Expr& e, const std::string& var) {
  auto fv = free_index_vars(e);
  return std::find(fv.begin(), fv.end(), var) != fv.end();
}

bool mentions_any(const Expr& e, const std::vector<std::string>& vars) {
  for (auto& v : vars)
    if (mentions_var(e, v))
      return true;
  return false;
}

std::vector<Rewrite> site_rewrites(
    StepKind kind, const VariantState& s, const std::string& prefix,
    const std::function<std::optional<SiteRewrite>(const Expr&, const SiteContext&)>& site) {
  std::vector<Rewrite> out;
  const IndexProgram& p = s.program;
  for (size_t i = 0; i < p.stmts().size(); ++i) {
    const IndexStmt& st = p.stmts()[i];
    std::vector<std::string> labels;
    auto values = rewrite_each(st.value, statement_context(p, st),
                               [&](const Expr& e, const SiteContext& c) -> std::optional<Expr> {
                                 auto r = site(e, c);
                                 if (!r)
                                   return std::nullopt;
                                 labels.push_back(r->label);
                                 return r->value;
                               });
    for (size_t c = 0; c < values.size(); ++c) {
      auto ns = p.stmts();
      ns[i].value = values[c];
      out.push_back(
          {kind, "in " + st.out + ": " + prefix + labels.at(c), {rebuild(p, ns), s.splits}});
    }
  }
  return out;
}

IndexProgram rebuild(const IndexProgram& p, std::vector<IndexStmt> stmts,
                     const std::vector<TensorDecl>& new_temps,
                     const std::map<std::string, std::optional<int64_t>>& new_dims) {
  std::map<std::string, TensorDecl> decls;
  for (auto& t : p.tensors())
    decls[t.name] = t;
  for (auto& t : new_temps)
    decls[t.name] = t;
  for (bool changed = true; changed;) {
    changed = false;
    std::set<std::string> read;
    for (auto& s : stmts)
      for (auto& t : tensors_read(s.value))
        read.insert(t);
    for (size_t i = 0; i < stmts.size(); ++i) {
      const TensorDecl& d = decls.at(stmts[i].out);
      if (d.role == TensorRole::Temp && !read.count(stmts[i].out)) {
        stmts.erase(stmts.begin() + static_cast<long>(i));
        changed = true;
        break;
      }
    }
  }
  std::vector<TensorDecl> tensors;
  for (auto& t : p.tensors())
    if (t.role == TensorRole::Input)
      tensors.push_back(t);
  for (auto& s : stmts)
    tensors.push_back(decls.at(s.out));
  auto dims = p.dims();
  for (auto& [k, v] : new_dims)
    dims[k] = v;
  return IndexProgram::make(dims, tensors, stmts, p.updates());
}

std::string fresh_tensor_name(const IndexProgram& p, const std::string& base) {
  std::set<std::string> used;
  for (auto& t : p.tensors())
    used.insert(t.name);
  for (auto& [d, v] : p.dims())
    used.insert(d);
  return fresh_name(base, used);
}

bool alpha_equal(const Expr& a, const Expr& b) {
  return structurally_equal(canon_bound(a, 0), canon_bound(b, 0));
}

} // namespace axon::synth
