// Fusion by inlining elementwise temporaries (see fuse.h).
#include "search/fuse.h"

#include <map>
#include <set>

#include "ir/inline.h"

namespace axon {

namespace {


struct Def {
  std::vector<std::string> vars;
  Expr value;
};

// Replaces reads of inlined temporaries by their definitions at the read's indices.
Expr substitute_defs(const Expr& e, const std::map<std::string, Def>& defs) {
  if (e->args().empty() && !(e->kind() == ExprKind::Access && defs.count(e->name()))) return e;  // rank-0 reads too
  std::vector<Expr> a;
  for (auto& x : e->args()) a.push_back(substitute_defs(x, defs));
  if (e->kind() == ExprKind::Access) {
    auto it = defs.find(e->name());
    if (it != defs.end()) {
      Expr body = rename_bound_apart(it->second.value);
      std::map<std::string, Expr> at;
      for (size_t i = 0; i < it->second.vars.size(); ++i) at[it->second.vars[i]] = a[i];
      return substitute(body, [&](const ExprNode& n) -> Expr {
        if (n.kind() != ExprKind::IndexVar) return nullptr;
        auto j = at.find(n.name());
        return j == at.end() ? nullptr : j->second;
      });
    }
  }
  return with_args(e, std::move(a));
}

}  // namespace

std::vector<ProgramVariant> fusion_variants(const IndexProgram& p) {
  std::vector<ProgramVariant> out;
  out.push_back({"as written", {}, p});
  std::map<std::string, Def> defs;
  std::vector<IndexStmt> stmts;
  std::vector<std::string> inlined;
  for (const IndexStmt& s : p.stmts()) {
    IndexStmt t = s;
    t.value = substitute_defs(s.value, defs);
    const TensorDecl& d = p.tensor(s.out);
    if (d.role == TensorRole::Temp && !has_reduction(t.value)) {
      defs[s.out] = {s.vars, t.value};
      inlined.push_back(s.out);
      continue;
    }
    stmts.push_back(t);
  }
  if (inlined.empty()) return out;
  std::set<std::string> gone(inlined.begin(), inlined.end());
  std::vector<TensorDecl> tensors;
  for (auto& t : p.tensors())
    if (!gone.count(t.name)) tensors.push_back(t);
  out.push_back({"elementwise temporaries inlined", inlined,
                 IndexProgram::make(p.dims(), tensors, stmts, p.updates())});
  return out;
}

}  // namespace axon
