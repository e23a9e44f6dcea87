// Fusion by inlining temporaries into their consumers (see fuse.h).
#include "search/fuse.h"

#include <algorithm>
#include <map>
#include <set>

#include "ir/inline.h"
#include "search/schedule.h"

namespace axon {

namespace {

struct Def {
  std::vector<std::string> vars;
  Expr value;
};

// Replaces reads of inlined temporaries by their definitions at the read's indices.
Expr substitute_defs(const Expr& e, const std::map<std::string, Def>& defs) {
  if (e->args().empty() && !(e->kind() == ExprKind::Access && defs.count(e->name())))
    return e; // rank-0 reads too
  std::vector<Expr> a;
  for (auto& x : e->args())
    a.push_back(substitute_defs(x, defs));
  if (e->kind() == ExprKind::Access) {
    auto it = defs.find(e->name());
    if (it != defs.end()) {
      // Deterministic names (instantiate renames a bound variable only where it would
      // capture), so the same inlining reached from two variants prints alike (and the search
      // sees them as one).
      return instantiate(it->second.vars, it->second.value, a);
    }
  }
  return with_args(e, std::move(a));
}

// `p` without the statements (and temporaries) of `defs`, every read of them substituted.
IndexProgram without(const IndexProgram& p, const std::map<std::string, Def>& defs) {
  std::vector<IndexStmt> stmts;
  for (const IndexStmt& s : p.stmts()) {
    if (defs.count(s.out))
      continue;
    IndexStmt t = s;
    t.value = substitute_defs(s.value, defs);
    stmts.push_back(t);
  }
  std::vector<TensorDecl> tensors;
  for (auto& t : p.tensors())
    if (!defs.count(t.name))
      tensors.push_back(t);
  return IndexProgram::make(p.dims(), tensors, stmts, p.updates());
}

// How many times each tensor is read, over every statement.
std::map<std::string, int> read_counts(const IndexProgram& p) {
  std::map<std::string, int> n;
  for (const IndexStmt& s : p.stmts())
    visit(s.value, [&](const ExprNode& e) {
      if (e.kind() == ExprKind::Access)
        ++n[e.name()];
    });
  return n;
}

// The read of `t` in `c` when it visits each element of `t` exactly once as `c` runs over its own
// elements: plain, distinct index variables naming all of c's, outside any reduction of `c`.
bool read_once_per_element(const IndexStmt& c, const std::string& t) {
  bool ok = false;
  visit(c.value, [&](const ExprNode& e) {
    if (e.kind() != ExprKind::Access || e.name() != t || e.args().size() != c.vars.size())
      return;
    std::set<std::string> seen;
    for (auto& a : e.args())
      if (a->kind() == ExprKind::IndexVar)
        seen.insert(a->name());
    ok =
        seen.size() == c.vars.size() && std::set<std::string>(c.vars.begin(), c.vars.end()) == seen;
  });
  return ok;
}

// Reductions inlined into their elementwise consumer (see fuse.h): the temporaries chosen.
std::map<std::string, Def> reduction_epilogues(const IndexProgram& p) {
  std::map<std::string, int> reads = read_counts(p);
  std::map<std::string, size_t> producer;
  for (size_t i = 0; i < p.stmts().size(); ++i)
    producer[p.stmts()[i].out] = i;
  std::map<std::string, Def> defs;
  for (const IndexStmt& c : p.stmts()) {
    if (has_reduction(c.value) || c.value->sort() != Sort::Real)
      continue;
    std::string pick;
    size_t pick_at = 0;
    for (const std::string& t : tensors_read(c.value)) {
      const TensorDecl& d = p.tensor(t);
      if (d.role != TensorRole::Temp || reads[t] != 1 || !producer.count(t))
        continue;
      if (d.dtype != DType::F32 && d.dtype != p.tensor(c.out).dtype)
        continue; // would drop a rounding
      const IndexStmt& ps = p.stmts()[producer[t]];
      if (!top_reduction(ps) || !read_once_per_element(c, t))
        continue;
      if (pick.empty() || producer[t] > pick_at)
        pick = t, pick_at = producer[t];
    }
    if (!pick.empty())
      defs[pick] = {p.stmts()[pick_at].vars, p.stmts()[pick_at].value};
  }
  return defs;
}

} // namespace

std::vector<ProgramVariant> fusion_variants(const IndexProgram& p) {
  std::vector<ProgramVariant> out;
  out.push_back({"as written", {}, p, ""});
  // Elementwise temporaries, in program order (a definition may read an earlier one).
  std::map<std::string, Def> defs;
  std::vector<std::string> inlined;
  for (const IndexStmt& s : p.stmts())
    if (p.tensor(s.out).role == TensorRole::Temp && !has_reduction(s.value)) {
      defs[s.out] = {s.vars, substitute_defs(s.value, defs)};
      inlined.push_back(s.out);
    }
  if (!inlined.empty())
    out.push_back({"elementwise temporaries inlined", inlined, without(p, defs), ""});
  const IndexProgram base = out.back().program; // a copy: `out` grows below
  std::map<std::string, Def> epilogues = reduction_epilogues(base);
  if (epilogues.empty())
    return out;
  IndexProgram fused = without(base, epilogues);
  for (auto& [t, d] : epilogues)
    inlined.push_back(t);
  std::string name = "reductions inlined into their elementwise consumers";
  if (out.size() > 1)
    out.back().superseded_by = name;
  out.push_back({name, inlined, std::move(fused), ""});
  return out;
}

} // namespace axon
