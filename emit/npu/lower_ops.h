// The NPU program that lowering schedules, as plain data: HBM tensors, on-chip buffers and
// instructions with their tile views, parameters, engine and DMA queue, in program order.
// lower_schedule.cpp fills it from a plan and the covers (it needs synth/isel_tile.h, whose
// `Tile` is not the simulator's), lower.cpp hands it to the simulator's NpuProgramBuilder.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "emit/npu/npu_plan.h"
#include "ir/dtype.h"
#include "ir/index_program.h"
#include "isa/isa.h"
#include "synth/isel_cover.h"

namespace axon {

using NpuCovers = std::vector<std::vector<std::shared_ptr<const Cover>>>;

// A tile of an HBM tensor (hbm) or of an on-chip buffer; element (p, j) as in sim/program.h.
struct NpuView {
  bool hbm = false;
  int object = -1; // index into NpuOps::tensors or ::buffers
  int64_t p0 = 0, np = 1;
  int64_t pstride = 0; // HBM only
  int64_t offset = 0;
  std::vector<std::pair<int64_t, int64_t>> ap; // free axes (stride, count), outermost first
};

enum class NpuTensorKind { Input, Output, Scratch };

struct NpuOpsTensor {
  std::string name;
  DType dtype = DType::F32;
  std::vector<int64_t> shape;
  NpuTensorKind kind = NpuTensorKind::Input;
};

struct NpuOpsBuffer {
  std::string name;
  std::string memory;
  DType dtype = DType::F32;
  int64_t size = 1; // elements per partition, over every partition of the memory
};

struct NpuOp {
  std::string instr, engine, name;
  int queue = 0;
  std::map<std::string, NpuView> operands;
  std::map<std::string, NpuView> vector_tiles;
  std::map<std::string, double> vector_immediates;
  std::map<std::string, double> reals;
  std::map<std::string, int64_t> integers;
  std::map<std::string, std::string> choices; // enum values
  std::map<std::string, bool> flags;
};

struct NpuOps {
  std::vector<NpuOpsTensor> tensors;
  std::vector<NpuOpsBuffer> buffers;
  std::vector<NpuOp> ops;
};

// The program `plan` describes (UserError "no lowering for ..." where it cannot be lowered).
NpuOps schedule_npu_plan(const IndexProgram& p, const NpuPlan& plan, const NpuCovers& covers,
                         const Isa& isa);
// Why the plan is illegal, "" when legal: the checks of lower.h's npu_plan_legality.
std::string check_npu_plan(const IndexProgram& p, const NpuPlan& plan, const NpuCovers& covers,
                           const Isa& isa);

} // namespace axon
