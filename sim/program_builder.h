// Building an NPU program in memory (issue 20): what an NPU backend calls to declare HBM tensors
// and on-chip buffers, take tiles of them, and append instructions on engines and DMA queues in
// program order. build() runs the legality rules of the loader (check_npu_program) and the
// use-before-definition check (sim/program_defined.h) and returns either a program ready to
// simulate (uses indexed) or the diagnostics naming what is illegal. Nothing here knows a
// target: instruction, engine, memory and parameter names are the ISA JSON's.
//
//   NpuProgramBuilder b(isa, "copy");
//   auto x = b.tensor("x", DType::F32, {128, 512}, HbmKind::Input);
//   auto xs = b.buffer("xs", "SBUF", DType::F32, 512);
//   b.instr("dma_copy").queue(0).operand("src", b.rows(x, 0, 128)).operand("dst", b.tile(xs));
//   NpuBuildResult r = b.build();
//
// Loops: the program format's loops are an encoding of the expanded instruction list (the
// loader expands them); a backend writes them as C++ loops around instr(), and
// write_npu_program (sim/program_write.h) folds the repetition back into `loop` items.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "sim/program.h"
#include "sim/program_check.h"

namespace axon {

struct NpuTensorId {
  int index = -1;
};
struct NpuBufferId {
  int index = -1;
};
struct NpuInstrId {
  int index = -1;
};

struct NpuBuildResult {
  std::optional<NpuProgram> program;      // present exactly when legal
  std::vector<NpuDiagnostic> diagnostics; // empty exactly when legal
  bool ok() const { return program.has_value(); }
  std::string message() const; // the first diagnostic as "pointer: message", or ""
};

class NpuProgramBuilder {
public:
  // `isa` must outlive the builder and the program it builds.
  NpuProgramBuilder(const Isa& isa, std::string name);

  // A row-major tensor in the target's device memory.
  NpuTensorId tensor(const std::string& name, DType dtype, std::vector<int64_t> shape,
                     HbmKind kind);
  // `size` elements per partition of `memory`, over `partitions` partitions from
  // `start_partition` (0 partitions: all of the memory's). Without `offset` the buffer is placed
  // after the previous buffers of its memory, on a bank boundary in a banked memory, as the loader
  // places buffers that give no offset.
  NpuBufferId buffer(const std::string& name, const std::string& memory, DType dtype, int64_t size,
                     int64_t partitions = 0, int64_t start_partition = 0,
                     std::optional<int64_t> offset = std::nullopt);

  // Tiles. HBM: element (p, j) at offset + p * partition.stride + sum_d i_d * free[d].stride of
  // the flat tensor. rows(): rows [row0, row0 + nrows) x columns [col0, col0 + ncols) of the
  // tensor viewed as [shape[0], rest], one row per partition.
  Tile hbm(NpuTensorId t, int64_t offset, ApDim partition, std::vector<ApDim> free) const;
  Tile rows(NpuTensorId t, int64_t row0, int64_t nrows, int64_t col0 = 0, int64_t ncols = -1) const;
  // On chip: partitions [p0, p0 + np) of the buffer (np -1: to its end), free elements from
  // `offset` by the access pattern (or `n` contiguous ones; n -1: to the end of the partition).
  Tile tile(NpuBufferId b, int64_t p0 = 0, int64_t np = -1, int64_t offset = 0,
            int64_t n = -1) const;
  Tile tile(NpuBufferId b, int64_t p0, int64_t np, int64_t offset, std::vector<ApDim> ap) const;

  // Appends an instruction of the ISA on `engine` (empty: the first engine it lists); the
  // returned handle sets its operands and parameters until the next instr() call.
  class Instr {
  public:
    Instr& queue(int q);
    Instr& name(const std::string& n);
    Instr& after(NpuInstrId earlier);
    Instr& operand(const std::string& name, const Tile& t);
    Instr& choice(const std::string& param, const std::string& value); // an enum value
    Instr& flag(const std::string& param, bool value);
    Instr& integer(const std::string& param, int64_t value); // an int immediate
    Instr& real(const std::string& param, double value);     // a real immediate
    Instr& vector(const std::string& param, const Tile& t);  // a [P] tile
    Instr& vector(const std::string& param, double value);   // an immediate
    NpuInstrId id() const { return {index_}; }

  private:
    friend class NpuProgramBuilder;
    Instr(NpuProgramBuilder& b, int index) : b_(&b), index_(index) {}
    NpuInstr& x();
    const ParamSpec* param(const std::string& n, ParamKind kind, const char* what);
    NpuProgramBuilder* b_;
    int index_;
  };
  Instr instr(const std::string& instruction, const std::string& engine = "");

  // The program so far (unchecked), for tests and tools.
  const NpuProgram& program() const { return p_; }
  // Checks and returns the program (see the class comment); the first `max_diagnostics`
  // problems otherwise: the builder's own (unknown instruction, engine or parameter names), then
  // check_npu_program's, then check_defined_reads' (run only on a program the first two accept).
  NpuBuildResult build(size_t max_diagnostics = 1) const;

private:
  void note(const std::string& pointer, const std::string& message);
  const Isa& isa_;
  NpuProgram p_;
  std::vector<NpuDiagnostic> own_; // the builder's own findings, in order
};

} // namespace axon
