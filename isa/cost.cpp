// Binds the variables of an instruction's cost formula and constraints to a concrete use
// (sizes, placement, dtypes, parameter choices) and evaluates them. The variable set is the
// contract between targets/*.json and search/ + sim/; docs/isa.md lists it.
#include <algorithm>
#include <cstdlib>
#include <set>

#include "ir/error.h"
#include "isa/isa.h"
#include "isa/isa_internal.h"

#include <cmath>
#include <sstream>

namespace axon {

namespace {

// Engine attributes every engine has (defaults apply), then the optional ones.
std::vector<std::pair<std::string, double>> engine_vars(const Engine& e) {
  std::vector<std::pair<std::string, double>> v = {{"lanes", static_cast<double>(e.lanes)},
                                                   {"count", static_cast<double>(e.count)},
                                                   {"queues", static_cast<double>(e.queues)}};
  if (e.clock_ghz)
    v.push_back({"clock_ghz", *e.clock_ghz});
  for (const auto& [k, x] : e.attributes)
    v.push_back({k, x});
  return v;
}

const Engine& use_engine(const Isa& isa, const Instruction& instr, const InstrUse& use) {
  std::string name = use.engine.empty() ? instr.engines.front() : use.engine;
  if (std::find(instr.engines.begin(), instr.engines.end(), name) == instr.engines.end())
    user_error("instruction '" + instr.name + "' does not run on engine '" + name + "'");
  const Engine* e = isa.find_engine(name);
  AXON_CHECK(e != nullptr, "engine listed by a loaded instruction is missing");
  return *e;
}

int64_t dim_value(const Instruction& instr, const InstrUse& use, const std::string& d) {
  auto it = use.dims.find(d);
  if (it == use.dims.end())
    user_error("cost of '" + instr.name + "': no size given for dimension '" + d + "'");
  return it->second;
}

// Tensor-like things with sizes and placement: operands and vector params.
struct Placed {
  std::vector<std::string> shape;
  std::vector<std::string> memories;
  std::vector<DType> dtypes;
  bool allows_immediate = false;
};

std::map<std::string, Placed> placed_of(const Instruction& instr) {
  std::map<std::string, Placed> out;
  for (const auto& o : instr.operands) {
    Placed p;
    for (const auto& d : o.shape)
      p.shape.push_back(d.name);
    p.memories = o.memories;
    p.dtypes = o.dtypes;
    out[o.name] = p;
  }
  for (const auto& prm : instr.params)
    if (prm.kind == ParamKind::Vector)
      out[prm.name] = Placed{{prm.dim}, prm.memories, prm.dtypes, prm.allows_immediate};
  return out;
}

std::string choice_value(const ParamSpec& p, const InstrUse& use) {
  auto it = use.params.find(p.name);
  if (it == use.params.end())
    return p.values.empty() ? "" : p.values.front().name;
  if ((p.kind == ParamKind::Enum || p.kind == ParamKind::Flag) && !p.find_value(it->second))
    user_error("parameter '" + p.name + "' has no value '" + it->second + "'");
  return it->second;
}

std::string memory_of(const std::string& name, const Placed& p, const InstrUse& use) {
  auto it = use.memory.find(name);
  return it == use.memory.end() ? p.memories.front() : it->second;
}
DType dtype_of(const std::string& name, const Placed& p, const InstrUse& use) {
  auto it = use.dtypes.find(name);
  return it == use.dtypes.end() ? p.dtypes.front() : it->second;
}

std::optional<double> lookup(const Isa& isa, const Instruction& instr, const InstrUse& use,
                             const std::map<std::string, Placed>& placed, const std::string& var) {
  size_t dot = var.find('.');
  if (dot == std::string::npos) {
    if (auto c = isa.constants.find(var); c != isa.constants.end())
      return c->second;
    for (const auto& [k, v] : engine_vars(use_engine(isa, instr, use)))
      if (k == var)
        return v;
    if (const ParamSpec* p = instr.find_param(var)) {
      if (p->kind == ParamKind::Flag)
        return choice_value(*p, use) == "true" ? 1.0 : 0.0;
      if (p->kind == ParamKind::Immediate && p->immediate_type == "int")
        return static_cast<double>(std::strtoll(choice_value(*p, use).c_str(), nullptr, 10));
      return std::nullopt;
    }
    return static_cast<double>(dim_value(instr, use, var));
  }
  std::string obj = var.substr(0, dot), attr = var.substr(dot + 1);
  if (const ParamSpec* p = instr.find_param(obj); p && p->kind == ParamKind::Enum)
    return choice_value(*p, use) == attr ? 1.0 : 0.0;
  auto it = placed.find(obj);
  if (it == placed.end())
    return std::nullopt;
  const Placed& pl = it->second;
  if (attr == "is_immediate")
    return use.memory.count(obj) && use.memory.at(obj) == "immediate" ? 1.0 : 0.0;
  double elems = 1;
  for (const auto& d : pl.shape)
    elems *= static_cast<double>(dim_value(instr, use, d));
  double parts =
      pl.shape.empty() ? 1 : static_cast<double>(dim_value(instr, use, pl.shape.front()));
  DType t = dtype_of(obj, pl, use);
  if (attr == "elems")
    return elems;
  if (attr == "bytes")
    return elems * dtype_bytes(t);
  if (attr == "dtype_bytes")
    return dtype_bytes(t);
  if (attr == "partitions")
    return parts;
  if (attr == "free")
    return elems / parts;
  // Contiguous runs of the operand's access pattern (DMA descriptors): a simulator that knows the
  // tile supplies them as the size "X.runs"; without it, one run per partition.
  if (attr == "runs") {
    auto r = use.dims.find(var);
    return r == use.dims.end() ? parts : static_cast<double>(r->second);
  }
  if (attr.rfind("in_", 0) == 0)
    return memory_of(obj, pl, use) == attr.substr(3) ? 1.0 : 0.0;
  if (attr.rfind("is_", 0) == 0)
    return attr.substr(3) == dtype_name(t) ? 1.0 : 0.0;
  return std::nullopt;
}

double evaluate(const Isa& isa, const Instruction& instr, const InstrUse& use, const CostExpr& e) {
  auto placed = placed_of(instr);
  return e.eval([&](const std::string& v) { return lookup(isa, instr, use, placed, v); });
}

} // namespace

std::vector<std::string> cost_variables(const Isa& isa, const Instruction& instr) {
  std::set<std::string> vars;
  for (const auto& [k, v] : isa.constants)
    vars.insert(k);
  // Engine attributes usable by the formula are those every engine of the instruction has.
  std::map<std::string, size_t> seen;
  for (const auto& en : instr.engines)
    if (const Engine* e = isa.find_engine(en))
      for (const auto& [k, v] : engine_vars(*e))
        ++seen[k];
  for (const auto& [k, n] : seen)
    if (n == instr.engines.size())
      vars.insert(k);
  for (const auto& d : instr.dims())
    vars.insert(d);
  for (const auto& [name, pl] : placed_of(instr)) {
    for (const char* a : {"elems", "bytes", "dtype_bytes", "partitions", "free", "runs"})
      vars.insert(name + "." + a);
    for (const auto& m : pl.memories)
      vars.insert(name + ".in_" + m);
    for (const auto& t : pl.dtypes)
      vars.insert(name + ".is_" + dtype_name(t));
    if (pl.allows_immediate)
      vars.insert(name + ".is_immediate");
  }
  for (const auto& p : instr.params) {
    if (p.kind == ParamKind::Enum)
      for (const auto& v : p.values)
        vars.insert(p.name + "." + v.name);
    if (p.kind == ParamKind::Flag || (p.kind == ParamKind::Immediate && p.immediate_type == "int"))
      vars.insert(p.name);
  }
  return {vars.begin(), vars.end()};
}

double unchecked_cost_ns(const Isa& isa, const Instruction& instr, const InstrUse& use) {
  const Engine& e = use_engine(isa, instr, use);
  double c = evaluate(isa, instr, use, instr.cost);
  return e.cost_unit == CostUnit::Ns ? c : c / *e.clock_ghz;
}

double instruction_cost(const Isa& isa, const Instruction& instr, const InstrUse& use) {
  double c = evaluate(isa, instr, use, instr.cost);
  // The loader checks sample uses (load_isa.cpp, check_costs); a formula can still give NaN or a
  // negative number at other sizes, which must not reach a comparison of costs.
  if (!std::isfinite(c) || c < 0) {
    std::string where = "/instructions";
    if (&instr >= isa.instructions.data() &&
        &instr < isa.instructions.data() + isa.instructions.size())
      where += "/" + std::to_string(&instr - isa.instructions.data());
    std::string sizes;
    for (const auto& [d, v] : use.dims)
      sizes += (sizes.empty() ? "" : ", ") + d + " = " + std::to_string(v);
    std::ostringstream val;
    val << c;
    user_error(isa.path + ": " + where + "/cost: the cost of '" + instr.name + "' is " + val.str() +
               (sizes.empty() ? "" : " with " + sizes) + "; a cost must be a finite number >= 0");
  }
  return c;
}

double instruction_cost_ns(const Isa& isa, const Instruction& instr, const InstrUse& use) {
  const Engine& e = use_engine(isa, instr, use);
  double c = instruction_cost(isa, instr, use);
  return e.cost_unit == CostUnit::Ns ? c : c / *e.clock_ghz;
}

std::vector<std::string> check_use(const Isa& isa, const Instruction& instr, const InstrUse& use) {
  std::vector<std::string> bad;
  const Engine& engine = use_engine(isa, instr, use);
  for (const auto& d : instr.dims()) {
    DimSpec b = instr.dim_bounds(d);
    int64_t v = dim_value(instr, use, d);
    if (v < 1 || (b.min && v < *b.min) || (b.max && v > *b.max))
      bad.push_back(d + " = " + std::to_string(v) + " is outside [" +
                    std::to_string(b.min.value_or(1)) + ", " +
                    (b.max ? std::to_string(*b.max) : std::string("inf")) + "]");
  }
  auto placed = placed_of(instr);
  for (const auto& [name, pl] : placed) {
    std::string mem = memory_of(name, pl, use);
    if (mem == "immediate") {
      if (!pl.allows_immediate)
        bad.push_back(name + " cannot be an immediate");
      continue;
    }
    if (std::find(pl.memories.begin(), pl.memories.end(), mem) == pl.memories.end()) {
      bad.push_back(name + " cannot live in " + mem);
      continue;
    }
    DType t = dtype_of(name, pl, use);
    if (std::find(pl.dtypes.begin(), pl.dtypes.end(), t) == pl.dtypes.end())
      bad.push_back(name + " cannot have dtype " + dtype_name(t));
    const OperandSpec* op = instr.find_operand(name);
    bool writes = op && op->role == OperandRole::Out;
    bool acc = writes && !op->accumulate_flag.empty() &&
               choice_value(*instr.find_param(op->accumulate_flag), use) == "true";
    bool ok = acc      ? isa.can_accumulate(engine.name, mem)
              : writes ? isa.can_write(engine.name, mem)
                       : isa.can_read(engine.name, mem);
    if (!ok)
      bad.push_back(engine.name + " may not " +
                    (acc      ? "accumulate into "
                     : writes ? "write "
                              : "read ") +
                    mem + " (" + name + ")");
    const MemoryLevel* m = isa.find_memory(mem);
    if (m && m->partitions > 1 && !pl.shape.empty()) {
      int64_t parts = dim_value(instr, use, pl.shape.front());
      if (parts > m->partitions)
        bad.push_back(name + " spans " + std::to_string(parts) + " partitions; " + mem + " has " +
                      std::to_string(m->partitions));
      if (m->max_free_elems) {
        // Saturating: a many-dimensional tile must not overflow into a small number.
        int64_t free = 1;
        bool overflow = false;
        for (size_t i = 1; i < pl.shape.size(); ++i)
          overflow =
              overflow || __builtin_mul_overflow(free, dim_value(instr, use, pl.shape[i]), &free);
        if (overflow || free > *m->max_free_elems)
          bad.push_back(
              name + " has " + (overflow ? std::string("more than 2^63") : std::to_string(free)) +
              " elements per partition; " + mem + " allows " + std::to_string(*m->max_free_elems));
      }
    }
  }
  for (size_t i = 0; i < instr.constraints.size(); ++i)
    if (evaluate(isa, instr, use, instr.constraints[i]) == 0)
      bad.push_back("constraint \"" + instr.constraints[i].text() + "\" fails");
  return bad;
}

} // namespace axon
