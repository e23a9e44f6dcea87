// Internals of the NPU lowering shared by its files: the statement tilings a plan asks for and
// the checks of npu_plan_legality (lower_legality.cpp), used by the scheduler
// (lower_schedule.cpp). Not for use outside emit/npu/lower*.cpp.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "emit/npu/lower_movement.h"
#include "emit/npu/lower_ops.h"
#include "ir/index_program.h"
#include "isa/isa.h"
#include "synth/isel_cover.h"

namespace axon::npu_lower {

std::string join(const std::vector<std::string>& v);
// A tensor's shape in HBM (a rank-0 tensor is [1]) and its row-major strides.
std::vector<int64_t> hbm_shape(const IndexProgram& p, const std::string& t);
std::vector<int64_t> row_major(const std::vector<int64_t>& shape);
inline int64_t ceil_div(int64_t a, int64_t b) { return (a + b - 1) / b; }
// Which memory a result or temp of `instr` lives in: the working memory where the operand may
// live there, else the accumulator.
std::string result_memory(const Instruction& instr, const std::string& slot,
                          const NpuMemories& mem);
// `want` where the operand or vector parameter accepts it, else its first dtype.
DType operand_dtype(const Instruction& instr, const std::string& slot, DType want);

// Everything one statement's lowering needs about its cover and tiling.
struct StmtTiling {
  size_t stmt = 0;
  const Cover* cover = nullptr;
  std::map<std::string, int64_t> extent, tile; // per cover Var
  std::vector<std::string> loops;              // tile loops, outermost first (> 1 tile each)
  std::string partition_var;                   // the last instruction's result axis 0
  std::set<std::string> chunked;               // reduction Vars split into chunks
  std::optional<ParamChoice> accumulate;       // the last instruction's form that adds into
                                               // its result, when a reduction is chunked
};

// Every statement's tiling from the plan, after the plan's structure (groups, routes, preloads,
// bufs, queues) and the groups' shared row tiles are checked; why the plan cannot be lowered
// otherwise ("" when it can).
std::string plan_tilings(const IndexProgram& p, const NpuPlan& plan, const NpuCovers& covers,
                         const Isa& isa, const NpuMemories& mem, std::vector<StmtTiling>* out);
// Bytes per partition of the scheduled buffers per memory against its capacity, and each
// buffer's size against the memory's free size; "" when they fit.
std::string check_capacity(const NpuOps& ops, const Isa& isa);

} // namespace axon::npu_lower
