// The NPU backend's analytic model: what ranks plans before the timing simulator times the best
// few. It reads a lowered program (emit/npu/lower.h) and charges every instruction what the timing
// model charges it (sim/timing.h instruction_time_ns: the ISA's cost formulas, a DMA's with the
// runs of its tiles), summed per resource: each engine queue, each DMA queue (its fixed cost per
// transfer plus the transfer), the DMA engine's pool of data movers, the device memory's
// bandwidth, the DMA engine's aggregate bandwidth and each exclusive memory port of the ISA's
// contention rules. With perfect overlap the program takes as long as its busiest resource: that
// is the estimate, a lower bound of the simulated time, never reported as a measurement.
#pragma once

#include <string>

#include "sim/program.h"

namespace axon {

struct NpuEstimate {
  double ns = 0;     // the busiest resource's time
  std::string bound; // which resource ("PE", "DMA q0", "HBM", "port SBUF DVE/POOL", ...)
};

NpuEstimate estimate_npu_program(const NpuProgram& prog);

} // namespace axon
