// Fusion groups and threads of a CPU schedule (see fusion_groups.h).
#include "emit/cpu/fusion_groups.h"

#include <optional>

#include "emit/cpu/schedule_backend.h"

namespace axon {

Schedule with_threads(const IndexProgram& p, const Schedule& s, int threads,
                      const ScheduleBackend* b) {
  Schedule t = s;
  for (auto [first, last] : fusion_groups(t)) {
    // A single statement may be threaded behind its reduction's block loops; a group at its
    // shared outermost loop.
    std::optional<OuterLoop> ol = outer_loop(p, first, t.stmts[first]);
    if (first == last)
      if (auto tl = thread_loop(p, first, t.stmts[first]))
        ol = tl->second;
    if (!ol || ol->trip() < 2)
      continue;
    Schedule trial = t;
    trial.stmts[first].threads = threads;
    if (!b || b->estimate_schedule_ns(p, trial) < b->estimate_schedule_ns(p, t))
      t = trial;
  }
  return t;
}

Schedule fuse_groups(const IndexProgram& p, const Schedule& s,
                     const std::vector<std::vector<std::pair<double, StmtSchedule>>>& alternatives,
                     const ScheduleBackend& b, bool require_gain) {
  Schedule f = s;
  for (auto& ss : f.stmts) {
    ss.fuse_prev = false;
    ss.threads = 1;
  }
  for (size_t i = 1; i < f.stmts.size(); ++i) {
    size_t g = i - 1;
    while (g > 0 && f.stmts[g].fuse_prev)
      --g;
    auto og = outer_loop(p, g, f.stmts[g]);
    if (!og)
      continue;
    std::vector<const StmtSchedule*> cands = {&f.stmts[i]};
    for (auto& [est, alt] : alternatives.at(i))
      cands.push_back(&alt);
    for (const StmtSchedule* c : cands) {
      auto oc = outer_loop(p, i, *c);
      if (!oc || !(*oc == *og) || !c->pack.empty())
        continue;
      Schedule trial = f;
      trial.stmts[i] = *c;
      trial.stmts[i].fuse_prev = true;
      trial.stmts[i].threads = 1;
      if (!fusion_error(p, trial, g, i).empty() || !validate_schedule(p, trial).empty())
        continue;
      if (require_gain && !(b.estimate_schedule_ns(p, trial) < b.estimate_schedule_ns(p, f)))
        continue;
      f = trial;
      break;
    }
  }
  return f;
}
} // namespace axon
