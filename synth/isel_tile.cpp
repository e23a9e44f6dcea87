// Covers instantiated per tile (isel_tile.h): ranges resolved and checked against the
// instructions' bounds, one call per value of an instruction's loops, each operand's index
// expressions with the tile's offsets substituted; and the check that runs the calls with the
// instructions' semantics on the reference interpreter.
#include "synth/isel_tile.h"

#include <cmath>
#include <functional>
#include <limits>
#include <sstream>

#include "ir/error.h"
#include "ir/interp.h"
#include "synth/isel_eval.h"

namespace axon {

namespace {

std::string pos_name(size_t a) { return "p$" + std::to_string(a); }

std::string var_list(const Cover& c) {
  std::string s;
  for (auto& v : c.vars)
    s += (s.empty() ? "" : ", ") + v.name;
  return s;
}

// Every Var's range in the tile, checked against its extent.
std::map<std::string, TileRange> resolve(const Cover& c, const Tile& t) {
  for (auto& [n, r] : t.ranges)
    if (!c.find_var(n))
      user_error("tile: no variable '" + n + "' in the cover of " + c.out +
                 " (its variables: " + var_list(c) + ")");
  std::map<std::string, TileRange> out;
  for (const auto& v : c.vars) {
    int64_t full = 0;
    try {
      full = isel::evaluate_int(v.extent, t.dims, {});
    } catch (const std::exception& e) {
      user_error("tile: the extent `" + to_string(v.extent) + "` of variable '" + v.name +
                 "' names a dim the tile does not give (" + e.what() + ")");
    }
    auto it = t.ranges.find(v.name);
    TileRange r = it == t.ranges.end() ? TileRange{0, full} : it->second;
    if (r.extent <= 0 || r.offset < 0 || r.offset + r.extent > full)
      user_error("tile: variable '" + v.name + "' has range [" + std::to_string(r.offset) + ", " +
                 std::to_string(r.offset + r.extent) + ") in the tile, outside its extent [0, " +
                 std::to_string(full) + ") or empty");
    out[v.name] = r;
  }
  return out;
}

std::vector<std::string> slot_dims(const Instruction& instr, const std::string& slot) {
  std::vector<std::string> out;
  if (const OperandSpec* op = instr.find_operand(slot)) {
    for (auto& d : op->shape)
      out.push_back(d.name);
    return out;
  }
  if (const ParamSpec* p = instr.find_param(slot)) {
    if (p->kind == ParamKind::Vector)
      out.push_back(p->dim);
    return out;
  }
  internal_error("cover: '" + slot + "' is no operand or parameter of '" + instr.name + "'");
}

bool has_index_var(const Expr& e) {
  bool any = false;
  visit(e, [&](const ExprNode& n) { any = any || n.kind() == ExprKind::IndexVar; });
  return any;
}

// Whether `e` is affine in its index variables (the positions).
bool is_affine(const Expr& e) {
  if (!has_index_var(e))
    return true;
  const auto& a = e->args();
  switch (e->kind()) {
  case ExprKind::IndexVar:
    return true;
  case ExprKind::Add:
  case ExprKind::Sub:
    return is_affine(a[0]) && is_affine(a[1]);
  case ExprKind::Neg:
    return is_affine(a[0]);
  case ExprKind::Mul:
    return (!has_index_var(a[0]) && is_affine(a[1])) || (!has_index_var(a[1]) && is_affine(a[0]));
  default:
    return false;
  }
}

// origin, strides and affine of `acc` from its index expressions.
void fill_layout(TileAccess& acc, const std::map<std::string, int64_t>& dims) {
  std::vector<std::pair<std::string, int64_t>> env;
  for (size_t a = 0; a < acc.extents.size(); ++a)
    env.push_back({pos_name(a), 0});
  acc.origin.clear();
  for (auto& e : acc.index)
    acc.origin.push_back(isel::evaluate_int(e, dims, env));
  acc.affine = true;
  for (auto& e : acc.index)
    acc.affine = acc.affine && is_affine(e);
  acc.strides.clear();
  if (!acc.affine)
    return;
  for (size_t a = 0; a < acc.extents.size(); ++a) {
    env[a].second = 1;
    std::vector<int64_t> s;
    for (size_t i = 0; i < acc.index.size(); ++i)
      s.push_back(isel::evaluate_int(acc.index[i], dims, env) - acc.origin[i]);
    env[a].second = 0;
    acc.strides.push_back(std::move(s));
  }
}

// `e` with each index variable replaced by `var(name)` and each dim given by `dims` by its value.
Expr bind_vars(const Expr& e, const std::function<Expr(const std::string&)>& var,
               const std::map<std::string, int64_t>& dims) {
  return substitute(e, [&](const ExprNode& n) -> Expr {
    if (n.kind() == ExprKind::IndexVar)
      return var(n.name());
    if (n.kind() == ExprKind::DimVar) {
      auto it = dims.find(n.name());
      return it == dims.end() ? nullptr : ExprNode::int_const(it->second);
    }
    return nullptr;
  });
}

// offset(v) + p$a
Expr at_position(const TileRange& r, size_t a) {
  Expr p = ExprNode::index_var(pos_name(a));
  return r.offset == 0 ? p : ExprNode::binary(ExprKind::Add, ExprNode::int_const(r.offset), p);
}

void for_each_position(const std::vector<int64_t>& extents,
                       const std::function<void(const std::vector<int64_t>&)>& f) {
  for (int64_t e : extents)
    if (e <= 0)
      return;
  std::vector<int64_t> p(extents.size(), 0);
  while (true) {
    f(p);
    size_t a = extents.size();
    while (a > 0) {
      --a;
      if (++p[a] < extents[a])
        break;
      p[a] = 0;
      if (a == 0)
        return;
    }
    if (extents.empty())
      return;
  }
}

} // namespace

namespace {

TileCover instantiate(const Cover& c, const Isa& isa, const Tile& t) {
  std::map<std::string, TileRange> range = resolve(c, t);
  TileCover out;
  for (size_t k = 0; k < c.instrs.size(); ++k) {
    const CoverInstr& ci = c.instrs[k];
    AXON_CHECK(ci.instr < isa.instructions.size() && isa.instructions[ci.instr].name == ci.name,
               "cover: instruction " + ci.name + " is not in target " + isa.name);
    const Instruction& instr = isa.instructions[ci.instr];
    TileInstr ti;
    ti.index = k;
    bool last = k + 1 == c.instrs.size();
    // Sizes of the dims, the same for every call: a Var's extent in the tile, within the bounds.
    std::map<std::string, int64_t> dims;
    for (const CoverDim& d : ci.dims) {
      if (d.var.empty()) {
        dims[d.dim] = 1;
        continue;
      }
      int64_t n = range.at(d.var).extent;
      bool over = d.max && n > *d.max, under = d.min && n < *d.min;
      if (over || under)
        user_error(
            "tile: variable '" + d.var + "' has extent " + std::to_string(n) +
            " in the tile, but dim " + d.dim + " of instruction '" + ci.name + "' is " +
            (over ? "at most " + std::to_string(*d.max) : "at least " + std::to_string(*d.min)) +
            " (" + isa.path + ": " + (over ? d.max_source : d.min_source) + ")");
      dims[d.dim] = n;
    }
    auto size_of = [&](const std::string& dim) {
      auto it = dims.find(dim);
      return it == dims.end() ? int64_t(1) : it->second;
    };
    if (!last) {
      for (auto& l : ci.loops)
        ti.temp_vars.push_back(l);
      for (auto& a : ci.out_axes)
        if (!a.empty())
          ti.temp_vars.push_back(a);
      for (auto& v : ti.temp_vars)
        ti.temp_shape.push_back(range.at(v).extent);
    }
    std::vector<std::string> result_dims = slot_dims(instr, ci.result);
    AXON_CHECK(result_dims.size() == ci.out_axes.size(),
               "cover: out axes of " + ci.name + "." + ci.result);

    std::vector<int64_t> loop_value(ci.loops.size());
    std::function<void(size_t)> calls = [&](size_t li) {
      if (li < ci.loops.size()) {
        const TileRange& r = range.at(ci.loops[li]);
        for (int64_t v = r.offset; v < r.offset + r.extent; ++v) {
          loop_value[li] = v;
          calls(li + 1);
        }
        return;
      }
      TileCall call;
      for (size_t i = 0; i < ci.loops.size(); ++i)
        call.loops[ci.loops[i]] = loop_value[i];
      call.dims = dims;
      auto loop_of = [&](const std::string& v) -> const int64_t* {
        auto it = call.loops.find(v);
        return it == call.loops.end() ? nullptr : &it->second;
      };
      // An operand axis carrying Var v reads v at offset(v) + p; any other Var is a loop's.
      auto var_at = [&](std::vector<std::string> axes, bool relative) {
        return [&, axes, relative](const std::string& v) -> Expr {
          for (size_t a = 0; a < axes.size(); ++a)
            if (axes[a] == v)
              return relative ? ExprNode::index_var(pos_name(a)) : at_position(range.at(v), a);
          const int64_t* l = loop_of(v);
          AXON_CHECK(l,
                     "cover: " + ci.name + " reads variable " + v + ", neither an axis nor a loop");
          return ExprNode::int_const(relative ? *l - range.at(v).offset : *l);
        };
      };
      for (const CoverOperand& o : ci.operands) {
        TileAccess acc;
        acc.slot = o.slot;
        acc.kind = o.term.kind;
        std::vector<std::string> sd = slot_dims(instr, o.slot);
        for (auto& d : sd)
          acc.extents.push_back(size_of(d));
        switch (o.term.kind) {
        case TermKind::Tensor: {
          acc.tensor = o.term.tensor;
          AXON_CHECK(o.term.axes.size() == sd.size(), "cover: axes of " + ci.name + "." + o.slot);
          for (size_t a = 0; a < sd.size(); ++a)
            AXON_CHECK(o.term.axes[a].empty() || range.at(o.term.axes[a]).extent == acc.extents[a],
                       "cover: axis " + std::to_string(a) + " of " + ci.name + "." + o.slot +
                           " is not sized by its variable");
          auto var = var_at(o.term.axes, false);
          for (auto& e : o.term.index)
            acc.index.push_back(bind_vars(e, var, t.dims));
          fill_layout(acc, t.dims);
          break;
        }
        case TermKind::Temp: {
          AXON_CHECK(o.term.temp < k, "cover: a temp read before it is written");
          acc.temp = o.term.temp;
          const TileInstr& producer = out.instrs[o.term.temp];
          auto var = var_at(o.term.axes, true);
          for (auto& v : producer.temp_vars)
            acc.index.push_back(var(v));
          fill_layout(acc, t.dims);
          break;
        }
        case TermKind::Constant:
          acc.value = isel::evaluate_real(o.term.value, t.dims, {});
          break;
        case TermKind::Scalar:
          acc.tensor = o.term.tensor;
          for (auto& e : o.term.index)
            acc.index.push_back(bind_vars(e, var_at({}, false), t.dims));
          fill_layout(acc, t.dims);
          break;
        }
        call.operands.push_back(std::move(acc));
      }
      // Where the result goes.
      TileAccess& res = call.out;
      res.slot = ci.result;
      for (auto& d : result_dims)
        res.extents.push_back(size_of(d));
      if (last) {
        res.kind = TermKind::Tensor;
        res.tensor = c.out;
        auto var = var_at(ci.out_axes, false);
        size_t sv = 0;
        for (const auto& v : c.vars)
          if (!v.reduction) {
            Expr at = var(v.name);
            if (sv < c.out_offset.size())
              at = simplify_int(ExprNode::binary(
                  ExprKind::Add, at,
                  ExprNode::int_const(isel::evaluate_int(c.out_offset[sv], t.dims, {}))));
            res.index.push_back(at);
            ++sv;
          }
      } else {
        res.kind = TermKind::Temp;
        res.temp = k;
        auto var = var_at(ci.out_axes, true);
        for (auto& v : ti.temp_vars)
          res.index.push_back(var(v));
      }
      fill_layout(res, t.dims);
      ti.calls.push_back(std::move(call));
    };
    calls(0);
    out.instrs.push_back(std::move(ti));
  }
  return out;
}

bool in_range(const TensorValue& v, const std::vector<int64_t>& idx) {
  if (idx.size() != v.shape.size())
    return false;
  for (size_t i = 0; i < idx.size(); ++i)
    if (idx[i] < 0 || idx[i] >= v.shape[i])
      return false;
  return true;
}

// The index of element `p` of `acc`, from its index expressions; checked against its strides.
std::vector<int64_t> element(const TileAccess& acc, const std::vector<int64_t>& p,
                             const std::map<std::string, int64_t>& dims) {
  std::vector<std::pair<std::string, int64_t>> env;
  for (size_t a = 0; a < p.size(); ++a)
    env.push_back({pos_name(a), p[a]});
  std::vector<int64_t> idx;
  for (auto& e : acc.index)
    idx.push_back(isel::evaluate_int(e, dims, env));
  if (acc.affine) {
    for (size_t i = 0; i < idx.size(); ++i) {
      int64_t s = acc.origin[i];
      for (size_t a = 0; a < p.size(); ++a)
        s += p[a] * acc.strides[a][i];
      AXON_CHECK(s == idx[i], "tile: strides of " + acc.slot + " disagree with its index");
    }
  }
  return idx;
}

std::string idx_text(const std::vector<int64_t>& idx) {
  std::string s = "[";
  for (size_t i = 0; i < idx.size(); ++i)
    s += (i ? ", " : "") + std::to_string(idx[i]);
  return s + "]";
}

// The statement's value with each reduction whose Var the tile binds restricted to its range
// (reductions numbered in pre-order, as the cover's reduction Vars are).
Expr restrict_reductions(const Expr& e, const std::vector<const CoverVar*>& reductions,
                         const std::map<std::string, TileRange>& range, size_t& counter) {
  if (is_reduce(e->kind())) {
    size_t me = counter++;
    Expr body = restrict_reductions(e->body(), reductions, range, counter);
    AXON_CHECK(me < reductions.size(), "tile: the cover has fewer reductions than the statement");
    const TileRange& r = range.at(reductions[me]->name);
    std::string fresh = e->name() + "'tile";
    body = substitute_index(
        body, e->name(),
        ExprNode::binary(ExprKind::Add, ExprNode::int_const(r.offset), ExprNode::index_var(fresh)));
    return ExprNode::reduce(e->kind(), fresh, ExprNode::int_const(r.extent), body);
  }
  if (e->args().empty())
    return e;
  return map_args(
      e, [&](const Expr& a) { return restrict_reductions(a, reductions, range, counter); });
}

bool close(double a, double b, double& err) {
  if (std::isnan(a) || std::isnan(b)) {
    err = std::isnan(a) && std::isnan(b) ? 0 : std::numeric_limits<double>::infinity();
    return std::isnan(a) && std::isnan(b);
  }
  if (std::isinf(a) || std::isinf(b)) {
    err = a == b ? 0 : std::numeric_limits<double>::infinity();
    return a == b;
  }
  err = std::fabs(a - b) / std::max(1.0, std::fabs(b));
  return err <= 1e-9;
}

} // namespace

TileCover instantiate_tile(const Cover& c, const Isa& isa, const Tile& t) {
  try {
    return instantiate(c, isa, t);
  } catch (const UserError&) {
    throw;
  } catch (const std::runtime_error& e) {
    // The evaluator's: an index or constant of the cover names a dim the tile does not give.
    user_error(std::string("tile: ") + e.what() +
               " (give every dim of the statement in Tile::dims)");
  }
}

TileCheck check_tile(const IndexProgram& program, size_t stmt, const Isa& isa, const Cover& c,
                     const Tile& tile, uint64_t seed) {
  AXON_CHECK(stmt < program.stmts().size(), "check_tile: no statement " + std::to_string(stmt));
  const IndexStmt& st = program.stmts()[stmt];
  Tile t = tile;
  std::map<std::string, std::optional<int64_t>> pdims = program.dims();
  for (auto& [d, v] : pdims)
    if (!t.dims.count(d) && v)
      t.dims[d] = *v;
  for (auto& [d, v] : t.dims)
    pdims[d] = v;
  TileCover tc = instantiate_tile(c, isa, t);
  std::map<std::string, TileRange> range = resolve(c, t);

  // The statement alone: what it reads as inputs, its reductions restricted to the tile.
  std::vector<const CoverVar*> reductions;
  for (auto& v : c.vars)
    if (v.reduction)
      reductions.push_back(&v);
  size_t counter = 0;
  IndexStmt s = st;
  s.value = restrict_reductions(st.value, reductions, range, counter);
  AXON_CHECK(counter == reductions.size(), "tile: the cover's reductions are not the statement's");
  std::vector<TensorDecl> decls;
  for (auto& n : tensors_read(st.value)) {
    TensorDecl d = program.tensor(n);
    d.role = TensorRole::Input;
    decls.push_back(d);
  }
  TensorDecl od = program.tensor(st.out);
  od.role = TensorRole::Output;
  decls.push_back(od);
  IndexProgram alone = IndexProgram::make(pdims, decls, {s});
  TensorMap inputs = random_inputs(alone, seed);
  TensorValue ref = interpret(alone, inputs).at(st.out);
  TensorValue got = ref;
  for (auto& x : got.data)
    x = std::numeric_limits<double>::quiet_NaN();

  TileCheck r;
  std::vector<TensorValue> temps(c.instrs.size());
  for (const TileInstr& ti : tc.instrs) {
    const CoverInstr& ci = c.instrs[ti.index];
    const Instruction& instr = isa.instructions[ci.instr];
    temps[ti.index].shape = ti.temp_shape;
    int64_t n = 1;
    for (int64_t e : ti.temp_shape)
      n *= e;
    temps[ti.index].data.assign(static_cast<size_t>(n), std::numeric_limits<double>::quiet_NaN());
    IndexProgram sem = instruction_semantics(instr, ci.params);
    for (const TileCall& call : ti.calls) {
      ++r.calls;
      std::map<std::string, int64_t> sizes;
      for (auto& [d, v] : sem.dims())
        sizes[d] = call.dims.count(d) ? call.dims.at(d) : 1;
      IndexProgram p = sem.with_dims(sizes);
      TensorMap in;
      for (const TensorDecl* d : p.inputs()) {
        TensorValue& v = in[d->name];
        v.shape = p.concrete_shape(d->name);
        v.data.assign(static_cast<size_t>(p.numel(d->name)), 0.0);
        const TileAccess* acc = nullptr;
        for (auto& o : call.operands)
          if (o.slot == d->name)
            acc = &o;
        if (!acc)
          continue; // read by another output of the instruction only
        if (acc->kind == TermKind::Tensor || acc->kind == TermKind::Temp)
          AXON_CHECK(v.shape == acc->extents, "tile: operand " + acc->slot + " of " + ci.name +
                                                  " has another shape than its access");
        size_t flat = 0;
        for_each_position(v.shape, [&](const std::vector<int64_t>& pos) {
          double x = 0;
          switch (acc->kind) {
          case TermKind::Constant:
            x = acc->value;
            break;
          case TermKind::Scalar:
          case TermKind::Tensor: {
            const TensorValue& src = inputs.at(acc->tensor);
            std::vector<int64_t> idx =
                acc->kind == TermKind::Scalar ? acc->origin : element(*acc, pos, t.dims);
            x = in_range(src, idx) ? src.at(idx) : std::numeric_limits<double>::quiet_NaN();
            break;
          }
          case TermKind::Temp: {
            const TensorValue& src = temps[acc->temp];
            std::vector<int64_t> idx = element(*acc, pos, t.dims);
            AXON_CHECK(in_range(src, idx), "tile: a temp read outside its buffer");
            x = src.at(idx);
            break;
          }
          }
          v.data[flat++] = x;
        });
      }
      TensorValue res = interpret(p, in).at(ci.result);
      AXON_CHECK(res.shape == call.out.extents,
                 "tile: the result of " + ci.name + " has another shape than its access");
      TensorValue& dst = call.out.kind == TermKind::Temp ? temps[call.out.temp] : got;
      size_t flat = 0;
      for_each_position(res.shape, [&](const std::vector<int64_t>& pos) {
        std::vector<int64_t> idx = element(call.out, pos, t.dims);
        AXON_CHECK(in_range(dst, idx), "tile: " + ci.name + " writes outside its destination");
        dst.at(idx) = res.data[flat++];
      });
    }
  }

  // Compare the statement's elements in the tile.
  std::vector<int64_t> lo, ext;
  for (auto& v : c.vars)
    if (!v.reduction) {
      int64_t off = lo.size() < c.out_offset.size()
                        ? isel::evaluate_int(c.out_offset[lo.size()], t.dims, {})
                        : 0;
      lo.push_back(range.at(v.name).offset + off);
      ext.push_back(range.at(v.name).extent);
    }
  r.ok = true;
  for_each_position(ext, [&](const std::vector<int64_t>& pos) {
    std::vector<int64_t> idx = pos;
    for (size_t i = 0; i < idx.size(); ++i)
      idx[i] += lo[i];
    ++r.elements;
    double err = 0;
    bool same = close(got.at(idx), ref.at(idx), err);
    r.max_error = std::max(r.max_error, err);
    if (!same && r.ok) {
      r.ok = false;
      std::ostringstream m;
      m << st.out << idx_text(idx) << ": the cover gives " << got.at(idx) << ", the statement "
        << ref.at(idx);
      r.mismatch = m.str();
    }
  });
  return r;
}

} // namespace axon
