// The runoff (see runoff.h).
#include "search/runoff.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "search/search.h"

namespace axon {

std::vector<size_t> runoff_contenders(const std::vector<double>& medians_ns, double margin,
                                      size_t max) {
  std::vector<size_t> order(medians_ns.size());
  for (size_t i = 0; i < order.size(); ++i)
    order[i] = i;
  std::stable_sort(order.begin(), order.end(),
                   [&](size_t a, size_t b) { return medians_ns[a] < medians_ns[b]; });
  std::vector<size_t> out;
  for (size_t i : order) {
    if (out.size() >= max || !(medians_ns[i] <= medians_ns[order.front()] * (1 + margin)))
      break;
    out.push_back(i);
  }
  return out;
}

namespace {

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

} // namespace

RunoffResult runoff(size_t count, int rounds,
                    const std::function<std::optional<Timing>(size_t, std::string*)>& time_one) {
  RunoffResult r;
  r.round_medians_ns.resize(count);
  r.median_ns.assign(count, INFINITY);
  r.failure.assign(count, "");
  for (int round = 0; round < rounds; ++round)
    for (size_t i = 0; i < count; ++i) {
      size_t c = (static_cast<size_t>(round) + i) % count;
      if (!r.failure[c].empty())
        continue;
      std::string why;
      std::optional<Timing> t = time_one(c, &why);
      if (!t) {
        r.failure[c] = why.empty() ? "the timing run failed" : why;
        r.round_medians_ns[c].clear();
        continue;
      }
      r.round_medians_ns[c].push_back(t->median_ns);
    }
  bool any = false;
  for (size_t c = 0; c < count; ++c) {
    if (!r.failure[c].empty() || r.round_medians_ns[c].empty())
      continue;
    r.median_ns[c] = median(r.round_medians_ns[c]);
    if (!any || r.median_ns[c] < r.median_ns[r.winner])
      r.winner = c;
    any = true;
  }
  if (!any)
    throw std::runtime_error("runoff: every contender's timing failed");
  return r;
}

std::function<std::optional<Timing>(size_t, std::string*)>
isolated_timer(const std::vector<const Artifact*>& arts, const RunoffOptions& o, double timeout_s) {
  return [arts, o, timeout_s](size_t c, std::string* failure) {
    return time_isolated(*arts.at(c), o.warmup, o.repeats, 0, timeout_s, failure);
  };
}

RunoffStage runoff_stage(const Backend& backend, const std::vector<ProgramVariant>& variants,
                         const std::vector<std::pair<size_t, CandidateRecord>>& measured,
                         const SearchOptions& so) {
  RunoffStage out;
  RunoffOptions ro;
  // The search's warm-up, and half its runs: the first runs in a fresh process are slow, which
  // would hide the steady state (docs/PERFORMANCE.md, "Design measurements: runoff warm-up").
  ro.warmup = so.warmup;
  ro.repeats = std::max(1, so.repeats / 2);
  std::vector<double> medians;
  for (auto& [vi, c] : measured)
    medians.push_back(c.timing.median_ns);
  std::vector<size_t> picks = runoff_contenders(medians, ro.margin, ro.max);
  if (picks.size() < 2)
    return out;
  std::vector<std::unique_ptr<Artifact>> arts;
  std::vector<const Artifact*> contenders;
  std::vector<size_t> entered; // indices into measured
  for (size_t m : picks) {
    const auto& [vi, c] = measured[m];
    try {
      arts.push_back(backend.compile(variants[vi].program, c.plan));
    } catch (const std::exception& e) {
      std::fprintf(stderr, "[runoff] %s, candidate %d: does not compile again (%s); left out\n",
                   variants[vi].name.c_str(), c.id, e.what());
      continue;
    }
    contenders.push_back(arts.back().get());
    entered.push_back(m);
  }
  if (contenders.size() < 2)
    return out;
  RunoffResult rr =
      runoff(contenders.size(), ro.rounds, isolated_timer(contenders, ro, so.candidate_timeout_s));
  nlohmann::json list = nlohmann::json::array();
  std::string line;
  for (size_t i = 0; i < entered.size(); ++i) {
    const auto& [vi, c] = measured[entered[i]];
    nlohmann::json e = {{"variant", variants[vi].name},
                        {"id", c.id},
                        {"search_median_ns", c.timing.median_ns},
                        {"round_medians_ns", rr.round_medians_ns[i]}};
    if (rr.failure[i].empty())
      e["median_ns"] = rr.median_ns[i];
    else
      e["failure"] = rr.failure[i];
    list.push_back(e);
    char buf[160];
    std::snprintf(buf, sizeof buf, "%s%s #%d %.3f ms", line.empty() ? "" : ", ",
                  variants[vi].name.c_str(), c.id, rr.median_ns[i] / 1e6);
    line += buf;
  }
  out.winner = measured[entered[rr.winner]];
  out.artifact = std::move(arts[rr.winner]);
  out.report = {{"margin", ro.margin},   {"rounds", ro.rounds}, {"warmup", ro.warmup},
                {"repeats", ro.repeats}, {"contenders", list},  {"chosen", rr.winner}};
  std::fprintf(stderr,
               "[runoff] %zu candidates within %.0f%% of the fastest, %d rounds in alternation: "
               "%s; chosen: %s #%d\n",
               entered.size(), ro.margin * 100, ro.rounds, line.c_str(),
               variants[out.winner->first].name.c_str(), out.winner->second.id);
  return out;
}

} // namespace axon
