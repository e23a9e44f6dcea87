// Shape rules and index maps of the structural ops (see structural.h).
#include "ir/structural.h"

#include <algorithm>
#include <functional>
#include <numeric>
#include <set>

#include "ir/error.h"

namespace axon {

namespace {

const std::vector<std::string> kOps = {"transpose", "reshape", "broadcast_to", "concat",
                                       "slice",     "sum",     "mean",         "max",
                                       "min",       "cast",    "copy"};

struct Ctx {
  const std::string& op;
  const std::vector<std::pair<std::string, AttrValue>>& attrs;
  const SourceFile* src;
  Loc loc;

  [[noreturn]] void fail(const std::string& msg, const std::string& hint = "") const {
    user_error_at(*src, loc, msg, hint);
  }
  const AttrValue* find(const std::string& k) const {
    for (auto& [key, v] : attrs)
      if (key == k)
        return &v;
    return nullptr;
  }
  void allow_only(std::initializer_list<const char*> keys) const {
    for (auto& [k, v] : attrs) {
      bool ok = false;
      for (auto* a : keys)
        ok = ok || k == a;
      if (!ok) {
        std::string list;
        for (auto* a : keys)
          list += (list.empty() ? "" : ", ") + std::string(a);
        fail("'" + op + "' has no attribute '" + k + "'",
             list.empty() ? "it takes no attributes" : "its attributes are: " + list);
      }
    }
  }
  int64_t get_int(const std::string& k, std::optional<int64_t> dflt) const {
    const AttrValue* v = find(k);
    if (!v) {
      if (!dflt)
        fail("'" + op + "' needs the attribute '" + k + "'");
      return *dflt;
    }
    auto* d = std::get_if<double>(v);
    if (!d || *d != static_cast<double>(static_cast<int64_t>(*d)))
      fail("attribute '" + k + "' of '" + op + "' must be an integer");
    return static_cast<int64_t>(*d);
  }
  bool get_bool(const std::string& k, bool dflt) const {
    const AttrValue* v = find(k);
    if (!v)
      return dflt;
    auto* b = std::get_if<bool>(v);
    if (!b)
      fail("attribute '" + k + "' of '" + op + "' must be true or false");
    return *b;
  }
  // An axis list: an integer or a list of integers; negative counts from the end.
  std::vector<size_t> get_axes(const std::string& k, size_t rank, bool all_if_missing) const {
    const AttrValue* v = find(k);
    std::vector<int64_t> raw;
    if (!v) {
      if (!all_if_missing)
        fail("'" + op + "' needs the attribute '" + k + "'");
      for (size_t i = 0; i < rank; ++i)
        raw.push_back(static_cast<int64_t>(i));
    } else if (auto* d = std::get_if<double>(v)) {
      raw.push_back(static_cast<int64_t>(*d));
      if (*d != static_cast<double>(raw.back()))
        fail("attribute '" + k + "' must be an integer");
    } else if (auto* l = std::get_if<std::vector<Expr>>(v)) {
      for (auto& e : *l) {
        if (e->kind() != ExprKind::IntConst)
          fail("attribute '" + k + "' must list integers");
        raw.push_back(e->int_value());
      }
    } else {
      fail("attribute '" + k + "' must be an integer or a list of integers");
    }
    std::vector<size_t> out;
    for (int64_t a : raw) {
      int64_t n = a < 0 ? a + static_cast<int64_t>(rank) : a;
      if (n < 0 || n >= static_cast<int64_t>(rank))
        fail("axis " + std::to_string(a) + " is out of range for a tensor of rank " +
             std::to_string(rank));
      if (std::find(out.begin(), out.end(), static_cast<size_t>(n)) != out.end())
        fail("axis " + std::to_string(a) + " is listed twice");
      out.push_back(static_cast<size_t>(n));
    }
    return out;
  }
  Shape get_shape(const std::string& k) const {
    const AttrValue* v = find(k);
    if (!v)
      fail("'" + op + "' needs the attribute '" + k + "'", "write " + op + "(x, " + k + "=[M, N])");
    auto* l = std::get_if<std::vector<Expr>>(v);
    if (!l)
      fail("attribute '" + k + "' must be a list of dims, as in [M, 2*K]");
    return *l;
  }
  std::vector<size_t> perm(size_t rank) const {
    const AttrValue* v = find("perm");
    std::vector<size_t> p(rank);
    std::iota(p.begin(), p.end(), 0);
    if (!v) {
      if (rank < 2)
        fail("'transpose' needs a tensor of rank >= 2 (or a perm attribute)");
      std::swap(p[rank - 1], p[rank - 2]);
      return p;
    }
    auto axes = get_axes("perm", rank, false);
    if (axes.size() != rank)
      fail("perm must list all " + std::to_string(rank) + " axes");
    return axes;
  }
};

Expr ivar(size_t i) { return ExprNode::index_var("i" + std::to_string(i)); }
std::vector<std::string> ivars(size_t n) {
  std::vector<std::string> v;
  for (size_t i = 0; i < n; ++i)
    v.push_back("i" + std::to_string(i));
  return v;
}

// Row-major linear index of (idx) in shape, and its inverse.
Expr linearize(const std::vector<Expr>& idx, const Shape& shape) {
  Expr lin = ExprNode::int_const(0);
  for (size_t i = 0; i < idx.size(); ++i)
    lin = simplify_int(
        ExprNode::binary(ExprKind::Add, ExprNode::binary(ExprKind::Mul, lin, shape[i]), idx[i]));
  return lin;
}
std::vector<Expr> delinearize(const Expr& lin, const Shape& shape) {
  std::vector<Expr> out(shape.size());
  Expr stride = ExprNode::int_const(1);
  for (size_t i = shape.size(); i-- > 0;) {
    Expr q = simplify_int(ExprNode::binary(ExprKind::Div, lin, stride));
    out[i] = i == 0 ? q : ExprNode::binary(ExprKind::Mod, q, shape[i]);
    stride = simplify_int(ExprNode::binary(ExprKind::Mul, stride, shape[i]));
  }
  return out;
}

Expr access(const StructOperand& o, std::vector<Expr> idx) {
  return ExprNode::access(o.ssa, std::move(idx), o.dtype == DType::Bool ? Sort::Bool : Sort::Real);
}

} // namespace

bool is_structural(const std::string& op) {
  return std::find(kOps.begin(), kOps.end(), op) != kOps.end();
}
const std::vector<std::string>& structural_ops() { return kOps; }

StructResult infer_structural(const std::string& op, const std::vector<StructOperand>& in,
                              const std::vector<std::pair<std::string, AttrValue>>& attrs,
                              const std::map<std::string, std::optional<int64_t>>& dims,
                              const SourceFile& src, Loc loc) {
  Ctx c{op, attrs, &src, loc};
  auto want_operands = [&](size_t n) {
    if (in.size() != n)
      c.fail("'" + op + "' takes " + std::to_string(n) + " tensor operand" + (n == 1 ? "" : "s") +
             ", got " + std::to_string(in.size()));
  };
  StructResult r;
  r.dtype = in.empty() ? DType::F32 : in[0].dtype;
  if (op == "copy") {
    want_operands(1);
    c.allow_only({});
    r.shape = in[0].shape;
  } else if (op == "cast") {
    want_operands(1);
    c.allow_only({"dtype"});
    const AttrValue* v = c.find("dtype");
    auto* s = v ? std::get_if<std::string>(v) : nullptr;
    if (!s)
      c.fail("'cast' needs dtype=\"f32\" (or \"bf16\", \"f16\")");
    auto t = parse_dtype(*s);
    if (!t || *t == DType::Bool)
      c.fail("unknown dtype \"" + *s + "\" in cast", "use \"f32\", \"bf16\" or \"f16\"");
    r.dtype = *t;
    r.shape = in[0].shape;
  } else if (op == "transpose") {
    want_operands(1);
    c.allow_only({"perm"});
    auto p = c.perm(in[0].shape.size());
    for (size_t i = 0; i < p.size(); ++i)
      r.shape.push_back(in[0].shape[p[i]]);
  } else if (op == "reshape") {
    want_operands(1);
    c.allow_only({"shape"});
    r.shape = c.get_shape("shape");
    if (!dim_equal(shape_numel(r.shape), shape_numel(in[0].shape)))
      c.fail("cannot reshape " + shape_to_string(in[0].shape) + " into " +
             shape_to_string(r.shape) + ": the element counts " +
             dim_to_string(shape_numel(in[0].shape)) + " and " +
             dim_to_string(shape_numel(r.shape)) + " differ");
  } else if (op == "broadcast_to") {
    want_operands(1);
    c.allow_only({"shape"});
    r.shape = c.get_shape("shape");
    const Shape& s = in[0].shape;
    if (s.size() > r.shape.size())
      c.fail("cannot broadcast " + shape_to_string(s) + " to the smaller rank of " +
             shape_to_string(r.shape));
    size_t off = r.shape.size() - s.size();
    for (size_t i = 0; i < s.size(); ++i)
      if (!is_literal_one(s[i]) && !dim_equal(s[i], r.shape[off + i]))
        c.fail("cannot broadcast " + shape_to_string(s) + " to " + shape_to_string(r.shape) +
                   ": dim " + std::to_string(i) + " is " + dim_to_string(s[i]),
               "broadcasting needs equal dims or a literal 1");
  } else if (op == "concat") {
    if (in.size() < 2)
      c.fail("'concat' takes at least two tensors");
    c.allow_only({"axis"});
    size_t rank = in[0].shape.size();
    if (rank == 0)
      c.fail("cannot concat scalars");
    size_t ax = c.get_axes("axis", rank, false).at(0);
    r.shape = in[0].shape;
    for (size_t t = 1; t < in.size(); ++t) {
      if (in[t].shape.size() != rank || in[t].dtype != in[0].dtype)
        c.fail("'concat' operands differ in rank or dtype: " + shape_to_string(in[0].shape) +
               " and " + shape_to_string(in[t].shape));
      for (size_t i = 0; i < rank; ++i)
        if (i != ax && !dim_equal(in[t].shape[i], in[0].shape[i]))
          c.fail("'concat' along axis " + std::to_string(ax) + " needs the other dims equal: " +
                 shape_to_string(in[0].shape) + " and " + shape_to_string(in[t].shape));
      r.shape[ax] = canonical_dim(ExprNode::binary(ExprKind::Add, r.shape[ax], in[t].shape[ax]));
    }
  } else if (op == "slice") {
    want_operands(1);
    c.allow_only({"axis", "start", "end"});
    size_t rank = in[0].shape.size();
    if (rank == 0)
      c.fail("cannot slice a scalar");
    size_t ax = c.get_axes("axis", rank, false).at(0);
    auto bound = [&](const char* k) -> Expr {
      const AttrValue* v = c.find(k);
      if (!v)
        c.fail(std::string("'slice' needs the attribute '") + k + "'");
      if (auto* d = std::get_if<double>(v)) {
        if (*d != static_cast<double>(static_cast<int64_t>(*d)) || *d < 0)
          c.fail(std::string("'") + k +
                 "' of slice must be a non-negative integer or a dim expression");
        return ExprNode::int_const(static_cast<int64_t>(*d));
      }
      if (auto* l = std::get_if<std::vector<Expr>>(v); l && l->size() == 1)
        return (*l)[0];
      c.fail(std::string("'") + k + "' of slice must be an integer or [dim expression]");
    };
    Expr s = bound("start"), e = bound("end");
    auto sv = eval_dim(s, dims), ev = eval_dim(e, dims), nv = eval_dim(in[0].shape[ax], dims);
    if (sv && ev && *sv >= *ev)
      c.fail("empty slice: start " + std::to_string(*sv) + " >= end " + std::to_string(*ev));
    if (ev && nv && *ev > *nv)
      c.fail("slice end " + std::to_string(*ev) + " is past the size " + std::to_string(*nv) +
             " of axis " + std::to_string(ax) + " of " + shape_to_string(in[0].shape));
    r.shape = in[0].shape;
    r.shape[ax] = canonical_dim(ExprNode::binary(ExprKind::Sub, e, s));
  } else { // sum, mean, max, min
    want_operands(1);
    c.allow_only({"axis", "keepdims"});
    size_t rank = in[0].shape.size();
    auto axes = c.get_axes("axis", rank, true);
    bool keep = c.get_bool("keepdims", false);
    if (in[0].dtype == DType::Bool)
      c.fail("cannot reduce a bool tensor");
    for (size_t i = 0; i < rank; ++i) {
      bool red = std::find(axes.begin(), axes.end(), i) != axes.end();
      if (!red)
        r.shape.push_back(in[0].shape[i]);
      else if (keep)
        r.shape.push_back(ExprNode::int_const(1));
    }
  }
  return r;
}

IndexStmt expand_structural(const std::string& op, const std::vector<StructOperand>& in,
                            const std::vector<std::pair<std::string, AttrValue>>& attrs,
                            const std::string& result, const Shape& out_shape, Loc loc) {
  Ctx c{op, attrs, nullptr, loc};
  size_t r = out_shape.size();
  std::vector<Expr> o;
  for (size_t i = 0; i < r; ++i)
    o.push_back(ivar(i));
  Expr value;
  if (op == "copy" || op == "cast") {
    value = access(in[0], o);
  } else if (op == "transpose") {
    auto p = c.perm(r);
    std::vector<Expr> idx(r);
    for (size_t i = 0; i < r; ++i)
      idx[p[i]] = o[i];
    value = access(in[0], idx);
  } else if (op == "reshape") {
    value = access(in[0], delinearize(linearize(o, out_shape), in[0].shape));
  } else if (op == "broadcast_to") {
    const Shape& s = in[0].shape;
    size_t off = r - s.size();
    std::vector<Expr> idx;
    for (size_t i = 0; i < s.size(); ++i)
      idx.push_back(is_literal_one(s[i]) && !is_literal_one(out_shape[off + i])
                        ? ExprNode::int_const(0)
                        : o[off + i]);
    value = access(in[0], idx);
  } else if (op == "concat") {
    size_t ax = c.get_axes("axis", r, false).at(0);
    // Selects over the operands, split in halves (a balanced tree: depth and per-element work
    // grow with log2 of the operand count, and 2 or 3 operands read as a plain chain); offsets
    // are running sums of extents in canonical form (3*N, not N + N + N: linear in size).
    std::vector<Expr> starts;
    Expr off = ExprNode::int_const(0);
    for (auto& t : in) {
      starts.push_back(off);
      off = canonical_dim(ExprNode::binary(ExprKind::Add, off, t.shape[ax]));
    }
    starts.push_back(off);
    std::function<Expr(size_t, size_t)> part = [&](size_t lo, size_t hi) -> Expr {
      if (lo == hi) {
        std::vector<Expr> idx = o;
        idx[ax] = simplify_int(ExprNode::binary(ExprKind::Sub, o[ax], starts[lo]));
        return access(in[lo], idx);
      }
      size_t mid = lo + (hi - lo - 1) / 2;
      return ExprNode::select(ExprNode::binary(ExprKind::Lt, o[ax], starts[mid + 1]), part(lo, mid),
                              part(mid + 1, hi));
    };
    value = part(0, in.size() - 1);
  } else if (op == "slice") {
    size_t ax = c.get_axes("axis", r, false).at(0);
    const AttrValue* v = c.find("start");
    Expr s = std::holds_alternative<double>(*v)
                 ? ExprNode::int_const(static_cast<int64_t>(std::get<double>(*v)))
                 : std::get<std::vector<Expr>>(*v)[0];
    std::vector<Expr> idx = o;
    idx[ax] = simplify_int(ExprNode::binary(ExprKind::Add, o[ax], s));
    value = access(in[0], idx);
  } else {
    size_t rank = in[0].shape.size();
    auto axes = c.get_axes("axis", rank, true);
    bool keep = c.get_bool("keepdims", false);
    std::vector<Expr> idx(rank);
    size_t oi = 0;
    std::vector<size_t> reduced;
    for (size_t i = 0; i < rank; ++i) {
      bool red = std::find(axes.begin(), axes.end(), i) != axes.end();
      if (red) {
        idx[i] = ExprNode::index_var("r" + std::to_string(i));
        reduced.push_back(i);
        if (keep)
          ++oi;
      } else {
        idx[i] = o[oi++];
      }
    }
    value = access(in[0], idx);
    ExprKind k = op == "max" ? ExprKind::RMax : op == "min" ? ExprKind::RMin : ExprKind::Sum;
    for (auto it = reduced.rbegin(); it != reduced.rend(); ++it)
      value = ExprNode::reduce(k, "r" + std::to_string(*it), in[0].shape[*it], value);
    if (op == "mean") {
      Shape red_shape;
      for (size_t i : reduced)
        red_shape.push_back(in[0].shape[i]);
      value = ExprNode::binary(ExprKind::Div, value,
                               ExprNode::unary(ExprKind::ToReal, shape_numel(red_shape)));
    }
  }
  return IndexStmt{result, ivars(r), value, loc, op};
}

} // namespace axon
