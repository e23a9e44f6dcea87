// NPU programs (docs/npu-program.md): HBM tensors, on-chip buffers placed in the memory levels of
// a target, and a list of instructions of that target whose operands are tiles. load_npu_program
// parses the JSON form (sim/program_parse.h: loops expanded, buffers placed), checks every
// legality rule (sim/program_check.h: operand memories, dtypes, shape limits, constraints,
// partition starts, bank boundaries, capacity, tile bounds) and indexes the distinct uses
// (sim/program_uses.h), so the functional and timing simulators only ever see legal programs.
// Every problem is a UserError naming the JSON pointer, the instruction (its index and name) and
// the rule it breaks. A program built in memory goes through check_npu_program and index_uses
// before it is simulated.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "isa/isa.h"

namespace axon {

inline constexpr int kNpuProgramSchemaVersion = 1;

enum class HbmKind { Input, Output, Scratch };

// A tensor in device memory (the target's memory of kind dram), row-major.
struct HbmTensor {
  std::string name;
  DType dtype = DType::F32;
  std::vector<int64_t> shape;
  HbmKind kind = HbmKind::Input;
  int64_t numel() const;
};

// A named on-chip allocation: `partitions` partitions from `start_partition`, each holding `size`
// elements of `dtype` from byte `offset` of every partition.
struct Buffer {
  std::string name;
  std::string memory;
  DType dtype = DType::F32;
  int64_t start_partition = 0;
  int64_t partitions = 1;
  int64_t size = 1;   // elements per partition
  int64_t offset = 0; // bytes from the start of each partition (allocated when not given)
};

// One operand: a view of a buffer or of an HBM tensor. Element (p, j) of the view, j the
// row-major flattening of the free access pattern, is at
//   buffer: partition start_partition + p0 + p, element offset + sum_d i_d * ap[d].stride
//   tensor: flat element offset + p * pstride + sum_d i_d * ap[d].stride
struct ApDim {
  int64_t stride = 1;
  int64_t count = 1;
};
// Advances a multi-index over the counts of an access pattern, last entry fastest; false once it
// wraps around after the last element.
inline bool next_index(std::vector<int64_t>& idx, const std::vector<ApDim>& ap) {
  size_t d = idx.size();
  while (d-- > 0) {
    if (++idx[d] < ap[d].count)
      return true;
    idx[d] = 0;
  }
  return false;
}

struct Tile {
  bool in_hbm = false;
  int object = -1;       // index into NpuProgram::tensors (in_hbm) or ::buffers
  int64_t p0 = 0;        // first partition, relative to the buffer (unused for HBM)
  int64_t np = 1;        // partitions (HBM: the count of the first access-pattern entry)
  int64_t pstride = 0;   // HBM only: elements between consecutive partitions
  int64_t offset = 0;    // elements
  std::vector<ApDim> ap; // free axes, outermost first
  int64_t free_size() const;
};

// A vector parameter is a [P] tile or an immediate number.
struct VectorArg {
  bool immediate = false;
  double value = 0;
  Tile tile;
};

struct NpuInstr {
  std::string name; // for messages and traces; not unique
  const Instruction* instr = nullptr;
  const Engine* engine = nullptr;
  int queue = 0;                            // which of the engine's queues
  std::map<std::string, Tile> operands;     // present operands by name
  std::map<std::string, VectorArg> vectors; // vector params by name
  std::map<std::string, double> reals;      // real immediates
  ParamChoice choice;                       // enum values, flags ("true"/"false"), int immediates
  std::vector<int> after;                   // explicit extra dependencies (instruction indices)
  int use = -1;                             // index into NpuProgram::uses
  std::string where() const;                // "instruction 12 'mm_3' (matmul on PE)"
  int index = 0;
};

struct NpuProgram {
  int schema_version = kNpuProgramSchemaVersion;
  std::string name;
  std::string path;
  std::vector<HbmTensor> tensors;
  std::vector<Buffer> buffers;
  std::vector<NpuInstr> instrs;
  // Distinct uses (sizes, placement, dtypes, parameter choices): what costs and checks see.
  // Instructions share them, so a 100k-instruction program costs and checks a handful.
  std::vector<InstrUse> uses;
  std::string hbm_memory; // the target's dram level
  const Isa* isa = nullptr;

  const HbmTensor* find_tensor(const std::string& n) const;
  const Buffer* find_buffer(const std::string& n) const;
  // Memory level and dtype of an operand's tile.
  const std::string& memory_of(const Tile& t) const;
  DType dtype_of(const Tile& t) const;
};

// Reads and checks a program against `isa` (which must outlive the result).
NpuProgram load_npu_program(const std::string& path, const Isa& isa);
NpuProgram load_npu_program_from_string(const std::string& text, const Isa& isa,
                                        const std::string& path = "<string>");

} // namespace axon
