// Timing simulation of an NPU program (docs/npu-program.md, "Timing model"): every compute
// engine and every DMA queue runs its instructions in program order; an instruction starts when
// its queue is free and the tiles it touches are ready (read-after-write, write-after-read,
// write-after-write on overlapping memory, plus explicit `after` edges), and holds any memory port
// that a contention rule of the ISA makes exclusive. Durations come only from the ISA's cost
// formulas (a DMA's sees the contiguous runs of its tiles as `X.runs`); engine attributes are used
// when the target defines them: `access_overhead_cycles` (latency before another queue sees a
// result; the same in-order queue gets it forwarded), `dependency_penalty_cycles` (extra cycles
// when an instruction waited on a dependency or uses the result of the instruction just before it),
// `fixed_cost_ns` of a DMA engine (time a transfer holds its queue before its formula's time on the
// DMA engines, which all queues of the engine share, one transfer at a time) and
// `aggregate_bandwidth_gbps` (bandwidth shared by all queues of the engine). Traffic to a memory
// with `bandwidth_gbps` shares that bandwidth. The ISA constants `onchip_fast_stride_bytes` and
// `onchip_strided_access_factor` slow down compute instructions that stride wider on chip.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "sim/program.h"

namespace axon {

struct LaneStats {
  std::string name; // "PE", "DMA q3"
  std::string engine;
  double busy_ns = 0;
  int64_t instructions = 0;
};

struct TimingReport {
  double total_ns = 0;          // until the last result is visible (a DMA's data has landed)
  std::vector<LaneStats> lanes; // one per engine queue, in ISA order
  std::map<std::string, double> engine_busy_ns; // summed over an engine's queues
  std::map<std::string, int> engine_lanes;      // queues of each engine that ran something
  double dma_bytes = 0;                         // bytes written by DMA transfers
  double hbm_bytes = 0;                         // bytes read from or written to device memory
  double hbm_gbps = 0;                          // the device memory's bandwidth (roofline)
  double tensor_flops = 0, other_flops = 0;
  // Lower bounds of the roofline (NPU.md): bytes / bandwidth, tensor-engine FLOPs at the
  // instruction's peak rate for its dtype, and other FLOPs over the vector and scalar engines.
  double memory_bound_ns = 0, tensor_bound_ns = 0, other_bound_ns = 0;
  double roofline_ns() const;
  double roofline_percent() const { return total_ns > 0 ? 100.0 * roofline_ns() / total_ns : 0; }
};

struct TimedInstr {
  int lane = 0;
  double start_ns = 0, end_ns = 0; // occupancy of the queue
  double done_ns = 0;              // when dependents may use the result
};

struct TimingResult {
  TimingReport report;
  std::vector<TimedInstr> instrs; // per instruction of the program, in program order
};

TimingResult simulate_timing(const NpuProgram& prog);

// Contiguous runs of a tile's access pattern (what one DMA descriptor moves): its elements over
// the longest contiguous run they all share. On-chip partitions never join a run.
int64_t tile_runs(const Tile& t);
// The use an instruction is costed with: its program use, and for a DMA the runs of each
// operand's tile as the sizes `OPERAND.runs` (the `X.runs` cost variables).
InstrUse costed_use(const NpuProgram& prog, const NpuInstr& x);
// The factor a compute instruction's cost takes when one of its SBUF/PSUM tiles steps more than
// the ISA constant `onchip_fast_stride_bytes` along its innermost axis: the constant
// `onchip_strided_access_factor` (1 when the ISA has neither, and for DMAs).
double onchip_stride_factor(const NpuProgram& prog, const NpuInstr& x);

// The cost the timing model charges for one execution of `x` before any waiting: the ISA's cost
// formula for its costed use (a DMA's with the runs of its tiles), in ns, times engine_passes and
// onchip_stride_factor. The scheduler calls exactly this. A DMA holds its queue for the engine's
// `fixed_cost_ns` before this time, which it spends on the DMA engines all queues share.
double instruction_time_ns(const NpuProgram& prog, const NpuInstr& x);

// An engine attribute in ns (a cycles value at the engine's clock); 0 when the engine lacks it.
double attribute_ns(const Engine& e, const std::string& attr);
// The bytes a tile touches (partitions x free elements x its dtype's size).
int64_t tile_bytes(const NpuProgram& p, const Tile& t);

// Engine attributes the timing model itself reads (beyond the cost formulas), the ones
// `--set` may override besides formula variables, clock_ghz, lanes and queues.
const std::vector<std::string>& timing_model_attributes();

// Passes a compute engine makes over an instruction whose operands span `partitions`
// partitions: ceil(partitions / lanes) (one lane per partition; 1 on the shipped target, whose
// engines have as many lanes as partitions). DMA engines make one pass.
int64_t engine_passes(const Engine& e, int64_t partitions);

// Human-readable summary: total time, per-engine busy time and utilisation, DMA traffic and
// achieved bandwidth, and the roofline bound with the percentage reached.
std::string format_timing_report(const NpuProgram& prog, const TimingReport& r);
nlohmann::json timing_report_json(const TimingReport& r);

// The timeline in Chrome trace-event format (one thread per engine queue), viewable in Perfetto.
nlohmann::json chrome_trace(const NpuProgram& prog, const TimingResult& t);

} // namespace axon
