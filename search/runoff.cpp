// The runoff (see runoff.h).
#include "search/runoff.h"

#include <algorithm>
#include <cmath>
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

} // namespace axon
