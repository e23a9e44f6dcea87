// The search: ask the backend (backend.h) for its candidates, rank them by its estimate and keep
// the best few and those it wants measured whatever their rank; compile them, check each against
// the reference interpreter on fresh random inputs (sampled output elements at full size, check.h),
// time the survivors one at a time (measure.h), then measure the backend's refinements of the
// fastest, and keep the fastest. The op-by-op baseline (Backend::baseline) goes through the same
// steps and is the denominator of the reported speed-up. Crashes and hangs are isolated in a child
// process, recorded and skipped.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "search/backend.h"
#include "search/check.h"

namespace axon {

struct SearchOptions {
  uint64_t seed = 1;
  size_t per_stmt_keep = 4; // alternatives the backend keeps per statement after ranking
  size_t measure = 8;       // ranked candidates compiled and measured
  int compile_jobs = 0; // candidates compiled at once (0: one per core; 1: in order, one by one)
  int warmup = 2;       // (a simulated clock: none)
  int repeats = 11;     // (a simulated clock: one)
  // A candidate (not the baseline) whose first three timed runs are slower than this times the
  // best median so far stops being timed: its record has 3 repeats (a simulated clock: never).
  double stop_slower_than = 1.5;
  int check_points = 48; // sampled elements per output (plus the first and the last)
  double rtol = 1e-3;    // f32 tolerance (relative, and absolute scaled by the output magnitude)
  // 0: no budget. Else, once the budget is spent and a searched candidate (not the baseline) has
  // been measured, no further candidate starts (best so far wins); the baseline's check and
  // timing stop where the budget ends (it is then not measured: status not_measured).
  double time_budget_s = 0;
  double budget_spent_s = 0; // of the budget, spent before this search began (earlier variants)
  bool searched_measured = false; // an earlier search measured a searched candidate
  double candidate_timeout_s = 120;
  bool include_baseline = true; // measure the op-by-op baseline first
  double max_estimate_ns = 0;   // > 0: candidates estimated slower than this are not measured
  // What the searches of the same program's other variants learnt (Backend::new_memory; the
  // backend reads and grows it). Null: this search alone.
  SearchMemory* memory = nullptr;
};

enum class CandidateStatus { Ok, CompileError, WrongResult, Crashed, NotMeasured };
const char* status_name(CandidateStatus s);

struct CandidateRecord {
  int id = 0;
  std::string kind; // "baseline" or "searched"
  Plan plan;
  double estimate_ns = 0;
  CandidateStatus status = CandidateStatus::NotMeasured;
  std::string detail;
  double max_error = 0; // scaled error of the check (<= 1 passes)
  // The dim sizes it was checked at when not the program's own (Backend::check_dims), in order:
  // the first for every candidate, the others for the winner.
  std::vector<std::map<std::string, int64_t>> check_dims;
  Timing timing;
};

struct SearchStats {
  size_t enumerated = 0; // schedules the backend enumerated (all statements)
  size_t combined = 0;   // distinct whole-program candidates ranked
  size_t compiled = 0, compile_failures = 0, numerics_failures = 0, crashes = 0, measured = 0;
  double seconds_enumerate = 0, seconds_compile = 0, seconds_check = 0, seconds_measure = 0;
  std::string stop_reason; // "measured all", "time budget", "interrupted"
};

struct SearchResult {
  std::vector<CandidateRecord> candidates; // baseline first
  int best = -1;                           // index into candidates of the fastest correct one
  int baseline = -1;
  SearchStats stats;
};

// `reference` is the program the candidates must agree with (default: p itself); a fusion
// variant is checked against the original program, not against itself.
SearchResult
search_schedules(const IndexProgram& p, const Backend& b, const SearchOptions& o,
                 const std::function<void(const CandidateRecord&)>& on_record = nullptr,
                 const std::function<bool()>& interrupted = nullptr,
                 const IndexProgram* reference = nullptr);

// An Artifact::time run in a child process (a crash or a hang is a failure, not the end of the
// search): the Timing, or nullopt with *failure saying why (and *timed_out whether it ran past
// timeout_s).
std::optional<Timing> time_isolated(const Artifact& a, int warmup, int repeats,
                                    double stop_above_ns, double timeout_s, std::string* failure,
                                    bool* timed_out = nullptr);

} // namespace axon
