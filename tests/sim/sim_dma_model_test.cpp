// The DMA cost model (docs/npu-calibration.md): descriptors counted from access patterns, FIFO
// queues whose fixed cost occupies the queue, one pool of DMA engines shared by all queues, the
// three-access-pattern experiment, and the smaller costs the NKI documentation names (fp32 PE
// transposes at a quarter rate, wide on-chip strides at half rate). Relations and counts only;
// no absolute time is asserted except where it is the model's own formula.
#include <gtest/gtest.h>

#include "sim/timing.h"
#include "sim_test_util.h"

namespace axon {
namespace {

using namespace simtest;

TimingResult run(const ProgramBuilder& b) { return simulate_timing(b.load()); }
TimingReport shipped(const std::string& name) {
  return simulate_timing(load_npu_program("sim/programs/" + name + ".json", npu())).report;
}

TEST(SimDmaModel, RunsAreCountedFromTheAccessPattern) {
  ProgramBuilder b;
  b.tensor("x", "f32", {256, 2048}, "input").buffer("s", "SBUF", "f32", 128, 2048);
  // Whole rows of a row-major tensor: one run in HBM, one per partition in SBUF.
  b.instr({{"instr", "dma_copy"}, {"src", hbm("x", 128, 2048)}, {"dst", tile("s", 2048)}});
  // Half rows: 128 runs of 1024 elements.
  b.instr({{"instr", "dma_copy"}, {"src", hbm("x", 128, 1024, 0, 2048)}, {"dst", tile("s", 1024)}});
  // Transposing: partition p takes column p, so every element is its own run.
  b.instr({{"instr", "dma_copy"},
           {"src", {{"tensor", "x"}, {"ap", {{1, 128}, {2048, 256}}}}},
           {"dst", tile("s", 256)}});
  NpuProgram p = b.load();
  EXPECT_EQ(tile_runs(p.instrs[0].operands.at("src")), 1);
  EXPECT_EQ(tile_runs(p.instrs[0].operands.at("dst")), 128);
  EXPECT_EQ(tile_runs(p.instrs[1].operands.at("src")), 128);
  EXPECT_EQ(tile_runs(p.instrs[2].operands.at("src")), 128 * 256);
  EXPECT_EQ(costed_use(p, p.instrs[2]).dims.at("src.runs"), 128 * 256);
  // Below 256 bytes a descriptor is overhead-bound: per byte, the transposing load (4-byte runs,
  // a quarter of the half-row load's bytes) is far slower.
  TimingResult t = run(b);
  EXPECT_GT(4 * (t.instrs[2].end_ns - t.instrs[2].start_ns),
            10 * (t.instrs[1].end_ns - t.instrs[1].start_ns));
}

TEST(SimDmaModel, QueuesAreFifo) {
  // Queue 0 first stores a result that a long ACT chain produces, then loads an independent
  // tile: the load waits behind the store (before, it took the queue's first free gap).
  ProgramBuilder b;
  b.input("x", "f32", 128, 2048, 1).tensor("y", "f32", {128, 2048}, "output");
  b.tensor("z", "f32", {128, 2048}, "input").buffer("z_s", "SBUF", "f32", 128, 2048);
  b.buffer("t", "SBUF", "f32", 128, 2048);
  for (int i = 0; i < 8; ++i)
    b.instr({{"instr", "tensor_scalar"},
             {"engine", "ACT"},
             {"in", tile(i ? "t" : "x_s", 2048)},
             {"out", tile("t", 2048)},
             {"op0", "multiply"},
             {"s0", 2.0},
             {"op1", "bypass"},
             {"s1", 0.0}});
  b.instr({{"instr", "dma_copy"},
           {"queue", 0},
           {"src", tile("t", 2048)},
           {"dst", hbm("y", 128, 2048)}});
  b.instr({{"instr", "dma_copy"},
           {"queue", 0},
           {"src", hbm("z", 128, 2048)},
           {"dst", tile("z_s", 2048)}});
  TimingResult t = run(b);
  size_t store = t.instrs.size() - 2, load = t.instrs.size() - 1;
  EXPECT_GE(t.instrs[load].start_ns, t.instrs[store].end_ns);
}

TEST(SimDmaModel, FixedCostOccupiesTheQueue) {
  // n small loads on one queue take n x (fixed cost + engine time); spread over 16 queues the
  // fixed costs overlap and only the shared DMA engines serialise them.
  auto loads = [](int queues) {
    ProgramBuilder b;
    b.tensor("x", "f32", {128, 64 * 16}, "input").buffer("s", "SBUF", "f32", 128, 64 * 16);
    for (int i = 0; i < 16; ++i)
      b.instr({{"instr", "dma_copy"},
               {"queue", i % queues},
               {"src", hbm("x", 128, 64, 64 * i, 64 * 16)},
               {"dst", tile("s", 64, 64 * i)}});
    return b;
  };
  NpuProgram one = loads(1).load();
  double engine = instruction_cost_ns(npu(), *one.instrs[0].instr, costed_use(one, one.instrs[0]));
  double fixed = npu().find_engine("DMA")->attributes.at("fixed_cost_ns");
  ASSERT_GT(fixed, 0);
  double t1 = simulate_timing(one).report.total_ns, t16 = run(loads(16)).report.total_ns;
  EXPECT_NEAR(t1, 16 * (fixed + engine), 1e-6 * t1);
  EXPECT_NEAR(t16, fixed + 16 * engine, 1e-6 * t16);
}

TEST(SimDmaModel, ThreeAccessPatternsOfTheSameBytes) {
  // sim/programs/dma_{rows,transposed,broadcast}.json move 32 MiB into SBUF each.
  TimingReport rows = shipped("dma_rows"), tr = shipped("dma_transposed"),
               bc = shipped("dma_broadcast");
  EXPECT_EQ(rows.dma_bytes, tr.dma_bytes);
  EXPECT_EQ(rows.dma_bytes, bc.dma_bytes);
  // 4-byte runs: one descriptor per element, far slower than whole rows.
  EXPECT_GT(tr.total_ns, 10 * rows.total_ns);
  // A broadcast reads each row once: 1/128 of the device-memory traffic. Its time equals the
  // rows' (docs/npu-calibration.md, "Three access patterns"): the same 128 descriptors of 8 KiB
  // and the same elements written into SBUF by the same 16 engines; device memory binds neither.
  EXPECT_DOUBLE_EQ(bc.hbm_bytes * 128, rows.hbm_bytes);
  EXPECT_DOUBLE_EQ(bc.total_ns, rows.total_ns);
  std::printf("rows %.3f us, transposed %.3f us, broadcast %.3f us\n", rows.total_ns / 1e3,
              tr.total_ns / 1e3, bc.total_ns / 1e3);
}

TEST(SimDmaModel, Fp32TransposeOnPeCostsFourTimesBf16) {
  const Isa& isa = npu();
  InstrUse u;
  u.dims = {{"P", 128}, {"F", 128}};
  u.dtypes = {{"a", DType::F32}, {"out", DType::F32}};
  double f32 = instruction_cost(isa, isa.instruction("transpose_pe"), u);
  u.dtypes = {{"a", DType::BF16}, {"out", DType::BF16}};
  EXPECT_DOUBLE_EQ(f32, 4 * instruction_cost(isa, isa.instruction("transpose_pe"), u));
}

TEST(SimDmaModel, WideOnChipStridesRunAtHalfRate) {
  // A copy reading every 2nd f32 (8-byte stride) vs every 8th (32 bytes, past 16).
  auto copy = [](int64_t stride) {
    ProgramBuilder b;
    b.buffer("a", "SBUF", "f32", 128, 8 * 512).buffer("c", "SBUF", "f32", 128, 512);
    b.instr({{"instr", "memset"}, {"engine", "DVE"}, {"out", tile("a", 8 * 512)}, {"value", 1.0}});
    b.instr({{"instr", "tensor_copy"},
             {"engine", "POOL"},
             {"a", {{"buf", "a"}, {"ap", {{stride, 512}}}}},
             {"out", tile("c", 512)}});
    TimingResult t = simulate_timing(b.load());
    return t.instrs[1].end_ns - t.instrs[1].start_ns;
  };
  EXPECT_DOUBLE_EQ(copy(8), 2 * copy(2));
}

} // namespace
} // namespace axon
