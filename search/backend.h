// The interface between the target-agnostic search and a backend (CPU via LLVM, NPU via the
// simulator, later GPU). The search proposes (program, schedule) candidates; a backend estimates
// their cost from its ISA description, compiles them, runs them for the numerical check, and
// times them.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "ir/index_program.h"
#include "ir/interp.h"
#include "search/schedule.h"

namespace axon {

struct Timing {
  double median_ns = 0;
  double min_ns = 0;
  double max_ns = 0;
  int repeats = 0;
  std::string clock; // "wall" (measured on the machine) or "simulated"
};

// A compiled candidate.
class Artifact {
public:
  virtual ~Artifact() = default;
  // The checking path: outputs for the given inputs (outputs and temporaries poisoned first).
  virtual TensorMap run(const TensorMap& inputs) const = 0;
  // The checking path's values at `points` (tensor -> indices), in that order: what the check
  // compares. By default sampled from run(); a backend may read them straight from its buffers
  // instead of converting whole outputs.
  virtual std::vector<double>
  run_points(const TensorMap& inputs,
             const std::map<std::string, std::vector<std::vector<int64_t>>>& points) const {
    TensorMap out = run(inputs);
    std::vector<double> vals;
    for (auto& [t, list] : points)
      for (auto& idx : list)
        vals.push_back(out.at(t).at(idx));
    return vals;
  }
  // The timed path: median of `repeats` runs after `warmup`, rotating through input copies so
  // caches do not flatter. With stop_above_ns > 0 a candidate whose first three timed runs have
  // a median above it stops there (a loser need not be timed precisely; `repeats` says 3).
  virtual Timing time(int warmup, int repeats, double stop_above_ns = 0) const = 0;
  // Files for the output directory: name -> contents (e.g. kernel.ll, kernel.o).
  virtual std::map<std::string, std::string> files() const = 0;
};

class Backend {
public:
  virtual ~Backend() = default;
  virtual std::string target_name() const = 0;
  // The cost model's estimate in ns of one statement's loop nest (for ranking only; never
  // reported as a measurement).
  virtual double estimate_stmt_ns(const IndexProgram& p, size_t stmt,
                                  const StmtSchedule& s) const = 0;
  // The estimate of a whole schedule (fusion groups, threads); by default the statements' sum.
  virtual double estimate_ns(const IndexProgram& p, const Schedule& s) const {
    double t = 0;
    for (size_t i = 0; i < s.stmts.size(); ++i)
      t += estimate_stmt_ns(p, i, s.stmts[i]);
    return t;
  }
  // Vector width in elements for the innermost loop (schedule enumeration uses it).
  virtual int vector_lanes() const = 0;
  // Vector registers of the target (register tiles are sized to fit them).
  virtual int vector_registers() const { return 16; }
  // Threads a kernel may split its outer loops across (1: single-threaded kernels only).
  virtual int threads() const { return 1; }
  // Outputs of at least this many bytes are worth trying with streaming stores
  // (StmtSchedule::stream; the search measures them); 0 when the target has none.
  virtual int64_t streaming_store_min_bytes() const { return 0; }
  // Whether kernels may prefetch a fusion group's next outer iteration (StmtSchedule::prefetch;
  // the search measures it).
  virtual bool prefetches() const { return false; }
  // Called from several threads at once (the search compiles its candidates in parallel).
  virtual std::unique_ptr<Artifact> compile(const IndexProgram& p, const Schedule& s) const = 0;
  // Why this backend cannot compile the program at all (empty when it can), checked before any
  // search so the user gets one clear message instead of a list of failed candidates.
  virtual std::string unsupported(const IndexProgram& p) const = 0;
};

} // namespace axon
