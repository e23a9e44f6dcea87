// Measuring candidates: compile a batch in parallel, then check and time each in turn, under the
// search's time budget, recording every outcome (search.h's CandidateRecord). A backend with a
// simulated clock is timed once, without warm-up and without early stopping (its time is exact).
#pragma once

#include <chrono>
#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "search/search.h"

namespace axon {

double seconds_since(std::chrono::steady_clock::time_point t);
// "{K = 256, M = 384}".
std::string dims_text(const std::map<std::string, int64_t>& dims);

// The measured candidates (not the baseline), fastest first.
std::vector<const CandidateRecord*> fastest_first(const SearchResult& res);

// One search's measuring: its program, backend, options, start time (the budget's), result, and
// the inputs every check fills (the same memory from one check to the next).
struct Measurer {
  const IndexProgram& p;
  const Backend& b;
  const SearchOptions& o;
  std::chrono::steady_clock::time_point t0;
  SearchResult& res;
  const std::function<void(const CandidateRecord&)>& on_record;
  const std::function<bool()>& interrupted;
  const IndexProgram* reference;
  TensorMap check_inputs;

  // Compiles, checks and times `batch` in order (the first is the baseline when
  // first_is_baseline), appending a record for each until the budget or an interruption stops
  // the search (res.stats.stop_reason says which).
  void measure(const std::vector<Proposal>& batch, bool first_is_baseline);
  // The checks of the best candidate at the other sizes of its check_dims (the first was checked
  // with every candidate); a best that fails one is recorded as failed and the next fastest
  // correct candidate is confirmed in its place. False when none is left.
  bool confirm_best();
  // The check of `a`, compiled for p at `dims`, against the reference at the same dims.
  double check_at(const Artifact& a, const std::map<std::string, int64_t>& dims, int id,
                  double timeout, std::string* detail, bool* crashed, bool* timed_out);
};

} // namespace axon
