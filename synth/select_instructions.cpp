// Instruction synthesis, the entry point (select_instructions.h): the statement becomes a
// canonical goal, the selection cache is asked, else isel_search.h solves it; the cover is
// flattened into an instruction list (temps first) and renamed into the statement's names.
#include "synth/select_instructions.h"

#include <chrono>
#include <cstdio>
#include <memory>
#include <optional>
#include <set>
#include <sstream>

#include "ir/error.h"
#include "ir/interp.h"
#include "synth/isel_accumulate.h"
#include "synth/isel_cache.h"
#include "synth/isel_goal.h"
#include "synth/isel_search.h"

namespace axon {

namespace {

using isel::Goal;
using isel::SlotUse;

// --- Flattening into a Selection ---------------------------------------------------------------

std::string var_list(const std::vector<std::string>& vars) {
  std::string s = "[";
  for (size_t i = 0; i < vars.size(); ++i)
    s += (i ? ", " : "") + vars[i];
  return s + "]";
}

std::string lookup(const std::map<std::string, std::string>& names, const std::string& n) {
  auto it = names.find(n);
  return it == names.end() ? n : it->second;
}

// Where the tightest bound (`max` or `min`) of `dim` is written in the target file: a JSON
// pointer, or "" when no operand bounds it so.
std::string bound_source(const Instruction& instr, size_t index, const std::string& dim,
                         const std::optional<int64_t>& bound, bool max) {
  if (!bound)
    return "";
  for (size_t o = 0; o < instr.operands.size(); ++o)
    for (size_t a = 0; a < instr.operands[o].shape.size(); ++a) {
      const DimSpec& d = instr.operands[o].shape[a];
      if (d.name == dim && (max ? d.max : d.min) == bound)
        return "/instructions/" + std::to_string(index) + "/operands/" + std::to_string(o) +
               "/shape/" + std::to_string(a) + (max ? "/max" : "/min");
    }
  return "";
}

// The structured instruction of `c` in c's canonical names (renamed by the caller); `temps` gives
// the producing instruction of each temp slot.
CoverInstr cover_instr(const Isa& isa, const isel::Cover& c, const std::vector<size_t>& temps) {
  const Instruction& instr = isa.instructions[c.instr];
  CoverInstr ci;
  ci.instr = c.instr;
  ci.name = instr.name;
  ci.engine = c.engine;
  ci.params = c.choice;
  ci.result = c.operand;
  ci.out_axes = c.out_axes;
  ci.loops = c.outer;
  ci.hoisted = c.hoisted;
  ci.cost_ns = c.own_ns;
  for (auto& [d, v] : c.dim_vars) {
    DimSpec b = instr.dim_bounds(d);
    ci.dims.push_back({d, v, b.min, b.max, bound_source(instr, c.instr, d, b.min, false),
                       bound_source(instr, c.instr, d, b.max, true)});
  }
  for (size_t k = 0; k < c.slots.size(); ++k) {
    const SlotUse& u = c.slots[k];
    CoverOperand o;
    o.slot = u.name;
    const Expr& t = u.term.term;
    if (u.kind == "temp") {
      o.term.kind = TermKind::Temp;
      o.term.temp = temps[k];
      o.term.axes = u.term.axis_vars;
    } else if (u.kind == "tensor" || t->kind() == ExprKind::Access) {
      o.term.kind = u.kind == "tensor" ? TermKind::Tensor : TermKind::Scalar;
      AXON_CHECK(t->kind() == ExprKind::Access, "isel: a tensor binding that is no access");
      o.term.tensor = t->name();
      o.term.index = t->args();
      if (u.kind == "tensor")
        o.term.axes = u.term.axis_vars;
    } else {
      o.term.kind = TermKind::Constant;
      o.term.value = t;
    }
    ci.operands.push_back(std::move(o));
  }
  return ci;
}

// Appends the instructions of `c` (sub-covers first), as text to `out` and as data to `cover`;
// `names` maps c's canonical names to the statement's; returns the name written ("%n" for temps,
// `out` at the top).
void flatten(const Isa& isa, const isel::Cover& c, const std::map<std::string, std::string>& names,
             const std::string& writes, std::vector<SelectedInstr>& out,
             std::vector<CoverInstr>& cover, int& temp_counter) {
  const Instruction& instr = isa.instructions[c.instr];
  std::vector<size_t> temps(c.slots.size(), 0);
  SelectedInstr si;
  si.instruction = instr.name;
  si.engine = c.engine;
  si.params = c.choice;
  si.result = c.operand;
  si.cost_ns = c.own_ns;
  si.hoisted = c.hoisted;
  for (size_t k = 0; k < c.slots.size(); ++k) {
    const SlotUse& u = c.slots[k];
    SlotBinding b;
    b.slot = u.name;
    b.kind = u.kind;
    b.layout = u.layout;
    if (u.kind == "temp") {
      std::string t = "%" + std::to_string(++temp_counter);
      std::map<std::string, std::string> sub_names;
      for (auto& [k, v] : u.sub_names)
        sub_names[k] = isel::rename_tokens(v, names);
      flatten(isa, *u.sub, sub_names, t, out, cover, temp_counter);
      temps[k] = cover.size() - 1;
      std::vector<std::string> shown;
      for (auto& v : u.sub_vars)
        shown.push_back(isel::rename_tokens(v, names));
      b.value = t + var_list(shown);
    } else {
      b.value = isel::rename_tokens(to_string(u.term.term), names);
    }
    si.bindings.push_back(b);
  }
  for (auto& n : c.notes)
    si.notes.push_back(isel::rename_tokens(n, names));
  std::vector<std::string> shown;
  for (auto& v : c.goal_vars)
    shown.push_back(isel::rename_tokens(v, names));
  si.writes = writes;
  si.computes = writes + var_list(shown) + " = " + isel::rename_tokens(c.value_text, names);
  out.push_back(std::move(si));
  cover.push_back(rename_instr(cover_instr(isa, c, temps), names));
}

// The cover's names for the statement's: the statement's own, with each reduction's bound
// variable made unique ("j", "j'1").
std::map<std::string, std::string> cover_names(const Cover& canonical,
                                               const std::map<std::string, std::string>& display) {
  std::map<std::string, std::string> names = display;
  std::set<std::string> taken;
  for (const auto& v : canonical.vars)
    if (!v.reduction)
      taken.insert(lookup(display, v.name));
  for (const auto& v : canonical.vars) {
    if (!v.reduction)
      continue;
    std::string base = lookup(display, v.name), n = base;
    for (int k = 1; taken.count(n); ++k)
      n = base + "'" + std::to_string(k);
    taken.insert(n);
    names[v.name] = n;
  }
  return names;
}

// The accumulating form (isel_accumulate.h) of every instruction that reduces over a reduction
// Var of the cover, proven from its semantics; the prover calls count in `stats`.
void add_accumulating_forms(const Isa& isa, const SelectOptions& opts, Cover& cover,
                            SelectStats& stats) {
  std::set<std::string> reductions;
  for (const auto& v : cover.vars)
    if (v.reduction)
      reductions.insert(v.name);
  for (CoverInstr& ci : cover.instrs) {
    bool reduces = false;
    for (const auto& d : ci.dims)
      reduces = reduces || reductions.count(d.var);
    if (!reduces)
      continue;
    size_t proofs = 0;
    ci.accumulate =
        isel::accumulating_form(isa, ci.instr, ci.params, ci.result, opts.prove, &proofs);
    stats.proofs += proofs;
  }
}

} // namespace

Selection select_instructions(const IndexProgram& program, size_t stmt, const Isa& isa,
                              const SelectOptions& opts) {
  auto t0 = std::chrono::steady_clock::now();
  if (stmt >= program.stmts().size())
    user_error("select_instructions: the program has " + std::to_string(program.stmts().size()) +
               " statements, no statement " + std::to_string(stmt));
  const IndexStmt& st = program.stmts()[stmt];
  const TensorDecl& out = program.tensor(st.out);
  std::map<std::string, TensorDecl> decls;
  for (auto& t : program.tensors())
    decls[t.name] = t;
  std::map<std::string, std::string> display;
  Goal g = isel::make_goal(st.vars, out.shape, st.value, decls, display);

  // Everything below runs in canonical names ("w$" is the statement's tensor); the result is
  // renamed into the statement's names at the end, so equal patterns share one cache entry.
  display["w$"] = st.out;
  std::string canonical_stmt = "w$" + var_list(g.vars) + " = " + to_string(g.value);
  std::string key = "isel-" + std::to_string(isel::kCacheFormat) + "|" + isa_hash(isa) + "|" +
                    std::to_string(opts.max_instructions) + "|" + std::to_string(opts.free_tile) +
                    "|" + g.key;
  Selection sel;
  std::optional<Selection> cached;
  if (!opts.cache_dir.empty())
    cached = isel::cache_load(opts.cache_dir, key, isa);
  if (cached) {
    sel = *cached;
    sel.stats.cached = true;
  } else {
    isel::Ctx ctx{isa, opts, isa_hash(isa) + "/" + std::to_string(opts.free_tile), {}};
    ScopedInterpreterDeadline interpreter_deadline(opts.deadline);
    std::vector<isel::CoverPtr> alternatives =
        isel::solve_alternatives(ctx, g, opts.max_instructions);
    isel::CoverPtr c = alternatives.empty() ? nullptr : alternatives[0];
    sel.stats = ctx.stats;
    if (c) {
      for (size_t a = 0; a < alternatives.size(); ++a) {
        int temps = 0;
        Cover cover;
        cover.out = "w$";
        for (size_t i = 0; i < g.vars.size(); ++i)
          cover.vars.push_back({g.vars[i], g.extents[i], false});
        // Reductions in pre-order: make_goal numbers them so (r$0, r$1, ...).
        for (size_t i = 0; i < g.bound_extent.size(); ++i) {
          std::string r = "r$" + std::to_string(i);
          AXON_CHECK(g.bound_extent.count(r), "isel: reduction " + r + " of the goal");
          cover.vars.push_back({r, g.bound_extent.at(r), true});
        }
        std::vector<SelectedInstr> text; // the primary's text is the selection's
        flatten(isa, *alternatives[a], {}, "w$", a == 0 ? sel.instrs : text, cover.instrs, temps);
        add_accumulating_forms(isa, opts, cover, ctx.stats);
        sel.alternatives.push_back(std::make_shared<const Cover>(std::move(cover)));
      }
      sel.stats = ctx.stats;
      sel.cover = sel.alternatives[0];
      sel.found = true;
      sel.tile_elements = c->tile_elements;
      for (auto& i : sel.instrs)
        if (!i.hoisted)
          sel.cost_ns += i.cost_ns;
    } else if (ctx.stats.stopped) {
      sel.reason =
          "instruction selection for `" + canonical_stmt +
          "` stopped at its time limit before it finished (the time budget, or the default "
          "limit on stages before the search)";
    } else {
      std::ostringstream r;
      r << "no lowering for `" << canonical_stmt << "` on target '" << isa.name << "': ";
      if (ctx.stats.goals == 0)
        r << "no sequence of at most " << opts.max_instructions
          << " instructions (an earlier search in this process)";
      else
        r << ctx.stats.candidates << " candidate(s) from " << isa.instructions.size()
          << " instructions within " << opts.max_instructions << " instruction(s); "
          << ctx.stats.numeric_rejected << " differ numerically, " << ctx.stats.refuted
          << " refuted, " << ctx.stats.unknown << " unknown"
          << (g.value->sort() == Sort::Bool ? "; the value is a condition (bool)" : "");
      if (!isel::writes_sort(isa, g.value->sort()))
        r << "; no instruction of '" << isa.name << "' writes a "
          << (g.value->sort() == Sort::Bool ? "bool" : "real") << " operand";
      sel.reason = r.str();
    }
    if (!opts.cache_dir.empty() && !sel.stats.stopped)
      isel::cache_store(opts.cache_dir, key, sel);
  }
  // Into the statement's names.
  sel.statement = isel::rename_tokens(canonical_stmt, display);
  sel.reason = isel::rename_tokens(sel.reason, display);
  for (auto& a : sel.alternatives)
    a = std::make_shared<const Cover>(rename_cover(*a, cover_names(*a, display)));
  if (!sel.alternatives.empty())
    sel.cover = sel.alternatives[0];
  for (auto& i : sel.instrs) {
    i.writes = isel::rename_tokens(i.writes, display);
    i.computes = isel::rename_tokens(i.computes, display);
    for (auto& b : i.bindings)
      b.value = isel::rename_tokens(b.value, display);
    for (auto& n : i.notes)
      n = isel::rename_tokens(n, display);
  }
  sel.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return sel;
}

namespace {

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (size_t i = 0; i < v.size(); ++i)
    s += (i ? ", " : "") + (v[i].empty() ? std::string("1") : v[i]);
  return s;
}

// An alternative cover in one line per instruction: "%k" is instruction k's result (from 1), each
// operand with the Vars its axes carry (the first is the partition axis of a partitioned memory).
std::string cover_lines(const Cover& c) {
  std::ostringstream os;
  for (size_t k = 0; k < c.instrs.size(); ++k) {
    const CoverInstr& i = c.instrs[k];
    std::string params;
    for (auto& [p, v] : i.params)
      params += (params.empty() ? "" : ", ") + p + "=" + v;
    os << "      %" << (k + 1) << " " << i.name << (params.empty() ? "" : "(" + params + ")")
       << " on " << i.engine << ": "
       << (k + 1 == c.instrs.size() ? c.out : "%" + std::to_string(k + 1)) << " axes ("
       << join(i.out_axes) << ")";
    if (!i.loops.empty()) {
      std::vector<std::string> loops(i.loops.begin(), i.loops.end());
      os << " looping over " << join(loops);
    }
    if (i.accumulate) {
      std::string acc;
      for (auto& [p, v] : *i.accumulate)
        acc += (acc.empty() ? "" : ", ") + p + "=" + v;
      os << "; accumulating form (" << acc << ", proven)";
    }
    os << (i.hoisted ? " (constant: once per kernel)" : "") << "\n";
    for (const auto& o : i.operands) {
      os << "          " << o.slot << " <- ";
      switch (o.term.kind) {
      case TermKind::Tensor:
      case TermKind::Scalar: {
        std::vector<std::string> idx;
        for (auto& e : o.term.index)
          idx.push_back(to_string(e));
        os << o.term.tensor << "[" << join(idx) << "]";
        if (o.term.kind == TermKind::Tensor)
          os << " axes (" << join(o.term.axes) << ")";
        break;
      }
      case TermKind::Temp:
        os << "%" << (o.term.temp + 1) << " axes (" << join(o.term.axes) << ")";
        break;
      case TermKind::Constant:
        os << to_string(o.term.value) << " (immediate)";
        break;
      }
      os << "\n";
    }
  }
  return os.str();
}

} // namespace

