// The cost audit: formula variables bound straight from the instruction's tiles (the
// documented variable set of docs/isa.md), then the trace's events compared with them.
#include "sim/audit.h"

#include <algorithm>
#include <cmath>
#include <cstdlib>
#include <sstream>

#include "ir/error.h"

namespace axon {

namespace {

struct Bound {
  int64_t partitions = 1, free = 1;
  std::string memory;
  DType dtype = DType::F32;
  bool immediate = false;
  int64_t runs = 1; // contiguous runs of the tile (the `X.runs` cost variable)
};

std::optional<double> variable(const NpuProgram& prog, const NpuInstr& x,
                               const std::map<std::string, Bound>& bound,
                               const std::map<std::string, int64_t>& dims, const std::string& v) {
  const Isa& isa = *prog.isa;
  const Instruction& in = *x.instr;
  const Engine& e = *x.engine;
  size_t dot = v.find('.');
  if (dot == std::string::npos) {
    if (auto c = isa.constants.find(v); c != isa.constants.end())
      return c->second;
    if (v == "lanes")
      return static_cast<double>(e.lanes);
    if (v == "count")
      return static_cast<double>(e.count);
    if (v == "queues")
      return static_cast<double>(e.queues);
    if (v == "clock_ghz" && e.clock_ghz)
      return *e.clock_ghz;
    if (auto a = e.attributes.find(v); a != e.attributes.end())
      return a->second;
    if (const ParamSpec* p = in.find_param(v)) {
      auto c = x.choice.find(v);
      std::string val = c != x.choice.end() ? c->second
                        : p->values.empty() ? std::string()
                                            : p->values.front().name;
      if (p->kind == ParamKind::Flag)
        return val == "true" ? 1.0 : 0.0;
      if (p->kind == ParamKind::Immediate && p->immediate_type == "int")
        return static_cast<double>(std::strtoll(val.c_str(), nullptr, 10));
      return std::nullopt;
    }
    if (auto d = dims.find(v); d != dims.end())
      return static_cast<double>(d->second);
    return std::nullopt;
  }
  std::string obj = v.substr(0, dot), attr = v.substr(dot + 1);
  if (const ParamSpec* p = in.find_param(obj); p && p->kind == ParamKind::Enum) {
    auto c = x.choice.find(obj);
    std::string val = c != x.choice.end() ? c->second : p->values.front().name;
    return val == attr ? 1.0 : 0.0;
  }
  auto b = bound.find(obj);
  if (b == bound.end())
    return std::nullopt;
  const Bound& t = b->second;
  if (attr == "is_immediate")
    return t.immediate ? 1.0 : 0.0;
  double elems = static_cast<double>(t.partitions) * static_cast<double>(t.free);
  if (attr == "elems")
    return elems;
  if (attr == "bytes")
    return elems * dtype_bytes(t.dtype);
  if (attr == "dtype_bytes")
    return dtype_bytes(t.dtype);
  if (attr == "partitions")
    return static_cast<double>(t.partitions);
  if (attr == "free")
    return static_cast<double>(t.free);
  if (attr == "runs")
    return static_cast<double>(t.runs);
  if (attr.rfind("in_", 0) == 0)
    return t.memory == attr.substr(3) ? 1.0 : 0.0;
  if (attr.rfind("is_", 0) == 0)
    return attr.substr(3) == dtype_name(t.dtype) ? 1.0 : 0.0;
  return std::nullopt;
}

bool close(double a, double b) {
  return std::fabs(a - b) <= 1e-9 * std::max(std::fabs(a), std::fabs(b)) + 1e-6;
}

} // namespace

double audit_formula_ns(const NpuProgram& prog, const NpuInstr& x) {
  const Instruction& in = *x.instr;
  std::map<std::string, Bound> bound;
  std::map<std::string, int64_t> dims;
  int64_t passes_over = 1;
  for (const auto& op : in.operands) {
    auto o = x.operands.find(op.name);
    if (o == x.operands.end())
      continue;
    const Tile& t = o->second;
    Bound b{t.np, t.free_size(), prog.memory_of(t), prog.dtype_of(t), false, tile_runs(t)};
    // A [P] operand counts one element per partition; a [P, F] one its free size.
    if (op.shape.size() == 1)
      b.free = 1;
    bound[op.name] = b;
    if (!op.shape.empty())
      dims.emplace(op.shape[0].name, t.np);
    if (op.shape.size() == 2)
      dims.emplace(op.shape[1].name, t.free_size());
    passes_over = std::max(passes_over, t.np);
  }
  for (const auto& prm : in.params) {
    if (prm.kind != ParamKind::Vector)
      continue;
    auto v = x.vectors.find(prm.name);
    if (v == x.vectors.end())
      continue;
    if (v->second.immediate) {
      bound[prm.name] = Bound{1, 1, "immediate", prm.dtypes.front(), true, 1};
      continue;
    }
    const Tile& t = v->second.tile;
    bound[prm.name] = Bound{t.np, 1, prog.memory_of(t), prog.dtype_of(t), false, t.np};
    dims.emplace(prm.dim, t.np);
  }
  double c = in.cost.eval([&](const std::string& v) { return variable(prog, x, bound, dims, v); });
  if (x.engine->cost_unit == CostUnit::Cycles)
    c /= *x.engine->clock_ghz;
  int64_t lanes = x.engine->lanes;
  if (x.engine->kind != "dma" && lanes >= 1 && passes_over > lanes)
    c *= static_cast<double>((passes_over + lanes - 1) / lanes);
  return c * onchip_stride_factor(prog, x);
}

AuditReport audit_timing(const NpuProgram& prog, const TimingResult& timing,
                         const nlohmann::json& trace) {
  AuditReport r;
  auto miss = [&](const NpuInstr& x, const std::string& what, double want, double got) {
    ++r.mismatch_count;
    if (r.mismatches.size() < 20)
      r.mismatches.push_back({x.index, x.where(), what, want, got});
  };
  std::vector<const nlohmann::json*> events(prog.instrs.size(), nullptr);
  for (const auto& ev : trace.at("traceEvents"))
    if (ev.value("ph", "") == "X") {
      size_t i = ev.at("args").at("index").get<size_t>();
      if (i < events.size())
        events[i] = &ev;
    }
  for (const auto& x : prog.instrs) {
    ++r.instructions;
    double want = audit_formula_ns(prog, x);
    double charged = instruction_time_ns(prog, x);
    if (!close(want, charged))
      miss(x, "the timing model charged a cost other than the formula's", want, charged);
    const nlohmann::json* ev = events[static_cast<size_t>(x.index)];
    if (!ev) {
      miss(x, "no event in the trace", want, 0);
      continue;
    }
    double dur = ev->at("dur").get<double>() * 1000.0; // the trace is in microseconds
    const TimedInstr& ti = timing.instrs[static_cast<size_t>(x.index)];
    if (x.engine->kind == "dma") {
      ++r.dmas;
      double latency = 0;
      if (auto f = x.engine->attributes.find("fixed_cost_ns"); f != x.engine->attributes.end())
        latency = std::min(want, f->second);
      if (dur < want - latency && !close(dur, want - latency))
        miss(x, "a DMA occupied its queue for less than its formula", want - latency, dur);
      if (ti.done_ns - ti.start_ns < want && !close(ti.done_ns - ti.start_ns, want))
        miss(x, "a DMA's data landed before its formula's time", want, ti.done_ns - ti.start_ns);
      r.max_dma_stretch_ns = std::max(r.max_dma_stretch_ns, dur - (want - latency));
      continue;
    }
    double penalty = 0;
    if (auto p = x.engine->attributes.find("dependency_penalty_cycles");
        p != x.engine->attributes.end())
      penalty = x.engine->cost_unit == CostUnit::Ns ? p->second : p->second / *x.engine->clock_ghz;
    if (!close(dur, want) && !(penalty > 0 && close(dur, want + penalty)))
      miss(x, "the traced duration is not the formula's (nor it plus the dependency penalty)", want,
           dur);
  }
  return r;
}

std::string format_audit_report(const AuditReport& r) {
  std::ostringstream o;
  o << "audit: " << r.instructions << " instructions (" << r.dmas
    << " DMAs) recomputed from the target's cost formulas and compared with the trace: ";
  if (r.ok()) {
    o << "all match";
    if (r.dmas > 0)
      o << "; largest DMA stretch by shared bandwidth " << r.max_dma_stretch_ns << " ns";
    o << "\n";
    return o.str();
  }
  o << r.mismatch_count << " mismatches\n";
  for (const auto& m : r.mismatches)
    o << "  " << m.where << ": " << m.what << ": expected " << m.expected_ns << " ns, got "
      << m.got_ns << " ns\n";
  return o.str();
}

} // namespace axon
