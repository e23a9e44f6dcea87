// The CPU schedule space as the search asks for it (see schedule_backend.h): enumerate and rank
// per statement, combine, fuse and thread, and the candidates measured whatever their rank.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <set>
#include <sstream>

#include "emit/cpu/enumerate.h"
#include "emit/cpu/fusion_groups.h"
#include "emit/cpu/refinements.h"
#include "emit/cpu/schedule_backend.h"

namespace axon {

namespace {

EnumerateOptions enumerate_options(const ScheduleBackend& b) {
  EnumerateOptions eo;
  eo.vector_lanes = b.vector_lanes();
  eo.vector_registers = b.vector_registers();
  return eo;
}

using Ranked = std::vector<std::vector<std::pair<double, StmtSchedule>>>;

// What the refinements of one search share: every statement's ranked schedules, and the largest
// register-tile shapes of the statements whose shapes this search measures.
struct SpaceState {
  Ranked all;
  std::map<size_t, std::vector<const StmtSchedule*>> shapes_of;
};

std::vector<Plan> plans(const std::vector<Schedule>& ss) {
  std::vector<Plan> out;
  for (auto& s : ss)
    out.push_back(make_plan(s));
  return out;
}

} // namespace

double ScheduleBackend::best_estimate_ns(const IndexProgram& p) const {
  EnumerateOptions eo = enumerate_options(*this);
  double total = 0;
  for (size_t i = 0; i < p.stmts().size(); ++i) {
    double best = INFINITY;
    for (auto& ss : enumerate_stmt_schedules(p, i, eo))
      best = std::min(best, estimate_stmt_ns(p, i, ss));
    total += best;
  }
  return total;
}

Schedule ScheduleBackend::baseline_schedule(const IndexProgram& p, double* estimate_ns) const {
  EnumerateOptions eo = enumerate_options(*this);
  Schedule s;
  double total = 0;
  for (size_t i = 0; i < p.stmts().size(); ++i) {
    StmtSchedule best;
    double best_ns = INFINITY;
    for (auto& ss : enumerate_stmt_schedules(p, i, eo)) {
      if (!ss.split.empty())
        continue;
      double ns = estimate_stmt_ns(p, i, ss);
      if (ns < best_ns) {
        best_ns = ns;
        best = ss;
      }
    }
    s.stmts.push_back(best);
    total += best_ns;
  }
  // Op by op, but on every core the target offers (as a library of single-op kernels would).
  if (threads() > 1) {
    s = with_threads(p, s, threads(), this);
    total = estimate_schedule_ns(p, s);
  }
  if (estimate_ns)
    *estimate_ns = total;
  return s;
}

Proposal ScheduleBackend::baseline(const IndexProgram& p) const {
  Proposal out;
  out.plan = make_plan(baseline_schedule(p, &out.estimate_ns));
  return out;
}

std::vector<Plan> ScheduleBackend::sample(const IndexProgram& p, uint64_t seed,
                                          size_t count) const {
  std::mt19937_64 rng(seed);
  EnumerateOptions eo = enumerate_options(*this);
  Ranked space(p.stmts().size());
  for (size_t i = 0; i < p.stmts().size(); ++i)
    for (auto& ss : enumerate_stmt_schedules(p, i, eo))
      space[i].push_back({0.0, ss});
  std::vector<Plan> out;
  while (out.size() < count) {
    Schedule s;
    for (size_t i = 0; i < p.stmts().size(); ++i)
      s.stmts.push_back(space[i][rng() % space[i].size()].second);
    // Half of them with every legal fusion, some threaded, streamed and prefetched as the
    // refinements would.
    if (rng() % 2)
      s = fuse_groups(p, s, space, *this, false);
    if (threads() > 1 && rng() % 2)
      s = with_threads(p, s, threads());
    if (streaming_store_min_bytes() > 0 && rng() % 3 == 0)
      s = streamed(p, s, 1).value_or(s);
    if (prefetches() && rng() % 3 == 0)
      s = prefetched(p, s).value_or(s);
    if (validate_schedule(p, s).empty())
      out.push_back(make_plan(s));
  }
  return out;
}

Proposals ScheduleBackend::propose(const IndexProgram& p, const SpaceOptions& o,
                                   SearchMemory* memory) const {
  auto* mem = dynamic_cast<ScheduleMemory*>(memory);
  Proposals out;
  auto state = std::make_shared<SpaceState>();
  // 1. Per statement: enumerate and rank by the cost model.
  EnumerateOptions eo = enumerate_options(*this);
  Ranked ranked(p.stmts().size());
  for (size_t i = 0; i < p.stmts().size(); ++i) {
    for (auto& s : enumerate_stmt_schedules(p, i, eo))
      ranked[i].push_back({estimate_stmt_ns(p, i, s), s});
    out.enumerated += ranked[i].size();
    std::stable_sort(ranked[i].begin(), ranked[i].end(),
                     [](auto& x, auto& y) { return x.first < y.first; });
  }
  state->all = ranked;
  const Ranked& all = state->all;
  // Keep the best few per statement, but let the best schedule of each reduction block size be
  // measured too: the cost model ranks block sizes poorly (it misjudges the output's per-block
  // traffic against the operand panels' cache footprint), measurement decides.
  for (size_t i = 0; i < ranked.size(); ++i) {
    auto& r = ranked[i];
    if (r.size() <= o.per_stmt_keep)
      continue;
    const ExprNode* red = top_reduction(p.stmts()[i]);
    std::set<size_t> pick;
    std::set<int64_t> blocks;
    for (size_t k = 0; red && k < r.size() && pick.size() + 1 < o.per_stmt_keep; ++k) {
      auto it = r[k].second.split.find(red->name());
      if (it != r[k].second.split.end() && blocks.insert(it->second).second)
        pick.insert(k);
    }
    for (size_t k = 0; k < r.size() && pick.size() < o.per_stmt_keep; ++k)
      pick.insert(k);
    std::vector<std::pair<double, StmtSchedule>> top;
    for (size_t k : pick)
      top.push_back(r[k]); // std::set: still in rank order
    r = top;
  }
  if (const char* d = std::getenv("AXON_DEBUG"); d && std::atoi(d) >= 2)
    for (size_t i = 0; i < ranked.size(); ++i)
      for (auto& [est, ss] : ranked[i]) {
        Schedule one = default_schedule(p);
        one.stmts[i] = ss;
        std::istringstream lines(to_string(one, p));
        std::string line;
        for (size_t k = 0; k <= i; ++k)
          std::getline(lines, line);
        std::fprintf(stderr, "[rank] %.3f ms  %s\n", est / 1e6, line.c_str());
      }
  // 2. Whole-program candidates: the best of each statement, then one statement at a time
  // replaced by an alternative; ranked by total estimate.
  std::vector<std::pair<double, Schedule>> combos;
  auto total = [&](const std::vector<size_t>& pick) {
    Schedule s;
    for (size_t i = 0; i < pick.size(); ++i)
      s.stmts.push_back(ranked[i][pick[i]].second);
    return std::make_pair(estimate_schedule_ns(p, s), s);
  };
  std::vector<size_t> best(p.stmts().size(), 0);
  combos.push_back(total(best));
  for (size_t i = 0; i < ranked.size(); ++i)
    for (size_t r = 1; r < ranked[i].size(); ++r) {
      auto pick = best;
      pick[i] = r;
      combos.push_back(total(pick));
    }
  std::stable_sort(combos.begin(), combos.end(),
                   [](auto& x, auto& y) { return x.first < y.first; });
  // Fusion groups and threads on the leading combinations; the best of each kind is measured
  // even when the cost model ranks it below the cut.
  std::vector<std::pair<double, Schedule>> kinds;
  size_t lead = std::min<size_t>(combos.size(), 8);
  for (size_t c = 0; c < lead; ++c) {
    Schedule fused = fuse_groups(p, combos[c].second, all, *this, true);
    std::vector<Schedule> more = {fused};
    // The cost model underrates fusion when a group's per-iteration data overflows the second
    // cache level (measured: attention's softmax fused with both matmuls over heads ran 1.4x
    // faster than op by op): the two leading combinations also get every legal fusion.
    if (c < 2)
      more.push_back(fuse_groups(p, combos[c].second, all, *this, false));
    if (threads() > 1) {
      std::vector<Schedule> threaded = {with_threads(p, combos[c].second, threads())};
      for (auto& m : more)
        threaded.push_back(with_threads(p, m, threads()));
      more.insert(more.end(), threaded.begin(), threaded.end());
    }
    for (auto& m : more)
      kinds.push_back({estimate_schedule_ns(p, m), m});
  }
  std::vector<std::pair<double, Schedule>> must; // best unfused serial, fused, threaded, both
  for (auto& k : {std::make_pair(false, false), std::make_pair(true, false),
                  std::make_pair(false, true), std::make_pair(true, true)}) {
    const std::pair<double, Schedule>* best_kind = nullptr;
    for (auto* list : {&combos, &kinds})
      for (auto& c : *list) {
        bool f = false, t = false;
        for (auto& ss : c.second.stmts) {
          f = f || ss.fuse_prev;
          t = t || ss.threads > 1;
        }
        if (f == k.first && t == k.second && (!best_kind || c.first < best_kind->first))
          best_kind = &c;
      }
    if (best_kind)
      must.push_back(*best_kind);
  }
  if (!combos.empty() && mem)
    if (auto h = with_hints(p, combos.front().second, mem->statement_hints, threads()))
      must.push_back({estimate_schedule_ns(p, *h), *h});
  // Register tiles: the cost model ranks tile shapes poorly (it counts operations and traffic,
  // not the loop overhead and latency hiding that decide between 4x32 and 8x48), so the best
  // schedule of each of the three largest tile shapes is measured too, in the best combination.
  // With several such statements (SwiGLU's two matrix products), also every one of them at its
  // k-th largest shape at once: measured one statement at a time, a better shape for each can
  // hide in the noise of the whole kernel's time, and the combination is never tried.
  auto& shapes_of = state->shapes_of;
  auto must_measure = [&](Schedule s) {
    if (threads() > 1)
      s = with_threads(p, s, threads());
    if (validate_schedule(p, s).empty())
      must.push_back({estimate_schedule_ns(p, s), s});
  };
  if (!combos.empty()) {
    for (size_t i = 0; i < all.size(); ++i) {
      if (mem && !mem->tile_shapes_measured.insert(stmt_cost_key(p, i)).second)
        continue;
      shapes_of[i] = largest_tile_shapes(p, i, all[i], 3);
      for (const StmtSchedule* ts : shapes_of[i]) {
        Schedule s = combos.front().second;
        s.stmts[i] = *ts;
        must_measure(s);
      }
    }
    for (size_t k = 0; k < 3; ++k) {
      Schedule s = combos.front().second;
      size_t changed = 0;
      for (auto& [i, shapes] : shapes_of)
        if (k < shapes.size()) {
          s.stmts[i] = *shapes[k];
          ++changed;
        }
      if (changed < 2)
        break;
      must_measure(s);
    }
  }
  for (auto* list : {&combos, &kinds})
    for (auto& [est, s] : *list)
      out.ranked.push_back({est, make_plan(s)});
  for (auto& [est, s] : must)
    out.must.push_back({est, make_plan(s)});

  // The refinements measure what the cost model cannot rank, on the fastest candidates so far.
  // First the fastest candidate's register tiles with the other reduction block sizes of the same
  // tile shape (measured, not estimated: the model misjudges blocks against cache sizes).
  // One statement after the other, each on the fastest so far (which the previous one's blocks
  // may have changed), so that two statements' better blocks combine. Every register-tile
  // statement, not only those whose shapes this search measured: in a later program variant a
  // statement keeps the earlier variant's winning schedule (a hint), whose block was the best
  // there, among other statements, and may not be here (docs/PERFORMANCE.md, "Design
  // measurements: block sizes across variants").
  const IndexProgram* pp = &p;
  for (size_t i = 0; i < all.size(); ++i)
    out.refinements.push_back(
        [pp, state,
         i](const std::vector<Plan>& fastest,
            const std::function<bool(const Plan&)>&) -> std::optional<std::vector<Plan>> {
          if (fastest.empty())
            return std::nullopt;
          return plans(other_block_sizes(*pp, i, schedule_of(fastest.front()), state->all[i]));
        });
  // And, for the statements whose tile shapes this search measured, the fastest candidate with
  // the statement at the second-fastest shape measured, blocked as the fastest is: each shape
  // was measured at the block the model ranks first, and the model misjudges blocks (matmul
  // 2048^3: 6x64 tiles were measured with k blocks of 128 only; with 512, as the 8x32 winner,
  // they were faster in five of six replays).
  for (auto& [i, shapes] : shapes_of) {
    size_t stmt = i;
    out.refinements.push_back([pp, state, stmt](const std::vector<Plan>& fastest,
                                                const std::function<bool(const Plan&)>&)
                                  -> std::optional<std::vector<Plan>> {
      if (fastest.empty())
        return std::nullopt;
      const Schedule& f = schedule_of(fastest.front());
      auto fastest_shape = tile_shape(*pp, stmt, f.stmts[stmt]);
      if (!fastest_shape)
        return std::nullopt;
      for (const Plan& c : fastest)
        if (auto t = tile_shape(*pp, stmt, schedule_of(c).stmts[stmt]); t && *t != *fastest_shape)
          return plans(other_block_sizes(*pp, stmt, f, state->all[stmt], t));
      return std::nullopt;
    });
  }
  // Then streaming stores and prefetching, each tried on the two fastest candidates (the fastest
  // may owe its rank to a quiet minute of a machine whose speed drifts; the second is then the
  // better base). Streaming stores: the cost model does not see the cache traffic they save (nor
  // the later reads they slow down), so they are measured on the candidates that won without them.
  // Prefetching: whether the next outer iteration's rows arrive while the group computes on this
  // one's is a matter of the memory system, which the model does not see either.
  auto on_two_fastest = [this, pp](std::function<std::optional<Schedule>(const Schedule&)> make) {
    return
        [this, pp, make](
            const std::vector<Plan>& fastest,
            const std::function<bool(const Plan&)>& measured) -> std::optional<std::vector<Plan>> {
          std::vector<Plan> two;
          std::set<std::string> keys;
          for (const Plan& c : fastest) {
            auto s = make(schedule_of(c));
            if (!s)
              continue;
            Plan plan = make_plan(*s);
            if (!measured(plan) && keys.insert(to_string(*s, *pp)).second)
              two.push_back(plan);
            if (two.size() == 2)
              break;
          }
          return two;
        };
  };
  int64_t min_bytes = streaming_store_min_bytes();
  if (min_bytes > 0)
    out.refinements.push_back(
        on_two_fastest([pp, min_bytes](const Schedule& s) { return streamed(*pp, s, min_bytes); }));
  if (prefetches())
    out.refinements.push_back(
        on_two_fastest([pp](const Schedule& s) { return prefetched(*pp, s); }));
  // And both at once: each alone can lose to a minute of noise what they gain together
  // (docs/PERFORMANCE.md, "Design measurements: streaming and prefetching together").
  if (min_bytes > 0 && prefetches())
    out.refinements.push_back(
        on_two_fastest([pp, min_bytes](const Schedule& s) -> std::optional<Schedule> {
          auto st = streamed(*pp, s, min_bytes);
          return st ? prefetched(*pp, *st) : std::nullopt;
        }));
  return out;
}

} // namespace axon
