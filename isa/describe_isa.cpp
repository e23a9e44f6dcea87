// `axon-synth isa show`: a readable summary of a loaded target, one section per part of the
// schema, so a user can check what the tool believes about a machine without reading the JSON.
#include <cmath>
#include <cstdio>
#include <sstream>

#include "isa/isa.h"

namespace axon {

namespace {

std::string bytes_text(int64_t b) {
  const char* units[] = {"B", "KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(b);
  int u = 0;
  while (v >= 1024 && u < 4 && std::fmod(v, 1024) == 0) {
    v /= 1024;
    ++u;
  }
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.0f %s", v, units[u]);
  return buf;
}

std::string num(double v) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

std::string join(const std::vector<std::string>& v, const char* sep = " ") {
  std::string out;
  for (const auto& s : v)
    out += (out.empty() ? "" : sep) + s;
  return out;
}

std::string dtypes_text(const std::vector<DType>& ts) {
  std::vector<std::string> n;
  for (DType t : ts)
    n.push_back(dtype_name(t));
  return join(n, "|");
}

std::string shape_text(const std::vector<DimSpec>& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    s += (i ? ", " : "") + shape[i].name;
    if (shape[i].min && shape[i].max && *shape[i].min == *shape[i].max)
      s += "=" + std::to_string(*shape[i].max);
    else {
      if (shape[i].min)
        s += ">=" + std::to_string(*shape[i].min);
      if (shape[i].max)
        s += "<=" + std::to_string(*shape[i].max);
    }
  }
  return s + "]";
}

} // namespace

std::string describe_isa(const Isa& isa) {
  std::ostringstream o;
  o << "target " << isa.name << " (schema_version " << isa.schema_version << ", " << isa.path
    << ")\n";
  if (!isa.description.empty())
    o << "  " << isa.description << "\n";
  o << "  backends: " << join(isa.backends) << "\n";
  if (isa.llvm)
    o << "  llvm: cpu " << isa.llvm->cpu << ", features " << join(isa.llvm->features) << ", "
      << isa.llvm->vector_bytes << "-byte vectors; the host needs " << join(isa.llvm->host_features)
      << (isa.llvm->nontemporal_stores ? "; streaming (non-temporal) stores" : "") << "\n";

  o << "\nmemory levels (" << isa.memories.size() << "):\n";
  for (const auto& m : isa.memories) {
    o << "  " << m.name << "  " << memory_kind_name(m.kind) << "  " << bytes_text(m.capacity_bytes);
    if (m.partitions > 1)
      o << " = " << m.partitions << " partitions x " << bytes_text(m.partition_bytes);
    if (m.banks)
      o << ", " << m.banks << " banks x " << bytes_text(m.bank_bytes) << " per partition";
    if (m.registers)
      o << " = " << m.registers << " registers x " << bytes_text(m.register_bytes);
    o << (m.shared ? ", shared" : ", per core");
    if (m.bandwidth_gbps)
      o << ", " << num(*m.bandwidth_gbps) << " GB/s";
    if (m.write_bandwidth_gbps)
      o << " read, " << num(*m.write_bandwidth_gbps) << " GB/s write";
    if (m.aggregate_bandwidth_gbps)
      o << ", " << num(*m.aggregate_bandwidth_gbps) << " GB/s all cores";
    if (m.latency_ns)
      o << ", latency " << num(*m.latency_ns) << " ns";
    if (m.max_free_elems)
      o << ", tile free size <= " << *m.max_free_elems << " elements";
    o << "\n";
    o << "      read: " << (m.readers.empty() ? "-" : join(m.readers))
      << "  write: " << (m.writers.empty() ? "-" : join(m.writers))
      << "  accumulate: " << (m.accumulators.empty() ? "-" : join(m.accumulators)) << "\n";
    if (!m.partition_rules.empty()) {
      o << "      partition starts:";
      for (size_t i = 0; i < m.partition_rules.size(); ++i) {
        const PartitionRule& r = m.partition_rules[i];
        std::vector<std::string> st;
        for (int64_t s : r.starts)
          st.push_back(std::to_string(s));
        o << (i ? ";" : "") << " " << r.min_partitions << "-" << r.max_partitions << " at "
          << join(st, "/");
      }
      o << "\n";
    }
    if (!m.description.empty())
      o << "      " << m.description << "\n";
  }

  o << "\nengines (" << isa.engines.size() << "):\n";
  for (const auto& e : isa.engines) {
    o << "  " << e.name;
    if (!e.kind.empty())
      o << "  " << e.kind;
    if (e.lanes > 1)
      o << "  " << e.lanes << " lanes";
    if (e.clock_ghz)
      o << "  " << num(*e.clock_ghz) << " GHz";
    if (e.count > 1)
      o << "  x" << e.count << " instances";
    if (e.queues > 1)
      o << "  " << e.queues << " queues";
    o << "  costs in " << cost_unit_name(e.cost_unit);
    for (const auto& [k, v] : e.attributes)
      o << "  " << k << "=" << num(v);
    o << "\n";
    if (!e.description.empty())
      o << "      " << e.description << "\n";
  }

  if (!isa.contention.empty()) {
    o << "\ncontention:\n";
    for (const auto& c : isa.contention) {
      o << "  " << c.memory << ": one of " << join(c.engines, ", ") << " at a time";
      if (!c.description.empty())
        o << " (" << c.description << ")";
      o << "\n";
    }
  }
  if (!isa.constants.empty()) {
    o << "\nconstants:\n";
    for (const auto& [k, v] : isa.constants)
      o << "  " << k << " = " << num(v) << "\n";
  }

  o << "\ninstructions (" << isa.instructions.size() << "):\n";
  for (const auto& in : isa.instructions) {
    o << "  " << in.name << " [" << join(in.engines, ", ") << "]"
      << (in.library ? " (library routine)" : "");
    if (in.accuracy_ulp)
      o << " accuracy " << num(*in.accuracy_ulp) << " ulp";
    o << "\n";
    if (!in.description.empty())
      o << "      " << in.description << "\n";
    for (const auto& op : in.operands) {
      o << "      " << operand_role_name(op.role) << " " << op.name << ": "
        << join(op.memories, "|") << " " << dtypes_text(op.dtypes) << shape_text(op.shape);
      if (!op.accumulate_flag.empty())
        o << ", accumulates when " << op.accumulate_flag;
      if (!op.when.empty())
        o << ", only when " << op.when;
      o << "\n";
    }
    for (const auto& p : in.params) {
      o << "      param " << p.name << ": " << param_kind_name(p.kind);
      if (p.kind == ParamKind::Enum) {
        std::vector<std::string> vals;
        for (const auto& v : p.values)
          vals.push_back(v.name);
        o << " {" << join(vals, ", ") << "}";
      } else if (p.kind == ParamKind::Immediate) {
        o << " " << p.immediate_type;
      } else if (p.kind == ParamKind::Vector) {
        o << " [" << p.dim << "] in " << join(p.memories, "|")
          << (p.allows_immediate ? " or an immediate" : "");
      }
      o << "\n";
    }
    for (const auto& s : in.semantics)
      o << "      semantics: " << s.text << (s.when.empty() ? "" : "   (when " + s.when + ")")
        << "\n";
    o << "      cost: " << in.cost.text() << "\n";
    for (const auto& c : in.constraints)
      o << "      requires: " << c.text() << "\n";
    for (const auto& [b, t] : in.emit)
      o << "      emit " << b << ": " << t << "\n";
  }
  return o.str();
}

} // namespace axon
