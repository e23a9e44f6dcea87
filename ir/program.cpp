// Program: SSA names, the .tp printer (round-trips through the parser and checker) and equality.
#include "ir/program.h"

#include <cmath>
#include <cstring>
#include <sstream>

#include "ir/shape.h"

namespace axon {

std::string Program::ssa_name(ValueId id) const {
  const Value& v = value(id);
  return v.version == 0 ? v.name : v.name + "@" + std::to_string(v.version);
}

static std::string number_text(double d) { return format_number(d); }

std::string attr_to_string(const AttrValue& v) {
  if (auto* d = std::get_if<double>(&v))
    return number_text(*d);
  if (auto* s = std::get_if<std::string>(&v))
    return "\"" + *s + "\"";
  if (auto* b = std::get_if<bool>(&v))
    return *b ? "true" : "false";
  const auto& l = std::get<std::vector<Expr>>(v);
  std::string out = "[";
  for (size_t i = 0; i < l.size(); ++i)
    out += (i ? ", " : "") + dim_to_string(l[i]);
  return out + "]";
}

bool attr_equal(const AttrValue& a, const AttrValue& b) {
  if (a.index() != b.index())
    return false;
  if (auto* l = std::get_if<std::vector<Expr>>(&a)) {
    const auto& r = std::get<std::vector<Expr>>(b);
    if (l->size() != r.size())
      return false;
    for (size_t i = 0; i < l->size(); ++i)
      if (!dim_equal((*l)[i], r[i]))
        return false;
    return true;
  }
  return a == b;
}

// Index expressions name tensors by SSA name; in text they go by their source name.
static Expr surface_names(const Expr& e) {
  if (e->kind() == ExprKind::Access) {
    std::vector<Expr> idx;
    for (auto& a : e->args())
      idx.push_back(surface_names(a));
    std::string n = e->name().substr(0, e->name().find('@'));
    return ExprNode::access(n, idx, e->sort());
  }
  std::vector<Expr> a;
  for (auto& x : e->args())
    a.push_back(surface_names(x));
  return with_args(e, std::move(a));
}

std::string to_string(const Program& p) {
  std::ostringstream os;
  if (!p.dim_order.empty()) {
    os << "where ";
    for (size_t i = 0; i < p.dim_order.size(); ++i) {
      const auto& d = p.dim_order[i];
      os << (i ? ", " : "") << d;
      if (auto s = p.dims.at(d))
        os << " = " << *s;
    }
    os << "\n";
  }
  auto type_of = [&](const Value& v) {
    return std::string(dtype_name(v.dtype)) + shape_to_string(v.shape);
  };
  for (ValueId id : p.inputs) {
    const Value& v = p.value(id);
    os << (v.is_inout ? "inout " : "input ") << v.name << ": " << type_of(v) << "\n";
  }
  for (const Node& n : p.nodes) {
    const Value& v = p.value(n.result);
    if (v.is_output && v.version == 0)
      os << "output ";
    os << v.name;
    if (n.op == "index") {
      os << "[";
      for (size_t i = 0; i < n.vars.size(); ++i) {
        os << (i ? ", " : "") << n.vars[i];
        if (i < n.var_extents.size() && n.var_extents[i])
          os << ": " << dim_to_string(*n.var_extents[i]);
      }
      os << "]";
    }
    if (v.annotated)
      os << ": " << type_of(v);
    os << (n.accumulate ? " += " : " = ");
    if (n.op == "index") {
      os << to_string(surface_names(n.expr));
    } else {
      os << n.op << "(";
      bool first = true;
      for (auto& o : n.operands) {
        os << (first ? "" : ", ") << (o.value ? p.value(*o.value).name : number_text(o.literal));
        first = false;
      }
      for (auto& [k, a] : n.attrs) {
        os << (first ? "" : ", ") << k << "=" << attr_to_string(a);
        first = false;
      }
      os << ")";
    }
    os << "\n";
  }
  return os.str();
}

bool programs_equal(const Program& a, const Program& b, std::string* why) {
  auto no = [&](const std::string& w) {
    if (why)
      *why = w;
    return false;
  };
  if (a.dims != b.dims || a.dim_order != b.dim_order)
    return no("dims differ");
  if (a.values.size() != b.values.size())
    return no("value counts differ");
  for (size_t i = 0; i < a.values.size(); ++i) {
    const Value &x = a.values[i], &y = b.values[i];
    if (x.name != y.name || x.version != y.version || x.dtype != y.dtype ||
        !shape_equal(x.shape, y.shape) || x.is_input != y.is_input || x.is_inout != y.is_inout ||
        x.is_output != y.is_output || x.annotated != y.annotated)
      return no("value " + std::to_string(i) + " (" + x.name + " vs " + y.name + ") differs");
  }
  if (a.inputs != b.inputs || a.outputs != b.outputs)
    return no("inputs or outputs differ");
  if (a.nodes.size() != b.nodes.size())
    return no("node counts differ");
  for (size_t i = 0; i < a.nodes.size(); ++i) {
    const Node &x = a.nodes[i], &y = b.nodes[i];
    std::string at = "node " + std::to_string(i) + " (" + x.op + "): ";
    if (x.op != y.op || x.result != y.result || x.accumulate != y.accumulate || x.vars != y.vars)
      return no(at + "header");
    if (x.operands.size() != y.operands.size())
      return no(at + "operand count");
    for (size_t k = 0; k < x.operands.size(); ++k) {
      const Operand &o = x.operands[k], &q = y.operands[k];
      if (o.value != q.value)
        return no(at + "operand " + std::to_string(k));
      if (!o.value && std::memcmp(&o.literal, &q.literal, sizeof(double)) != 0)
        return no(at + "literal");
    }
    if (x.attrs.size() != y.attrs.size())
      return no(at + "attribute count");
    for (size_t k = 0; k < x.attrs.size(); ++k)
      if (x.attrs[k].first != y.attrs[k].first || !attr_equal(x.attrs[k].second, y.attrs[k].second))
        return no(at + "attribute " + x.attrs[k].first);
    if (x.var_extents.size() != y.var_extents.size())
      return no(at + "extents");
    for (size_t k = 0; k < x.var_extents.size(); ++k)
      if (x.var_extents[k].has_value() != y.var_extents[k].has_value() ||
          (x.var_extents[k] && !dim_equal(*x.var_extents[k], *y.var_extents[k])))
        return no(at + "extent of " + x.vars[k]);
    if ((x.expr == nullptr) != (y.expr == nullptr) ||
        (x.expr && !structurally_equal(x.expr, y.expr)))
      return no(at + "expression " + (x.expr ? to_string(x.expr) : "") + " vs " +
                (y.expr ? to_string(y.expr) : ""));
  }
  return true;
}

} // namespace axon
