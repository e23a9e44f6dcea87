// The schedule search: enumerate loop schedules per statement, rank them with the backend's cost
// model, compile the best whole-program candidates, check each against the reference interpreter
// on fresh random inputs (sampled output elements at full size), time the survivors one at a
// time, and keep the fastest. The op-by-op baseline (baseline_schedule) goes through the same
// steps and is the denominator of the reported speed-up. Crashes and hangs are isolated in a
// child process, recorded and skipped.
#pragma once

#include <functional>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "search/backend.h"

namespace axon {

struct SearchOptions {
  uint64_t seed = 1;
  size_t per_stmt_keep = 4; // alternatives kept per statement after ranking
  size_t measure = 8;       // whole-program candidates compiled and measured
  int compile_jobs = 0; // candidates compiled at once (0: one per core; 1: in order, one by one)
  int warmup = 2;
  int repeats = 11;
  // A candidate (not the baseline) whose first three timed runs are slower than this times the
  // best median so far stops being timed: its record has 3 repeats.
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
  // Statements (stmt_cost_key) whose register-tile shapes an earlier search of another variant of
  // the same program already measured: not measured again; the search adds the ones it measures.
  // Null: always measured.
  std::set<std::string>* tile_shapes_measured = nullptr;
  // Statement schedules (by stmt_cost_key) of the fastest candidate of an earlier variant: the
  // best combination with them in place is measured too (what was learnt on one variant carries
  // over to the statements it shares with the next).
  std::map<std::string, StmtSchedule> statement_hints;
};

enum class CandidateStatus { Ok, CompileError, WrongResult, Crashed, NotMeasured };
const char* status_name(CandidateStatus s);

struct CandidateRecord {
  int id = 0;
  std::string kind; // "baseline" or "searched"
  Schedule schedule;
  double estimate_ns = 0;
  CandidateStatus status = CandidateStatus::NotMeasured;
  std::string detail;
  double max_error = 0; // scaled error of the check (<= 1 passes)
  Timing timing;
};

struct SearchStats {
  size_t enumerated = 0; // statement schedules enumerated (all statements)
  size_t combined = 0;   // whole-program candidates ranked
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

// The cost model's best estimate for a program: the sum over statements of the cheapest
// enumerated schedule. Used to rank fusion variants against each other before measuring.
double best_estimate_ns(const IndexProgram& p, const Backend& b);

// The op-by-op baseline: every statement its own loop nest (no fusion, no rewrites) in the loop
// order the cost model ranks best, without tiling.
Schedule baseline_schedule(const IndexProgram& p, const Backend& b, double* estimate_ns = nullptr);

// The schedule with every fusion group whose outer loop allows it split across `threads` threads
// (with a backend: only the groups whose estimate that lowers).
Schedule with_threads(const IndexProgram& p, const Schedule& s, int threads,
                      const Backend* b = nullptr);

// Greedy fusion groups: each statement joins the group before it with the first of its schedules
// (its current one first, then `alternatives` in rank order) that shares the group's outer loop
// legally and, with require_gain, that the backend estimates faster.
Schedule fuse_groups(const IndexProgram& p, const Schedule& s,
                     const std::vector<std::vector<std::pair<double, StmtSchedule>>>& alternatives,
                     const Backend& b, bool require_gain = true);

// `reference` is the program the candidates must agree with (default: p itself); a fusion
// variant is checked against the original program, not against itself.
SearchResult
search_schedules(const IndexProgram& p, const Backend& b, const SearchOptions& o,
                 const std::function<void(const CandidateRecord&)>& on_record = nullptr,
                 const std::function<bool()>& interrupted = nullptr,
                 const IndexProgram* reference = nullptr);

// Runs an artifact on fresh random inputs (in a child process) and compares sampled outputs with
// the interpreter. Returns the max scaled error (inf if the run failed; detail says why, and
// *timed_out whether it ran past timeout_s). With
// f16/bf16 tensors, the smaller of the errors against the exact (f64) result and against the
// storage-rounded one (every stored element rounded to its dtype, EvalMode::Storage).
// The relative tolerance a program's storage dtypes imply on top of f32 arithmetic: 0 when every
// tensor is f32 (or bool), 1e-2 with f16 tensors (11-bit significands, rounded at every store),
// 5e-2 with bf16 tensors (8-bit significands).
double storage_tolerance(const IndexProgram& p);

// (rtol is raised to storage_tolerance(p) when that is larger.)
// `input_buffers`, when given, holds the inputs' memory from one check to the next.
double check_artifact(const Artifact& a, const IndexProgram& p, uint64_t seed, int points,
                      double rtol, double timeout_s, std::string* detail, bool* crashed = nullptr,
                      const IndexProgram* reference = nullptr, TensorMap* input_buffers = nullptr,
                      bool* timed_out = nullptr);

// An Artifact::time run in a child process (a crash or a hang is a failure, not the end of the
// search): the Timing, or nullopt with *failure saying why (and *timed_out whether it ran past
// timeout_s).
std::optional<Timing> time_isolated(const Artifact& a, int warmup, int repeats,
                                    double stop_above_ns, double timeout_s, std::string* failure,
                                    bool* timed_out = nullptr);

} // namespace axon