std::string to_string(const Selection& s) {
  std::ostringstream os;
  if (!s.found)
    return s.reason + "\n";
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.4g", s.cost_ns);
  size_t hoisted = 0;
  for (const auto& i : s.instrs)
    hoisted += i.hoisted;
  size_t per_tile = s.instrs.size() - hoisted;
  os << s.statement << "  (" << per_tile << " instruction" << (per_tile == 1 ? "" : "s")
     << " per tile of " << s.tile_elements << " element" << (s.tile_elements == 1 ? "" : "s")
     << ", " << buf << " ns";
  if (hoisted)
    os << "; " << hoisted << " constant" << (hoisted == 1 ? "" : "s") << " set once";
  os << ")\n";
  char st[160];
  std::snprintf(st, sizeof st,
                "  [%zu goal(s), %zu candidates, %zu rejected by trials, %zu proof(s), %.2f s%s]\n",
                s.stats.goals, s.stats.candidates, s.stats.numeric_rejected, s.stats.proofs,
                s.seconds, s.stats.cached ? ", cached" : "");
  os << st;
  for (size_t n = 0; n < s.instrs.size(); ++n) {
    const SelectedInstr& i = s.instrs[n];
    os << "  " << i.instruction;
    std::string params;
    for (auto& [k, v] : i.params)
      params += (params.empty() ? "" : ", ") + k + "=" + v;
    if (!params.empty())
      os << "(" << params << ")";
    os << " on " << i.engine << ": " << i.computes << "  [" << i.result << "]"
       << (i.hoisted ? "  (constant: once per kernel)" : "") << "\n";
    for (auto& b : i.bindings)
      os << "      " << b.slot << " <- " << b.value << (b.kind == "constant" ? " (immediate)" : "")
         << (b.layout.empty() ? "" : " (" + b.layout + ")") << "\n";
    for (auto& note : i.notes)
      os << "      note: " << note << "\n";
    if (s.cover && n < s.cover->instrs.size() && s.cover->instrs[n].accumulate) {
      std::string acc;
      for (auto& [k, v] : *s.cover->instrs[n].accumulate)
        acc += (acc.empty() ? "" : ", ") + k + "=" + v;
      os << "      accumulating form: " << i.instruction << "(" << acc << ") adds into " << i.result
         << " (proven)\n";
    }
  }
  for (size_t a = 1; a < s.alternatives.size(); ++a) {
    double ns = 0;
    for (const auto& i : s.alternatives[a]->instrs)
      if (!i.hoisted)
        ns += i.cost_ns;
    char c[64];
    std::snprintf(c, sizeof c, "%.4g", ns);
    os << "    alternative layout " << a << " (" << c << " ns per tile):\n"
       << cover_lines(*s.alternatives[a]);
  }
  return os.str();
}

} // namespace axon
