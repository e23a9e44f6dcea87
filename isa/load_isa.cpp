// Reads a target JSON file into an Isa and validates every field (schema in docs/isa.md).
// Every problem is a UserError "PATH: /json/pointer: what is wrong; what is expected", so a user
// editing a target sees exactly which field to fix. Validation order follows references:
// engines, then memory levels (which name engines), contention, constants, instructions (which
// name both), and last the semantics of each instruction, parsed by the .tp front end.
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstring>
#include <fstream>
#include <limits>
#include <set>
#include <sstream>

#include <nlohmann/json.hpp>

#include "ir/error.h"
#include "ir/json_nesting.h"
#include "ir/json_reader.h"
#include "ir/limits.h"
#include "isa/isa.h"
#include "isa/isa_internal.h"

namespace axon {

using json = nlohmann::ordered_json;

namespace {

constexpr int64_t kMaxPartitions = 1 << 20;

// Ranges of the numbers a target may give (docs/reliability.md, "Value ranges of ISA target
// numbers"): far beyond any real machine, narrow enough that costs, clocks and sizes computed
// from them stay finite and positive.
constexpr int64_t kMaxLanes = 4096;        // engine lanes, count, queues
constexpr double kMinClockGhz = 1e-3;      // 1 MHz
constexpr double kMaxClockGhz = 1e3;       // 1 THz
constexpr double kMinBandwidthGbps = 1e-3; // any bandwidth
constexpr double kMaxBandwidthGbps = 1e6;
constexpr double kMaxTimeNs = 1e9; // a latency or fixed cost: one second
constexpr double kMaxCycles = 1e9;
constexpr int64_t kMaxCapacityBytes = int64_t(1) << 50;
constexpr int64_t kMaxRegisters = 4096; // registers of a register file, and their bytes
constexpr double kMaxConstant = 1e15;   // |constants|
constexpr double kMaxUlp = 1e6;         // accuracy_ulp
constexpr int kMaxJsonNesting = 256;    // of [ and { in a target file

// Range of each numeric engine attribute.
struct AttrRange {
  const char* name;
  double lo, hi;
};
constexpr AttrRange kEngineRanges[] = {
    {"fixed_cost_ns", 0, kMaxTimeNs},
    {"thread_start_ns", 0, kMaxTimeNs},
    {"queue_bandwidth_gbps", kMinBandwidthGbps, kMaxBandwidthGbps},
    {"aggregate_bandwidth_gbps", kMinBandwidthGbps, kMaxBandwidthGbps},
    {"min_ii_cycles", 0, kMaxCycles},
    {"access_overhead_cycles", 0, kMaxCycles},
    {"dependency_penalty_cycles", 0, kMaxCycles},
    {"array_rows", 1, 65536},
    {"array_cols", 1, 65536},
    {"fma_units", 1, 64},
    {"load_ports", 1, 64},
    {"store_ports", 1, 64},
};

std::string num_text(double v) {
  std::ostringstream s;
  s << v;
  return s.str();
}

// A formula quoted in a message: long ones are cut (a fuzzed formula may have 200,000 terms).
std::string quote_formula(const std::string& text) {
  return "\"" + (text.size() > 80
                     ? text.substr(0, 60) + "...\" (" + std::to_string(text.size()) + " characters)"
                     : text + "\"");
}

// a * b == want, without signed overflow (JSON integers reach 2^63).
bool product_is(int64_t a, int64_t b, int64_t want) {
  int64_t r = 0;
  return !__builtin_mul_overflow(a, b, &r) && r == want;
}

std::string join(const std::vector<std::string>& v, const std::string& sep = ", ") {
  std::string out;
  for (const auto& s : v)
    out += (out.empty() ? "" : sep) + s;
  return out;
}

std::string type_of(const json& j) { return json_type_text(j); }

// The file being read: prefixes every message with its path.
struct Ctx {
  explicit Ctx(std::string p)
      : path(std::move(p)), report([path = path](const std::string& ptr, const std::string& msg) {
          user_error(path + ": " + (ptr.empty() ? std::string("(document root)") : ptr) + ": " +
                     msg);
        }) {}
  Ctx(const Ctx&) = delete;
  Ctx& operator=(const Ctx&) = delete;
  std::string path;
  JsonFail report; // JsonAt's sink: "PATH: /pointer: message" as a UserError
  [[noreturn]] void fail(const std::string& ptr, const std::string& msg) const {
    report(ptr, msg);
    internal_error("the ISA loader's error sink returned");
  }
};

// One JSON object being read: rejects unknown fields up front (naming the allowed ones), then
// hands out typed fields with their pointers.
class Obj {
public:
  Obj(const Ctx& ctx, const json& j, std::string ptr, const std::string& what,
      std::vector<std::string> allowed)
      : ctx_(ctx), j_(j), here_(j, std::move(ptr), ctx.report) {
    if (!j.is_object())
      here_.fail("expected " + what + " (a JSON object), got " + type_of(j));
    if (auto key = here_.unknown_member(allowed))
      here_.fail_at(at(*key), "unknown field '" + *key + "' in " + what +
                                  "; expected one of: " + join(allowed));
  }
  std::string at(const std::string& key) const { return here_.at(key); }
  const std::string& ptr() const { return here_.pointer(); }
  bool has(const std::string& key) const { return j_.contains(key); }
  const json& req(const std::string& key, const std::string& expected) const {
    if (!j_.contains(key))
      here_.fail("missing required field '" + key + "' (" + expected + ")");
    return j_.at(key);
  }
  const json* opt(const std::string& key) const { return j_.contains(key) ? &j_.at(key) : nullptr; }

