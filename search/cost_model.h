// An analytic cost model for scheduled loop nests, parameterised only by a MachineModel that is
// read from the target's ISA description (lanes, clock, arithmetic throughput, and a capacity and
// bandwidth per memory level). It ranks candidates before any is compiled; measured times decide.
//
// Per statement: compute time = weighted operation count / (clock x ops per cycle), divided by the
// vector lanes when the vectorized innermost loop reads and writes contiguously; memory time =
// for each memory level, the traffic of the loop nest's working set that does not fit the level
// below it, over that level's bandwidth. The estimate is the larger of the two, summed over
// statements.
#pragma once

#include <string>
#include <vector>

#include "ir/index_program.h"
#include "search/schedule.h"

namespace axon {

struct MemoryModel {
  std::string name;
  double capacity_bytes = 0;   // 0 for the last level (unbounded)
  double bandwidth_gbps = 0;   // bytes per ns into the level above
};

struct MachineModel {
  int lanes = 1;                 // f32 vector lanes
  double clock_ghz = 1;
  double vector_ops_per_cycle = 1;  // vector arithmetic instructions issued per cycle
  double loads_per_cycle = 1;       // vector loads issued per cycle
  std::vector<MemoryModel> levels;  // registers/L1 first ... DRAM last
};

double estimate_ns(const IndexProgram& p, const Schedule& s, const MachineModel& m);
double estimate_stmt_ns(const IndexProgram& p, size_t stmt, const StmtSchedule& ss, const MachineModel& m);

}  // namespace axon
