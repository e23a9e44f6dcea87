// Covers as data (isel_cover.h): renaming, and JSON in both directions with JSON-pointer errors.
#include "synth/isel_cover.h"

#include <cstdlib>
#include <functional>

#include "ir/error.h"

namespace axon {

namespace {

using json = nlohmann::json;

std::string lookup(const std::map<std::string, std::string>& names, const std::string& n) {
  auto it = names.find(n);
  return it == names.end() ? n : it->second;
}

Expr rename_expr(const Expr& e, const std::map<std::string, std::string>& names) {
  if (!e)
    return e;
  switch (e->kind()) {
  case ExprKind::IndexVar:
    return ExprNode::index_var(lookup(names, e->name()));
  case ExprKind::DimVar:
    return ExprNode::dim_var(lookup(names, e->name()));
  case ExprKind::Access: {
    std::vector<Expr> idx;
    for (auto& a : e->args())
      idx.push_back(rename_expr(a, names));
    return ExprNode::access(lookup(names, e->name()), std::move(idx), e->sort());
  }
  case ExprKind::Sum:
  case ExprKind::RMax:
  case ExprKind::RMin:
    return ExprNode::reduce(e->kind(), lookup(names, e->name()), rename_expr(e->extent(), names),
                            rename_expr(e->body(), names));
  default:
    break;
  }
  if (e->args().empty())
    return e;
  return map_args(e, [&](const Expr& a) { return rename_expr(a, names); });
}

[[noreturn]] void bad(const std::string& pointer, const std::string& what) {
  user_error("cover JSON: " + (pointer.empty() ? std::string("/") : pointer) + ": " + what);
}

const json& field(const json& j, const std::string& pointer, const char* name) {
  if (!j.is_object() || !j.contains(name))
    bad(pointer, std::string("missing field \"") + name + "\"");
  return j.at(name);
}

std::string str(const json& j, const std::string& pointer, const char* name) {
  const json& v = field(j, pointer, name);
  if (!v.is_string())
    bad(pointer + "/" + name, "expected a string");
  return v.get<std::string>();
}

std::vector<std::string> strs(const json& j, const std::string& pointer, const char* name) {
  const json& v = field(j, pointer, name);
  if (!v.is_array())
    bad(pointer + "/" + name, "expected an array of strings");
  std::vector<std::string> out;
  for (size_t i = 0; i < v.size(); ++i) {
    if (!v[i].is_string())
      bad(pointer + "/" + name + "/" + std::to_string(i), "expected a string");
    out.push_back(v[i].get<std::string>());
  }
  return out;
}

int64_t integer(const json& j, const std::string& pointer) {
  if (!j.is_number_integer())
    bad(pointer, "expected an integer");
  return j.get<int64_t>();
}

double number(const json& j, const std::string& pointer) {
  if (!j.is_number())
    bad(pointer, "expected a number");
  return j.get<double>();
}

// kind_name, but the reductions max and min apart from the binary max and min.
std::string json_kind(ExprKind k) {
  if (k == ExprKind::RMax)
    return "rmax";
  if (k == ExprKind::RMin)
    return "rmin";
  return kind_name(k);
}

std::optional<ExprKind> kind_of(const std::string& name) {
  for (int k = static_cast<int>(ExprKind::IntConst); k <= static_cast<int>(ExprKind::RMin); ++k)
    if (name == json_kind(static_cast<ExprKind>(k)))
      return static_cast<ExprKind>(k);
  return std::nullopt;
}

json term_to_json(const CoverTerm& t) {
  json j = {{"kind", term_kind_name(t.kind)}};
  switch (t.kind) {
  case TermKind::Tensor: {
    json idx = json::array();
    for (auto& e : t.index)
      idx.push_back(expr_to_json(e));
    j["tensor"] = t.tensor;
    j["index"] = idx;
    j["text"] = to_string(ExprNode::access(t.tensor, t.index));
    j["axes"] = t.axes;
    break;
  }
  case TermKind::Temp:
    j["temp"] = t.temp;
    j["axes"] = t.axes;
    break;
  case TermKind::Constant:
    j["value"] = expr_to_json(t.value);
    j["text"] = to_string(t.value);
    break;
  case TermKind::Scalar: {
    json idx = json::array();
    for (auto& e : t.index)
      idx.push_back(expr_to_json(e));
    j["tensor"] = t.tensor;
    j["index"] = idx;
    break;
  }
  }
  return j;
}

CoverTerm term_from_json(const json& j, const std::string& p) {
  CoverTerm t;
  std::string kind = str(j, p, "kind");
  if (kind == "tensor" || kind == "scalar") {
    t.kind = kind == "tensor" ? TermKind::Tensor : TermKind::Scalar;
    t.tensor = str(j, p, "tensor");
    const json& idx = field(j, p, "index");
    if (!idx.is_array())
      bad(p + "/index", "expected an array");
    for (size_t i = 0; i < idx.size(); ++i) {
      Expr e = expr_from_json(idx[i], p + "/index/" + std::to_string(i));
      if (e->sort() != Sort::Int)
        bad(p + "/index/" + std::to_string(i), "an index must be an int expression");
      t.index.push_back(e);
    }
    if (t.kind == TermKind::Tensor)
      t.axes = strs(j, p, "axes");
  } else if (kind == "temp") {
    t.kind = TermKind::Temp;
    int64_t k = integer(field(j, p, "temp"), p + "/temp");
    if (k < 0)
      bad(p + "/temp", "expected an instruction index >= 0");
    t.temp = static_cast<size_t>(k);
    t.axes = strs(j, p, "axes");
  } else if (kind == "constant") {
    t.kind = TermKind::Constant;
    t.value = expr_from_json(field(j, p, "value"), p + "/value");
  } else {
    bad(p + "/kind",
        "unknown term kind \"" + kind + "\"; expected tensor, temp, constant or scalar");
  }
  return t;
}

} // namespace

const char* term_kind_name(TermKind k) {
  switch (k) {
  case TermKind::Tensor:
    return "tensor";
  case TermKind::Temp:
    return "temp";
  case TermKind::Constant:
    return "constant";
  case TermKind::Scalar:
    return "scalar";
  }
  return "?";
}

const CoverVar* Cover::find_var(const std::string& name) const {
  for (const auto& v : vars)
    if (v.name == name)
      return &v;
  return nullptr;
}

Cover rename_cover(const Cover& c, const std::map<std::string, std::string>& names) {
  Cover r = c;
  r.out = lookup(names, r.out);
  for (auto& v : r.vars) {
    v.name = lookup(names, v.name);
    v.extent = rename_expr(v.extent, names);
  }
  for (auto& i : r.instrs)
    i = rename_instr(i, names);
  return r;
}

CoverInstr rename_instr(const CoverInstr& in, const std::map<std::string, std::string>& names) {
  CoverInstr i = in;
  auto n = [&](std::string& s) {
    if (!s.empty())
      s = lookup(names, s);
  };
  for (auto& a : i.out_axes)
    n(a);
  for (auto& l : i.loops)
    n(l);
  for (auto& d : i.dims)
    n(d.var);
  for (auto& o : i.operands) {
    n(o.term.tensor);
    for (auto& e : o.term.index)
      e = rename_expr(e, names);
    o.term.value = rename_expr(o.term.value, names);
    for (auto& a : o.term.axes)
      n(a);
  }
  return i;
}

json expr_to_json(const Expr& e) {
  json j = {{"kind", json_kind(e->kind())}};
  switch (e->kind()) {
  case ExprKind::IntConst:
    j["value"] = e->int_value();
    return j;
  case ExprKind::RealConst:
    j["value"] = format_number(e->real_value()); // text: "inf" survives, JSON numbers cannot
    return j;
  case ExprKind::IndexVar:
  case ExprKind::DimVar:
    j["name"] = e->name();
    return j;
  case ExprKind::Access:
    j["name"] = e->name();
    if (e->sort() == Sort::Bool)
      j["sort"] = "bool";
    break;
  case ExprKind::Sum:
  case ExprKind::RMax:
  case ExprKind::RMin:
    j["name"] = e->name();
    break;
  default:
    break;
  }
  json args = json::array();
  for (auto& a : e->args())
    args.push_back(expr_to_json(a));
  j["args"] = args;
  return j;
}

Expr expr_from_json(const json& j, const std::string& p) {
  std::string kn = str(j, p, "kind");
  std::optional<ExprKind> k = kind_of(kn);
  if (!k)
    bad(p + "/kind", "unknown expression kind \"" + kn + "\"");
  switch (*k) {
  case ExprKind::IntConst:
    return ExprNode::int_const(integer(field(j, p, "value"), p + "/value"));
  case ExprKind::RealConst: {
    std::string v = str(j, p, "value");
    char* end = nullptr;
    double d = std::strtod(v.c_str(), &end);
    if (v.empty() || *end)
      bad(p + "/value", "expected a number as text, got \"" + v + "\"");
    return ExprNode::real_const(d);
  }
  case ExprKind::IndexVar:
    return ExprNode::index_var(str(j, p, "name"));
  case ExprKind::DimVar:
    return ExprNode::dim_var(str(j, p, "name"));
  default:
    break;
  }
  const json& aj = field(j, p, "args");
  if (!aj.is_array())
    bad(p + "/args", "expected an array");
  std::vector<Expr> args;
  for (size_t i = 0; i < aj.size(); ++i)
    args.push_back(expr_from_json(aj[i], p + "/args/" + std::to_string(i)));
  auto arity = [&](size_t n) {
    if (args.size() != n)
      bad(p + "/args", std::string("\"") + kn + "\" takes " + std::to_string(n) +
                           " argument(s), got " + std::to_string(args.size()));
  };
  // The checked constructors' sort rules, as user errors (a cover file is input).
  try {
    if (*k == ExprKind::Access) {
      bool is_bool = j.contains("sort") && j["sort"] == "bool";
      return ExprNode::access(str(j, p, "name"), std::move(args),
                              is_bool ? Sort::Bool : Sort::Real);
    }
    if (is_unary(*k)) {
      arity(1);
      return ExprNode::unary(*k, args[0]);
    }
    if (is_binary(*k)) {
      arity(2);
      return ExprNode::binary(*k, args[0], args[1]);
    }
    if (*k == ExprKind::Select) {
      arity(3);
      return ExprNode::select(args[0], args[1], args[2]);
    }
    arity(2);
    return ExprNode::reduce(*k, str(j, p, "name"), args[0], args[1]);
  } catch (const InternalError& e) {
    bad(p, std::string("not a well-sorted expression: ") + e.what());
  }
}

json cover_to_json(const Cover& c) {
  json vars = json::array();
  for (const auto& v : c.vars)
    vars.push_back({{"name", v.name},
                    {"extent", expr_to_json(v.extent)},
                    {"extent_text", to_string(v.extent)},
                    {"reduction", v.reduction}});
  json instrs = json::array();
  for (const auto& i : c.instrs) {
    json dims = json::array();
    for (const auto& d : i.dims) {
      json dj = {{"dim", d.dim}, {"var", d.var}};
      if (d.min) {
        dj["min"] = *d.min;
        dj["min_source"] = d.min_source;
      }
      if (d.max) {
        dj["max"] = *d.max;
        dj["max_source"] = d.max_source;
      }
      dims.push_back(dj);
    }
    json ops = json::array();
    for (const auto& o : i.operands)
      ops.push_back({{"slot", o.slot}, {"term", term_to_json(o.term)}});
    json ij = {{"instr", i.instr},     {"name", i.name},      {"engine", i.engine},
               {"params", i.params},   {"result", i.result},  {"out_axes", i.out_axes},
               {"loops", i.loops},     {"dims", dims},        {"operands", ops},
               {"hoisted", i.hoisted}, {"cost_ns", i.cost_ns}};
    if (i.accumulate)
      ij["accumulate"] = *i.accumulate;
    instrs.push_back(std::move(ij));
  }
  return {{"out", c.out}, {"vars", vars}, {"instrs", instrs}};
}

Cover cover_from_json(const json& j, const Isa& isa) {
  Cover c;
  c.out = str(j, "", "out");
  const json& vars = field(j, "", "vars");
  if (!vars.is_array())
    bad("/vars", "expected an array");
  for (size_t i = 0; i < vars.size(); ++i) {
    std::string p = "/vars/" + std::to_string(i);
    CoverVar v;
    v.name = str(vars[i], p, "name");
    v.extent = expr_from_json(field(vars[i], p, "extent"), p + "/extent");
    const json& r = field(vars[i], p, "reduction");
    if (!r.is_boolean())
      bad(p + "/reduction", "expected true or false");
    v.reduction = r.get<bool>();
    c.vars.push_back(std::move(v));
  }
  const json& instrs = field(j, "", "instrs");
  if (!instrs.is_array())
    bad("/instrs", "expected an array");
  for (size_t n = 0; n < instrs.size(); ++n) {
    const json& ij = instrs[n];
    std::string p = "/instrs/" + std::to_string(n);
    CoverInstr i;
    int64_t idx = integer(field(ij, p, "instr"), p + "/instr");
    i.name = str(ij, p, "name");
    if (idx < 0 || static_cast<size_t>(idx) >= isa.instructions.size() ||
        isa.instructions[static_cast<size_t>(idx)].name != i.name)
      bad(p + "/instr", "instruction " + std::to_string(idx) + " of target '" + isa.name +
                            "' is not '" + i.name + "'");
    i.instr = static_cast<size_t>(idx);
    i.engine = str(ij, p, "engine");
    auto choice = [&](const char* name) {
      const json& params = field(ij, p, name);
      std::string pp = p + "/" + name;
      if (!params.is_object())
        bad(pp, "expected an object of strings");
      ParamChoice out;
      for (auto it = params.begin(); it != params.end(); ++it) {
        if (!it.value().is_string())
          bad(pp + "/" + it.key(), "expected a string");
        out[it.key()] = it.value().get<std::string>();
      }
      return out;
    };
    i.params = choice("params");
    if (ij.contains("accumulate"))
      i.accumulate = choice("accumulate");
    i.result = str(ij, p, "result");
    i.out_axes = strs(ij, p, "out_axes");
    i.loops = strs(ij, p, "loops");
    const json& dims = field(ij, p, "dims");
    if (!dims.is_array())
      bad(p + "/dims", "expected an array");
    for (size_t d = 0; d < dims.size(); ++d) {
      std::string dp = p + "/dims/" + std::to_string(d);
      CoverDim cd;
      cd.dim = str(dims[d], dp, "dim");
      cd.var = str(dims[d], dp, "var");
      if (dims[d].contains("min")) {
        cd.min = integer(dims[d]["min"], dp + "/min");
        cd.min_source = str(dims[d], dp, "min_source");
      }
      if (dims[d].contains("max")) {
        cd.max = integer(dims[d]["max"], dp + "/max");
        cd.max_source = str(dims[d], dp, "max_source");
      }
      i.dims.push_back(std::move(cd));
    }
    const json& ops = field(ij, p, "operands");
    if (!ops.is_array())
      bad(p + "/operands", "expected an array");
    for (size_t o = 0; o < ops.size(); ++o) {
      std::string op = p + "/operands/" + std::to_string(o);
      CoverOperand co;
      co.slot = str(ops[o], op, "slot");
      co.term = term_from_json(field(ops[o], op, "term"), op + "/term");
      if (co.term.kind == TermKind::Temp && co.term.temp >= n)
        bad(op + "/term/temp", "a temp must be written by an earlier instruction");
      i.operands.push_back(std::move(co));
    }
    const json& h = field(ij, p, "hoisted");
    if (!h.is_boolean())
      bad(p + "/hoisted", "expected true or false");
    i.hoisted = h.get<bool>();
    i.cost_ns = number(field(ij, p, "cost_ns"), p + "/cost_ns");
    c.instrs.push_back(std::move(i));
  }
  return c;
}

} // namespace axon
