// Accumulating forms of instructions (isel_accumulate.h): candidates from the JSON semantics,
// each proven with smt/ as `candidate(result) == result_before + base(result)`.
#include "synth/isel_accumulate.h"

#include <algorithm>
#include <functional>
#include <map>
#include <mutex>
#include <set>
#include <vector>

#include "ir/error.h"
#include "ir/inline.h"

namespace axon::isel {

namespace {

// The statement writing `name` (or its accumulated version `name@1`) in `p`; null when absent.
const IndexStmt* writer(const IndexProgram& p, const std::string& name, bool* accumulated) {
  for (const auto& st : p.stmts())
    if (st.out == name || st.out == name + "@1") {
      *accumulated = st.out != name;
      return &st;
    }
  return nullptr;
}

// Every tensor of `e` renamed into the proof's own names ("a$" + name), so that an operand never
// collides with the proof's output `out`; index variable i of `from` becomes `to[i]`.
Expr to_proof_names(const Expr& e, const std::vector<std::string>& from,
                    const std::vector<std::string>& to) {
  std::map<std::string, std::string> vars;
  for (size_t i = 0; i < from.size() && i < to.size(); ++i)
    vars[from[i]] = to[i];
  std::function<Expr(const Expr&)> go = [&](const Expr& x) -> Expr {
    switch (x->kind()) {
    case ExprKind::IndexVar: {
      auto it = vars.find(x->name());
      return it == vars.end() ? x : ExprNode::index_var(it->second);
    }
    case ExprKind::Access: {
      std::vector<Expr> idx;
      for (auto& a : x->args())
        idx.push_back(go(a));
      return ExprNode::access("a$" + x->name(), std::move(idx), x->sort());
    }
    case ExprKind::Sum:
    case ExprKind::RMax:
    case ExprKind::RMin:
      return ExprNode::reduce(x->kind(), x->name(), go(x->extent()), go(x->body()));
    default:
      break;
    }
    if (x->args().empty())
      return x;
    return map_args(x, go);
  };
  return go(e);
}

size_t differences(const ParamChoice& a, const ParamChoice& b) {
  size_t n = 0;
  for (auto& [k, v] : a) {
    auto it = b.find(k);
    n += it == b.end() || it->second != v;
  }
  for (auto& [k, v] : b)
    n += !a.count(k);
  return n;
}

} // namespace

smt::Verdict check_accumulating_form(const Isa& isa, size_t instr, const ParamChoice& base,
                                     const ParamChoice& candidate, const std::string& result,
                                     const smt::ProveOptions& opts, std::string* reason) {
  auto say = [&](smt::Verdict v, const std::string& why) {
    if (reason)
      *reason = why;
    return v;
  };
  if (instr >= isa.instructions.size())
    internal_error("check_accumulating_form: no instruction " + std::to_string(instr));
  const Instruction& in = isa.instructions[instr];
  IndexProgram pb = instruction_semantics(in, base);
  std::optional<IndexProgram> parsed;
  try {
    parsed = instruction_semantics(in, candidate);
  } catch (const UserError& e) {
    return say(smt::Verdict::Refuted,
               std::string("the candidate does not instantiate: ") + e.what());
  }
  const IndexProgram& pc = *parsed;
  bool base_acc = false, cand_acc = false;
  const IndexStmt* sb = writer(pb, result, &base_acc);
  const IndexStmt* sc = writer(pc, result, &cand_acc);
  if (!sb || base_acc)
    internal_error("check_accumulating_form: '" + result + "' of '" + in.name +
                   "' is not written afresh under the base choice");
  if (!sc)
    return say(smt::Verdict::Refuted, "the candidate does not write '" + result + "'");
  Expr vb = inline_tensor(pb, sb->out);
  Expr vc = inline_tensor(pc, sc->out);
  std::vector<std::string> reads = tensors_read(vc);
  if (std::find(reads.begin(), reads.end(), result) == reads.end())
    return say(smt::Verdict::Refuted,
               "the candidate's '" + result + "' does not read its value before the instruction");
  // Both sides in the proof's names: index variables i$0.., tensors a$<operand>.
  std::vector<std::string> vars;
  std::vector<std::pair<std::string, Expr>> index_vars;
  const TensorDecl& out = pb.tensor(sb->out);
  for (size_t i = 0; i < sb->vars.size(); ++i) {
    vars.push_back("i$" + std::to_string(i));
    index_vars.push_back({vars.back(), out.shape[i]});
  }
  std::vector<Expr> at;
  for (auto& v : vars)
    at.push_back(ExprNode::index_var(v));
  Expr before = ExprNode::access("a$" + result, at, vb->sort());
  Expr lhs = to_proof_names(vc, sc->vars, vars);
  Expr rhs = before + to_proof_names(vb, sb->vars, vars);
  std::map<std::string, TensorDecl> inputs;
  for (const IndexProgram* p : std::vector<const IndexProgram*>{&pb, &pc})
    for (const TensorDecl* t : p->inputs()) {
      TensorDecl d = *t;
      d.name = "a$" + t->name;
      inputs[d.name] = d;
    }
  if (!inputs.count("a$" + result)) {
    TensorDecl d = out;
    d.name = "a$" + result;
    d.role = TensorRole::Input;
    inputs[d.name] = d;
  }
  std::vector<TensorDecl> decls;
  for (auto& [n, d] : inputs)
    decls.push_back(d);
  smt::ProveResult pr;
  try {
    pr = smt::prove_expressions(lhs, rhs, decls, index_vars, {}, opts);
  } catch (const UserError& e) {
    return say(smt::Verdict::Unknown, e.what());
  }
  std::string why = pr.obligations.empty() ? "" : pr.obligations[0].reason;
  return say(pr.verdict, why);
}

std::optional<ParamChoice> accumulating_form(const Isa& isa, size_t instr, const ParamChoice& base,
                                             const std::string& result,
                                             const smt::ProveOptions& opts, size_t* proofs) {
  static std::mutex mu;
  static std::map<std::string, std::optional<ParamChoice>> memo;
  std::string key = isa_hash(isa) + "|" + std::to_string(instr) + "|" + result;
  for (auto& [k, v] : base)
    key += "|" + k + "=" + v;
  {
    std::lock_guard<std::mutex> lock(mu);
    auto it = memo.find(key);
    if (it != memo.end())
      return it->second;
  }
  const Instruction& in = isa.instructions.at(instr);
  // Candidates: other choices whose result statement reads the result's old value.
  std::vector<ParamChoice> cands;
  for (const ParamChoice& c : all_param_choices(in)) {
    if (differences(c, base) == 0)
      continue;
    std::optional<IndexProgram> p;
    try {
      p = instruction_semantics(in, c);
    } catch (const UserError&) {
      continue;
    }
    bool acc = false;
    const IndexStmt* st = writer(*p, result, &acc);
    if (!st)
      continue;
    std::vector<std::string> reads = tensors_read(inline_tensor(*p, st->out));
    if (std::find(reads.begin(), reads.end(), result) != reads.end())
      cands.push_back(c);
  }
  std::stable_sort(cands.begin(), cands.end(), [&](const ParamChoice& a, const ParamChoice& b) {
    return differences(a, base) < differences(b, base);
  });
  std::optional<ParamChoice> found;
  for (const ParamChoice& c : cands) {
    if (proofs)
      ++*proofs;
    if (check_accumulating_form(isa, instr, base, c, result, opts) == smt::Verdict::Proven) {
      found = c;
      break;
    }
  }
  std::lock_guard<std::mutex> lock(mu);
  memo[key] = found;
  return found;
}

} // namespace axon::isel
