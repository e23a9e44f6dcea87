// The search driver (see search.h): ask the backend for its candidates, rank and cut them,
// measure them (measure.h), then its refinements of the fastest.
#include "search/search.h"

#include <algorithm>
#include <chrono>
#include <set>

#include "search/measure.h"

namespace axon {

const char* status_name(CandidateStatus s) {
  switch (s) {
  case CandidateStatus::Ok:
    return "ok";
  case CandidateStatus::CompileError:
    return "compile_error";
  case CandidateStatus::WrongResult:
    return "wrong_result";
  case CandidateStatus::Crashed:
    return "crashed";
  case CandidateStatus::NotMeasured:
    return "not_measured";
  }
  return "?";
}

SearchResult search_schedules(const IndexProgram& p, const Backend& b, const SearchOptions& o,
                              const std::function<void(const CandidateRecord&)>& on_record,
                              const std::function<bool()>& interrupted,
                              const IndexProgram* reference) {
  SearchResult res;
  auto t0 = std::chrono::steady_clock::now();
  // 1. The backend's candidates: enumerated, ranked by its estimate, fused.
  SpaceOptions so;
  so.seed = o.seed;
  so.per_stmt_keep = o.per_stmt_keep;
  Proposals proposed = b.propose(p, so, o.memory);
  res.stats.enumerated = proposed.enumerated;
  std::vector<Proposal> ranked = proposed.ranked;
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](auto& x, auto& y) { return x.estimate_ns < y.estimate_ns; });
  // One entry per distinct candidate.
  {
    std::set<std::string> seen;
    std::vector<Proposal> uniq;
    for (auto& c : ranked)
      if (seen.insert(b.plan_text(p, c.plan)).second)
        uniq.push_back(c);
    ranked = uniq;
  }
  res.stats.combined = ranked.size();
  // 2. The cut: the best `measure` within the estimate bound, and those the backend wants
  // measured whatever their rank.
  if (o.max_estimate_ns > 0)
    ranked.erase(std::remove_if(ranked.begin(), ranked.end(),
                                [&](auto& c) { return c.estimate_ns > o.max_estimate_ns; }),
                 ranked.end());
  if (ranked.size() > o.measure)
    ranked.resize(o.measure);
  {
    std::set<std::string> kept;
    for (auto& c : ranked)
      kept.insert(b.plan_text(p, c.plan));
    for (auto& m : proposed.must)
      if (kept.insert(b.plan_text(p, m.plan)).second &&
          (o.max_estimate_ns <= 0 || m.estimate_ns <= o.max_estimate_ns))
        ranked.push_back(m);
  }
  res.stats.seconds_enumerate = seconds_since(t0);

  // 3. Baseline first, then the candidates: compile, check, time.
  std::vector<Proposal> batch;
  if (o.include_baseline)
    batch.push_back(b.baseline(p));
  batch.insert(batch.end(), ranked.begin(), ranked.end());
  res.stats.stop_reason = "measured all";
  Measurer m{p, b, o, t0, res, on_record, interrupted, reference, {}};
  m.measure(batch, o.include_baseline);

  // 4. The backend's refinements of the fastest candidates so far, in its order, while the search
  // goes on; a candidate one of them reaches again is not measured twice.
  std::set<std::string> seen;
  for (auto& c : res.candidates)
    seen.insert(b.plan_text(p, c.plan));
  auto measured = [&](const Plan& plan) { return seen.count(b.plan_text(p, plan)) > 0; };
  for (const Refinement& refine : proposed.refinements) {
    if (res.stats.stop_reason != "measured all")
      break;
    std::vector<Plan> fastest;
    for (const CandidateRecord* c : fastest_first(res))
      fastest.push_back(c->plan);
    std::optional<std::vector<Plan>> more = refine(fastest, measured);
    if (!more)
      continue;
    std::vector<Proposal> next;
    for (auto& plan : *more)
      if (seen.insert(b.plan_text(p, plan)).second)
        next.push_back({b.estimate_ns(p, plan), plan});
    m.measure(next, false);
  }
  // 5. The winner's checks at the backend's other check sizes.
  m.confirm_best();
  return res;
}

} // namespace axon
