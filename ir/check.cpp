// The checker: parse tree -> typed Program. Resolves names, infers and checks every shape
// symbolically (named dims must agree as expressions, not just as numbers), checks dtypes,
// flattens nested expressions into one node per op, and versions `inout` tensors.
#include <algorithm>
#include <cmath>
#include <set>

#include "ir/error.h"
#include "ir/frontend.h"
#include "ir/index_scope.h"
#include "ir/ranges.h"
#include "ir/spec_instantiate.h"
#include "ir/structural.h"

namespace axon {

namespace {

const std::set<std::string> kKeywords = {"where", "input", "inout", "output", "op",
                                         "when",  "true",  "false", "inf"};

class Checker {
public:
  Checker(const SourceRef& src, const SpecLibrary& specs, const FrontendOptions& opts)
      : src_(src), specs_(specs), opts_(opts) {}

  Program run(const AstFile& f) {
    // Dims may be declared anywhere in the file (often last, as in math: "where M = ...").
    for (auto& s : f.stmts)
      if (s.kind == AstStmt::Kind::Where)
        declare_dims(s);
    for (auto& [name, size] : opts_.dim_overrides) {
      if (!p_.dims.count(name)) {
        std::string list;
        for (auto& d : p_.dim_order)
          list += (list.empty() ? "" : ", ") + d;
        user_error(src_->path + ": error: --dim " + name + "=" + std::to_string(size) +
                   ": the program has no dim '" + name + "'" +
                   (list.empty() ? " (it declares none)" : " (its dims are " + list + ")"));
      }
      p_.dims[name] = size;
    }
    for (auto& s : f.stmts)
      if (s.kind == AstStmt::Kind::Assign)
        user_names_.insert(s.name);
    for (auto& s : f.stmts) {
      switch (s.kind) {
      case AstStmt::Kind::Where:
        break;
      case AstStmt::Kind::Input:
      case AstStmt::Kind::Inout:
        declare_input(s);
        break;
      case AstStmt::Kind::Assign:
        assign(s);
        break;
      }
    }
    for (auto& name : inout_order_) {
      if (!updated_.count(name))
        fail(defined_at_[name], "inout '" + name + "' is never updated",
             "declare it with `input`, or assign it (`" + name + " = ...` or `" + name +
                 " += ...`)");
      p_.values[static_cast<size_t>(scope_[name])].is_output = true;
    }
    for (size_t i = 0; i < p_.values.size(); ++i)
      if (p_.values[i].is_output)
        p_.outputs.push_back(static_cast<ValueId>(i));
    if (p_.outputs.empty())
      fail(Loc{1, 1}, "the program has no outputs",
           "mark a result with `output`, as in `output y = matmul(x, w)`");
    p_.src = src_;
    return std::move(p_);
  }

private:
  [[noreturn]] void fail(Loc loc, const std::string& msg, const std::string& hint = "") const {
    user_error_at(*src_, loc, msg, hint);
  }

  void check_fresh_name(const std::string& n, Loc loc) {
    if (kKeywords.count(n))
      fail(loc, "'" + n + "' is a keyword and cannot name a tensor or dim");
    if (p_.dims.count(n) && dim_loc_.count(n) &&
        !(dim_loc_[n].line == loc.line && dim_loc_[n].col == loc.col))
      fail(loc, "'" + n + "' is already a dimension (declared at line " +
                    std::to_string(dim_loc_[n].line) + ")");
    if (scope_.count(n))
      fail(loc, "'" + n + "' is already defined at line " + std::to_string(defined_at_[n].line),
           "tensors are immutable: pick a new name (only `inout` tensors can be updated)");
  }

  void declare_dims(const AstStmt& s) {
    for (size_t i = 0; i < s.dims.size(); ++i) {
      const auto& [name, size] = s.dims[i];
      if (kKeywords.count(name))
        fail(s.dim_locs[i], "'" + name + "' is a keyword and cannot name a dim");
      if (p_.dims.count(name))
        fail(s.dim_locs[i], "dimension '" + name + "' is declared twice (first at line " +
                                std::to_string(dim_loc_[name].line) + ")");
      p_.dims[name] = size;
      p_.dim_order.push_back(name);
      dim_loc_[name] = s.dim_locs[i];
    }
  }

