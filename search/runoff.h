// The runoff: the search's few fastest candidates timed again in alternation before one wins.
// Each candidate of the search is timed once, in its own seconds, on a machine whose speed drifts
// from minute to minute (about 10% on the build VM), so between candidates a few percent apart
// the search's order is partly the order of the drift. The runoff times every contender in
// each of several rounds, the order rotated from round to round, so that all of them see the
// same minutes, and keeps the fastest by the median of its rounds.
#pragma once

#include <functional>
#include <memory>
#include <nlohmann/json.hpp>
#include <optional>
#include <utility>
#include <vector>

#include "search/backend.h"
#include "search/search.h"
#include "synth/fusion_variants.h"

namespace axon {

struct RunoffOptions {
  double margin = 0.05; // contenders: within this fraction of the fastest median
  size_t max = 3;       // at most this many contenders (the fastest first)
  int rounds = 3;
  int warmup = 2;  // per contender and round
  int repeats = 5; // per contender and round (the round's figure is their median)
};

// Indices into `medians_ns` of the contenders: the fastest, then every other within
// (1 + margin) of it, in increasing order of time, at most `max`. Fewer than two: no runoff.
std::vector<size_t> runoff_contenders(const std::vector<double>& medians_ns, double margin,
                                      size_t max);

struct RunoffResult {
  std::vector<std::vector<double>> round_medians_ns; // per contender, in round order
  std::vector<double> median_ns;    // per contender: median of its rounds (inf: a run failed)
  std::vector<std::string> failure; // per contender: why a run failed, or ""
  size_t winner = 0;                // the contender with the smallest median
};

// Times `count` contenders in `rounds` rounds: round r times contender (r + i) % count for
// i = 0, 1, ... (rotated, so that no contender always runs first or after the same one).
// `time_one(c)` times contender c once (a Timing) or returns nullopt with *failure set; a
// contender that fails once is out of the runoff. Throws when every contender fails.
RunoffResult runoff(
    size_t count, int rounds,
    const std::function<std::optional<Timing>(size_t contender, std::string* failure)>& time_one);

// Whether a backend's candidates go through a runoff: its clock is noisy (a wall clock); a
// simulated time is exact and the search's order is the true one.
inline bool needs_runoff(const Backend& b) { return b.clock() == BackendClock::Wall; }

// time_one for artifacts: time_isolated (search/search.h), as the search times candidates.
std::function<std::optional<Timing>(size_t, std::string*)>
isolated_timer(const std::vector<const Artifact*>& arts, const RunoffOptions& o, double timeout_s);

// The runoff's outcome: the new winner (variant index, record) and its compiled kernel, and the
// report's `runoff` field; all empty when fewer than two candidates were close enough.
struct RunoffStage {
  std::optional<std::pair<size_t, CandidateRecord>> winner;
  std::unique_ptr<Artifact> artifact;
  nlohmann::json report;
};

// The measured candidates (every variant's, the baseline too) within RunoffOptions::margin of the
// fastest, compiled again and timed in alternation (runoff above).
RunoffStage runoff_stage(const Backend& backend, const std::vector<ProgramVariant>& variants,
                         const std::vector<std::pair<size_t, CandidateRecord>>& measured,
                         const SearchOptions& so);

} // namespace axon
