// Fusion by inlining temporaries into their consumers, one proven step per temporary (see
// fusion_variants.h).
#include "synth/fusion_variants.h"

#include <algorithm>
#include <cstdio>
#include <map>
#include <set>

#include "ir/error.h"
#include "ir/hash.h"
#include "ir/inline.h"
#include "ir/reduction.h"
#include "synth/canonical_form.h"
#include "synth/prove_step.h"

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

// Reductions inlined into their elementwise consumer (see fusion_variants.h): the temporaries
// chosen.
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

// One step: temporary `t` (defined by `def` in `cur`) inlined into every statement that reads
// it, and dropped.
synth::Rewrite inline_step(const IndexProgram& cur, const std::string& t, const Def& def) {
  std::string readers;
  for (const IndexStmt& s : cur.stmts()) {
    auto rd = tensors_read(s.value);
    if (s.out != t && std::find(rd.begin(), rd.end(), t) != rd.end())
      readers += (readers.empty() ? "" : ", ") + s.out;
  }
  return {synth::StepKind::InlineTemporary,
          "inline " + t + " into " + (readers.empty() ? "no reader" : readers),
          {without(cur, {{t, def}}), {}}};
}

// The definition of `t` in `p`.
Def definition(const IndexProgram& p, const std::string& t) {
  for (const IndexStmt& s : p.stmts())
    if (s.out == t)
      return {s.vars, s.value};
  internal_error("fusion: no statement writes " + t);
}

} // namespace

std::vector<ProgramVariant> fusion_variants(const IndexProgram& p) {
  std::vector<ProgramVariant> out;
  out.push_back({"as written", {}, p, "", {}});
  // Elementwise temporaries, one step each in program order (a definition may read an earlier
  // one, inlined into it by then).
  std::vector<synth::Rewrite> steps;
  std::vector<std::string> inlined;
  IndexProgram cur = p;
  for (const IndexStmt& s : p.stmts())
    if (p.tensor(s.out).role == TensorRole::Temp && !has_reduction(s.value)) {
      steps.push_back(inline_step(cur, s.out, definition(cur, s.out)));
      cur = steps.back().result.program;
      inlined.push_back(s.out);
    }
  if (!inlined.empty())
    out.push_back({"elementwise temporaries inlined", inlined, cur, "", steps});
  std::map<std::string, Def> epilogues = reduction_epilogues(cur);
  if (epilogues.empty())
    return out;
  // Each chosen reduction is read by one elementwise statement that no other choice reads or
  // writes, so the steps are independent; they are taken in name order.
  for (auto& [t, d] : epilogues) {
    steps.push_back(inline_step(cur, t, d));
    cur = steps.back().result.program;
    inlined.push_back(t);
  }
  std::string name = "reductions inlined into their elementwise consumers";
  if (out.size() > 1)
    out.back().superseded_by = name;
  out.push_back({name, inlined, cur, "", steps});
  return out;
}

std::string prove_fusion(const synth::VariantState& start, const ProgramVariant& v,
                         const smt::ProveOptions& opts, const std::string& certificate_root,
                         std::vector<synth::DerivationStep>* proven) {
  const IndexProgram* before = &start.program;
  std::vector<Expr> assumptions = synth::split_assumptions(start.splits);
  for (size_t i = 0; i < v.steps.size(); ++i) {
    const synth::Rewrite& s = v.steps[i];
    smt::ProveOptions step_opts = opts;
    if (!certificate_root.empty()) {
      char dir[32];
      std::snprintf(dir, sizeof dir, "/step-%02zu", i + 1);
      step_opts.certificate_dir = certificate_root + dir;
    }
    synth::StepProof pr = synth::prove_step(*before, s.result.program, assumptions, step_opts);
    if (pr.verdict != smt::Verdict::Proven)
      return "step " + std::to_string(i + 1) + " (" + s.description +
             "): " + smt::verdict_name(pr.verdict) + ": " + pr.reason;
    if (proven)
      proven->push_back({s.kind, s.description, pr.prover,
                         hash_hex(synth::canonical_form({s.result.program, start.splits}))});
    before = &s.result.program;
  }
  return "";
}

} // namespace axon
