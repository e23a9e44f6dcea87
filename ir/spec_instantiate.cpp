// Binding spec shape patterns to operands and expanding spec bodies (see spec_instantiate.h).
#include "ir/spec_instantiate.h"

#include <algorithm>
#include <set>

#include "ir/error.h"
#include "ir/index_scope.h"

namespace axon {

namespace {

std::string pattern_text(const AstType& t) {
  std::string s = t.dtype + "[";
  for (size_t i = 0; i < t.shape.size(); ++i)
    s += (i ? ", " : "") + to_string(*t.shape[i]);
  return s + "]";
}

std::string signature(const SpecOp& op) {
  std::string s = op.name() + "(";
  for (size_t i = 0; i < op.ast.params.size(); ++i)
    s += (i ? ", " : "") + op.ast.params[i].name + ": " + pattern_text(op.ast.params[i].pattern);
  if (!op.ast.attrs.empty()) {
    s += "; ";
    for (size_t i = 0; i < op.ast.attrs.size(); ++i)
      s += (i ? ", " : "") + op.ast.attrs[i].name;
  }
  s += ") -> " + pattern_text(op.ast.result);
  for (auto& [k, v] : op.ast.when)
    s += " when " + k + " = \"" + v + "\"";
  return s;
}

std::string operand_desc(const SpecOperand& o) {
  if (o.literal)
    return "a scalar";
  return shape_to_string(o.shape);
}

// A constant attribute expression from a spec default (a number, possibly negated).
double eval_const(const AstExpr& e, const SourceFile& src) {
  IndexScope s;
  s.src = &src;
  Expr x = lower_index_expr(e, s);
  if (x->kind() == ExprKind::IntConst)
    return static_cast<double>(x->int_value());
  if (x->kind() == ExprKind::RealConst)
    return x->real_value();
  user_error_at(src, e.loc, "an attribute default must be a number");
}

} // namespace

SpecBinding bind_spec(const std::string& name, const std::vector<const SpecOp*>& overloads,
                      const std::vector<SpecOperand>& operands,
                      const std::vector<std::pair<std::string, AttrValue>>& attrs,
                      const SourceFile& src, Loc loc) {
  // 1. The overload whose `when` clause is exactly the call's string attributes.
  std::map<std::string, std::string> strs;
  for (auto& [k, v] : attrs)
    if (auto* s = std::get_if<std::string>(&v))
      strs[k] = *s;
  const SpecOp* op = nullptr;
  for (auto* o : overloads) {
    std::map<std::string, std::string> w(o->ast.when.begin(), o->ast.when.end());
    if (w == strs)
      op = o;
  }
  if (!op) {
    std::string opts;
    for (auto* o : overloads)
      opts += "\n    " + signature(*o);
    user_error_at(src, loc, "no variant of '" + name + "' matches the given string attributes",
                  "the variants are:" + opts);
  }
  SpecBinding b;
  b.op = op;
  const auto& params = op->ast.params;
  if (params.size() != operands.size()) {
    user_error_at(src, loc,
                  "'" + name + "' takes " + std::to_string(params.size()) + " operand" +
                      (params.size() == 1 ? "" : "s") + ", got " + std::to_string(operands.size()),
                  "signature: " + signature(*op));
  }
  // 2. Match each operand against its pattern.
  std::vector<Shape> batches(operands.size());
  b.batch_rank.resize(operands.size());
  std::map<std::string, std::string> bound_by;
  for (size_t i = 0; i < params.size(); ++i) {
    const auto& pat = params[i].pattern.shape;
    const auto& o = operands[i];
    size_t n_ell = 0;
    for (auto& p : pat)
      n_ell += p->kind == AstExpr::Kind::Ellipsis;
    size_t named = pat.size() - n_ell;
    size_t rank = o.shape.size();
    auto mismatch = [&](const std::string& why) {
      std::string all;
      for (size_t j = 0; j < operands.size(); ++j)
        all += (j ? ", " : "") + params[j].name + " is " + operand_desc(operands[j]);
      user_error_at(src, o.loc.line ? o.loc : loc,
                    "shape mismatch in '" + name + "': " + why + " (" + all + ")",
                    "signature: " + signature(*op));
    };
    if (n_ell ? rank < named : rank != named)
      mismatch("operand '" + params[i].name + "' must have " + (n_ell ? "at least " : "") +
               std::to_string(named) + " dims to match " + pattern_text(params[i].pattern) +
               " but has " + std::to_string(rank));
    bool want_bool = params[i].pattern.dtype == "bool";
    if (want_bool != (o.sort == Sort::Bool) || (want_bool && o.literal))
      user_error_at(src, o.loc.line ? o.loc : loc,
                    "operand '" + params[i].name + "' of '" + name + "' must be " +
                        (want_bool ? "a condition (a bool tensor such as x > 0)"
                                   : "a value, not a condition"),
                    "signature: " + signature(*op));
    size_t nb = n_ell ? rank - named : 0;
    b.batch_rank[i] = nb;
    size_t pos = 0;
    for (auto& p : pat) {
      if (p->kind == AstExpr::Kind::Ellipsis) {
        for (size_t k = 0; k < nb; ++k)
          batches[i].push_back(o.shape[pos + k]);
        pos += nb;
        continue;
      }
      const Expr& d = o.shape[pos];
      if (p->kind == AstExpr::Kind::Number) {
        if (!dim_equal(d, ExprNode::int_const(static_cast<int64_t>(p->number()))))
          mismatch("dim " + std::to_string(pos) + " of '" + params[i].name + "' must be " +
                   p->text + ", not " + dim_to_string(d));
      } else if (p->kind == AstExpr::Kind::Name) {
        auto it = b.dims.find(p->text);
        if (it == b.dims.end()) {
          b.dims[p->text] = d;
          bound_by[p->text] = params[i].name;
        } else if (!dim_equal(it->second, d)) {
          mismatch(p->text + " is " + dim_to_string(it->second) + " in '" + bound_by[p->text] +
                   "' but " + dim_to_string(d) + " in '" + params[i].name + "'");
        }
      } else {
        internal_error(
            "spec pattern element is neither a name nor a number (spec validation missed it)");
      }
      ++pos;
    }
  }
  // 3. Broadcast the batch shapes (right-aligned, literal 1 broadcasts).
  size_t br = 0;
  for (auto& s : batches)
    br = std::max(br, s.size());
  b.batch_shape.assign(br, ExprNode::int_const(1));
  for (size_t i = 0; i < batches.size(); ++i) {
    size_t off = br - batches[i].size();
    for (size_t k = 0; k < batches[i].size(); ++k) {
      Expr& cur = b.batch_shape[off + k];
      const Expr& d = batches[i][k];
      if (is_literal_one(d))
        continue;
      if (is_literal_one(cur)) {
        cur = d;
        continue;
      }
      if (!dim_equal(cur, d)) {
        std::string all;
        for (size_t j = 0; j < operands.size(); ++j)
          all += (j ? ", " : "") + params[j].name + " is " + operand_desc(operands[j]);
        user_error_at(src, loc,
                      "cannot broadcast the operands of '" + name + "': batch dims " +
                          dim_to_string(cur) + " and " + dim_to_string(d) + " differ (" + all + ")",
                      "broadcasting needs equal dims or a literal 1; dims are compared by name, so "
                      "two different "
                      "dims differ even when their sizes are equal");
      }
    }
  }
  // 4. Numeric attributes: given or defaulted; unknown ones rejected.
  std::set<std::string> known;
  for (auto& a : op->ast.attrs)
    known.insert(a.name);
  for (auto& [k, v] : attrs) {
    if (std::holds_alternative<std::string>(v))
      continue;
    if (!known.count(k)) {
      std::string list;
      for (auto& a : op->ast.attrs)
        list += (list.empty() ? "" : ", ") + a.name;
      user_error_at(src, loc, "'" + name + "' has no attribute '" + k + "'",
                    list.empty() ? "it takes no attributes" : "its attributes are: " + list);
    }
    if (auto* d = std::get_if<double>(&v))
      b.attrs[k] = *d;
    else if (auto* bo = std::get_if<bool>(&v))
      b.attrs[k] = *bo ? 1.0 : 0.0;
    else
      user_error_at(src, loc, "attribute '" + k + "' of '" + name + "' must be a number");
  }
  for (auto& a : op->ast.attrs) {
    if (b.attrs.count(a.name))
      continue;
    if (!a.default_value)
      user_error_at(src, loc, "'" + name + "' needs the attribute '" + a.name + "'",
                    "write " + name + "(..., " + a.name + "=VALUE)");
    b.attrs[a.name] = eval_const(*a.default_value, *op->src);
  }
  // 5. The result shape.
  IndexScope rs;
  rs.src = op->src.get();
  rs.dim = [&](const std::string& n) -> std::optional<Expr> {
    auto it = b.dims.find(n);
    if (it == b.dims.end())
      return std::nullopt;
    return it->second;
  };
  for (auto& p : op->ast.result.shape) {
    if (p->kind == AstExpr::Kind::Ellipsis) {
      b.result_shape.insert(b.result_shape.end(), b.batch_shape.begin(), b.batch_shape.end());
      continue;
    }
    Expr d = lower_index_expr(*p, rs);
    if (d->sort() != Sort::Int)
      user_error_at(*op->src, p->loc, "a result dim must be an integer expression");
    b.result_shape.push_back(canonical_dim(d));
  }
  return b;
}

std::vector<IndexStmt> expand_spec(const SpecBinding& b, const std::vector<SpecOperand>& operands,
                                   const std::string& result, Loc loc,
                                   std::vector<TensorDecl>& temps) {
  const SpecOp& op = *b.op;
  const SourceFile& src = *op.src;
  std::map<std::string, ScopeTensor> tensors;
  for (size_t i = 0; i < operands.size(); ++i) {
    ScopeTensor t;
    t.ssa = operands[i].ssa;
    t.shape = operands[i].shape;
    t.literal = operands[i].literal;
    t.sort = operands[i].sort;
    t.batch_rank = b.batch_rank[i];
    tensors[op.ast.params[i].name] = t;
  }
  std::vector<std::string> batch_vars;
  for (size_t i = 0; i < b.batch_shape.size(); ++i)
    batch_vars.push_back("_b" + std::to_string(i));

  std::vector<IndexStmt> out;
  for (const AstStmt& st : op.ast.body) {
    if (st.kind != AstStmt::Kind::Assign || !st.index_vars || st.accumulate || st.type ||
        st.is_output)
      user_error_at(src, st.loc,
                    "spec bodies hold only index statements `name[i, ...] = expression`");
    IndexScope s;
    s.src = &src;
    s.allow_ellipsis = true;
    s.tensor = [&](const std::string& n) -> const ScopeTensor* {
      auto it = tensors.find(n);
      return it == tensors.end() ? nullptr : &it->second;
    };
    s.dim = [&](const std::string& n) -> std::optional<Expr> {
      auto it = b.dims.find(n);
      if (it == b.dims.end())
        return std::nullopt;
      return it->second;
    };
    s.scalar = [&](const std::string& n) -> std::optional<double> {
      auto it = b.attrs.find(n);
      if (it == b.attrs.end())
        return std::nullopt;
      return it->second;
    };
    Shape shape;
    std::vector<std::string> vars;
    bool has_batch = false;
    for (auto& v : *st.index_vars) {
      if (v.name == "...") {
        if (has_batch)
          user_error_at(src, v.loc, "at most one '...' on the left-hand side");
        has_batch = true;
        for (size_t i = 0; i < batch_vars.size(); ++i) {
          vars.push_back(batch_vars[i]);
          shape.push_back(b.batch_shape[i]);
          s.vars.push_back({batch_vars[i], b.batch_shape[i]});
        }
        continue;
      }
      vars.push_back(v.name);
      shape.push_back(nullptr);
    }
    if (has_batch) {
      s.batch_vars = batch_vars;
      s.batch_shape = b.batch_shape;
    }
    // Extents of the named variables: explicit, or inferred from plain uses.
    size_t vi = 0;
    for (auto& v : *st.index_vars) {
      if (v.name == "...") {
        vi += batch_vars.size();
        continue;
      }
      Expr ext;
      if (v.extent) {
        ext = lower_index_expr(*v.extent, s);
      } else {
        auto inf = infer_extent(*st.rhs, v.name, s);
        if (!inf)
          user_error_at(src, v.loc, "cannot infer the range of index '" + v.name + "'",
                        "use it as a plain index on the right, or write " + v.name + ": N");
        ext = *inf;
      }
      shape[vi++] = ext;
      s.vars.push_back({v.name, ext});
    }
    Expr value = lower_index_expr(*st.rhs, s);
    if (value->sort() == Sort::Int)
      value = ExprNode::unary(ExprKind::ToReal, value);
    std::string target = st.name == "out" ? result : result + "." + st.name;
    if (st.name == "out" && !shape_equal(shape, b.result_shape))
      user_error_at(src, st.name_loc,
                    "spec '" + op.name() + "': `out` has shape " + shape_to_string(shape) +
                        " but the op declares " + shape_to_string(b.result_shape));
    if (tensors.count(st.name))
      user_error_at(src, st.name_loc,
                    "'" + st.name + "' is already defined in spec '" + op.name() + "'");
    TensorDecl decl{target, value->sort() == Sort::Bool ? DType::Bool : DType::F32, shape,
                    TensorRole::Temp};
    if (st.name != "out")
      temps.push_back(decl);
    ScopeTensor t;
    t.ssa = target;
    t.shape = shape;
    t.sort = value->sort();
    t.batch_rank = has_batch ? batch_vars.size() : 0;
    tensors[st.name] = t;
    out.push_back(IndexStmt{target, vars, value, loc, op.name()});
  }
  if (out.empty() || out.back().out != result)
    user_error_at(src, op.ast.loc, "spec '" + op.name() + "' must end by defining `out`");
  return out;
}

} // namespace axon
