// Lookups and names for the Isa model (isa.h); the loader, costing and description live in their
// own files.
#include <algorithm>

#include "ir/error.h"
#include "isa/isa.h"

namespace axon {

namespace {
template <class E, size_t N> const char* name_or_mark(const EnumName<E> (&table)[N], E v) {
  const char* n = enum_name(table, v);
  return n ? n : "?";
}
} // namespace

const char* memory_kind_name(MemoryKind k) { return name_or_mark(kMemoryKindNames, k); }
const char* cost_unit_name(CostUnit u) { return name_or_mark(kCostUnitNames, u); }
const char* operand_role_name(OperandRole r) { return name_or_mark(kOperandRoleNames, r); }
const char* param_kind_name(ParamKind k) { return name_or_mark(kParamKindNames, k); }

const ParamValue* ParamSpec::find_value(const std::string& v) const {
  for (const auto& x : values)
    if (x.name == v)
      return &x;
  return nullptr;
}

const OperandSpec* Instruction::find_operand(const std::string& n) const {
  for (const auto& o : operands)
    if (o.name == n)
      return &o;
  return nullptr;
}

const ParamSpec* Instruction::find_param(const std::string& n) const {
  for (const auto& p : params)
    if (p.name == n)
      return &p;
  return nullptr;
}

std::vector<std::string> Instruction::dims() const {
  std::vector<std::string> out;
  auto add = [&](const std::string& d) {
    if (std::find(out.begin(), out.end(), d) == out.end())
      out.push_back(d);
  };
  for (const auto& o : operands)
    for (const auto& d : o.shape)
      add(d.name);
  for (const auto& p : params)
    if (p.kind == ParamKind::Vector)
      add(p.dim);
  return out;
}

DimSpec Instruction::dim_bounds(const std::string& dim) const {
  DimSpec b;
  b.name = dim;
  for (const auto& o : operands)
    for (const auto& d : o.shape) {
      if (d.name != dim)
        continue;
      if (d.min)
        b.min = b.min ? std::max(*b.min, *d.min) : *d.min;
      if (d.max)
        b.max = b.max ? std::min(*b.max, *d.max) : *d.max;
    }
  return b;
}

const MemoryLevel* Isa::find_memory(const std::string& n) const {
  for (const auto& m : memories)
    if (m.name == n)
      return &m;
  return nullptr;
}

const Engine* Isa::find_engine(const std::string& n) const {
  for (const auto& e : engines)
    if (e.name == n)
      return &e;
  return nullptr;
}

const Instruction* Isa::find_instruction(const std::string& n) const {
  for (const auto& i : instructions)
    if (i.name == n)
      return &i;
  return nullptr;
}

const Instruction& Isa::instruction(const std::string& n) const {
  if (const Instruction* i = find_instruction(n))
    return *i;
  user_error("target '" + name + "' has no instruction '" + n + "'");
}

namespace {
bool listed(const std::vector<std::string>& v, const std::string& s) {
  return std::find(v.begin(), v.end(), s) != v.end();
}
} // namespace

bool Isa::can_read(const std::string& engine, const std::string& memory) const {
  const MemoryLevel* m = find_memory(memory);
  return m && listed(m->readers, engine);
}
bool Isa::can_write(const std::string& engine, const std::string& memory) const {
  const MemoryLevel* m = find_memory(memory);
  return m && listed(m->writers, engine);
}
bool Isa::can_accumulate(const std::string& engine, const std::string& memory) const {
  const MemoryLevel* m = find_memory(memory);
  return m && listed(m->accumulators, engine);
}

std::vector<std::string> vector_math_routines(const std::string& function, int64_t vector_bytes) {
  // libmvec's x86-64 vector ABI letters: b SSE (4 floats), c AVX and d AVX2 (8), e AVX-512 (16).
  std::vector<std::string> out;
  if (function != "exp" && function != "log" && function != "tanh" && function != "erf")
    return out;
  const std::pair<const char*, int64_t> isas[] = {{"b", 16}, {"c", 32}, {"d", 32}, {"e", 64}};
  for (const auto& [letter, bytes] : isas)
    if (bytes == vector_bytes)
      out.push_back(std::string("_ZGV") + letter + "N" + std::to_string(bytes / 4) + "v_" +
                    function + "f");
  return out;
}

bool known_vector_math_routine(const std::string& function, const std::string& symbol,
                               int64_t vector_bytes) {
  auto ok = vector_math_routines(function, vector_bytes);
  return std::find(ok.begin(), ok.end(), symbol) != ok.end();
}

} // namespace axon