  std::string str(const std::string& key) const { return as_str(req(key, "a string"), at(key)); }
  std::string opt_str(const std::string& key, const std::string& dflt = "") const {
    return has(key) ? as_str(j_.at(key), at(key)) : dflt;
  }
  std::string ident(const std::string& key) const {
    std::string s = str(key);
    check_ident(s, at(key));
    return s;
  }
  int64_t integer(const std::string& key, int64_t min_value) const {
    return as_int(req(key, "an integer"), at(key), min_value);
  }
  std::optional<int64_t> opt_integer(const std::string& key, int64_t min_value) const {
    if (!has(key))
      return std::nullopt;
    return as_int(j_.at(key), at(key), min_value);
  }
  double number(const std::string& key, bool positive) const {
    return as_num(req(key, "a number"), at(key), positive);
  }
  std::optional<double> opt_number(const std::string& key, bool positive) const {
    if (!has(key))
      return std::nullopt;
    return as_num(j_.at(key), at(key), positive);
  }
  bool boolean(const std::string& key, bool dflt) const {
    if (!has(key))
      return dflt;
    const json& v = j_.at(key);
    if (!v.is_boolean())
      ctx_.fail(at(key), "expected true or false, got " + type_of(v));
    return v.get<bool>();
  }
  // A string that must be one of the names of `table`, as its enum value (`dflt` when absent).
  template <class E, size_t N>
  E enum_choice(const std::string& key, const EnumName<E> (&table)[N],
                std::optional<E> dflt = std::nullopt) const {
    if (!has(key) && dflt)
      return *dflt;
    return *enum_value(table, choice(key, enum_names(table), ""));
  }
  // A string that must be one of `choices`.
  std::string choice(const std::string& key, const std::vector<std::string>& choices,
                     const std::string& dflt) const {
    if (!has(key) && !dflt.empty())
      return dflt;
    std::string s = str(key);
    if (std::find(choices.begin(), choices.end(), s) == choices.end())
      ctx_.fail(at(key), "unknown value \"" + s + "\"; expected one of: " + join(choices));
    return s;
  }
  const json& array(const std::string& key, bool required) const {
    static const json empty = json::array();
    if (!required && !has(key))
      return empty;
    const json& v = req(key, "an array");
    if (!v.is_array())
      ctx_.fail(at(key), "expected an array, got " + type_of(v));
    return v;
  }
  std::vector<std::string> str_list(const std::string& key, bool required, bool nonempty) const {
    const json& a = array(key, required);
    if (nonempty && a.empty())
      ctx_.fail(at(key), "expected a non-empty array of strings");
    std::vector<std::string> out;
    for (size_t i = 0; i < a.size(); ++i) {
      std::string p = at(key) + "/" + std::to_string(i);
      std::string s = as_str(a[i], p);
      if (std::find(out.begin(), out.end(), s) != out.end())
        ctx_.fail(p, "\"" + s + "\" is listed twice");
      out.push_back(s);
    }
    return out;
  }

