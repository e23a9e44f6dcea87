// The spec library: parses spec files, validates each op by instantiating it on symbolic
// operands, and serves overloads by name.
#include "ir/spec_library.h"

#include <set>

#include "ir/error.h"
#include "ir/spec_instantiate.h"

namespace axon {

const std::vector<std::pair<std::string, std::string>>& embedded_spec_files(); // generated

namespace {

// Instantiates `op` on operands whose shapes are its own patterns (dims symbolic, one batch dim)
// so every name, rank and function in the body is checked when the file is loaded.
void validate(const SpecOp& op) {
  const SourceFile& src = *op.src;
  for (auto& p : op.ast.params) {
    int ell = 0;
    for (auto& d : p.pattern.shape) {
      if (d->kind == AstExpr::Kind::Ellipsis) {
        ++ell;
        continue;
      }
      if (d->kind != AstExpr::Kind::Name && !(d->kind == AstExpr::Kind::Number && d->is_int()))
        user_error_at(src, d->loc, "a parameter pattern holds dim names, integers and '...'");
    }
    if (ell > 1)
      user_error_at(src, p.loc, "at most one '...' per pattern");
    if (!p.pattern.dtype.empty() && p.pattern.dtype != "bool")
      user_error_at(src, p.pattern.dtype_loc,
                    "a spec pattern carries no dtype, except `bool` for conditions");
  }
  std::vector<SpecOperand> operands;
  for (auto& p : op.ast.params) {
    SpecOperand o;
    o.ssa = p.name;
    o.loc = p.loc;
    o.sort = p.pattern.dtype == "bool" ? Sort::Bool : Sort::Real;
    for (auto& d : p.pattern.shape) {
      if (d->kind == AstExpr::Kind::Ellipsis)
        o.shape.push_back(ExprNode::dim_var("$batch"));
      else if (d->kind == AstExpr::Kind::Name)
        o.shape.push_back(ExprNode::dim_var(d->text));
      else
        o.shape.push_back(ExprNode::int_const(static_cast<int64_t>(d->number())));
    }
    operands.push_back(o);
  }
  std::vector<std::pair<std::string, AttrValue>> attrs;
  for (auto& [k, v] : op.ast.when)
    attrs.push_back({k, v});
  for (auto& a : op.ast.attrs)
    if (!a.default_value)
      attrs.push_back({a.name, 1.0});
  SpecBinding b = bind_spec(op.name(), {&op}, operands, attrs, src, op.ast.loc);
  std::vector<TensorDecl> temps;
  expand_spec(b, operands, "out", op.ast.loc, temps);
}

} // namespace

const SpecLibrary& SpecLibrary::builtin() {
  static const SpecLibrary lib = [] {
    SpecLibrary l;
    for (auto& [path, text] : embedded_spec_files())
      l.add_file(source_from_string(text, path));
    return l;
  }();
  return lib;
}

void SpecLibrary::add_file(const SourceRef& src) {
  AstSpecFile f = parse_spec_file(src);
  for (auto& a : f.ops) {
    auto op = std::make_shared<SpecOp>(SpecOp{a, src});
    for (auto& prev : ops_[op->name()]) {
      if (prev->ast.when == op->ast.when)
        user_error_at(*src, op->ast.loc,
                      "op '" + op->name() + "' is already defined at " + prev->src->path + ":" +
                          std::to_string(prev->ast.loc.line),
                      "give it a different name or a different `when` clause");
    }
    std::set<std::string> names;
    for (auto& p : op->ast.params)
      if (!names.insert(p.name).second)
        user_error_at(*src, p.loc, "duplicate parameter '" + p.name + "'");
    for (auto& at : op->ast.attrs)
      if (!names.insert(at.name).second)
        user_error_at(*src, at.loc, "duplicate name '" + at.name + "'");
    validate(*op);
    ops_[op->name()].push_back(op);
  }
}

std::vector<const SpecOp*> SpecLibrary::overloads(const std::string& name) const {
  std::vector<const SpecOp*> out;
  auto it = ops_.find(name);
  if (it != ops_.end())
    for (auto& p : it->second)
      out.push_back(p.get());
  return out;
}

std::vector<std::string> SpecLibrary::names() const {
  std::vector<std::string> out;
  for (auto& [k, v] : ops_)
    out.push_back(k);
  return out;
}

} // namespace axon
