// Instruction selection for the search (instruction_costs.h): one select_instructions call per
// distinct statement (and per reduction body), one per element function the programs apply.
#include "emit/cpu/instruction_costs.h"

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <set>

#include "emit/cpu/schedule.h"
#include "ir/error.h"
#include "synth/isel_cache.h"

namespace axon {

namespace {

// Functions the backends compute with a routine of the target (exp, log, sqrt, pow, ...), as
// opposed to the arithmetic, comparisons and selects every backend has.
bool is_element_function(ExprKind k) { return is_real_function(k) || k == ExprKind::Pow; }

void collect_functions(const Expr& e, std::set<ExprKind>& out) {
  if (is_element_function(e->kind()))
    out.insert(e->kind());
  for (auto& a : e->args())
    collect_functions(a, out);
}

// `out[i] = f(a[i], ...)` on vectors of a symbolic length: the question "does some instruction
// sequence of the target compute f?" (with `copy`: `out[i] = a[i]`, the cost of getting the
// operand in place).
IndexProgram function_program(ExprKind k, bool copy = false) {
  std::vector<Expr> args;
  std::vector<TensorDecl> decls;
  size_t arity = is_binary(k) ? 2 : 1;
  for (size_t i = 0; i < arity; ++i) {
    std::string name = std::string(1, static_cast<char>('a' + i));
    decls.push_back({name, DType::F32, {ExprNode::dim_var("N")}, TensorRole::Input});
    args.push_back(ExprNode::access(name, {ExprNode::index_var("i")}));
  }
  decls.push_back({"out", DType::F32, {ExprNode::dim_var("N")}, TensorRole::Output});
  IndexStmt st;
  st.out = "out";
  st.vars = {"i"};
  st.value = copy         ? args[0]
             : arity == 2 ? ExprNode::binary(k, args[0], args[1])
                          : ExprNode::unary(k, args[0]);
  return IndexProgram::make({{"N", std::nullopt}}, decls, {st});
}

// The body of statement `si`'s top-level reduction as a statement of its own over the
// statement's variables and the reduction's (every tensor of `p` an input); none when the body
// itself reduces.
std::optional<IndexProgram> body_program(const IndexProgram& p, size_t si) {
  const IndexStmt& st = p.stmts()[si];
  const ExprNode* red = top_reduction(st);
  if (!red || has_reduction(red->body()))
    return std::nullopt;
  std::vector<TensorDecl> decls;
  for (auto t : p.tensors()) {
    t.role = TensorRole::Input;
    decls.push_back(t);
  }
  TensorDecl out{"body$", DType::F32, p.tensor(st.out).shape, TensorRole::Output};
  out.shape.push_back(red->extent());
  decls.push_back(out);
  IndexStmt b;
  b.out = out.name;
  b.vars = st.vars;
  b.vars.push_back(red->name());
  b.value = red->body();
  return IndexProgram::make(p.dims(), decls, {b});
}

// Adds to `j` what a selection found: its instructions and cost per tile, or why there is none.
void add_selection(nlohmann::json& j, const Selection& s) {
  j["found"] = s.found;
  if (!s.found) {
    j["reason"] = s.reason;
    return;
  }
  nlohmann::json a = nlohmann::json::array();
  for (auto& i : s.instrs)
    a.push_back(isel::instr_to_json(i));
  j["instructions"] = a;
  j["cost_ns_per_tile"] = s.cost_ns;
  j["tile_elements"] = s.tile_elements;
}

} // namespace

// The least time the check that the target computes an element function gets (see above).
constexpr int kFunctionCheckSeconds = 30;

InstructionSelection select_for_search(const std::vector<const IndexProgram*>& programs,
                                       const Isa& isa, const SelectOptions& opts,
                                       const SourceFile* src) {
  auto t0 = std::chrono::steady_clock::now();
  InstructionSelection r;
  std::set<ExprKind> checked;       // element functions already asked about
  std::optional<Selection> operand; // the cover of `out[i] = a[i]`
  for (const IndexProgram* p : programs) {
    for (size_t si = 0; si < p->stmts().size(); ++si) {
      const IndexStmt& st = p->stmts()[si];
      std::set<ExprKind> fns;
      collect_functions(st.value, fns);
      for (ExprKind k : fns) {
        if (!checked.insert(k).second)
          continue;
        // Whether the target computes an element function at all decides whether the program
        // can run: that check gets at least kFunctionCheckSeconds even when the stage's deadline
        // is nearer (a small --time-budget on a cold cache), and refuses the program only then.
        SelectOptions fo = opts;
        fo.deadline = std::max(opts.deadline, std::chrono::steady_clock::now() +
                                                  std::chrono::seconds(kFunctionCheckSeconds));
        Selection f = select_instructions(function_program(k), 0, isa, fo);
        ++r.functions_checked;
        if (f.stats.stopped) {
          // Whether the target computes the function at all is unknown: refuse rather than guess.
          std::string msg = "instruction selection stopped at its time limit before it could check "
                            "that target '" +
                            isa.name + "' computes " + kind_name(k) + " (statement `" +
                            to_string(st) + "`)";
          std::string hint =
              "give the main job more time with --time-budget S (docs/reliability.md)";
          if (src && st.loc.line > 0)
            user_error_at(*src, st.loc, msg, hint);
          user_error((src ? src->path + ": error: " : std::string("error: ")) + msg + "; " + hint);
        }
        if (f.found) {
          if (!operand)
            operand = select_instructions(function_program(k, true), 0, isa, fo);
          double own = f.cost_ns / static_cast<double>(f.tile_elements);
          if (operand->found)
            own -= operand->cost_ns / static_cast<double>(operand->tile_elements) *
                   (is_binary(k) ? 2 : 1);
          r.costs.functions[k] = {std::max(0.0, own), 1};
        } else {
          std::string msg = "statement `" + to_string(st) + "` applies " + kind_name(k) +
                            ", but target '" + isa.name + "' (" + isa.path +
                            ") has no instruction sequence that computes " + kind_name(k) + " (" +
                            f.reason + ")";
          std::string hint = "add an instruction whose semantics computes " +
                             std::string(kind_name(k)) +
                             " to the target's JSON (docs/isa.md), or use a target that has one";
          if (src && st.loc.line > 0)
            user_error_at(*src, st.loc, msg, hint);
          user_error((src ? src->path + ": error: " : std::string("error: ")) + msg + "; " + hint);
        }
      }
      std::string key = stmt_cost_key(*p, si);
      if (r.stmts.count(key))
        continue;
      if (r.stopped)
        continue; // out of time: the remaining statements keep the operation weights
      StmtSelection s;
      s.selection = select_instructions(*p, si, isa, opts);
      if (s.selection.stats.stopped)
        r.stopped = true;
      ++r.statements;
      r.cached += s.selection.stats.cached;
      if (auto b = body_program(*p, si))
        s.body = select_instructions(*b, 0, isa, opts);
      if (r.stopped && !s.selection.found) {
        s.cost_note =
            "selection stopped at its time limit: the cost model keeps its operation weights";
      } else if (!s.selection.found) {
        s.cost_note = "no selection: the cost model keeps its operation weights";
      } else if (has_reduction(st.value)) {
        ++r.covered;
        s.cost_note = "a reduction, covered chunk by chunk (see the notes): the cost model keeps "
                      "its operation weights";
      } else {
        ++r.covered;
        ++r.costed;
        s.costed = true;
        r.costs.stmts[key] = {s.selection.cost_ns, static_cast<double>(s.selection.tile_elements)};
      }
      // AXON_DEBUG=2: each statement's cover (or why none) as the search will cost it.
      if (const char* d = std::getenv("AXON_DEBUG"); d && std::atoi(d) >= 2)
        std::fprintf(stderr, "[selection] %s%s", to_string(s.selection).c_str(),
                     s.costed ? "" : ("  (" + s.cost_note + ")\n").c_str());
      r.stmts.emplace(key, std::move(s));
    }
  }
  r.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  return r;
}

nlohmann::json selection_report(const InstructionSelection& s, const IndexProgram& p) {
  nlohmann::json stmts = nlohmann::json::array();
  for (size_t si = 0; si < p.stmts().size(); ++si) {
    nlohmann::json j = {{"statement", to_string(p.stmts()[si])}};
    auto it = s.stmts.find(stmt_cost_key(p, si));
    if (it == s.stmts.end()) {
      j["found"] = false;
      j["reason"] = "not selected (the statement is not in a searched variant)";
      j["cost_model"] = "operation weights";
      stmts.push_back(j);
      continue;
    }
    const StmtSelection& ss = it->second;
    add_selection(j, ss.selection);
    if (ss.body) {
      nlohmann::json b = {{"computation", ss.body->statement}};
      add_selection(b, *ss.body);
      j["reduction_body"] = b;
    }
    j["cost_model"] = ss.costed ? "selection" : "operation weights";
    if (!ss.costed)
      j["cost_note"] = ss.cost_note;
    stmts.push_back(j);
  }
  nlohmann::json fns = nlohmann::json::object();
  for (auto& [k, c] : s.costs.functions)
    fns[kind_name(k)] = c.ns_per_tile / c.tile_elements;
  return {{"statements_selected", s.statements},
          {"stopped_at_time_limit", s.stopped},
          {"function_ns_per_element", fns},
          {"covered", s.covered},
          {"costed", s.costed},
          {"from_cache", s.cached},
          {"functions_checked", s.functions_checked},
          {"seconds", s.seconds},
          {"winner", stmts}};
}

} // namespace axon
