// Expansion: Program -> IndexProgram. Each node becomes index statements: index-notation nodes as
// written, spec ops by instantiating their spec, structural ops by their index map. `+=` adds the
// previous version explicitly; inout tensors become an input and an output that updates it.
#include <set>

#include "ir/error.h"
#include "ir/frontend.h"
#include "ir/ranges.h"
#include "ir/spec_instantiate.h"
#include "ir/structural.h"

namespace axon {

IndexProgram expand(const Program& p, const SpecLibrary& specs) {
  std::vector<TensorDecl> tensors;
  std::vector<IndexStmt> stmts;
  std::map<std::string, std::string> updates;
  std::set<ValueId> outputs(p.outputs.begin(), p.outputs.end());
  SourceRef nosrc = source_from_string("", "<expand>");

  for (ValueId id : p.inputs) {
    const Value& v = p.value(id);
    tensors.push_back(TensorDecl{p.ssa_name(id), v.dtype, v.shape, TensorRole::Input});
  }
  for (const Node& n : p.nodes) {
    const Value& rv = p.value(n.result);
    std::string name = p.ssa_name(n.result);
    TensorRole role = outputs.count(n.result) ? TensorRole::Output : TensorRole::Temp;
    tensors.push_back(TensorDecl{name, rv.dtype, rv.shape, role});
    if (rv.version > 0)
      updates[name] = rv.name;
    // With `+=` the op's own result goes to a temporary first.
    std::string target = n.accumulate ? name + ".inc" : name;
    if (n.accumulate)
      tensors.push_back(TensorDecl{target, rv.dtype, rv.shape, TensorRole::Temp});

    if (n.op == "index") {
      stmts.push_back(IndexStmt{target, n.vars, n.expr, n.loc, "index"});
    } else if (is_structural(n.op)) {
      std::vector<StructOperand> so;
      for (auto& o : n.operands) {
        const Value& v = p.value(*o.value);
        so.push_back(StructOperand{p.ssa_name(*o.value), v.shape, v.dtype, n.loc});
      }
      stmts.push_back(expand_structural(n.op, so, n.attrs, target, rv.shape, n.loc));
    } else {
      std::vector<SpecOperand> so;
      for (auto& o : n.operands) {
        SpecOperand x;
        if (o.value) {
          const Value& v = p.value(*o.value);
          x.ssa = p.ssa_name(*o.value);
          x.shape = v.shape;
          x.sort = v.dtype == DType::Bool ? Sort::Bool : Sort::Real;
        } else {
          x.literal = o.literal;
        }
        so.push_back(x);
      }
      SpecBinding b = bind_spec(n.op, specs.overloads(n.op), so, n.attrs, *nosrc, n.loc);
      std::vector<TensorDecl> temps;
      auto body = expand_spec(b, so, target, n.loc, temps);
      tensors.insert(tensors.end(), temps.begin(), temps.end());
      stmts.insert(stmts.end(), body.begin(), body.end());
    }
    if (n.accumulate) {
      // new[i...] = old[i...] + inc[i...]
      std::string old;
      for (size_t i = 0; i < p.values.size(); ++i)
        if (p.values[i].name == rv.name && p.values[i].version == rv.version - 1)
          old = p.ssa_name(static_cast<ValueId>(i));
      AXON_CHECK(!old.empty(), "no previous version of " + rv.name);
      std::vector<std::string> vars;
      std::vector<Expr> idx;
      for (size_t i = 0; i < rv.shape.size(); ++i) {
        vars.push_back("i" + std::to_string(i));
        idx.push_back(ExprNode::index_var(vars.back()));
      }
      stmts.push_back(IndexStmt{name, vars,
                                ExprNode::access(old, idx) + ExprNode::access(target, idx), n.loc,
                                "accumulate"});
    }
  }
  IndexProgram out =
      IndexProgram::make(p.dims, std::move(tensors), std::move(stmts), std::move(updates));
  // Sizes computed inside specs and structural ops, and every index expression's range, bounded
  // before anything evaluates them (the checker has placed the sizes it could see already).
  check_ranges(out, p.src.get());
  return out;
}

} // namespace axon