  std::string as_str(const json& v, const std::string& p) const {
    if (!v.is_string())
      ctx_.fail(p, "expected a string, got " + type_of(v));
    return v.get<std::string>();
  }
  int64_t as_int(const json& v, const std::string& p, int64_t min_value) const {
    std::string want = min_value > 0 ? "a positive integer" : "a non-negative integer";
    if (min_value < 0)
      want = "an integer";
    int64_t r = 0;
    if (v.is_number_unsigned()) {
      if (v.get<uint64_t>() > static_cast<uint64_t>(std::numeric_limits<int64_t>::max()))
        ctx_.fail(p, "expected " + want + " below 2^63, got " + v.dump());
      r = static_cast<int64_t>(v.get<uint64_t>());
    } else if (v.is_number_integer()) {
      r = v.get<int64_t>();
    } else {
      ctx_.fail(p, "expected " + want + ", got " + type_of(v));
    }
    if (r < min_value)
      ctx_.fail(p, "expected " + want + ", got " + std::to_string(r));
    return r;
  }
  double as_num(const json& v, const std::string& p, bool positive) const {
    if (!v.is_number())
      ctx_.fail(p, std::string("expected ") + (positive ? "a positive " : "a ") + "number, got " +
                       type_of(v));
    double d = v.get<double>();
    if (!std::isfinite(d) || (positive && d <= 0))
      ctx_.fail(p, std::string("expected a ") + (positive ? "positive " : "") +
                       "finite number, got " + v.dump());
    if (std::fpclassify(d) == FP_SUBNORMAL)
      ctx_.fail(p, "expected a normal number, got the subnormal " + v.dump());
    return d;
  }
  // A number in [lo, hi].
  double in_range(const json& v, const std::string& p, double lo, double hi) const {
    double d = as_num(v, p, false);
    if (d < lo || d > hi)
      ctx_.fail(p, "expected a number from " + num_text(lo) + " to " + num_text(hi) + ", got " +
                       v.dump());
    return d;
  }
  std::optional<double> opt_in_range(const std::string& key, double lo, double hi) const {
    if (!has(key))
      return std::nullopt;
    return in_range(j_.at(key), at(key), lo, hi);
  }
  // An integer in [lo, hi].
  int64_t int_in_range(const json& v, const std::string& p, int64_t lo, int64_t hi) const {
    if (!v.is_number_integer())
      ctx_.fail(p, "expected an integer from " + std::to_string(lo) + " to " + std::to_string(hi) +
                       ", got " + type_of(v));
    int64_t r = as_int(v, p, std::numeric_limits<int64_t>::min());
    if (r < lo || r > hi)
      ctx_.fail(p, "expected an integer from " + std::to_string(lo) + " to " + std::to_string(hi) +
                       ", got " + std::to_string(r));
    return r;
  }
  std::optional<int64_t> opt_int_in_range(const std::string& key, int64_t lo, int64_t hi) const {
    if (!has(key))
      return std::nullopt;
    return int_in_range(j_.at(key), at(key), lo, hi);
  }
  int64_t req_int_in_range(const std::string& key, int64_t lo, int64_t hi) const {
    return int_in_range(req(key, "an integer"), at(key), lo, hi);
  }
  void check_ident(const std::string& s, const std::string& p) const {
    if (!is_identifier(s))
      ctx_.fail(p, "\"" + s +
                       "\" is not a valid name; expected letters, digits and '_', "
                       "not starting with a digit");
  }

private:
  const Ctx& ctx_;
  const json& j_;
  JsonAt<json> here_;
};

// Names already used in one scope, to report duplicates with both places.
class NameSet {
public:
  NameSet(const Ctx& ctx, std::string what) : ctx_(ctx), what_(std::move(what)) {}
  void add(const std::string& name, const std::string& ptr) {
    auto [it, fresh] = seen_.emplace(name, ptr);
    if (!fresh)
      ctx_.fail(ptr, what_ + " '" + name + "' is already defined at " + it->second);
  }

private:
  const Ctx& ctx_;
  std::string what_;
  std::map<std::string, std::string> seen_;
};

std::vector<DType> read_dtypes(const Ctx& ctx, const Obj& o, const std::string& key,
                               bool required) {
  std::vector<DType> out;
  const json& a = o.array(key, required);
  if (required && a.empty())
    ctx.fail(o.at(key), "expected a non-empty array of dtypes");
  for (size_t i = 0; i < a.size(); ++i) {
    std::string p = o.at(key) + "/" + std::to_string(i);
    std::string s = o.as_str(a[i], p);
    std::optional<DType> t = parse_dtype(s);
    if (!t)
      ctx.fail(p, "unknown dtype \"" + s + "\"; expected one of: f32, bf16, f16, bool");
    if (std::find(out.begin(), out.end(), *t) != out.end())
      ctx.fail(p, "dtype \"" + s + "\" is listed twice");
    out.push_back(*t);
  }
  return out;
}

// ---- engines ---------------------------------------------------------------------------------

// Numeric engine fields beyond the structural ones; each becomes a cost variable.
const std::vector<std::string> kEngineAttributes = {"fixed_cost_ns",
                                                    "thread_start_ns",
                                                    "queue_bandwidth_gbps",
                                                    "aggregate_bandwidth_gbps",
                                                    "min_ii_cycles",
                                                    "access_overhead_cycles",
                                                    "dependency_penalty_cycles",
                                                    "array_rows",
                                                    "array_cols",
                                                    "fma_units",
                                                    "load_ports",
                                                    "store_ports"};

Engine read_engine(const Ctx& ctx, const json& j, const std::string& ptr) {
  std::vector<std::string> allowed = {"name",      "kind",  "description", "lanes",
                                      "clock_ghz", "count", "queues",      "cost_unit"};
  allowed.insert(allowed.end(), kEngineAttributes.begin(), kEngineAttributes.end());
  Obj o(ctx, j, ptr, "an engine", allowed);
  Engine e;
  e.name = o.ident("name");
  e.kind = o.opt_str("kind");
  e.description = o.opt_str("description");
  e.lanes = o.opt_int_in_range("lanes", 1, kMaxLanes).value_or(1);
  e.clock_ghz = o.opt_in_range("clock_ghz", kMinClockGhz, kMaxClockGhz);
  e.count = o.opt_int_in_range("count", 1, kMaxLanes).value_or(1);
  e.queues = o.opt_int_in_range("queues", 1, kMaxLanes).value_or(1);
  e.cost_unit = o.enum_choice("cost_unit", kCostUnitNames, std::optional(CostUnit::Cycles));
  if (e.cost_unit == CostUnit::Cycles && !e.clock_ghz)
    ctx.fail(ptr, "engine '" + e.name +
                      "' counts costs in cycles but has no 'clock_ghz'; "
                      "give its clock, or set \"cost_unit\": \"ns\"");
  for (const AttrRange& r : kEngineRanges)
    if (auto v = o.opt_in_range(r.name, r.lo, r.hi))
      e.attributes[r.name] = *v;
  return e;
}

// ---- memory levels ---------------------------------------------------------------------------

std::vector<std::string> read_engine_refs(const Ctx& ctx, const Obj& o, const std::string& key,
                                          const std::vector<Engine>& engines, bool required) {
  std::vector<std::string> names = o.str_list(key, required, required);
  for (size_t i = 0; i < names.size(); ++i) {
    bool found = std::any_of(engines.begin(), engines.end(),
                             [&](const Engine& e) { return e.name == names[i]; });
    if (!found) {
      std::vector<std::string> known;
      for (const auto& e : engines)
        known.push_back(e.name);
      ctx.fail(o.at(key) + "/" + std::to_string(i),
               "unknown engine '" + names[i] + "'; expected one of: " + join(known));
    }
  }
  return names;
}

MemoryLevel read_memory(const Ctx& ctx, const json& j, const std::string& ptr,
                        const std::vector<Engine>& engines) {
  Obj o(ctx, j, ptr, "a memory level",
        {"name", "kind", "description", "capacity_bytes", "shared", "partitions", "banks",
         "bank_bytes", "registers", "register_bytes", "max_free_elems", "bandwidth_gbps",
         "write_bandwidth_gbps", "aggregate_bandwidth_gbps", "latency_ns", "read", "write",
         "accumulate", "partition_rules"});
  MemoryLevel m;
  m.name = o.ident("name");
  m.kind = o.enum_choice("kind", kMemoryKindNames);
  m.description = o.opt_str("description");
  m.capacity_bytes = o.req_int_in_range("capacity_bytes", 1, kMaxCapacityBytes);
  m.shared = o.boolean("shared", false);
  m.partitions = o.opt_integer("partitions", 1).value_or(1);
  // Bounded so partition-rule coverage can be checked height by height.
  if (m.partitions > kMaxPartitions)
    ctx.fail(o.at("partitions"), "expected at most " + std::to_string(kMaxPartitions) +
                                     " partitions, got " + std::to_string(m.partitions));
  if (m.capacity_bytes % m.partitions != 0)
    ctx.fail(o.at("partitions"), "capacity_bytes " + std::to_string(m.capacity_bytes) +
                                     " is not a multiple of " + std::to_string(m.partitions) +
                                     " partitions");
  m.partition_bytes = m.capacity_bytes / m.partitions;
  if (o.has("banks") != o.has("bank_bytes"))
    ctx.fail(ptr, "give both 'banks' and 'bank_bytes' (a banked memory), or neither");
  if (o.has("banks")) {
    m.banks = o.integer("banks", 1);
    m.bank_bytes = o.integer("bank_bytes", 1);
    if (!product_is(m.banks, m.bank_bytes, m.partition_bytes))
      ctx.fail(o.at("banks"),
               std::to_string(m.banks) + " banks x " + std::to_string(m.bank_bytes) +
                   " bytes do not fill a partition of " + std::to_string(m.partition_bytes) +
                   " bytes; expected banks * bank_bytes == capacity_bytes / partitions");
  }
  if (o.has("registers") != o.has("register_bytes"))
    ctx.fail(ptr, "give both 'registers' and 'register_bytes' (a register file), or neither");
  if (o.has("registers")) {
    m.registers = o.req_int_in_range("registers", 1, kMaxRegisters);
    m.register_bytes = o.req_int_in_range("register_bytes", 1, kMaxRegisters);
    if (!product_is(m.registers, m.register_bytes, m.capacity_bytes))
      ctx.fail(o.at("registers"),
               std::to_string(m.registers) + " registers x " + std::to_string(m.register_bytes) +
                   " bytes != capacity_bytes " + std::to_string(m.capacity_bytes));
  }
  m.max_free_elems = o.opt_int_in_range("max_free_elems", 1, limits::kMaxExtent);
  m.bandwidth_gbps = o.opt_in_range("bandwidth_gbps", kMinBandwidthGbps, kMaxBandwidthGbps);
  m.write_bandwidth_gbps =
      o.opt_in_range("write_bandwidth_gbps", kMinBandwidthGbps, kMaxBandwidthGbps);
  m.aggregate_bandwidth_gbps =
      o.opt_in_range("aggregate_bandwidth_gbps", kMinBandwidthGbps, kMaxBandwidthGbps);
  m.latency_ns = o.opt_in_range("latency_ns", 1e-3, kMaxTimeNs);
  m.readers = read_engine_refs(ctx, o, "read", engines, false);
  m.writers = read_engine_refs(ctx, o, "write", engines, false);
  m.accumulators = read_engine_refs(ctx, o, "accumulate", engines, false);
  for (size_t i = 0; i < m.accumulators.size(); ++i)
    if (std::find(m.writers.begin(), m.writers.end(), m.accumulators[i]) == m.writers.end())
      ctx.fail(o.at("accumulate") + "/" + std::to_string(i),
               "engine '" + m.accumulators[i] + "' accumulates into " + m.name +
                   " but may not write it; add it to 'write'");

  const json& rules = o.array("partition_rules", false);
  std::vector<bool> covered(static_cast<size_t>(m.partitions) + 1, false);
  for (size_t i = 0; i < rules.size(); ++i) {
    std::string rp = o.at("partition_rules") + "/" + std::to_string(i);
    Obj r(ctx, rules[i], rp, "a partition rule", {"min_partitions", "max_partitions", "starts"});
    PartitionRule pr;
    pr.min_partitions = r.integer("min_partitions", 1);
    pr.max_partitions = r.integer("max_partitions", 1);
    if (pr.min_partitions > pr.max_partitions || pr.max_partitions > m.partitions)
      ctx.fail(rp, "expected 1 <= min_partitions <= max_partitions <= " +
                       std::to_string(m.partitions) + " (the memory's partitions)");
    const json& starts = r.array("starts", true);
    if (starts.empty())
      ctx.fail(r.at("starts"), "expected a non-empty array of start partitions");
    for (size_t s = 0; s < starts.size(); ++s) {
      std::string sp = r.at("starts") + "/" + std::to_string(s);
      int64_t st = r.as_int(starts[s], sp, 0);
      if (st > m.partitions - pr.max_partitions)
        ctx.fail(sp, "a tile of " + std::to_string(pr.max_partitions) + " partitions starting at " +
                         std::to_string(st) + " runs past the memory's " +
                         std::to_string(m.partitions) + " partitions");
      pr.starts.push_back(st);
    }
    for (int64_t h = pr.min_partitions; h <= pr.max_partitions; ++h) {
      if (covered[static_cast<size_t>(h)])
        ctx.fail(rp, "tile height " + std::to_string(h) + " is covered by two partition rules");
      covered[static_cast<size_t>(h)] = true;
    }
    m.partition_rules.push_back(pr);
  }
  if (!m.partition_rules.empty())
    for (int64_t h = 1; h <= m.partitions; ++h)
      if (!covered[static_cast<size_t>(h)])
        ctx.fail(o.at("partition_rules"), "no rule for tiles of " + std::to_string(h) +
                                              " partitions; the rules must cover 1.." +
                                              std::to_string(m.partitions));
  return m;
}

// ---- instructions ----------------------------------------------------------------------------

ParamSpec read_param(const Ctx& ctx, const json& j, const std::string& ptr, const Isa& isa) {
  Obj head(ctx, j, ptr, "a parameter",
           {"name", "kind", "description", "arity", "values", "type", "default", "dim", "memory",
            "dtypes", "immediate"});
  ParamSpec p;
  p.name = head.ident("name");
  std::string kind = head.choice("kind", enum_names(kParamKindNames), "");
  p.description = head.opt_str("description");
  auto only = [&](const std::vector<std::string>& allowed_here) {
    // Fields of other kinds are rejected so a typo'd kind does not silently drop them.
    for (const char* f :
         {"arity", "values", "type", "default", "dim", "memory", "dtypes", "immediate"})
      if (head.has(f) &&
          std::find(allowed_here.begin(), allowed_here.end(), f) == allowed_here.end())
        ctx.fail(head.at(f), std::string("field '") + f +
                                 "' does not apply to a parameter of kind '" + kind +
                                 "'; expected only: " + join(allowed_here));
  };
  if (kind == "enum") {
    only({"arity", "values"});
    p.kind = ParamKind::Enum;
    int64_t arity = head.opt_integer("arity", 0).value_or(1);
    if (arity > 8)
      ctx.fail(head.at("arity"), "expected an arity from 0 to 8, got " + std::to_string(arity));
    p.arity = static_cast<int>(arity);
    const json& vals = head.req("values", "an object mapping value names to expressions");
    if (!vals.is_object() || vals.empty())
      ctx.fail(head.at("values"), "expected a non-empty object mapping each value name to an "
                                  "index-notation template with $0.." +
                                      std::to_string(p.arity - 1) + ", got " + type_of(vals));
    for (auto it = vals.begin(); it != vals.end(); ++it) {
      std::string vp = head.at("values") + "/" + json_pointer_token(it.key());
      ParamValue v;
      v.name = it.key();
      head.check_ident(v.name, vp);
      if (it.value().is_string()) {
        v.expr = it.value().get<std::string>();
      } else {
        Obj vo(ctx, it.value(), vp, "an enum value", {"expr", "emit", "accuracy_ulp"});
        v.expr = vo.str("expr");
        v.accuracy_ulp = vo.opt_in_range("accuracy_ulp", 0, kMaxUlp);
        if (vo.has("emit")) {
          Obj eo(ctx, *vo.opt("emit"), vo.at("emit"), "per-backend spellings", isa.backends);
          for (const auto& b : isa.backends)
            if (eo.has(b))
              v.emit[b] = eo.str(b);
        }
      }
      if (std::string err = check_template_args(v.expr, p.arity); !err.empty())
        ctx.fail(vp, err);
      p.values.push_back(std::move(v));
    }
  } else if (kind == "flag") {
    only({});
    p.kind = ParamKind::Flag;
    p.arity = 2;
    p.values = {ParamValue{"false", "$1", {}, std::nullopt},
                ParamValue{"true", "$0", {}, std::nullopt}};
  } else if (kind == "immediate") {
    only({"type", "default"});
    p.kind = ParamKind::Immediate;
    p.immediate_type = head.choice("type", {"f32", "int"}, "f32");
    if (p.immediate_type == "int") {
      const json& d = head.req("default", "the integer used when validating the semantics");
      p.values = {ParamValue{std::to_string(head.int_in_range(
                                 d, head.at("default"), -limits::kMaxExtent, limits::kMaxExtent)),
                             "",
                             {},
                             std::nullopt}};
    } else if (head.has("default")) {
      ctx.fail(head.at("default"), "a real immediate is symbolic in the semantics and takes no "
                                   "'default'; only \"type\": \"int\" immediates have one");
    }
  } else {
    only({"dim", "memory", "dtypes", "immediate"});
    p.kind = ParamKind::Vector;
    p.dim = head.ident("dim");
    p.memories = head.str_list("memory", true, true);
    for (size_t i = 0; i < p.memories.size(); ++i)
      if (!isa.find_memory(p.memories[i]))
        ctx.fail(head.at("memory") + "/" + std::to_string(i),
                 "unknown memory level '" + p.memories[i] + "'");
    p.dtypes = read_dtypes(ctx, head, "dtypes", false);
    if (p.dtypes.empty())
      p.dtypes = {DType::F32};
    p.allows_immediate = head.boolean("immediate", false);
  }
  return p;
}

OperandSpec read_operand(const Ctx& ctx, const json& j, const std::string& ptr, const Isa& isa) {
  Obj o(ctx, j, ptr, "an operand",
        {"name", "role", "description", "memory", "dtypes", "shape", "accumulate", "when",
         "contiguous"});
  OperandSpec op;
  op.name = o.ident("name");
  op.role = o.enum_choice("role", kOperandRoleNames);
  op.description = o.opt_str("description");
  op.memories = o.str_list("memory", true, true);
  for (size_t i = 0; i < op.memories.size(); ++i)
    if (!isa.find_memory(op.memories[i])) {
      std::vector<std::string> known;
      for (const auto& m : isa.memories)
        known.push_back(m.name);
      ctx.fail(o.at("memory") + "/" + std::to_string(i),
               "unknown memory level '" + op.memories[i] + "'; expected one of: " + join(known));
    }
  op.dtypes = read_dtypes(ctx, o, "dtypes", true);
  bool has_bool = std::find(op.dtypes.begin(), op.dtypes.end(), DType::Bool) != op.dtypes.end();
  if (has_bool && op.dtypes.size() > 1)
    ctx.fail(o.at("dtypes"),
             "a mask operand is [\"bool\"] alone; bool cannot mix with f32, bf16, f16");
  const json& shape = o.array("shape", true);
  for (size_t i = 0; i < shape.size(); ++i) {
    std::string sp = o.at("shape") + "/" + std::to_string(i);
    DimSpec d;
    if (shape[i].is_string()) {
      d.name = shape[i].get<std::string>();
      o.check_ident(d.name, sp);
    } else {
      Obj dobj(ctx, shape[i], sp, "a dimension (a name, or {\"dim\", \"min\", \"max\"})",
               {"dim", "min", "max"});
      d.name = dobj.ident("dim");
      d.min = dobj.opt_int_in_range("min", 1, limits::kMaxExtent);
      d.max = dobj.opt_int_in_range("max", 1, limits::kMaxExtent);
      if (d.min && d.max && *d.min > *d.max)
        ctx.fail(sp, "min " + std::to_string(*d.min) + " > max " + std::to_string(*d.max));
    }
    for (const auto& prev : op.shape)
      if (prev.name == d.name)
        ctx.fail(sp, "dimension '" + d.name + "' appears twice in the shape of '" + op.name +
                         "'; give each axis its own name");
    op.shape.push_back(d);
  }
  op.accumulate_flag = o.opt_str("accumulate");
  op.when = o.opt_str("when");
  op.contiguous = o.boolean("contiguous", false);
  if (op.contiguous && op.shape.empty())
    ctx.fail(o.at("contiguous"),
             "a scalar operand (shape []) has no innermost axis to be contiguous");
  if (!op.accumulate_flag.empty() && op.role != OperandRole::Out)
    ctx.fail(o.at("accumulate"), "only an \"out\" operand can accumulate");
  return op;
}

// The valid variables, narrowed to the attributes of `var`'s object when it names one (the
// full list of a big instruction runs to a hundred names).
std::string expected_variables(const std::vector<std::string>& vars, const std::string& var) {
  size_t dot = var.find('.');
  if (dot != std::string::npos) {
    std::string prefix = var.substr(0, dot + 1);
    std::vector<std::string> same;
    for (const auto& v : vars)
      if (v.rfind(prefix, 0) == 0)
        same.push_back(v);
    if (!same.empty())
      return "expected one of: " + join(same);
  }
  std::vector<std::string> bare, objects;
  for (const auto& v : vars) {
    size_t d = v.find('.');
    if (d == std::string::npos) {
      bare.push_back(v);
    } else {
      std::string obj = v.substr(0, d);
      if (std::find(objects.begin(), objects.end(), obj) == objects.end())
        objects.push_back(obj);
    }
  }
  std::string out = "expected one of: " + join(bare);
  if (!objects.empty())
    out += "; or NAME.attribute for NAME in: " + join(objects) +
           " (attributes: elems, bytes, dtype_bytes, partitions, free, runs, in_MEMORY, "
           "is_DTYPE, is_immediate; enum values)";
  return out;
}

bool engine_allows(const MemoryLevel& m, const std::string& engine, OperandRole role,
                   bool accumulate) {
  auto in = [&](const std::vector<std::string>& v) {
    return std::find(v.begin(), v.end(), engine) != v.end();
  };
  if (role == OperandRole::In)
    return in(m.readers);
  return accumulate ? in(m.accumulators) : in(m.writers);
}

Instruction read_instruction(const Ctx& ctx, const json& j, const std::string& ptr,
                             const Isa& isa) {
  Obj o(ctx, j, ptr, "an instruction",
        {"name", "description", "library", "engines", "operands", "params", "semantics", "cost",
         "constraints", "emit", "accuracy_ulp"});
  Instruction in;
  in.name = o.ident("name");
  in.description = o.opt_str("description");
  in.library = o.boolean("library", false);
  in.engines = read_engine_refs(ctx, o, "engines", isa.engines, true);
  in.accuracy_ulp = o.opt_in_range("accuracy_ulp", 0, kMaxUlp);

  NameSet names(ctx, "name"); // operands, params and dims share the .tp namespace
  const json& ops = o.array("operands", true);
  if (ops.empty())
    ctx.fail(o.at("operands"), "expected at least one operand");
  for (size_t i = 0; i < ops.size(); ++i) {
    std::string p = o.at("operands") + "/" + std::to_string(i);
    in.operands.push_back(read_operand(ctx, ops[i], p, isa));
    names.add(in.operands.back().name, p + "/name");
  }
  const json& params = o.array("params", false);
  for (size_t i = 0; i < params.size(); ++i) {
    std::string p = o.at("params") + "/" + std::to_string(i);
    in.params.push_back(read_param(ctx, params[i], p, isa));
    names.add(in.params.back().name, p + "/name");
  }
  // Dims: one namespace with operands and params; bounds must agree in kind (min <= max).
  for (size_t i = 0; i < in.operands.size(); ++i)
    for (size_t d = 0; d < in.operands[i].shape.size(); ++d) {
      const std::string& dn = in.operands[i].shape[d].name;
      if (in.find_operand(dn) || in.find_param(dn))
        ctx.fail(o.at("operands") + "/" + std::to_string(i) + "/shape/" + std::to_string(d),
                 "dimension '" + dn + "' has the name of an operand or parameter; rename one");
    }
  for (const auto& d : in.dims()) {
    DimSpec b = in.dim_bounds(d);
    if (b.min && b.max && *b.min > *b.max)
      ctx.fail(o.at("operands"), "dimension '" + d + "' has min " + std::to_string(*b.min) +
                                     " above max " + std::to_string(*b.max) + " across operands");
  }

  // Operand placement: some engine of the instruction must be allowed the access.
  for (size_t i = 0; i < in.operands.size(); ++i) {
    const OperandSpec& op = in.operands[i];
    std::string p = o.at("operands") + "/" + std::to_string(i);
    auto flag_ok = [&](const std::string& f, const std::string& field) {
      const ParamSpec* ps = in.find_param(f);
      if (!ps || ps->kind != ParamKind::Flag)
        ctx.fail(p + "/" + field,
                 "'" + f + "' is not a flag parameter of instruction '" + in.name + "'");
    };
    if (!op.accumulate_flag.empty())
      flag_ok(op.accumulate_flag, "accumulate");
    if (!op.when.empty())
      flag_ok(op.when, "when");
    for (size_t mi = 0; mi < op.memories.size(); ++mi) {
      const MemoryLevel& m = *isa.find_memory(op.memories[mi]);
      for (bool acc : {false, true}) {
        if (acc && op.accumulate_flag.empty())
          continue;
        bool ok = std::any_of(in.engines.begin(), in.engines.end(), [&](const std::string& e) {
          return engine_allows(m, e, op.role, acc);
        });
        if (!ok)
          ctx.fail(p + "/memory/" + std::to_string(mi),
                   "no engine of '" + in.name + "' (" + join(in.engines) + ") may " +
                       (op.role == OperandRole::In ? "read"
                        : acc                      ? "accumulate into"
                                                   : "write") +
                       " " + m.name +
                       "; fix the memory's read/write/accumulate lists or the operand's memory");
      }
      if (m.partitions > 1 && op.shape.empty())
        ctx.fail(p + "/shape", "an operand in partitioned memory " + m.name +
                                   " needs a shape whose first dim is the partition dim");
    }
  }
  for (size_t i = 0; i < in.params.size(); ++i) {
    const ParamSpec& ps = in.params[i];
    if (ps.kind != ParamKind::Vector)
      continue;
    for (size_t mi = 0; mi < ps.memories.size(); ++mi) {
      const MemoryLevel& m = *isa.find_memory(ps.memories[mi]);
      if (!std::any_of(in.engines.begin(), in.engines.end(), [&](const std::string& e) {
            return engine_allows(m, e, OperandRole::In, false);
          }))
        ctx.fail(o.at("params") + "/" + std::to_string(i) + "/memory/" + std::to_string(mi),
                 "no engine of '" + in.name + "' may read " + m.name);
    }
  }

  // Semantics statements.
  const json& sem = o.array("semantics", true);
  if (sem.empty())
    ctx.fail(o.at("semantics"), "expected at least one statement");
  for (size_t i = 0; i < sem.size(); ++i) {
    std::string sp = o.at("semantics") + "/" + std::to_string(i);
    SemanticsStmt s;
    if (sem[i].is_string()) {
      s.text = sem[i].get<std::string>();
    } else {
      Obj so(ctx, sem[i], sp, "a semantics statement (a string, or {\"stmt\", \"when\"})",
             {"stmt", "when"});
      s.text = so.str("stmt");
      s.when = so.str("when");
      const ParamSpec* ps = in.find_param(s.when);
      if (!ps || ps->kind != ParamKind::Flag)
        ctx.fail(so.at("when"),
                 "'" + s.when + "' is not a flag parameter of instruction '" + in.name + "'");
    }
    in.semantics.push_back(s);
  }

  // Bare cost variables (dims, flags, int immediates) must not shadow target-wide ones.
  {
    std::set<std::string> global;
    for (const auto& [k, v] : isa.constants)
      global.insert(k);
    for (const auto& e : isa.engines) {
      for (const char* k : {"lanes", "count", "queues", "clock_ghz"})
        global.insert(k);
      for (const auto& [k, v] : e.attributes)
        global.insert(k);
    }
    std::vector<std::string> bare = in.dims();
    for (const auto& p : in.params)
      bare.push_back(p.name);
    for (const auto& n : bare)
      if (global.count(n))
        ctx.fail(ptr, "'" + n + "' in instruction '" + in.name +
                          "' has the name of a target constant or "
                          "engine attribute, which cost formulas could not tell apart; rename it");
  }

  // Cost and constraints: parsed now, variables checked against what a use can bind.
  std::vector<std::string> vars = cost_variables(isa, in);
  auto read_formula = [&](const json& v, const std::string& p) {
    std::string text = o.as_str(v, p);
    CostExpr e;
    try {
      e = CostExpr::parse(text);
    } catch (const UserError& err) {
      ctx.fail(p, "cost formula " + quote_formula(text) + " does not parse: " + err.what() +
                      "; expected numbers, variables, + - * /, comparisons, min, max, ceil, "
                      "floor, if");
    }
    for (const auto& var : e.variables())
      if (!std::binary_search(vars.begin(), vars.end(), var))
        ctx.fail(p, "unknown variable '" + var + "' in formula " + quote_formula(text) + "; " +
                        expected_variables(vars, var));
    return e;
  };
  in.cost = read_formula(o.req("cost", "a cost formula string"), o.at("cost"));
  const json& cons = o.array("constraints", false);
  for (size_t i = 0; i < cons.size(); ++i)
    in.constraints.push_back(read_formula(cons[i], o.at("constraints") + "/" + std::to_string(i)));

  // Emit templates: one per backend of the target, placeholders naming operands or params.
  Obj emit(ctx, o.req("emit", "an object with one template per backend"), o.at("emit"),
           "emit templates", isa.backends);
  for (const auto& b : isa.backends) {
    std::string text = emit.str(b);
    if (std::string err = check_emit_template(text, in); !err.empty())
      ctx.fail(emit.at(b), err);
    in.emit[b] = text;
  }
  return in;
}

// Parses every instantiation that exercises each enum value and flag once (others at their
// first value); a failure is reported at the statement, or at the enum value that broke it.
void check_semantics(const Ctx& ctx, const Instruction& in, const std::string& ptr) {
  auto run = [&](const ParamChoice& choice) -> std::optional<std::pair<size_t, std::string>> {
    try {
      validate_semantics(in, choice);
      return std::nullopt;
    } catch (const SemanticsError& e) {
      return std::make_pair(e.stmt, std::string(e.what()));
    } catch (const UserError& e) {
      return std::make_pair(SIZE_MAX, std::string(e.what()));
    }
  };
  auto where = [&](size_t stmt) {
    return stmt == SIZE_MAX ? ptr + "/semantics" : ptr + "/semantics/" + std::to_string(stmt);
  };
  if (auto bad = run({}))
    ctx.fail(where(bad->first), "semantics of '" + in.name + "' do not check: " + bad->second);
  for (size_t pi = 0; pi < in.params.size(); ++pi) {
    const ParamSpec& p = in.params[pi];
    if (p.kind != ParamKind::Enum && p.kind != ParamKind::Flag)
      continue;
    for (size_t vi = 1; vi < p.values.size(); ++vi) {
      if (auto bad = run({{p.name, p.values[vi].name}})) {
        std::string at = p.kind == ParamKind::Enum
                             ? ptr + "/params/" + std::to_string(pi) + "/values/" +
                                   json_pointer_token(p.values[vi].name)
                             : where(bad->first);
        ctx.fail(at, "semantics of '" + in.name + "' with " + p.name + " = " + p.values[vi].name +
                         " do not check: " + bad->second);
      }
    }
  }
  // Flags interact (an accumulating output that is also reduced): all of them set at once.
  ParamChoice all_flags;
  for (const auto& p : in.params)
    if (p.kind == ParamKind::Flag)
      all_flags[p.name] = "true";
  if (all_flags.size() > 1)
    if (auto bad = run(all_flags))
      ctx.fail(where(bad->first),
               "semantics of '" + in.name + "' with every flag set do not check: " + bad->second);
}

// Every cost the instruction can be asked for must be a finite number >= 0, or the search
// compares NaNs (and concludes that nothing computes a function) or prefers a negative cost. The
// loader cannot know the sizes a search will use, so it evaluates the cost of legal uses at the
// smallest, a small, a medium and the largest size of each dimension, on each engine;
// instruction_cost() checks every later use too.
void check_costs(const Ctx& ctx, const Isa& isa, const Instruction& in, const std::string& ptr) {
  std::vector<std::string> dims = in.dims();
  for (const auto& engine : in.engines) {
    for (int64_t want : {int64_t(1), int64_t(7), int64_t(128), int64_t(-1)}) {
      InstrUse use;
      use.engine = engine;
      std::string sizes;
      for (const auto& d : dims) {
        DimSpec b = in.dim_bounds(d);
        int64_t v = want < 0 ? b.max.value_or(4096) : want;
        v = std::max(v, b.min.value_or(1));
        if (b.max)
          v = std::min(v, *b.max);
        use.dims[d] = v;
        sizes += (sizes.empty() ? "" : ", ") + d + " = " + std::to_string(v);
      }
      double c = 0;
      try {
        if (!check_use(isa, in, use).empty())
          continue;
        c = unchecked_cost_ns(isa, in, use);
      } catch (const UserError&) {
        continue;
      }
      if (!std::isfinite(c) || c < 0)
        ctx.fail(ptr + "/cost", "cost formula " + quote_formula(in.cost.text()) + " gives " +
                                    num_text(c) + " ns on engine '" + engine + "'" +
                                    (sizes.empty() ? "" : " with " + sizes) +
                                    "; a cost must be a finite number >= 0 (check divisions, "
                                    "subtractions and negative constants)");
    }
  }
}

// Nesting of [ and { outside strings, checked before the document is parsed.
void check_json_nesting(const Ctx& ctx, const std::string& text) {
  int64_t at = json_nesting_overflow(text, kMaxJsonNesting);
  if (at >= 0)
    user_error(ctx.path +
               ": not a target this reader accepts: arrays and objects nested deeper than " +
               std::to_string(kMaxJsonNesting) + " levels (at byte " + std::to_string(at) + ")");
}

} // namespace

Isa load_isa_from_string(const std::string& text, const std::string& path) {
  Ctx ctx{path};
  if (static_cast<int64_t>(text.size()) > limits::kMaxInputFileBytes)
    user_error(path + ": larger than " + std::to_string(limits::kMaxInputFileBytes) +
               " bytes, the most a target file may have");
  check_json_nesting(ctx, text);
  json root;
  try {
    root = json::parse(text);
  } catch (const json::exception& e) {
    // parse_error for syntax, out_of_range for numbers beyond double (1e400).
    user_error(path + ": not valid JSON: " + e.what());
  }
  Obj o(ctx, root, "", "a target description",
        {"schema_version", "name", "description", "backends", "llvm", "constants", "engines",
         "memories", "contention", "instructions"});
  Isa isa;
  isa.path = path;
  isa.schema_version = static_cast<int>(std::min<int64_t>(o.integer("schema_version", 0), 1 << 30));
  if (isa.schema_version != kIsaSchemaVersion)
    ctx.fail("/schema_version", "unsupported schema_version " + std::to_string(isa.schema_version) +
                                    "; this axon-synth reads version " +
                                    std::to_string(kIsaSchemaVersion));
  isa.name = o.ident("name");
  isa.description = o.opt_str("description");
  isa.backends = o.str_list("backends", true, true);
  for (size_t i = 0; i < isa.backends.size(); ++i)
    o.check_ident(isa.backends[i], "/backends/" + std::to_string(i));
  bool has_llvm = std::find(isa.backends.begin(), isa.backends.end(), "llvm") != isa.backends.end();
  if (has_llvm && !o.has("llvm"))
    ctx.fail("", "missing required field 'llvm' (the llvm backend's cpu, features, vector_bytes "
                 "and host_features), needed because \"backends\" lists \"llvm\"");
  if (!has_llvm && o.has("llvm"))
    ctx.fail("/llvm", "settings for the llvm backend, but \"backends\" does not list \"llvm\"");
  if (has_llvm) {
    Obj l(
        ctx, root.at("llvm"), "/llvm", "the llvm backend's settings",
        {"cpu", "features", "vector_bytes", "host_features", "vector_math", "nontemporal_stores"});
    LlvmBackend b;
    b.cpu = l.str("cpu");
    auto word = [](const std::string& s, size_t from) {
      if (s.size() <= from || s.size() > 64)
        return false;
      for (size_t i = from; i < s.size(); ++i)
        if (!std::isalnum(static_cast<unsigned char>(s[i])) && s[i] != '-' && s[i] != '.' &&
            s[i] != '_')
          return false;
      return true;
    };
    if (!word(b.cpu, 0))
      ctx.fail(l.at("cpu"), "\"" + b.cpu + "\" is not an LLVM CPU name (e.g. \"haswell\")");
    b.features = l.str_list("features", true, false);
    for (size_t i = 0; i < b.features.size(); ++i)
      if ((b.features[i][0] != '+' && b.features[i][0] != '-') || !word(b.features[i], 1))
        ctx.fail(l.at("features") + "/" + std::to_string(i),
                 "\"" + b.features[i] +
                     "\" is not an LLVM feature flag; expected '+name' or '-name'");
    b.vector_bytes = l.integer("vector_bytes", 1);
    if (b.vector_bytes != 16 && b.vector_bytes != 32 && b.vector_bytes != 64)
      ctx.fail(l.at("vector_bytes"), "expected 16, 32 or 64 (bytes of one vector register), got " +
                                         std::to_string(b.vector_bytes));
    b.host_features = l.str_list("host_features", true, false);
    for (size_t i = 0; i < b.host_features.size(); ++i)
      if (!word(b.host_features[i], 0))
        ctx.fail(l.at("host_features") + "/" + std::to_string(i),
                 "\"" + b.host_features[i] + "\" is not a CPU feature name (e.g. \"avx2\")");
    if (l.has("vector_math")) {
      const json& vm = root.at("llvm").at("vector_math");
      std::string at = l.at("vector_math");
      if (!vm.is_object())
        ctx.fail(at, "expected an object: function (exp, log, tanh, erf) -> vector routine symbol");
      for (auto it = vm.begin(); it != vm.end(); ++it) {
        static const std::vector<std::string> known = {"exp", "log", "tanh", "erf"};
        if (std::find(known.begin(), known.end(), it.key()) == known.end())
          ctx.fail(at + "/" + it.key(),
                   "unknown function '" + it.key() + "'; expected one of exp, log, tanh, erf");
        if (!it.value().is_string() || !word(it.value().get<std::string>(), 0))
          ctx.fail(at + "/" + it.key(),
                   "expected the symbol of a vector routine (e.g. \"_ZGVdN8v_expf\") or "
                   "\"inline\" (the backend's own implementation)");
        else if (it.value().get<std::string>() != kInlineVectorMath &&
                 !known_vector_math_routine(it.key(), it.value().get<std::string>(),
                                            b.vector_bytes))
          ctx.fail(
              at + "/" + it.key(),
              "\"" + it.value().get<std::string>() + "\" is not a vector " + it.key() +
                  " routine for " + std::to_string(b.vector_bytes) +
                  "-byte vectors; expected \"inline\"" +
                  (vector_math_routines(it.key(), b.vector_bytes).empty()
                       ? std::string()
                       : " or " + join(vector_math_routines(it.key(), b.vector_bytes), " or ")) +
                  " (glibc libmvec)");
        else if (it.value().get<std::string>() == kInlineVectorMath &&
                 std::find(kInlineVectorMathFunctions.begin(), kInlineVectorMathFunctions.end(),
                           it.key()) == kInlineVectorMathFunctions.end())
          ctx.fail(at + "/" + it.key(),
                   "the backend has no inline implementation of " + it.key() +
                       "; \"inline\" is available for: " + join(kInlineVectorMathFunctions, ", "));
        b.vector_math[it.key()] = it.value().get<std::string>();
      }
    }
    if (l.has("nontemporal_stores")) {
      const json& nt = root.at("llvm").at("nontemporal_stores");
      if (!nt.is_boolean())
        ctx.fail(l.at("nontemporal_stores"), "expected true or false");
      else
        b.nontemporal_stores = nt.get<bool>();
    }
    isa.llvm = b;
  }

  const json& engines = o.array("engines", true);
  if (engines.empty())
    ctx.fail("/engines", "expected at least one engine");
  NameSet engine_names(ctx, "engine");
  for (size_t i = 0; i < engines.size(); ++i) {
    std::string p = "/engines/" + std::to_string(i);
    isa.engines.push_back(read_engine(ctx, engines[i], p));
    engine_names.add(isa.engines.back().name, p + "/name");
  }
  // The CPU backend's search tiles by the core's lanes and LLVM vectorizes by vector_bytes: they
  // must describe one vector register.
  if (isa.llvm)
    for (size_t i = 0; i < isa.engines.size(); ++i)
      if (isa.engines[i].kind == "core" && isa.engines[i].lanes * 4 != isa.llvm->vector_bytes)
        ctx.fail("/engines/" + std::to_string(i) + "/lanes",
                 "a core of an llvm target has vector_bytes / 4 = " +
                     std::to_string(isa.llvm->vector_bytes / 4) +
                     " f32 lanes (/llvm/vector_bytes), got " +
                     std::to_string(isa.engines[i].lanes));
  const json& mems = o.array("memories", true);
  if (mems.empty())
    ctx.fail("/memories", "expected at least one memory level");
  NameSet mem_names(ctx, "memory level");
  for (size_t i = 0; i < mems.size(); ++i) {
    std::string p = "/memories/" + std::to_string(i);
    isa.memories.push_back(read_memory(ctx, mems[i], p, isa.engines));
    mem_names.add(isa.memories.back().name, p + "/name");
  }
  const json& cont = o.array("contention", false);
  for (size_t i = 0; i < cont.size(); ++i) {
    std::string p = "/contention/" + std::to_string(i);
    Obj c(ctx, cont[i], p, "a contention rule", {"memory", "engines", "description"});
    ContentionRule r;
    r.memory = c.str("memory");
    const MemoryLevel* m = isa.find_memory(r.memory);
    if (!m)
      ctx.fail(c.at("memory"), "unknown memory level '" + r.memory + "'");
    r.engines = read_engine_refs(ctx, c, "engines", isa.engines, true);
    if (r.engines.size() < 2)
      ctx.fail(c.at("engines"), "expected at least two engines that contend");
    for (size_t e = 0; e < r.engines.size(); ++e)
      if (!isa.can_read(r.engines[e], r.memory) && !isa.can_write(r.engines[e], r.memory))
        ctx.fail(c.at("engines") + "/" + std::to_string(e), "engine '" + r.engines[e] +
                                                                "' cannot access " + r.memory +
                                                                ", so it cannot contend for it");
    r.description = c.opt_str("description");
    isa.contention.push_back(r);
  }
  if (const json* consts = o.opt("constants")) {
    if (!consts->is_object())
      ctx.fail("/constants", "expected an object of named numbers, got " + type_of(*consts));
    for (auto it = consts->begin(); it != consts->end(); ++it) {
      std::string p = "/constants/" + json_pointer_token(it.key());
      o.check_ident(it.key(), p);
      isa.constants[it.key()] = o.in_range(it.value(), p, -kMaxConstant, kMaxConstant);
    }
  }

  const json& instrs = o.array("instructions", true);
  if (instrs.empty())
    ctx.fail("/instructions", "expected at least one instruction");
  NameSet instr_names(ctx, "instruction");
  for (size_t i = 0; i < instrs.size(); ++i) {
    std::string p = "/instructions/" + std::to_string(i);
    isa.instructions.push_back(read_instruction(ctx, instrs[i], p, isa));
    instr_names.add(isa.instructions.back().name, p + "/name");
  }
  // Semantics last: they are the most expensive check and need the whole instruction.
  for (size_t i = 0; i < isa.instructions.size(); ++i)
    check_semantics(ctx, isa.instructions[i], "/instructions/" + std::to_string(i));
  for (size_t i = 0; i < isa.instructions.size(); ++i)
    check_costs(ctx, isa, isa.instructions[i], "/instructions/" + std::to_string(i));
  return isa;
}

Isa load_isa(const std::string& path) {
  // O_NONBLOCK: a FIFO must not block the open; only a regular file of bounded size is read.
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0)
    user_error(path + ": cannot open the target file (" + std::strerror(errno) +
               "); check the path (targets/ holds the shipped ones)");
  struct stat st;
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    ::close(fd);
    user_error(path + ": not a regular file; a target is a JSON file (targets/ holds the shipped "
                      "ones)");
  }
  std::string text;
  char buf[65536];
  for (;;) {
    ssize_t r = ::read(fd, buf, sizeof buf);
    if (r < 0 && errno == EINTR)
      continue;
    if (r < 0) {
      std::string why = std::strerror(errno);
      ::close(fd);
      user_error(path + ": cannot read the target file (" + why + ")");
    }
    if (r == 0)
      break;
    text.append(buf, static_cast<size_t>(r));
    if (static_cast<int64_t>(text.size()) > limits::kMaxInputFileBytes) {
      ::close(fd);
      user_error(path + ": larger than " + std::to_string(limits::kMaxInputFileBytes) +
                 " bytes, the most a target file may have");
    }
  }
  ::close(fd);
  return load_isa_from_string(text, path);
}

} // namespace axon