  // A shape in a type: dim names, integers, and + - * / of them.
  Shape lower_shape(const AstType& t) {
    IndexScope s = dims_scope();
    Shape out;
    for (auto& d : t.shape) {
      if (d->kind == AstExpr::Kind::Ellipsis)
        fail(d->loc, "'...' is only allowed in op specs");
      if (d->kind == AstExpr::Kind::Name && !p_.dims.count(d->text))
        fail(d->loc, "unknown dimension '" + d->text + "'",
             "declare it: `where " + d->text + " = 128` (or pass --dim " + d->text + "=128)");
      Expr e = lower_index_expr(*d, s);
      if (e->sort() != Sort::Int)
        fail(d->loc, "a dimension must be an integer expression");
      std::string what = "the dimension " + to_string(*d);
      check_size(e, d->loc, what);
      out.push_back(check_size(canonical_dim(e), d->loc, what));
    }
    check_numel(out, t.loc);
    return out;
  }

  // A size or extent written or computed here (`what` names it, with its text): in
  // 1..kMaxExtent once its dims have sizes, and never a constant below 1 or a division by zero,
  // even while they have none.
  Expr check_size(const Expr& e, Loc loc, const std::string& what) {
    const char* hint = "sizes are integers from 1 to 2^40 (docs/reliability.md)";
    visit(e, [&](const ExprNode& n) {
      if ((n.kind() == ExprKind::Div || n.kind() == ExprKind::Mod) &&
          n.arg(1)->kind() == ExprKind::IntConst && n.arg(1)->int_value() == 0)
        fail(loc, what + " divides by zero", hint);
    });
    auto v = eval_size_checked(e, p_.dims,
                               [&](const std::string& why) { fail(loc, what + ": " + why, hint); });
    if (!v && e->kind() == ExprKind::IntConst)
      v = e->int_value();
    if (v) {
      std::string bad = extent_problem(*v, what);
      if (!bad.empty())
        fail(loc, bad, hint);
    }
    return e;
  }

  // The element count of a shape whose dims have sizes: at most kMaxTensorElements.
  void check_numel(const Shape& shape, Loc loc) {
    int64_t n = 1;
    for (auto& d : shape) {
      auto v = eval_size_checked(d, p_.dims,
                                 [&](const std::string& why) { fail(loc, "a size " + why); });
      if (!v)
        return;
      if (__builtin_mul_overflow(n, *v, &n) || n > kMaxTensorElements)
        fail(loc,
             "the tensor " + shape_to_string(shape) + " has more than " +
                 std::to_string(kMaxTensorElements) + " (2^40) elements, the limit on one tensor",
             "use smaller sizes (docs/reliability.md)");
    }
  }

  DType lower_dtype(const AstType& t) {
    auto d = parse_dtype(t.dtype);
    if (!d)
      fail(t.dtype_loc, "unknown dtype '" + t.dtype + "'", "use f32, bf16, f16 or bool");
    return *d;
  }

  IndexScope dims_scope() {
    IndexScope s;
    s.src = src_.get();
    s.dim = [this](const std::string& n) -> std::optional<Expr> {
      if (p_.dims.count(n))
        return ExprNode::dim_var(n);
      return std::nullopt;
    };
    s.dim_values = &p_.dims;
    return s;
  }

  // Every value's shape, however it was computed (an op's result, an index statement's ranges),
  // is in range; the position is the statement or call that computed it.
  ValueId add_value(Value v, Loc loc) {
    for (size_t i = 0; i < v.shape.size(); ++i)
      check_size(v.shape[i], loc,
                 "dimension " + std::to_string(i) + " of '" + v.name + "' (" +
                     dim_to_string(v.shape[i]) + ")");
    check_numel(v.shape, loc);
    p_.values.push_back(std::move(v));
    ValueId id = static_cast<ValueId>(p_.values.size() - 1);
    return id;
  }

  void declare_input(const AstStmt& s) {
    check_fresh_name(s.name, s.name_loc);
    Value v;
    v.name = s.name;
    v.dtype = lower_dtype(*s.type);
    v.shape = lower_shape(*s.type);
    v.is_input = true;
    v.is_inout = s.kind == AstStmt::Kind::Inout;
    v.annotated = true;
    ValueId id = add_value(v, s.loc);
    p_.inputs.push_back(id);
    scope_[s.name] = id;
    defined_at_[s.name] = s.name_loc;
    if (v.is_inout)
      inout_order_.push_back(s.name);
  }

