// The NPU program builder (issue 20): a program built in memory passes the checker, simulates in
// both modes and round-trips through the writer; illegal builds give the checker's diagnostics.
#include <gtest/gtest.h>

#include <cmath>

#include "ir/error.h"
#include "program_equal.h"
#include "sim/functional.h"
#include "sim/program_builder.h"
#include "sim/program_defined.h"
#include "sim/program_write.h"
#include "sim/timing.h"
#include "sim_test_util.h"

namespace axon {
namespace {

using namespace simtest;

// y[64, 64] = sum over two 128-row blocks k of x_k^T x_k, then exp(y): a DMA per block on its own
// queue, matmuls accumulating in one PSUM bank, the result copied out through ACT.
NpuProgramBuilder gram(int64_t blocks = 2) {
  NpuProgramBuilder b(npu(), "gram");
  auto x = b.tensor("x", DType::F32, {128 * blocks, 64}, HbmKind::Input);
  auto y = b.tensor("y", DType::F32, {64, 64}, HbmKind::Output);
  auto xs = b.buffer("xs", "SBUF", DType::F32, 64 * blocks);
  auto ps = b.buffer("ps", "PSUM", DType::F32, 64, 64);
  auto zero = b.buffer("zero", "SBUF", DType::F32, 1, 64);
  auto ys = b.buffer("ys", "SBUF", DType::F32, 64, 64);
  b.instr("memset", "POOL").operand("out", b.tile(zero)).real("value", 0.0);
  for (int64_t k = 0; k < blocks; ++k) {
    b.instr("dma_copy")
        .queue(static_cast<int>(k))
        .operand("src", b.rows(x, 128 * k, 128))
        .operand("dst", b.tile(xs, 0, 128, 64 * k, 64));
    b.instr("matmul")
        .name("mm")
        .flag("accumulate", k > 0)
        .operand("st", b.tile(xs, 0, 128, 64 * k, 64))
        .operand("mv", b.tile(xs, 0, 128, 64 * k, 64))
        .operand("out", b.tile(ps));
  }
  b.instr("activation")
      .choice("func", "exp")
      .vector("scale", 0.01)
      .vector("bias", b.tile(zero, 0, 64))
      .operand("in", b.tile(ps))
      .operand("out", b.tile(ys));
  b.instr("dma_copy").queue(2).operand("src", b.tile(ys)).operand("dst", b.rows(y, 0, 64));
  return b;
}

TEST(SimProgramBuilder, BuiltProgramPassesTheCheckerAndSimulates) {
  NpuBuildResult r = gram().build();
  ASSERT_TRUE(r.ok()) << r.message();
  const NpuProgram& p = *r.program;
  EXPECT_TRUE(check_npu_program(p, npu()).empty());
  EXPECT_EQ(p.instrs.size(), 7u);
  double t = simulate_timing(p).report.total_ns;
  EXPECT_GT(t, 0);
  // Functional mode against the same computation done here.
  TensorMap in = random_program_inputs(p, 7);
  TensorMap out = run_functional(p, in);
  const auto& x = in.at("x").data;
  const auto& y = out.at("y").data;
  ASSERT_EQ(y.size(), 64u * 64u);
  for (int i : {0, 5, 63})
    for (int j : {0, 17, 63}) {
      double s = 0;
      for (int r = 0; r < 256; ++r)
        s += x[r * 64 + i] * x[r * 64 + j];
      EXPECT_NEAR(y[i * 64 + j], std::exp(0.01 * s), 1e-4 * std::exp(0.01 * s));
    }
  // The writer's text loads to the same program and time.
  NpuProgram q = load_npu_program_from_string(write_npu_program(p), npu());
  EXPECT_EQ(program_difference(p, q), "");
  EXPECT_DOUBLE_EQ(simulate_timing(q).report.total_ns, t);
}

TEST(SimProgramBuilder, PlacesBuffersAsTheLoaderDoes) {
  NpuProgramBuilder b = gram();
  NpuBuildResult r = b.build();
  ASSERT_TRUE(r.ok()) << r.message();
  const NpuProgram& p = *r.program;
  EXPECT_EQ(b.program().buffers[2].offset, p.buffers[2].offset);
  NpuProgram q = load_npu_program_from_string(write_npu_program(p, {}), npu());
  // zero follows xs in SBUF; the PSUM buffer starts a bank.
  EXPECT_EQ(p.buffers[2].offset, 64 * 2 * 4);
  EXPECT_EQ(p.buffers[1].offset, 0);
  EXPECT_EQ(program_difference(p, q), "");
}

// The first diagnostic of a build, which must fail.
std::string fails(const NpuProgramBuilder& b) {
  NpuBuildResult r = b.build();
  EXPECT_FALSE(r.ok());
  EXPECT_FALSE(r.program.has_value());
  return r.message();
}

void expect_has(const std::string& msg, const std::vector<std::string>& parts) {
  for (const auto& s : parts)
    EXPECT_NE(msg.find(s), std::string::npos) << "missing '" << s << "' in: " << msg;
}

TEST(SimProgramBuilder, OverCapacityBufferIsTheCheckersDiagnostic) {
  NpuProgramBuilder b = gram();
  b.buffer("big", "SBUF", DType::F32, 48 * 1024); // 192 KiB per partition after the others
  expect_has(fails(b), {"/buffers/4", "SBUF bytes per partition exceeded", "buffer 'big'"});
  NpuProgramBuilder c = gram();
  auto w = c.buffer("wide", "PSUM", DType::F32, 1024); // 4 KiB per partition: not one bank
  auto s = c.buffer("s600", "SBUF", DType::F32, 600);
  c.instr("tensor_copy").operand("a", c.tile(s)).operand("out", c.tile(w, 0, 128, 0, 600));
  expect_has(fails(c), {"/instrs/7/out", "PSUM bank overflow"});
}

TEST(SimProgramBuilder, PartitionDimOver128IsTheCheckersDiagnostic) {
  NpuProgramBuilder b = gram();
  b.buffer("tall", "SBUF", DType::F32, 16, 256);
  expect_has(fails(b), {"/buffers/4", "partitions [0, 256) are outside SBUF's 128 partitions"});
  // A DMA of 256 HBM rows: the partition dim of its operands is past the ISA's 128.
  NpuProgramBuilder c(npu(), "tall_dma");
  auto x = c.tensor("x", DType::F32, {256, 4}, HbmKind::Input);
  auto y = c.tensor("y", DType::F32, {256, 4}, HbmKind::Output);
  c.instr("dma_copy").operand("src", c.rows(x, 0, 256)).operand("dst", c.rows(y, 0, 256));
  EXPECT_EQ(fails(c),
            "/instrs/0: instruction 0 (dma_copy on DMA queue 0): P = 256 is outside [1, 128]");
}

TEST(SimProgramBuilder, WrongEngineIsTheCheckersDiagnostic) {
  NpuProgramBuilder b = gram();
  b.instr("matmul", "DVE")
      .operand("st", b.tile(NpuBufferId{0}, 0, 128, 0, 64))
      .operand("mv", b.tile(NpuBufferId{0}, 0, 128, 0, 64))
      .operand("out", b.tile(NpuBufferId{1}));
  EXPECT_EQ(fails(b), "/instrs/7/engine: instruction 'matmul' does not run on engine 'DVE'; it "
                      "runs on PE");
}

TEST(SimProgramBuilder, UseBeforeDefinitionIsDiagnosed) {
  // The activation reads the PSUM bank before any matmul wrote it.
  NpuProgramBuilder b(npu(), "early");
  auto ps = b.buffer("ps", "PSUM", DType::F32, 64, 64);
  auto ys = b.buffer("ys", "SBUF", DType::F32, 64, 64);
  b.instr("tensor_copy").operand("a", b.tile(ps)).operand("out", b.tile(ys));
  EXPECT_EQ(fails(b), "/instrs/0/a: instruction 0 (tensor_copy on DVE): read of never-written "
                      "memory: operand 'a' reads buffer 'ps' partition 0 element 0, which no "
                      "earlier instruction wrote");
  // The first matmul accumulates into a bank nothing wrote: its `out` is read.
  NpuProgramBuilder c(npu(), "acc");
  auto x = c.tensor("x", DType::F32, {128, 64}, HbmKind::Input);
  auto xs = c.buffer("xs", "SBUF", DType::F32, 64);
  auto pc = c.buffer("pc", "PSUM", DType::F32, 64, 64);
  c.instr("dma_copy").operand("src", c.rows(x, 0, 128)).operand("dst", c.tile(xs));
  c.instr("matmul")
      .flag("accumulate", true)
      .operand("st", c.tile(xs))
      .operand("mv", c.tile(xs))
      .operand("out", c.tile(pc));
  expect_has(fails(c), {"/instrs/1/out", "operand 'out' reads buffer 'pc'"});
  // A DMA loading half of a tile, then a read of all of it: the first unwritten element.
  NpuProgramBuilder d(npu(), "half");
  auto h = d.tensor("h", DType::F32, {128, 64}, HbmKind::Input);
  auto hs = d.buffer("hs", "SBUF", DType::F32, 64);
  auto o = d.buffer("o", "SBUF", DType::F32, 64);
  d.instr("dma_copy")
      .operand("src", d.rows(h, 0, 128, 0, 32))
      .operand("dst", d.tile(hs, 0, 128, 0, 32));
  d.instr("tensor_copy").operand("a", d.tile(hs)).operand("out", d.tile(o));
  expect_has(fails(d), {"/instrs/1/a", "buffer 'hs' partition 0 element 32"});
  // An `after` edge to a later instruction.
  NpuProgramBuilder e = gram();
  e.instr("memset", "POOL")
      .after(NpuInstrId{9})
      .operand("out", e.tile(NpuBufferId{2}))
      .real("value", 1.0);
  expect_has(fails(e), {"/instrs/7/after/0", "which is not an earlier instruction"});
}

TEST(SimProgramBuilder, DefinedReadsAgreeWithFunctionalMode) {
  // The same faulty program loaded from JSON (the loader does not run the definition check):
  // functional mode stops at the same read with the same words.
  ProgramBuilder j;
  j.tensor("x", "f32", {128, 64}, "input");
  j.buffer("xs", "SBUF", "f32", 128, 64).buffer("o", "SBUF", "f32", 128, 64);
  j.instr({{"instr", "dma_copy"}, {"src", hbm("x", 128, 32)}, {"dst", tile("xs", 32)}});
  j.instr({{"instr", "tensor_copy"}, {"a", tile("xs", 64)}, {"out", tile("o", 64)}});
  NpuProgram p = j.load();
  std::vector<NpuDiagnostic> d = check_defined_reads(p);
  ASSERT_EQ(d.size(), 1u);
  try {
    run_functional(p, random_program_inputs(p, 1));
    FAIL() << "functional mode read never-written memory";
  } catch (const UserError& e) {
    EXPECT_EQ(std::string(e.what()), "test.json: " + d[0].message);
  }
}

TEST(SimProgramBuilder, UnknownNamesAreTheBuildersDiagnostics) {
  NpuProgramBuilder b = gram();
  b.instr("matmul").flag("acumulate", true);
  EXPECT_EQ(fails(b),
            "/instrs/7/acumulate: instruction 'matmul' has no flag parameter 'acumulate'");
  NpuProgramBuilder c = gram();
  c.instr("nosuch");
  EXPECT_EQ(fails(c), "/instrs/7/instr: target 'npu' has no instruction 'nosuch'");
  NpuProgramBuilder d = gram();
  d.instr("memset").integer("value", 1);
  expect_has(fails(d), {"has no int immediate parameter 'value'"});
}

} // namespace
} // namespace axon
