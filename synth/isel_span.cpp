// Covers spanning two statements (isel_span.h): the cover's values rebuilt from the JSON
// semantics with its operands bound, and the two equations proven with smt/.
#include "synth/isel_span.h"

#include <algorithm>
#include <functional>
#include <map>
#include <set>

#include "ir/error.h"
#include "ir/inline.h"

namespace axon {

namespace {

// The value instruction k of `c` writes into its out operand `operand` under `params`, as an
// expression over the cover's Vars; null when that operand is not written afresh.
Expr cover_value(const Cover& c, const Isa& isa, size_t k, const ParamChoice& params,
                 const std::string& operand) {
  const CoverInstr& ci = c.instrs[k];
  const Instruction& ins = isa.instructions[ci.instr];
  IndexProgram sem = instruction_semantics(ins, params);
  const IndexStmt* st = nullptr;
  for (const auto& s : sem.stmts())
    if (s.out == operand)
      st = &s;
  const OperandSpec* op = ins.find_operand(operand);
  if (!st || !op)
    return nullptr;
  Expr e = rename_bound_apart(inline_tensor(sem, st->out));
  std::map<std::string, std::string> dim_var;
  for (const auto& d : ci.dims)
    dim_var[d.dim] = d.var;
  auto var_of_dim = [&](const std::string& d) {
    auto it = dim_var.find(d);
    return it == dim_var.end() ? std::string() : it->second;
  };
  std::map<std::string, Expr> iv;
  for (size_t a = 0; a < st->vars.size() && a < op->shape.size(); ++a) {
    std::string v = var_of_dim(op->shape[a].name);
    iv[st->vars[a]] = v.empty() ? ExprNode::int_const(0) : ExprNode::index_var(v);
  }
  // `t` (over Vars) with Var axes[a] read at `args[a]`.
  auto at = [](const Expr& t, const std::vector<std::string>& axes, const std::vector<Expr>& args) {
    std::map<std::string, Expr> m;
    for (size_t a = 0; a < axes.size() && a < args.size(); ++a)
      if (!axes[a].empty())
        m[axes[a]] = args[a];
    return substitute(t, [&](const ExprNode& n) -> Expr {
      if (n.kind() != ExprKind::IndexVar)
        return nullptr;
      auto it = m.find(n.name());
      return it == m.end() ? nullptr : it->second;
    });
  };
  std::function<Expr(const Expr&)> go = [&](const Expr& x) -> Expr {
    switch (x->kind()) {
    case ExprKind::IndexVar: {
      auto it = iv.find(x->name());
      return it == iv.end() ? x : it->second;
    }
    case ExprKind::DimVar: {
      std::string v = var_of_dim(x->name());
      const CoverVar* cv = v.empty() ? nullptr : c.find_var(v);
      return cv ? cv->extent : ExprNode::int_const(1);
    }
    case ExprKind::Access: {
      std::vector<Expr> args;
      for (auto& a : x->args())
        args.push_back(go(a));
      for (const CoverOperand& o : ci.operands) {
        if (o.slot != x->name())
          continue;
        switch (o.term.kind) {
        case TermKind::Tensor:
          return at(ExprNode::access(o.term.tensor, o.term.index, x->sort()), o.term.axes, args);
        case TermKind::Temp: {
          const CoverInstr& p = c.instrs[o.term.temp];
          Expr t = cover_value(c, isa, o.term.temp, p.params, p.result);
          AXON_CHECK(t, "spanning: a temp whose value is not written afresh");
          return at(t, o.term.axes, args);
        }
        case TermKind::Constant:
          return o.term.value;
        case TermKind::Scalar:
          return ExprNode::access(o.term.tensor, o.term.index, x->sort());
        }
      }
      return ExprNode::access(x->name(), args, x->sort());
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

std::vector<TensorDecl> inputs_of(const IndexProgram& p, const std::vector<Expr>& es) {
  std::set<std::string> names;
  for (auto& e : es)
    for (auto& t : tensors_read(e))
      names.insert(t);
  std::vector<TensorDecl> out;
  for (auto& n : names) {
    TensorDecl d = p.tensor(n);
    d.role = TensorRole::Input;
    out.push_back(d);
  }
  return out;
}

bool proven(const Expr& a, const Expr& b, const IndexProgram& p,
            const std::vector<std::pair<std::string, Expr>>& index_vars,
            const smt::ProveOptions& opts) {
  try {
    return smt::prove_expressions(a, b, inputs_of(p, {a, b}), index_vars, {}, opts).verdict ==
           smt::Verdict::Proven;
  } catch (const UserError&) {
    return false; // not proven
  }
}

} // namespace

SpanningCover select_spanning(const IndexProgram& program, size_t first, const Cover& first_cover,
                              size_t second, const Isa& isa, const smt::ProveOptions& opts) {
  SpanningCover r;
  AXON_CHECK(first < program.stmts().size() && second < program.stmts().size(),
             "select_spanning: no such statement");
  AXON_CHECK(!first_cover.instrs.empty(), "select_spanning: an empty cover");
  const IndexStmt& s1 = program.stmts()[first];
  const IndexStmt& s2 = program.stmts()[second];
  size_t k = first_cover.instrs.size() - 1;
  const CoverInstr& last = first_cover.instrs[k];
  const Instruction& ins = isa.instructions[last.instr];
  r.instr = k;
  // The first statement's Vars as the second statement reads them: Var i <- the variable at
  // axis i of its read of the first tensor (one read, plain variables of the second statement,
  // or bound ones, which the instruction's own reduction must take over).
  std::map<std::string, Expr> to_second;
  size_t reads = 0;
  bool plain = true;
  visit(s2.value, [&](const ExprNode& n) {
    if (n.kind() != ExprKind::Access || n.name() != s1.out)
      return;
    ++reads;
    for (size_t i = 0; i < n.args().size() && i < s1.vars.size(); ++i) {
      const Expr& a = n.args()[i];
      if (a->kind() != ExprKind::IndexVar)
        plain = false;
      else if (std::find(s2.vars.begin(), s2.vars.end(), a->name()) != s2.vars.end())
        to_second[first_cover.vars[i].name] = a;
    }
  });
  if (reads != 1 || !plain) {
    r.reason = "`" + s2.out + "` does not read `" + s1.out + "` once at plain variables";
    return r;
  }
  std::vector<std::pair<std::string, Expr>> vars1, vars2;
  for (auto& v : first_cover.vars)
    if (!v.reduction)
      vars1.push_back({v.name, v.extent});
  const TensorDecl& out2 = program.tensor(s2.out);
  for (size_t i = 0; i < s2.vars.size(); ++i)
    vars2.push_back({s2.vars[i], out2.shape[i]});
  Expr base = cover_value(first_cover, isa, k, last.params, last.result);
  Expr want = replace_reads(s2.value, s1.out,
                            [&](const std::vector<Expr>& idx) { return instantiate(s1, idx); });
  for (const ParamChoice& choice : all_param_choices(ins)) {
    for (const OperandSpec& op : ins.operands) {
      if (op.role != OperandRole::Out || op.name == last.result)
        continue;
      Expr v2;
      try {
        v2 = cover_value(first_cover, isa, k, choice, op.name);
      } catch (const UserError&) {
        continue;
      }
      if (!v2)
        continue;
      // Its variables in the second statement's names; a Var the read does not name is none.
      bool ok = true;
      Expr mapped = substitute(v2, [&](const ExprNode& n) -> Expr {
        if (n.kind() != ExprKind::IndexVar || !first_cover.find_var(n.name()))
          return nullptr;
        auto it = to_second.find(n.name());
        if (it == to_second.end()) {
          ok = false;
          return nullptr;
        }
        return it->second;
      });
      if (!ok)
        continue;
      // Under this choice the result still carries the first statement, and `op` the second.
      r.proofs += 2;
      Expr again = cover_value(first_cover, isa, k, choice, last.result);
      if (!again || !proven(base, again, program, vars1, opts))
        continue;
      if (!proven(want, mapped, program, vars2, opts))
        continue;
      std::map<std::string, std::string> dim_var;
      for (const auto& d : last.dims)
        dim_var[d.dim] = d.var;
      for (const auto& d : op.shape) {
        auto it = to_second.find(dim_var.count(d.name) ? dim_var[d.name] : "");
        r.out_axes.push_back(it == to_second.end() ? "" : it->second->name());
      }
      r.found = true;
      r.params = choice;
      r.operand = op.name;
      return r;
    }
  }
  r.reason = "no choice of '" + ins.name + "' writes `" + s2.out + "` through another operand (" +
             std::to_string(r.proofs) + " proof(s))";
  return r;
}

} // namespace axon