  // ---- assignments ----
  void assign(const AstStmt& s) {
    std::optional<ValueId> prev;
    int version = 0;
    bool is_update = false;
    if (scope_.count(s.name) && p_.value(scope_[s.name]).is_inout) {
      if (updated_.count(s.name))
        fail(s.name_loc,
             "inout '" + s.name + "' is updated twice (first at line " +
                 std::to_string(update_loc_[s.name].line) + ")",
             "compute the new value in temporaries and assign it once");
      if (s.is_output)
        fail(s.loc, "'" + s.name + "' is inout, so it is an output already", "drop `output`");
      prev = scope_[s.name];
      version = 1;
      is_update = true;
    } else {
      if (s.accumulate)
        fail(s.loc, "'+=' needs an inout tensor, and '" + s.name + "' is not one",
             "declare it with `inout " + s.name + ": f32[...]`");
      check_fresh_name(s.name, s.name_loc);
    }
    ValueId id = s.index_vars ? index_stmt(s, version) : graph_stmt(s, version);
    Value& v = p_.values[static_cast<size_t>(id)];
    if (s.type) {
      DType dt = lower_dtype(*s.type);
      Shape sh = lower_shape(*s.type);
      if (dt != v.dtype || !shape_equal(sh, v.shape))
        fail(s.type->loc, "'" + s.name + "' is declared " + dtype_name(dt) + shape_to_string(sh) +
                              " but its value is " + dtype_name(v.dtype) +
                              shape_to_string(v.shape));
      v.annotated = true;
    }
    if (s.accumulate)
      p_.nodes.back().accumulate = true;
    if (prev) {
      const Value& old = p_.value(*prev);
      if (!shape_equal(old.shape, v.shape) || old.dtype != v.dtype)
        fail(s.loc, "the new value of inout '" + s.name + "' is " + dtype_name(v.dtype) +
                        shape_to_string(v.shape) + " but it was declared " + dtype_name(old.dtype) +
                        shape_to_string(old.shape));
      v.is_inout = true;
    }
    v.is_output = v.is_output || s.is_output;
    scope_[s.name] = id;
    if (is_update) {
      updated_.insert(s.name);
      update_loc_[s.name] = s.loc;
    } else {
      defined_at_[s.name] = s.name_loc;
    }
  }

  ScopeTensor scope_tensor(ValueId id) {
    const Value& v = p_.value(id);
    ScopeTensor t;
    t.ssa = p_.ssa_name(id);
    t.shape = v.shape;
    t.sort = v.dtype == DType::Bool ? Sort::Bool : Sort::Real;
    return t;
  }

