// The cost audit (`axon-synth sim --audit`, issue 21): a second, independent computation of every
// instruction's duration from the JSON (the target's cost formula evaluated on the program's own
// tiles, without the timing model's cached uses), compared with the Chrome trace the timing model
// writes. A search that treats the simulator as the hardware relies on the trace charging exactly
// what targets/npu.json says; the audit is what checks it.
//
// Per instruction:
//  - the formula value (ns, times the engine's passes) must equal what the timing model charged
//    (instruction_time_ns);
//  - a compute instruction's traced duration must be that value, or that value plus the engine's
//    dependency_penalty_cycles when it waited on a dependency;
//  - a DMA's traced duration (queue occupancy) must be at least the value minus the engine's
//    fixed_cost_ns (the part the timing model treats as latency), and its data must land no
//    earlier than the full value after it starts. Shared bandwidth may stretch it (reported as
//    the largest stretch, not an error).
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sim/program.h"
#include "sim/timing.h"

namespace axon {

struct AuditMismatch {
  int index = 0;
  std::string where;    // NpuInstr::where()
  std::string what;     // which check failed
  double expected_ns = 0, got_ns = 0;
};

struct AuditReport {
  int64_t instructions = 0, dmas = 0;
  double max_dma_stretch_ns = 0; // largest traced DMA occupancy beyond the formula's
  std::vector<AuditMismatch> mismatches; // the first 20
  int64_t mismatch_count = 0;
  bool ok() const { return mismatch_count == 0; }
};

// The duration of `x` by the cost formula of `prog.isa`, evaluated on the instruction's tiles.
double audit_formula_ns(const NpuProgram& prog, const NpuInstr& x);

// Audits `trace` (chrome_trace of `timing`) against the formulas.
AuditReport audit_timing(const NpuProgram& prog, const TimingResult& timing,
                         const nlohmann::json& trace);

std::string format_audit_report(const AuditReport& r);

} // namespace axon
