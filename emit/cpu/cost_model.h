// An analytic cost model for scheduled loop nests, parameterised only by a MachineModel that is
// read from the target's ISA description (lanes, clock, arithmetic throughput, and a capacity and
// bandwidth per memory level). It ranks candidates before any is compiled; measured times decide.
//
// Per statement: compute time = weighted operation count / (clock x ops per cycle), divided by the
// vector lanes when the vectorized innermost loop reads and writes contiguously; memory time =
// for each memory level, the traffic of the loop nest's working set that does not fit the level
// below it, over that level's bandwidth. The estimate is the larger of the two, summed over
// statements. The compute time of a statement without reductions that instruction selection
// covered (SelectedCosts) comes from its selected instructions instead of the operation weights;
// in the others, element functions weigh what their own selected instructions cost.
#pragma once

#include <map>
#include <set>
#include <string>
#include <vector>

#include "emit/cpu/schedule.h"
#include "ir/index_program.h"

namespace axon {

struct LoopNest; // emit/loop_nest.h: the estimates read their loops from it
struct Nest;

struct MemoryModel {
  std::string name;
  double capacity_bytes = 0;           // 0 for the last level (unbounded)
  double bandwidth_gbps = 0;           // bytes per ns into the level above (one core)
  double aggregate_bandwidth_gbps = 0; // all cores streaming at once (0: unknown)
  bool shared = false;                 // one instance for all cores (else one per core)
};

struct MachineModel {
  int lanes = 1; // f32 vector lanes
  double clock_ghz = 1;
  double vector_ops_per_cycle = 1; // vector arithmetic instructions issued per cycle
  double loads_per_cycle = 1;      // vector loads issued per cycle
  std::vector<MemoryModel> levels; // registers/L1 first ... DRAM last
  int cores = 1;                   // cores that can run threads of one kernel
  double thread_start_ns = 0;      // starting and joining one extra thread
  double parallel = 1;             // cores parallel_model spread the arithmetic over
};

// The compute cost instruction selection (synth/select_instructions.h) found for a statement:
// the time of one tile's instruction sequence (the target's cycle costs over its clock) and the
// statement's output elements the tile writes.
struct SelectedCost {
  double ns_per_tile = 0;
  double tile_elements = 1;
};
struct SelectedCosts {
  // Keyed by stmt_cost_key, so the same statement in any program variant finds its entry. Only
  // statements without reductions are looked up (a selection covers a reduction chunk by chunk).
  std::map<std::string, SelectedCost> stmts;
  // Element functions (exp, log, ...) alone: the cover of `f(a)` less the cover of `a`. They
  // replace the operation weight of those functions in statements costed by operation weights.
  std::map<ExprKind, SelectedCost> functions;
};
// The statement as written with the concrete shapes and dtypes of the tensors it touches.
std::string stmt_cost_key(const IndexProgram& p, size_t stmt);

// The machine as seen by a loop whose iterations are split across `threads` threads: arithmetic
// and private-cache bandwidth scale with the cores used, shared levels give their aggregate.
MachineModel parallel_model(const MachineModel& m, int threads);

// A whole schedule: per fusion group, its statements' estimates, where a later statement's reads of
// what the group already produced or read in the same outer iteration come from cache when one
// outer iteration's data fits the second-level cache; a threaded group runs on parallel_model and
// pays the threads' start-up.
double estimate_ns(const IndexProgram& p, const Schedule& s, const MachineModel& m,
                   const SelectedCosts* selected = nullptr);
// The same from the schedule's loop nest (build_loop_nest).
double estimate_ns(const IndexProgram& p, const LoopNest& nest, const MachineModel& m,
                   const SelectedCosts* selected = nullptr);
// One statement alone; `resident` names tensors whose accesses stay in the first cache level.
double estimate_stmt_ns(const IndexProgram& p, size_t stmt, const StmtSchedule& ss,
                        const MachineModel& m, const std::set<std::string>* resident = nullptr,
                        const SelectedCosts* selected = nullptr);
// The same from the statement's nest (build_stmt_nest, or a group's nest of a loop nest).
double estimate_stmt_ns(const IndexProgram& p, const Nest& nest, const MachineModel& m,
                        const std::set<std::string>* resident = nullptr,
                        const SelectedCosts* selected = nullptr);

} // namespace axon
