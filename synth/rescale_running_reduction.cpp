// Rebasing a chunk's exp-sum to the chunk's own max.
#include "synth/rescale_running_reduction.h"

#include "synth/expr_edit.h"

namespace axon::synth {

namespace {

void max_parts(const Expr& e, std::vector<Expr>& out) {
  if (e->kind() == ExprKind::Max) {
    max_parts(e->arg(0), out);
    max_parts(e->arg(1), out);
  } else {
    out.push_back(e);
  }
}

Expr replace_node(const Expr& e, const Expr& target, const Expr& by) {
  if (e == target)
    return by;
  if (e->args().empty())
    return e;
  return map_args(e, [&](const Expr& a) { return replace_node(a, target, by); });
}

const IndexStmt* writer(const IndexProgram& p, const std::string& t, size_t* pos) {
  for (size_t i = 0; i < p.stmts().size(); ++i)
    if (p.stmts()[i].out == t) {
      *pos = i;
      return &p.stmts()[i];
    }
  return nullptr;
}

// One way to rebase: the expression m for the chunk max and the program edits it needs.
struct Rebase {
  Expr m;
  std::optional<size_t> max_stmt; // statement whose max definition gets a part named
  IndexStmt new_def;              // the named part (when max_stmt is set)
  Expr new_max_value;             // that statement's value with the part replaced
  TensorDecl decl;
  bool new_before = false; // new_def is a new max, computed before the statement
};

// exp(g - c) or exp(g + c) with c free of k: already shifted by something.
bool shifted(const Expr& u, const std::string& k) {
  return (u->kind() == ExprKind::Sub || u->kind() == ExprKind::Add) &&
         (!mentions_var(u->arg(0), k) || !mentions_var(u->arg(1), k));
}

} // namespace

std::vector<Rewrite> rescale_running_reduction(const VariantState& s) {
  std::vector<Rewrite> out;
  const IndexProgram& p = s.program;
  for (size_t i = 0; i < p.stmts().size(); ++i) {
    const IndexStmt& st = p.stmts()[i];
    std::vector<Rebase> edits;
    std::vector<std::string> what;
    auto site = [&](const Expr& e, const SiteContext& ctx) -> std::optional<Expr> {
      if (e->kind() != ExprKind::Sum)
        return std::nullopt;
      const std::string& k = e->name();
      auto fs = factors_of(e->body());
      for (size_t fi = 0; fi < fs.size(); ++fi) {
        // A read of an elementwise temporary holding an exp is looked through (inlined here).
        Expr f = fs[fi].e;
        if (f->kind() == ExprKind::Access) {
          size_t pos = 0;
          const IndexStmt* T = writer(p, f->name(), &pos);
          bool elementwise =
              T && T->value->kind() == ExprKind::Exp && p.tensor(T->out).role == TensorRole::Temp;
          if (elementwise)
            visit(T->value,
                  [&](const ExprNode& n) { elementwise = elementwise && !is_reduce(n.kind()); });
          if (elementwise) {
            std::set<std::string> avoid = index_names(st.value);
            for (auto& v : st.vars)
              avoid.insert(v);
            f = instantiate(*T, f->args(), avoid);
          }
        }
        // An unshifted exp-sum: shift it by the max over its own range (a new temporary).
        if (!fs[fi].divisor && f->kind() == ExprKind::Exp && mentions_var(f->arg(0), k) &&
            !shifted(f->arg(0), k)) {
          const Expr& u = f->arg(0);
          Expr chunk = ExprNode::reduce(ExprKind::RMax, k, e->extent(), u);
          auto fv = free_index_vars(chunk);
          Rebase rb;
          rb.new_before = true;
          std::string name = fresh_tensor_name(p, st.out + "_max");
          rb.new_def.out = name;
          rb.new_def.origin = "rewrite";
          rb.new_def.value = chunk;
          rb.decl.name = name;
          rb.decl.dtype = p.tensor(st.out).dtype;
          rb.decl.role = TensorRole::Temp;
          std::vector<Expr> idx;
          bool ok = true;
          for (bool bound : {true, false})
            for (auto& b : ctx.scope)
              if (b.bound_by_reduction == bound &&
                  std::find(fv.begin(), fv.end(), b.var) != fv.end()) {
                rb.new_def.vars.push_back(b.var);
                rb.decl.shape.push_back(b.extent);
                idx.push_back(ExprNode::index_var(b.var));
                ok = ok && free_index_vars(b.extent).empty();
              }
          if (!ok)
            continue;
          rb.m = ExprNode::access(name, idx);
          auto nb = fs;
          nb[fi].e = ExprNode::unary(ExprKind::Exp, u - rb.m);
          what.push_back("shift sum(" + k + ") exp(" + to_string(u) + ") by its max, named " +
                         name);
          edits.push_back(rb);
          return ExprNode::unary(ExprKind::Exp, rb.m) *
                 ExprNode::reduce(ExprKind::Sum, k, e->extent(), product_of(nb));
        }
        if (fs[fi].divisor || f->kind() != ExprKind::Exp || f->arg(0)->kind() != ExprKind::Sub)
          continue;
        const Expr& g = f->arg(0)->arg(0);
        const Expr& c = f->arg(0)->arg(1);
        if (!mentions_var(g, k) || mentions_var(c, k))
          continue;
        Expr chunk = ExprNode::reduce(ExprKind::RMax, k, e->extent(), g);
        std::optional<Rebase> found;
        std::set<std::string> avoid = index_names(st.value);
        for (auto& v : st.vars)
          avoid.insert(v);
        if (c->kind() == ExprKind::Access) {
          size_t pos = 0;
          const IndexStmt* T = writer(p, c->name(), &pos);
          if (!T || p.tensor(T->out).role != TensorRole::Temp)
            continue;
          std::vector<Expr> parts;
          max_parts(T->value, parts);
          if (parts.size() < 2)
            continue;
          for (auto& part : parts) {
            IndexStmt one = *T;
            one.value = part;
            Expr here = instantiate(one, c->args(), avoid);
            if (alpha_equal(here, chunk)) {
              Rebase rb;
              std::string name = fresh_tensor_name(p, T->out + "_c");
              rb.new_def = *T;
              rb.new_def.out = name;
              rb.new_def.value = part;
              rb.new_def.origin = "rewrite";
              rb.decl = p.tensor(T->out);
              rb.decl.name = name;
              std::vector<Expr> own;
              for (auto& v : T->vars)
                own.push_back(ExprNode::index_var(v));
              rb.new_max_value = replace_node(T->value, part, ExprNode::access(name, own));
              rb.max_stmt = pos;
              rb.m = ExprNode::access(name, c->args());
              found = rb;
              break;
            }
            if (here->kind() == ExprKind::Access) {
              size_t p2 = 0;
              const IndexStmt* T2 = writer(p, here->name(), &p2);
              if (T2 && alpha_equal(instantiate(*T2, here->args(), avoid), chunk)) {
                found = Rebase{here, std::nullopt, {}, nullptr, {}};
                break;
              }
            }
          }
        } else {
          std::vector<Expr> parts;
          max_parts(c, parts);
          if (parts.size() < 2)
            continue;
          for (auto& part : parts)
            if (alpha_equal(part, chunk)) {
              found = Rebase{part, std::nullopt, {}, nullptr, {}};
              break;
            }
        }
        if (!found)
          continue;
        auto nb = fs;
        nb[fi].e = ExprNode::unary(ExprKind::Exp, g - found->m);
        Expr sum = ExprNode::reduce(ExprKind::Sum, k, e->extent(), product_of(nb));
        what.push_back("rebase sum(" + k + ") exp(" + to_string(g) + " - " + to_string(c) +
                       ") to the chunk max " + to_string(found->m));
        Expr scale = ExprNode::unary(ExprKind::Exp, found->m - c);
        edits.push_back(*found);
        return scale * sum;
      }
      return std::nullopt;
    };
    auto vs = rewrite_each(st.value, statement_context(p, st), site);
    for (size_t c = 0; c < vs.size(); ++c) {
      auto ns = p.stmts();
      ns[i].value = vs[c];
      std::vector<TensorDecl> decls;
      if (edits[c].new_before) {
        ns.insert(ns.begin() + static_cast<long>(i), edits[c].new_def);
        decls.push_back(edits[c].decl);
      } else if (edits[c].max_stmt) {
        size_t pos = *edits[c].max_stmt;
        ns[pos].value = edits[c].new_max_value;
        ns.insert(ns.begin() + static_cast<long>(pos), edits[c].new_def);
        decls.push_back(edits[c].decl);
      }
      out.push_back({StepKind::RescaleRunningReduction,
                     "in " + st.out + ": " + what[c],
                     {rebuild(p, ns, decls), s.splits}});
    }
  }
  return out;
}

} // namespace axon::synth
