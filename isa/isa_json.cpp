// Isa -> canonical JSON (the schema of docs/isa.md, fields in a fixed order, defaults written
// out), and a hash of it. The canonical text is what the search cache keys on: two files that
// differ only in whitespace, field order or omitted defaults describe the same target and hash
// the same. load_isa_from_string(isa_to_json(x)) reproduces x (tested).
#include <cstdint>
#include <cstdio>

#include <nlohmann/json.hpp>

#include "isa/isa.h"

namespace axon {

namespace {

using json = nlohmann::ordered_json;

json dtypes_json(const std::vector<DType>& ts) {
  json a = json::array();
  for (DType t : ts)
    a.push_back(dtype_name(t));
  return a;
}

json engine_json(const Engine& e) {
  json j;
  j["name"] = e.name;
  if (!e.kind.empty())
    j["kind"] = e.kind;
  if (!e.description.empty())
    j["description"] = e.description;
  j["lanes"] = e.lanes;
  if (e.clock_ghz)
    j["clock_ghz"] = *e.clock_ghz;
  j["count"] = e.count;
  j["queues"] = e.queues;
  j["cost_unit"] = cost_unit_name(e.cost_unit);
  for (const auto& [k, v] : e.attributes)
    j[k] = v;
  return j;
}

json memory_json(const MemoryLevel& m) {
  json j;
  j["name"] = m.name;
  j["kind"] = memory_kind_name(m.kind);
  if (!m.description.empty())
    j["description"] = m.description;
  j["capacity_bytes"] = m.capacity_bytes;
  j["shared"] = m.shared;
  j["partitions"] = m.partitions;
  if (m.banks) {
    j["banks"] = m.banks;
    j["bank_bytes"] = m.bank_bytes;
  }
  if (m.registers) {
    j["registers"] = m.registers;
    j["register_bytes"] = m.register_bytes;
  }
  if (m.max_free_elems)
    j["max_free_elems"] = *m.max_free_elems;
  if (m.bandwidth_gbps)
    j["bandwidth_gbps"] = *m.bandwidth_gbps;
  if (m.write_bandwidth_gbps)
    j["write_bandwidth_gbps"] = *m.write_bandwidth_gbps;
  if (m.aggregate_bandwidth_gbps)
    j["aggregate_bandwidth_gbps"] = *m.aggregate_bandwidth_gbps;
  if (m.latency_ns)
    j["latency_ns"] = *m.latency_ns;
  j["read"] = m.readers;
  j["write"] = m.writers;
  j["accumulate"] = m.accumulators;
  if (!m.partition_rules.empty()) {
    json rules = json::array();
    for (const auto& r : m.partition_rules)
      rules.push_back({{"min_partitions", r.min_partitions},
                       {"max_partitions", r.max_partitions},
                       {"starts", r.starts}});
    j["partition_rules"] = rules;
  }
  return j;
}

json operand_json(const OperandSpec& o) {
  json j;
  j["name"] = o.name;
  j["role"] = operand_role_name(o.role);
  if (!o.description.empty())
    j["description"] = o.description;
  j["memory"] = o.memories;
  j["dtypes"] = dtypes_json(o.dtypes);
  json shape = json::array();
  for (const auto& d : o.shape) {
    if (!d.min && !d.max) {
      shape.push_back(d.name);
      continue;
    }
    json dj = {{"dim", d.name}};
    if (d.min)
      dj["min"] = *d.min;
    if (d.max)
      dj["max"] = *d.max;
    shape.push_back(dj);
  }
  j["shape"] = shape;
  if (!o.accumulate_flag.empty())
    j["accumulate"] = o.accumulate_flag;
  if (!o.when.empty())
    j["when"] = o.when;
  if (o.contiguous)
    j["contiguous"] = true;
  return j;
}

json param_json(const ParamSpec& p) {
  json j;
  j["name"] = p.name;
  j["kind"] = param_kind_name(p.kind);
  if (!p.description.empty())
    j["description"] = p.description;
  switch (p.kind) {
  case ParamKind::Enum: {
    j["arity"] = p.arity;
    json vals = json::object();
    for (const auto& v : p.values) {
      json vj = {{"expr", v.expr}};
      if (!v.emit.empty())
        vj["emit"] = v.emit;
      if (v.accuracy_ulp)
        vj["accuracy_ulp"] = *v.accuracy_ulp;
      vals[v.name] = vj;
    }
    j["values"] = vals;
    break;
  }
  case ParamKind::Flag:
    break;
  case ParamKind::Immediate:
    j["type"] = p.immediate_type;
    if (p.immediate_type == "int")
      j["default"] = std::stoll(p.values.front().name);
    break;
  case ParamKind::Vector:
    j["dim"] = p.dim;
    j["memory"] = p.memories;
    j["dtypes"] = dtypes_json(p.dtypes);
    j["immediate"] = p.allows_immediate;
    break;
  }
  return j;
}

json instruction_json(const Instruction& in) {
  json j;
  j["name"] = in.name;
  if (!in.description.empty())
    j["description"] = in.description;
  j["library"] = in.library;
  j["engines"] = in.engines;
  json ops = json::array();
  for (const auto& o : in.operands)
    ops.push_back(operand_json(o));
  j["operands"] = ops;
  json params = json::array();
  for (const auto& p : in.params)
    params.push_back(param_json(p));
  j["params"] = params;
  json sem = json::array();
  for (const auto& s : in.semantics) {
    if (s.when.empty())
      sem.push_back(s.text);
    else
      sem.push_back({{"stmt", s.text}, {"when", s.when}});
  }
  j["semantics"] = sem;
  j["cost"] = in.cost.text();
  json cons = json::array();
  for (const auto& c : in.constraints)
    cons.push_back(c.text());
  j["constraints"] = cons;
  j["emit"] = in.emit;
  if (in.accuracy_ulp)
    j["accuracy_ulp"] = *in.accuracy_ulp;
  return j;
}

} // namespace

std::string isa_to_json(const Isa& isa) {
  json j;
  j["schema_version"] = isa.schema_version;
  j["name"] = isa.name;
  if (!isa.description.empty())
    j["description"] = isa.description;
  j["backends"] = isa.backends;
  if (isa.llvm)
    j["llvm"] = {{"cpu", isa.llvm->cpu},
                 {"features", isa.llvm->features},
                 {"vector_bytes", isa.llvm->vector_bytes},
                 {"host_features", isa.llvm->host_features}};
  if (isa.llvm && !isa.llvm->vector_math.empty())
    j["llvm"]["vector_math"] = isa.llvm->vector_math;
  if (isa.llvm && isa.llvm->nontemporal_stores)
    j["llvm"]["nontemporal_stores"] = true;
  j["constants"] = isa.constants;
  json engines = json::array();
  for (const auto& e : isa.engines)
    engines.push_back(engine_json(e));
  j["engines"] = engines;
  json mems = json::array();
  for (const auto& m : isa.memories)
    mems.push_back(memory_json(m));
  j["memories"] = mems;
  json cont = json::array();
  for (const auto& c : isa.contention) {
    json cj = {{"memory", c.memory}, {"engines", c.engines}};
    if (!c.description.empty())
      cj["description"] = c.description;
    cont.push_back(cj);
  }
  j["contention"] = cont;
  json instrs = json::array();
  for (const auto& in : isa.instructions)
    instrs.push_back(instruction_json(in));
  j["instructions"] = instrs;
  return j.dump(2);
}

std::string isa_hash(const Isa& isa) {
  // FNV-1a, 64 bit: stable across platforms and runs, which std::hash is not.
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : isa_to_json(isa)) {
    h ^= c;
    h *= 1099511628211ull;
  }
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return buf;
}

} // namespace axon
