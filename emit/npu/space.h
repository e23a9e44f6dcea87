// The NPU backend's schedule space: the plans (emit/npu/npu_plan.h) it proposes for a program,
// from the covers instruction selection found for its statements and the target's limits only.
// Per statement: the cover (a layout alternative), the tile of each Var (the partition Var at the
// partition count or its instruction bound, a Var an instruction bounds at that bound, a free Var
// at 512, 2048 or whole, a reduction without a bound whole) and the loop order (the partition
// loop or the free loop outermost, reductions innermost). Per program: statements each on their
// own or fused greedily in program order while the plan stays legal; tensors read transposed
// moved by a transposing DMA or through the transpose instruction; inputs preloaded or streamed;
// 2 or 3 rotating buffers; 2, 8 or all DMA queues. Every plan returned is legal
// (npu_plan_legality). The op-by-op baseline is one documented default plan: every statement on
// its own, the cheapest cover, the tiles of the first choices above, one buffer, one DMA queue,
// transposing DMAs, nothing preloaded.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "emit/npu/lower.h"
#include "emit/npu/npu_plan.h"

namespace axon {

// What a cover asks of a tiling: each Var's extent, the bound instructions put on it, which one
// is on the partitions of the result, which are reductions, and the tensors read in another
// layout than their row-major one (the tensor axis on the partitions is not axis 0).
struct CoverShape {
  std::string partition_var;
  std::map<std::string, int64_t> extent;
  std::map<std::string, int64_t> bound; // only Vars some instruction bounds
  std::set<std::string> reductions;
  std::set<std::string> transposed_reads;
};
CoverShape cover_shape(const IndexProgram& p, const Cover& c, const Isa& isa);

// The baseline's plan (see above).
NpuPlan npu_default_plan(const IndexProgram& p, const NpuCovers& covers, const Isa& isa);

struct NpuSpaceOptions {
  uint64_t seed = 1;
  size_t max_plans = 160; // structural choices estimated before the buffer and queue variations
};

// The legal plans of the space (the baseline's excluded), deterministic for the seed; `why`,
// when no plan is legal, says what the last illegal one broke.
std::vector<NpuPlan> npu_plans(const IndexProgram& p, const NpuCovers& covers, const Isa& isa,
                               const NpuSpaceOptions& o, std::string* why = nullptr);

// The buffer and DMA-queue variations of a plan (itself excluded), legal ones only.
std::vector<NpuPlan> npu_memory_variations(const IndexProgram& p, const NpuPlan& plan,
                                           const NpuCovers& covers, const Isa& isa);

// Dim sizes at which the plan keeps its loop structure: every tiled loop at least
// max(3, bufs + 1) iterations with its ragged last tile kept, dims no loop tiles at most 48;
// `extra` more iterations per tiled loop (a second shape). Dims in extents other than a bare dim
// keep their size.
std::map<std::string, int64_t> npu_check_dims(const IndexProgram& p, const NpuPlan& plan,
                                              const NpuCovers& covers, const Isa& isa,
                                              int extra = 0);

} // namespace axon
