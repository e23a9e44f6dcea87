// The loop-nest IR built from schedules (emit/loop_nest.h): what each consumer reads from it.
#include <gtest/gtest.h>

#include "emit/cpu/lower_llvm.h"
#include "emit/cpu/schedule.h"
#include "emit/loop_nest.h"
#include "ir/frontend.h"
#include "tests/emit/kernel_check.h"

namespace axon {
namespace {

IndexProgram matmul(int64_t m, int64_t k, int64_t n) {
  return load_index_program(source_from_string(
      "where M = " + std::to_string(m) + ", K = " + std::to_string(k) + ", N = " +
      std::to_string(n) + "\ninput a: f32[M, K]\ninput b: f32[K, N]\noutput c = matmul(a, b)\n"));
}

// A register tile behind a blocked reduction, threaded at its first output loop, b packed.
TEST(LoopNest, RegisterTileLoopsKindsAndPackedOperand) {
  IndexProgram p = matmul(10, 32, 32);
  StmtSchedule ss;
  ss.order = {"k.o", "m.o", "n.o", "k.i", "m.i", "n.i"};
  ss.split = {{"k", 16}, {"m", 4}, {"n", 16}};
  ss.vectorize = "n.i";
  ss.vector_width = 8;
  ss.unroll = {"m.i"};
  ss.pack = {"b"};
  ss.threads = 2;
  Schedule s{{ss}};
  ASSERT_EQ(validate_schedule(p, s), "");
  LoopNest ln = build_loop_nest(p, s);
  ASSERT_EQ(ln.groups.size(), 1u);
  const Group& g = ln.groups[0];
  EXPECT_FALSE(g.shared); // k.o outermost: not a loop the statement could share
  const Nest& n = g.nests[0];
  ASSERT_EQ(n.loops.loops.size(), 6u);
  EXPECT_EQ(n.loops.loops[0].kind, LoopKind::Serial);
  EXPECT_EQ(n.loops.loops[0].trip, 2);
  EXPECT_EQ(n.loops.loops[1].kind, LoopKind::Parallel); // m.o, behind the reduction's blocks
  EXPECT_EQ(n.loops.loops[1].threads, 2);
  EXPECT_EQ(n.loops.loops[1].trip, 3); // ceil(10 / 4)
  EXPECT_EQ(n.loops.loops[4].kind, LoopKind::Unrolled);
  EXPECT_EQ(n.loops.loops[5].kind, LoopKind::Vector);
  EXPECT_EQ(n.loops.loops[5].width, 8);
  ASSERT_EQ(n.loops.guards.size(), 1u); // m: 10 by 4
  EXPECT_EQ(n.loops.guards[0].var, "m");
  EXPECT_EQ(n.loops.guards[0].extent, 10);
  EXPECT_EQ(n.compute, ComputeKind::Accumulate);
  EXPECT_EQ(n.reduction_loop, 3u);
  EXPECT_TRUE(n.annotations.register_tile);
  EXPECT_FALSE(n.annotations.whole_reduction);
  EXPECT_EQ(n.init, InitKind::Loops);
  ASSERT_EQ(ln.staged.size(), 1u);
  const StagedTensor& b = ln.staged[0];
  EXPECT_EQ(b.kind, StagedKind::Packed);
  EXPECT_EQ(b.var, "n");
  EXPECT_EQ(b.shape, (std::vector<int64_t>{2, 32, 16}));
  EXPECT_EQ(b.bytes, 32 * 32 * 4);
  EXPECT_EQ(b.copy_threads, 2);
  EXPECT_EQ(ln.scratch_bytes, 32 * 32 * 4);
  EXPECT_EQ(ln.scratch_bytes, scratch_bytes(p, s));
  std::string text = to_string(ln, p);
  EXPECT_NE(text.find("parallel(2) m.o in [0, 3) of m 10 tile 4 ragged"), std::string::npos)
      << text;
  EXPECT_NE(text.find("register tile"), std::string::npos) << text;
}

// Softmax as one threaded group: the shared loop, each statement's nest bound to it, the row
// temporaries contracted to slices replicated per thread after no packed copies.
TEST(LoopNest, FusionGroupSharedLoopAndSlices) {
  IndexProgram p = small("experiments/suites/ops/softmax.tp", 24);
  Schedule s = default_schedule(p);
  for (size_t i = 1; i < s.stmts.size(); ++i)
    s.stmts[i].fuse_prev = true;
  s.stmts[0].threads = 3;
  ASSERT_EQ(validate_schedule(p, s), "");
  LoopNest ln = build_loop_nest(p, s);
  ASSERT_EQ(ln.groups.size(), 1u);
  const Group& g = ln.groups[0];
  ASSERT_TRUE(g.shared);
  EXPECT_EQ(g.shared->kind, LoopKind::Parallel);
  EXPECT_EQ(g.shared->threads, 3);
  EXPECT_EQ(g.shared->trip, 24);
  EXPECT_EQ(g.nests.size(), 4u);
  for (auto& n : g.nests)
    EXPECT_EQ(n.bound, 1u);
  // y.mx, y.e and y.s are read only inside the group.
  size_t slices = 0;
  for (auto& st : ln.staged) {
    ASSERT_EQ(st.kind, StagedKind::Slice);
    EXPECT_EQ(st.replicas, 3);
    EXPECT_EQ(st.replica_stride, g.slice_bytes);
    EXPECT_EQ(st.shape.at(st.position), 1);
    EXPECT_EQ(st.offset % kScratchAlign, 0);
    ++slices;
  }
  EXPECT_EQ(slices, 3u);
  EXPECT_EQ(ln.scratch_bytes, 3 * g.slice_bytes);
  EXPECT_EQ(ln.scratch_bytes, scratch_bytes(p, s));
  // Without the placement option no page and skew are reserved.
  LoopNestOptions o;
  o.slice_page = 0;
  LoopNest plain = build_loop_nest(p, s, o);
  EXPECT_LT(plain.scratch_bytes, ln.scratch_bytes);
  EXPECT_EQ(plain.staged[0].bytes, kScratchAlign); // y.mx's one row: 4 bytes
}

// A lifted reduction inside a shared loop initialises only the shared iteration's part.
TEST(LoopNest, LiftedReductionInitInsideASharedLoop) {
  IndexProgram p = load_index_program(
      source_from_string("where M = 6, N = 16\ninput x: f32[M, N]\noutput s[m] = sum(n) x[m, n]\n"
                         "output y[m, n] = x[m, n] / s[m]\n"));
  Schedule s = default_schedule(p);
  s.stmts[0].order = {"m.o", "n", "m.i"};
  s.stmts[0].split = {{"m", 4}};
  s.stmts[1].order = {"m.o", "m.i", "n"};
  s.stmts[1].split = {{"m", 4}};
  s.stmts[1].fuse_prev = true;
  ASSERT_EQ(validate_schedule(p, s), "");
  LoopNest ln = build_loop_nest(p, s);
  const Nest& n = ln.groups.at(0).nests.at(0);
  ASSERT_EQ(n.init, InitKind::Loops);
  ASSERT_EQ(n.init_loops.loops.size(), 1u);
  EXPECT_EQ(n.init_loops.loops[0].name, "m.i");
  EXPECT_EQ(n.init_loops.loops[0].trip, 4);
  ASSERT_EQ(n.init_loops.guards.size(), 1u); // 6 rows in tiles of 4
  EXPECT_EQ(n.identity, 0.0);
  EXPECT_EQ(n.annotations.prefetch_step, 4);
}

// Staged tensors and register tiles live in levels the ISA JSON names.
TEST(LoopNest, MemoryLevelsAreTheIsasNames) {
  LoopNestOptions avx2 = loop_nest_options(target_isa("avx2"));
  EXPECT_EQ(avx2.scratch_level, "DRAM");
  EXPECT_EQ(avx2.register_level, "ymm");
  LoopNestOptions npu = loop_nest_options(target_isa("npu"));
  EXPECT_EQ(npu.scratch_level, "HBM");
  EXPECT_EQ(npu.register_level, LoopNestOptions{}.register_level); // no register file
  IndexProgram p = small("experiments/suites/ops/softmax.tp", 8);
  Schedule s = default_schedule(p);
  for (size_t i = 1; i < s.stmts.size(); ++i)
    s.stmts[i].fuse_prev = true;
  LoopNest ln = build_loop_nest(p, s, avx2);
  ASSERT_FALSE(ln.staged.empty());
  for (auto& st : ln.staged)
    EXPECT_EQ(st.level, "DRAM");
}

} // namespace
} // namespace axon