  ValueId index_stmt(const AstStmt& s, int version) {
    std::map<std::string, ScopeTensor> cache;
    IndexScope sc = dims_scope();
    sc.tensor = [&](const std::string& n) -> const ScopeTensor* {
      auto it = scope_.find(n);
      if (it == scope_.end())
        return nullptr;
      return &(cache[n] = scope_tensor(it->second));
    };
    Node node;
    node.op = "index";
    node.loc = s.loc;
    Shape shape;
    std::set<std::string> seen;
    for (auto& v : *s.index_vars) {
      if (v.name == "...")
        fail(v.loc, "'...' is only allowed in op specs");
      if (!seen.insert(v.name).second)
        fail(v.loc, "index variable '" + v.name + "' appears twice on the left");
      if (p_.dims.count(v.name))
        fail(v.loc, "index variable '" + v.name + "' is also a dimension name",
             "use lower case for indices");
      if (scope_.count(v.name))
        fail(v.loc, "index variable '" + v.name + "' is also a tensor name");
    }
    for (auto& v : *s.index_vars) {
      Expr ext;
      auto inferred = infer_extent(*s.rhs, v.name, sc);
      if (v.extent) {
        ext = lower_index_expr(*v.extent, sc);
        if (ext->sort() != Sort::Int)
          fail(v.extent->loc, "the range of '" + v.name + "' must be an integer expression");
        std::string what =
            "the range of '" + v.name + "'" +
            (v.extent->kind == AstExpr::Kind::Number ? "" : " (" + to_string(*v.extent) + ")");
        check_size(ext, v.extent->loc, what);
        ext = check_size(canonical_dim(ext), v.extent->loc, what);
        if (inferred && !dim_equal(*inferred, ext))
          fail(v.loc, "index '" + v.name + "' is declared over " + dim_to_string(ext) +
                          " but is used over " + dim_to_string(*inferred));
        node.var_extents.push_back(v.extent ? std::optional<Expr>(ext) : std::nullopt);
      } else {
        if (!inferred)
          fail(v.loc, "cannot infer the range of index '" + v.name + "'",
               "use it as a plain index on the right (x[" + v.name +
                   "]), or declare it: " + s.name + "[" + v.name + ": N]");
        ext = *inferred;
        node.var_extents.push_back(std::nullopt);
      }
      sc.vars.push_back({v.name, ext});
      shape.push_back(ext);
      node.vars.push_back(v.name);
    }
    node.expr = lower_index_expr(*s.rhs, sc);
    // An integer value (an index or a dim) is stored as a real, like `real(i)`.
    if (node.expr->sort() == Sort::Int)
      node.expr = ExprNode::unary(ExprKind::ToReal, node.expr);
    if (s.type) {
      bool want_bool = lower_dtype(*s.type) == DType::Bool;
      if (want_bool != (node.expr->sort() == Sort::Bool))
        fail(s.type->loc,
             "'" + s.name + "' is declared " +
                 (want_bool ? "bool" : std::string(dtype_name(lower_dtype(*s.type)))) +
                 " but its value is " + (want_bool ? "a number" : "a condition"),
             want_bool ? "write a comparison, such as x[i] > 0"
                       : "use select(cond, 1.0, 0.0) to turn a condition into a number");
    }
    for (auto& [n, t] : cache)
      node.operands.push_back(Operand{scope_.at(n), 0});
    Value v;
    v.name = s.name;
    v.version = version;
    v.shape = shape;
    // The dtype of the values read when they all agree (f16 in, f16 out), else f32; a type
    // annotation overrides it.
    v.dtype = DType::F32;
    std::optional<DType> common;
    bool mixed = false;
    for (auto& [n, t] : cache) {
      DType d = p_.value(scope_.at(n)).dtype;
      if (d == DType::Bool)
        continue;
      if (common && *common != d)
        mixed = true;
      common = d;
    }
    if (common && !mixed)
      v.dtype = *common;
    if (node.expr->sort() == Sort::Bool)
      v.dtype = DType::Bool;
    else if (s.type)
      v.dtype = lower_dtype(*s.type);
    if (node.expr->sort() == Sort::Bool && s.accumulate)
      fail(s.loc, "cannot accumulate a condition");
    ValueId id = add_value(v, s.loc);
    node.result = id;
    p_.nodes.push_back(std::move(node));
    return id;
  }

  ValueId graph_stmt(const AstStmt& s, int version) {
    Operand o = gexpr(*s.rhs, &s, version);
    if (o.value && p_.value(*o.value).name == s.name && p_.value(*o.value).version == version)
      return *o.value;
    // The right side was a plain name or a literal: copy it.
    if (!o.value) {
      Node n;
      n.op = "index";
      n.loc = s.loc;
      n.expr = ExprNode::real_const(o.literal);
      return finish_node(std::move(n), s.name, version, {}, DType::F32);
    }
    Node n;
    n.op = "copy";
    n.loc = s.loc;
    n.operands.push_back(o);
    const Value& src = p_.value(*o.value);
    return finish_node(std::move(n), s.name, version, src.shape, src.dtype);
  }

  ValueId finish_node(Node n, const std::string& name, int version, Shape shape, DType dtype) {
    Value v;
    v.name = name;
    v.version = version;
    v.shape = std::move(shape);
    v.dtype = dtype;
    ValueId id = add_value(v, n.loc);
    n.result = id;
    p_.nodes.push_back(std::move(n));
    return id;
  }

  std::string fresh_temp() {
    for (;;) {
      std::string n = "_t" + std::to_string(++temp_counter_);
      if (!user_names_.count(n) && !scope_.count(n) && !p_.dims.count(n))
        return n;
    }
  }

