// Parses and applies one "ENGINE.ATTRIBUTE=VALUE" override to a loaded Isa. Only what the
// simulator reads may be overridden, so that an override never prints in a report while changing
// nothing: the engine's clock (cycle-costed engines), its lanes (partitions processed per pass),
// its queues, and a numeric attribute the engine declares that a cost formula of one of its
// instructions or the timing model (timing_model_attributes()) reads.
#include "sim/isa_override.h"

#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>

#include "ir/error.h"
#include "sim/sim_limits.h"
#include "sim/timing.h"

namespace axon {

namespace {

// Whether a cost formula of an instruction that may run on `e` mentions `var`.
bool formula_reads(const Isa& isa, const Engine& e, const std::string& var) {
  for (const auto& in : isa.instructions) {
    if (std::find(in.engines.begin(), in.engines.end(), e.name) == in.engines.end())
      continue;
    const auto& vars = in.cost.variables();
    if (std::find(vars.begin(), vars.end(), var) != vars.end())
      return true;
  }
  return false;
}

int64_t whole(const std::string& a, double v, int64_t lo, int64_t hi) {
  if (v != std::floor(v) || v < static_cast<double>(lo) || v > static_cast<double>(hi))
    user_error("--set '" + a + "': expected a whole number in [" + std::to_string(lo) + ", " +
               std::to_string(hi) + "]");
  return static_cast<int64_t>(v);
}

} // namespace

void apply_isa_override(Isa& isa, const std::string& a) {
  size_t dot = a.find('.'), eq = a.find('=');
  if (dot == std::string::npos || eq == std::string::npos || dot == 0 || eq < dot + 2 ||
      eq + 1 >= a.size())
    user_error("--set '" + a +
               "': expected ENGINE.ATTRIBUTE=VALUE, e.g. DMA.aggregate_bandwidth_gbps=110");
  std::string engine = a.substr(0, dot), attr = a.substr(dot + 1, eq - dot - 1),
              val = a.substr(eq + 1);
  char* end = nullptr;
  errno = 0;
  double v = std::strtod(val.c_str(), &end);
  if (*end != '\0' || errno == ERANGE || !std::isfinite(v))
    user_error("--set '" + a + "': '" + val + "' is not a number");
  Engine* e = nullptr;
  for (auto& en : isa.engines)
    if (en.name == engine)
      e = &en;
  if (!e) {
    std::string known;
    for (const auto& en : isa.engines)
      known += (known.empty() ? "" : ", ") + en.name;
    user_error("--set '" + a + "': target '" + isa.name + "' has no engine '" + engine +
               "'; engines: " + known);
  }
  if (attr == "clock_ghz") {
    if (!e->clock_ghz || (e->cost_unit == CostUnit::Ns && !formula_reads(isa, *e, attr)))
      user_error("--set '" + a + "': engine " + engine +
                 " has no clock the simulator uses (its costs are in ns)");
    if (v <= 0 || v > 1e6)
      user_error("--set '" + a + "': a clock is in (0, 1e6] GHz");
    e->clock_ghz = v;
    return;
  }
  if (attr == "lanes") {
    e->lanes = whole(a, v, 1, int64_t(1) << 20);
    return;
  }
  if (attr == "queues") {
    e->queues = whole(a, v, 1, sim_limits::kMaxEngineQueues);
    return;
  }
  if (attr == "count") {
    if (!formula_reads(isa, *e, attr))
      user_error("--set '" + a + "': the simulator runs one instance of each engine and no cost " +
                 "formula of " + engine + " reads 'count', so the override would change nothing");
    e->count = whole(a, v, 1, int64_t(1) << 20);
    return;
  }
  auto it = e->attributes.find(attr);
  const auto& timing = timing_model_attributes();
  bool read =
      formula_reads(isa, *e, attr) || std::find(timing.begin(), timing.end(), attr) != timing.end();
  if (it == e->attributes.end() || !read) {
    std::string known = "clock_ghz, lanes, queues";
    for (const auto& [k, x] : e->attributes)
      if (formula_reads(isa, *e, k) || std::find(timing.begin(), timing.end(), k) != timing.end())
        known += ", " + k;
    user_error("--set '" + a + "': " +
               (it == e->attributes.end()
                    ? "engine " + engine + " has no attribute '" + attr + "'"
                    : "nothing the simulator computes reads " + engine + "." + attr) +
               "; attributes of " + engine + " an override changes: " + known);
  }
  if (v < 0)
    user_error("--set '" + a + "': engine attributes are >= 0");
  it->second = v;
}

} // namespace axon