  AttrValue lower_attr(const std::string& key, const AstExpr& e) {
    switch (e.kind) {
    case AstExpr::Kind::Number:
      return e.number();
    case AstExpr::Kind::String:
      return e.text;
    case AstExpr::Kind::Unary:
      if (e.text == "-" && e.args[0]->kind == AstExpr::Kind::Number)
        return -e.args[0]->number();
      break;
    case AstExpr::Kind::Name:
      if (e.text == "true")
        return true;
      if (e.text == "false")
        return false;
      if (p_.dims.count(e.text))
        return std::vector<Expr>{ExprNode::dim_var(e.text)};
      break;
    case AstExpr::Kind::List: {
      IndexScope s = dims_scope();
      std::vector<Expr> items;
      for (auto& a : e.args) {
        Expr x = lower_index_expr(*a, s);
        if (x->sort() != Sort::Int)
          fail(a->loc, "list items of '" + key + "' must be integers or dim expressions");
        items.push_back(canonical_dim(x));
      }
      return items;
    }
    default:
      break;
    }
    fail(e.loc, "attribute '" + key +
                    "' must be a number, a string, true/false, or a list such as [M, 2*K]");
  }

  // Graph-level expression: each operator or call becomes a node. The outermost node takes the
  // statement's name; inner ones get fresh temporaries.
  Operand gexpr(const AstExpr& e, const AstStmt* stmt, int version) {
    switch (e.kind) {
    case AstExpr::Kind::Number:
      return Operand{std::nullopt, e.number()};
    case AstExpr::Kind::Name: {
      auto it = scope_.find(e.text);
      if (it != scope_.end())
        return Operand{it->second, 0};
      if (p_.dims.count(e.text)) {
        // A dim used as a value: a scalar holding its size.
        Node n;
        n.op = "index";
        n.loc = e.loc;
        n.expr = ExprNode::unary(ExprKind::ToReal, ExprNode::dim_var(e.text));
        return Operand{finish_node(std::move(n), stmt ? stmt->name : fresh_temp(),
                                   stmt ? version : 0, {}, DType::F32),
                       0};
      }
      if (e.text == "inf")
        return Operand{std::nullopt, INFINITY};
      fail(e.loc, "unknown name '" + e.text + "'",
           "declare it with `input " + e.text + ": f32[...]` or define it before use");
    }
    case AstExpr::Kind::Unary: {
      if (e.text == "-" && e.args[0]->kind == AstExpr::Kind::Number)
        return Operand{std::nullopt, -e.args[0]->number()};
      return op_node(e.text == "-" ? "neg" : "logical_not", e, {e.args[0]}, {}, stmt, version);
    }
    case AstExpr::Kind::Binary: {
      static const std::map<std::string, std::string> ops = {
          {"+", "add"}, {"-", "sub"},          {"*", "mul"},        {"/", "div"}, {"**", "pow"},
          {"<", "lt"},  {"<=", "le"},          {">", "gt"},         {">=", "ge"}, {"==", "eq"},
          {"!=", "ne"}, {"&&", "logical_and"}, {"||", "logical_or"}};
      auto it = ops.find(e.text);
      if (it == ops.end())
        fail(e.loc, "'" + e.text + "' is not defined on tensors",
             "use index notation for integer arithmetic");
      return op_node(it->second, e, {e.args[0], e.args[1]}, {}, stmt, version);
    }
    case AstExpr::Kind::Call: {
      std::string op = e.text;
      if ((op == "max" || op == "min") && e.args.size() == 2)
        op = op == "max" ? "maximum" : "minimum";
      std::vector<std::pair<std::string, AttrValue>> attrs;
      for (auto& [k, v] : e.kwargs)
        attrs.push_back({k, lower_attr(k, *v)});
      return op_node(op, e, e.args, attrs, stmt, version);
    }
    case AstExpr::Kind::Index:
      fail(e.loc, "indexing '" + e.text + "[...]' needs an index statement",
           "write `y[i, j] = " + e.text + "[...]` on its own line, or use slice()");
    case AstExpr::Kind::Reduce:
      fail(e.loc, "'" + e.text + "(" + e.var + ") ...' is index notation",
           "write it in an index statement: y[i] = " + e.text + "(" + e.var + ") ...");
    case AstExpr::Kind::String:
      fail(e.loc, "a string is not a tensor");
    case AstExpr::Kind::List:
      fail(e.loc, "a list is not a tensor",
           "lists are attribute values, as in reshape(x, shape=[M, N])");
    case AstExpr::Kind::Ellipsis:
      fail(e.loc, "'...' is only allowed in op specs");
    }
    internal_error("unhandled expression kind");
  }

  Operand op_node(const std::string& op, const AstExpr& e, const std::vector<AstPtr>& args,
                  std::vector<std::pair<std::string, AttrValue>> attrs, const AstStmt* stmt,
                  int version) {
    bool structural = is_structural(op);
    if (!structural && !specs_.has(op)) {
      std::string names;
      for (auto& n : specs_.names())
        names += (names.empty() ? "" : ", ") + n;
      for (auto& n : structural_ops())
        names += ", " + n;
      fail(e.loc, "unknown op '" + op + "'",
           "known ops: " + names + "; or write it in index notation");
    }
    Node n;
    n.op = op;
    n.loc = e.loc;
    for (auto& a : args)
      n.operands.push_back(gexpr(*a, nullptr, 0));
    n.attrs = std::move(attrs);
    Shape shape;
    DType dtype = DType::F32;
    bool first_tensor = true;
    if (structural) {
      std::vector<StructOperand> so;
      for (size_t i = 0; i < n.operands.size(); ++i) {
        if (!n.operands[i].value)
          fail(args[i]->loc, "'" + op + "' needs a tensor here, not a scalar literal");
        const Value& v = p_.value(*n.operands[i].value);
        so.push_back(
            StructOperand{p_.ssa_name(*n.operands[i].value), v.shape, v.dtype, args[i]->loc});
      }
      StructResult r = infer_structural(op, so, n.attrs, p_.dims, *src_, e.loc);
      shape = r.shape;
      dtype = r.dtype;
    } else {
      std::vector<SpecOperand> so;
      for (size_t i = 0; i < n.operands.size(); ++i) {
        SpecOperand o;
        o.loc = args[i]->loc;
        if (n.operands[i].value) {
          const Value& v = p_.value(*n.operands[i].value);
          o.ssa = p_.ssa_name(*n.operands[i].value);
          o.shape = v.shape;
          o.sort = v.dtype == DType::Bool ? Sort::Bool : Sort::Real;
          if (v.dtype != DType::Bool) {
            if (!first_tensor && v.dtype != dtype)
              fail(args[i]->loc,
                   "'" + op + "' mixes dtypes " + dtype_name(dtype) + " and " + dtype_name(v.dtype),
                   "convert one with cast(x, dtype=\"" + std::string(dtype_name(dtype)) + "\")");
            dtype = v.dtype;
            first_tensor = false;
          }
        } else {
          o.literal = n.operands[i].literal;
        }
        so.push_back(o);
      }
      SpecBinding b = bind_spec(op, specs_.overloads(op), so, n.attrs, *src_, e.loc);
      shape = b.result_shape;
      // The result is bool when the spec's `out` is a condition: instantiate to find out.
      std::vector<TensorDecl> temps;
      auto stmts = expand_spec(b, so, "$r", e.loc, temps);
      Sort out_sort = stmts.back().value->sort();
      if (out_sort == Sort::Bool)
        dtype = DType::Bool;
    }
    std::string name = stmt ? stmt->name : fresh_temp();
    return Operand{finish_node(std::move(n), name, stmt ? version : 0, shape, dtype), 0};
  }

  SourceRef src_;
  const SpecLibrary& specs_;
  FrontendOptions opts_;
  Program p_;
  std::map<std::string, ValueId> scope_;
  std::map<std::string, Loc> defined_at_;
  std::map<std::string, Loc> dim_loc_;
  std::vector<std::string> inout_order_;
  std::set<std::string> updated_;
  std::map<std::string, Loc> update_loc_;
  std::set<std::string> user_names_;
  int temp_counter_ = 0;
};

} // namespace

Program load_program(const SourceRef& src, const FrontendOptions& opts) {
  const SpecLibrary& specs = opts.specs ? *opts.specs : SpecLibrary::builtin();
  AstFile f = parse_tp(src);
  return Checker(src, specs, opts).run(f);
}

IndexProgram load_index_program(const SourceRef& src, const FrontendOptions& opts) {
  const SpecLibrary& specs = opts.specs ? *opts.specs : SpecLibrary::builtin();
  return expand(load_program(src, opts), specs);
}

} // namespace axon
