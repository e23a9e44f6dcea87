// The CPU backend against the reference interpreter: every suite kernel at small sizes under the
// default schedule, and schedules that reorder, split (with ragged tails), vectorize and lift
// reductions; plus object emission and the host-feature check.
#include <gtest/gtest.h>
#include <sys/mman.h>
#include <unistd.h>

#include <filesystem>
#include <map>
#include <memory>
#include <random>

#include "emit/cpu/cpu_jit.h"
#include "emit/cpu/enumerate.h"
#include "emit/cpu/lower_llvm.h"
#include "emit/cpu/schedule_json.h"
#include "ir/error.h"
#include "ir/frontend.h"
#include "ir/interp.h"
#include "search/search.h"
#include "tests/emit/kernel_check.h"

namespace axon {
namespace {

namespace fs = std::filesystem;

// c = (a @ b) * r[m]: a matrix product under a row-scaling epilogue, M rows, K = 300, N columns.
IndexProgram scaled_matmul(int64_t m, int64_t n) {
  return load_index_program(
      source_from_string("where M = " + std::to_string(m) + ", K = 300, N = " + std::to_string(n) +
                         "\ninput a: f32[M, K]\ninput b: f32[K, N]\ninput r: f32[M]\n"
                         "output c[m, n] = (sum(k) a[m, k] * b[k, n]) * r[m]\n"));
}

// Statements `stmts` of s vectorized along n at `lanes`.
void vectorize_n(Schedule& s, std::initializer_list<size_t> stmts, int lanes) {
  for (size_t i : stmts) {
    s.stmts[i].vectorize = "n";
    s.stmts[i].vector_width = lanes;
  }
}

std::vector<std::string> suite_files() {
  std::vector<std::string> out;
  for (const char* dir :
       {"experiments/suites/ops", "experiments/suites/nkibench", "experiments/suites/mirage"})
    for (auto& e : fs::directory_iterator(dir))
      if (e.path().extension() == ".tp")
        out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

bool uses_half(const IndexProgram& p) {
  for (auto& t : p.tensors())
    if (t.dtype == DType::F16 || t.dtype == DType::BF16)
      return true;
  return false;
}

TEST(CpuBackend, EverySuiteKernelDefaultSchedule) {
  int n = 0;
  for (auto& f : suite_files()) {
    IndexProgram p = small(f, 6);
    expect_matches_reference(p, default_schedule(p), f);
    n += uses_half(p);
  }
  EXPECT_GE(n, 5); // the f16 kernels (Mirage's) run on the CPU too
}

// Random valid schedules: permute loops, lift the top-level reduction into the order, split
// loops with tiles that do and do not divide, vectorize the innermost loop.
Schedule random_schedule(const IndexProgram& p, std::mt19937_64& rng) {
  Schedule s;
  for (auto& st : p.stmts()) {
    StmtSchedule ss;
    std::vector<std::string> vars = st.vars;
    if (const ExprNode* r = top_reduction(st); r && rng() % 2)
      vars.push_back(r->name());
    std::shuffle(vars.begin(), vars.end(), rng);
    for (auto& v : vars) {
      if (rng() % 3 == 0) {
        ss.split[v] = 1 + static_cast<int64_t>(rng() % 5);
        ss.order.push_back(v + ".o");
      } else {
        ss.order.push_back(v);
      }
    }
    // Inner parts of split loops go innermost, in a random order.
    std::vector<std::string> inner;
    for (auto& [v, t] : ss.split)
      inner.push_back(v + ".i");
    std::shuffle(inner.begin(), inner.end(), rng);
    ss.order.insert(ss.order.end(), inner.begin(), inner.end());
    if (!ss.order.empty() && rng() % 2) {
      ss.vectorize = ss.order.back();
      if (rng() % 2)
        ss.vector_width = 1 << (1 + rng() % 3); // explicit vector code when it applies
    }
    for (auto& [v, t] : ss.split)
      if (v + ".i" != ss.vectorize && rng() % 2)
        ss.unroll.push_back(v + ".i");
    s.stmts.push_back(ss);
  }
  return s;
}

TEST(CpuBackend, RandomSchedulesAgreeWithTheInterpreter) {
  std::mt19937_64 rng(42);
  const char* files[] = {"experiments/suites/nkibench/rmsnorm_matmul.tp",
                         "experiments/suites/nkibench/gqa.tp",
                         "experiments/suites/ops/softmax.tp",
                         "experiments/suites/ops/layernorm.tp",
                         "experiments/suites/nkibench/rope.tp",
                         "experiments/suites/nkibench/adamw.tp",
                         "experiments/suites/nkibench/bmm_softmax.tp",
                         "experiments/suites/ops/transpose.tp",
                         "experiments/bench/attention.tp"};
  for (const char* f : files) {
    IndexProgram p = small(f, 7);
    for (int trial = 0; trial < 4; ++trial)
      expect_matches_reference(p, random_schedule(p, rng), f, 10 + static_cast<uint64_t>(trial));
  }
}

// Random schedules, then fusion groups wherever they are legal (a statement joins the previous
// group when its outer loop matches and it reads the group's results only from the same outer
// iteration) and threads on some groups: the results must not change.
TEST(CpuBackend, FusedGroupsAndThreadsAgreeWithTheInterpreter) {
  std::mt19937_64 rng(7);
  const char* files[] = {"experiments/suites/ops/softmax.tp",
                         "experiments/suites/ops/layernorm.tp",
                         "experiments/suites/nkibench/rmsnorm_matmul.tp",
                         "experiments/suites/nkibench/swiglu.tp",
                         "experiments/suites/nkibench/bmm_softmax.tp",
                         "experiments/suites/nkibench/adamw.tp",
                         "experiments/suites/nkibench/gqa.tp"};
  int fused = 0, threaded = 0;
  for (const char* f : files) {
    IndexProgram p = small(f, 9);
    for (int trial = 0; trial < 6; ++trial) {
      Schedule s = random_schedule(p, rng);
      // Make outer loops match more often: the first variable of each statement unsplit outermost.
      for (size_t i = 0; i < s.stmts.size(); ++i) {
        StmtSchedule& ss = s.stmts[i];
        const IndexStmt& st = p.stmts()[i];
        if (st.vars.empty() || rng() % 4 == 0)
          continue;
        std::string v = st.vars[0];
        ss.split.erase(v);
        std::vector<std::string> order = {v};
        for (auto& l : ss.order)
          if (loop_var(l) != v)
            order.push_back(l);
        ss.order = order;
        ss.unroll.erase(std::remove_if(ss.unroll.begin(), ss.unroll.end(),
                                       [&](auto& u) { return loop_var(u) == v; }),
                        ss.unroll.end());
        if (loop_var(ss.vectorize) == v)
          ss.vectorize.clear();
        ss.pack.clear();
      }
      for (size_t i = 1; i < s.stmts.size(); ++i) {
        size_t first = i;
        while (first > 0 && s.stmts[first].fuse_prev)
          --first;
        --first;
        s.stmts[i].fuse_prev = true;
        if (!fusion_error(p, s, first, i).empty() || validate_schedule(p, s) != "")
          s.stmts[i].fuse_prev = false;
        else
          ++fused;
      }
      for (auto [a, b] : fusion_groups(s))
        if (outer_loop(p, a, s.stmts[a]) && rng() % 2) {
          s.stmts[a].threads = 2 + static_cast<int>(rng() % 3);
          ++threaded;
        }
      expect_matches_reference(p, s, std::string(f) + " fused/threaded",
                               20 + static_cast<uint64_t>(trial));
    }
  }
  EXPECT_GE(fused, 20) << fused;
  EXPECT_GE(threaded, 20) << threaded;
}

TEST(CpuBackend, MatmulIkjVectorizedAndTiled) {
  IndexProgram p =
      load_index_program(source_from_string("where M = 33, K = 17, N = 70\ninput a: f32[M, "
                                            "K]\ninput b: f32[K, N]\noutput c = matmul(a, b)\n"));
  Schedule s;
  StmtSchedule ss;
  ss.order = {"m.o", "k", "m.i", "n.o", "n.i"};
  ss.split = {{"m", 4}, {"n", 16}};
  ss.vectorize = "n.i";
  ss.vector_width = 8;
  s.stmts.push_back(ss);
  expect_matches_reference(p, s, "tiled matmul");
}

// Register tiles behind a blocked reduction (k.o outermost) are threaded at their first output
// loop, threads started once per k.o iteration with the block's loop values passed in.
TEST(CpuBackend, ThreadsBehindReductionBlocks) {
  IndexProgram p = scaled_matmul(24, 48);
  EnumerateOptions eo;
  eo.vector_lanes = 8;
  int threaded = 0;
  for (auto& ss : enumerate_stmt_schedules(p, 0, eo)) {
    if (ss.order.empty() || ss.order[0] != "k.o")
      continue;
    StmtSchedule t = ss;
    t.threads = 3;
    Schedule s;
    s.stmts.push_back(t);
    if (!thread_loop(p, 0, t) || thread_loop(p, 0, t)->first == 0)
      continue;
    expect_matches_reference(p, s, "threads behind k.o", 6);
    ++threaded;
  }
  EXPECT_GE(threaded, 4);
}

// A register tile's loop values (its reduction variable, its tile's variables) are unbound after
// it: a threaded statement after it passes the values bound around it to its workers, and a stale
// one from the tile's loops did not dominate the call (mirage/gqa's row max, then its exp).
TEST(CpuBackend, ThreadedStatementAfterARegisterTile) {
  IndexProgram p = load_index_program(source_from_string(
      "where H = 2, L = 64, S = 40\ninput s: f32[H, L, S]\n"
      "mx[h, l] = max(j) s[h, l, j]\noutput y[h, l, j] = exp(s[h, l, j] - mx[h, l])\n"));
  for (bool split_j : {false, true}) {
    Schedule s = default_schedule(p);
    StmtSchedule& t = s.stmts[0];
    t.split = {{"h", 2}, {"l", 16}};
    t.order = {"h.o", "l.o", "j", "h.i", "l.i"};
    if (split_j) {
      t.split["j"] = 8;
      t.order = {"j.o", "h.o", "l.o", "j.i", "h.i", "l.i"};
    }
    t.unroll = {"h.i"};
    t.vectorize = "l.i";
    t.vector_width = 8;
    ASSERT_TRUE(is_register_tile(p, 0, t)) << split_j;
    s.stmts[1].vectorize = "j";
    s.stmts[1].vector_width = 8;
    s.stmts[1].threads = 2;
    expect_matches_reference(p, s, split_j ? "blocked tile, then threads" : "tile, then threads");
  }
}

// A reduction under an elementwise epilogue ((sum) / c, (sum) * r[m], exp(max)) is lifted and
// register-tiled like a plain one; the epilogue runs once per element after the reduction.
TEST(CpuBackend, ReductionsWithAnEpilogueAreLiftedAndTiled) {
  IndexProgram p = load_index_program(source_from_string(
      "where M = 16, K = 40, N = 32\ninput a: f32[M, K]\ninput b: f32[K, N]\ninput r: f32[M]\n"
      "output c[m, n] = (sum(k) a[m, k] * b[k, n]) * r[m] / 3.0\n"
      "output e[m, n] = exp(max(k) a[m, k] * b[k, n])\n"));
  ASSERT_NE(reduction_epilogue(p.stmts()[0]), nullptr);
  EnumerateOptions eo;
  eo.vector_lanes = 8;
  int tiles = 0, lifted = 0;
  for (size_t i = 0; i < 2; ++i)
    for (auto& ss : enumerate_stmt_schedules(p, i, eo)) {
      bool lifts = std::find(ss.order.begin(), ss.order.end(), "k") != ss.order.end() ||
                   std::find(ss.order.begin(), ss.order.end(), "k.o") != ss.order.end();
      if (!lifts)
        continue;
      ++lifted;
      tiles += is_register_tile(p, i, ss);
      Schedule s = default_schedule(p);
      s.stmts[i] = ss;
      if (lifted % 3 == 0 || is_register_tile(p, i, ss))
        expect_matches_reference(p, s, "epilogue", 3);
    }
  EXPECT_GE(lifted, 10);
  EXPECT_GE(tiles, 4);
}

// Operands read with the vector variable at any index position are packed [v.o][rest][v.i]:
// a transposed operand (q k^T) becomes contiguous along the vector variable.
TEST(CpuBackend, TransposedOperandsArePacked) {
  IndexProgram p = load_index_program(source_from_string(
      "where H = 2, S = 24, D = 20\ninput q: f32[H, S, D]\ninput k: f32[H, S, D]\n"
      "output s[h, i, j] = (sum(d) q[h, i, d] * k[h, j, d]) / 4.0\n"));
  EnumerateOptions eo;
  eo.vector_lanes = 8;
  int packed = 0;
  for (auto& ss : enumerate_stmt_schedules(p, 0, eo)) {
    if (std::find(ss.pack.begin(), ss.pack.end(), "k") == ss.pack.end())
      continue;
    Schedule s;
    s.stmts.push_back(ss);
    expect_matches_reference(p, s, "transposed pack", 4);
    ++packed;
  }
  EXPECT_GE(packed, 3);
}

// Register tiles from the enumerator (explicit vectors, unrolled rows, accumulators kept across
// the reduction loop), with and without a blocked reduction, on shapes they divide.
TEST(CpuBackend, EnumeratedRegisterTilesAreCorrect) {
  IndexProgram p = load_index_program(
      source_from_string("where B = 2, M = 12, K = 300, N = 48\ninput a: f32[B, M, K]\ninput b: "
                         "f32[K, N]\noutput c = matmul(a, b)\n"));
  EnumerateOptions eo;
  eo.vector_lanes = 8;
  int tiles = 0;
  for (auto& ss : enumerate_stmt_schedules(p, 0, eo)) {
    if (ss.unroll.empty())
      continue;
    Schedule s;
    s.stmts.push_back(ss);
    expect_matches_reference(p, s, "register tile", 5);
    ++tiles;
  }
  EXPECT_GE(tiles, 10);
}

// Register tiles whose row tile does not divide the rows (6 of 50): the last tile's rows past the
// extent read the last row and are not stored. With and without a blocked reduction, with an
// epilogue, threaded or not; every result equals the interpreter's.
TEST(CpuBackend, RaggedRegisterTilesAreCorrect) {
  IndexProgram p = scaled_matmul(50, 32);
  EnumerateOptions eo;
  eo.vector_lanes = 8;
  int ragged = 0, blocked = 0;
  for (auto& ss : enumerate_stmt_schedules(p, 0, eo)) {
    if (!is_register_tile(p, 0, ss) || ss.split.at("m") == 1 || 50 % ss.split.at("m") == 0)
      continue;
    ++ragged;
    blocked += ss.split.count("k");
    Schedule s;
    s.stmts.push_back(ss);
    if (ragged % 2)
      s.stmts[0].threads = 2;
    if (!validate_schedule(p, s).empty())
      s.stmts[0].threads = 1;
    expect_matches_reference(p, s, "ragged register tile", 6);
  }
  EXPECT_GE(ragged, 8);
  EXPECT_GE(blocked, 4);
}

// y = (a @ b) * t (16 x 256 x 32) as a register tile of 4 x 16 over k blocks of 128, with both
// b and the epilogue operand t packed.
std::pair<IndexProgram, Schedule> packed_epilogue_matmul() {
  IndexProgram p = load_index_program(source_from_string(
      "where M = 16, K = 256, N = 32\ninput a: f32[M, K]\ninput b: f32[K, N]\ninput t: f32[M, N]\n"
      "output y[m, n] = (sum(k) a[m, k] * b[k, n]) * t[m, n]\n"));
  StmtSchedule ss;
  ss.order = {"k.o", "m.o", "n.o", "k.i", "m.i", "n.i"};
  ss.split = {{"k", 128}, {"m", 4}, {"n", 16}};
  ss.vectorize = "n.i";
  ss.vector_width = 8;
  ss.unroll = {"m.i"};
  ss.pack = {"b", "t"};
  Schedule s;
  s.stmts.push_back(ss);
  return {p, s};
}

// An epilogue operand packed along with the reduction's (a schedule may ask for it; the
// enumerator no longer does): with a blocked reduction the epilogue runs as a pass after the tile
// loops, where it reads the tensor, not the tile-ordered copy.
TEST(CpuBackend, PackedEpilogueOperandsAreReadInTheEpiloguePass) {
  auto [p, s] = packed_epilogue_matmul();
  ASSERT_TRUE(is_register_tile(p, 0, s.stmts[0]));
  expect_matches_reference(p, s, "packed epilogue operand", 7);
}

// Packed copies and a threaded group's contracted slices live in the scratch block the caller
// passes after the tensors (the runtime's workspace): the kernel calls no allocator, and the
// block is exactly scratch_bytes (run_on_tensors poisons it first, so nothing may count on it).
TEST(CpuBackend, KernelsAllocateNothingTheirScratchIsTheCallers) {
  auto [mm, packed] = packed_epilogue_matmul();
  EXPECT_EQ(scratch_bytes(mm, packed),
            256 * 32 * 4 + 16 * 32 * 4); // both copies, f32, 64-byte multiples
  EXPECT_EQ(scratch_bytes(mm, default_schedule(mm)), 0);

  // Softmax in one threaded group: its row temporaries shrink to one row per thread.
  IndexProgram sm = small("experiments/suites/ops/softmax.tp", 40);
  Schedule fused = default_schedule(sm);
  for (size_t i = 1; i < fused.stmts.size(); ++i)
    fused.stmts[i].fuse_prev = true;
  fused.stmts[0].threads = 2;
  ASSERT_EQ(validate_schedule(sm, fused), "");
  ASSERT_FALSE(group_local_temps(sm, fused, 0, fused.stmts.size() - 1).empty());
  // Per thread: each row, placed half a page past a page boundary (4K aliasing; emit/loop_nest.h),
  // so up to a page and a half more per slice.
  int64_t row_bytes = 0, slices = 0;
  for (auto& [t, d] : group_local_temps(sm, fused, 0, fused.stmts.size() - 1)) {
    row_bytes += sm.numel(t) / sm.concrete_shape(t)[d] * 4;
    ++slices;
  }
  EXPECT_EQ(scratch_bytes(sm, fused) % kScratchAlign, 0);
  EXPECT_GE(scratch_bytes(sm, fused), 2 * (row_bytes + slices * (4096 + 2048)));
  EXPECT_LE(scratch_bytes(sm, fused), 2 * (row_bytes + slices * (4096 + 2048 + 64 * slices + 64)));

  for (auto [p, s] : {std::pair<IndexProgram, Schedule>{mm, packed}, {sm, fused}}) {
    auto k = jit_compile(p, s, host_target());
    EXPECT_EQ(k->scratch_bytes(), scratch_bytes(p, s));
    EXPECT_EQ(k->optimized_ir().find("@malloc"), std::string::npos);
    EXPECT_EQ(k->optimized_ir().find("@free"), std::string::npos);
    expect_matches_reference(p, s, "scratch", 3);
  }
}

TEST(CpuBackend, InvalidScheduleIsRejected) {
  IndexProgram p = load_index_program(
      source_from_string("where M = 4, N = 4\ninput a: f32[M, N]\noutput c[i, j] = a[j, i]\n"));
  Schedule s = default_schedule(p);
  s.stmts[0].order = {"i"};
  EXPECT_NE(validate_schedule(p, s), "");
  s.stmts[0].order = {"i", "j", "j"};
  EXPECT_NE(validate_schedule(p, s), "");
  s.stmts[0].order = {"j.i", "j.o", "i"};
  s.stmts[0].split = {{"j", 2}};
  EXPECT_NE(validate_schedule(p, s), "");
  EXPECT_THROW(jit_compile(p, s, host_target()), InternalError);
}

TEST(CpuBackend, ObjectCodeIsElf) {
  IndexProgram p = load_index_program(
      source_from_string("where N = 64\ninput a: f32[N]\noutput c = exp(a) * 2\n"));
  std::string obj = compile_object(p, default_schedule(p), host_target(), "k_exp");
  ASSERT_GT(obj.size(), 16u);
  EXPECT_EQ(obj.substr(0, 4), "\x7f"
                              "ELF");
  EXPECT_NE(obj.find("k_exp"), std::string::npos);
}

TEST(CpuBackend, HostFeatureCheck) {
  if (host_has("avx512f") && host_has("avx512bw") && host_has("avx512dq") && host_has("avx512vl")) {
    EXPECT_NO_THROW(cpu_target(target_isa("avx512")));
  } else {
    try {
      cpu_target(target_isa("avx512"));
      FAIL() << "avx512 accepted on a CPU without it";
    } catch (const UserError& e) {
      EXPECT_NE(std::string(e.what()).find("does not support avx512"), std::string::npos);
    }
  }
  // The CPU, features and vector width come from the JSON, not from C++.
  CpuTarget t = cpu_target(target_isa("avx2"));
  EXPECT_EQ(t.cpu, "haswell");
  EXPECT_EQ(t.vector_bytes, 32);
  EXPECT_THROW(cpu_target(target_isa("npu")), UserError);
  EXPECT_THROW(host_has("sparc-v9"), UserError);
}

TEST(CpuBackend, MathCallsAreVectorized) {
  IndexProgram p = load_index_program(
      source_from_string("where N = 1024\ninput a: f32[N]\noutput c = exp(a)\n"));
  Schedule s = default_schedule(p);
  s.stmts[0].vectorize = s.stmts[0].order[0];
  auto k = jit_compile(p, s, host_target());
  EXPECT_NE(k->optimized_ir().find("_ZGV"), std::string::npos)
      << "expf was not vectorized through libmvec";
}

// Explicit vector code calls the target's vector math routines (ISA JSON llvm.vector_math) at
// the target's full vector width, for exp, log, tanh, erf and sigmoid.
// The check reads sampled points straight from the kernel's buffers: the same values as the
// whole outputs read back, in every storage dtype; a point outside the tensor is an internal error.
TEST(CpuBackend, SampledPointsEqualTheWholeOutputs) {
  IndexProgram p = load_index_program(source_from_string(
      "where M = 5, N = 24\ninput a: f32[M, N]\ninput h: bf16[M, N]\ninput g: f16[N]\n"
      "output c[m, n] = exp(a[m, n]) * 2.0\noutput d: bf16[M, N] = h * h\noutput r[m] = sum(n) "
      "a[m, n]\n"
      "output e: f16[N] = g + g\n"));
  Schedule s = default_schedule(p);
  auto k = jit_compile(p, s, host_target());
  TensorMap in = random_inputs(p, 3);
  TensorMap whole = run_on_tensors(*k, p, in);
  std::map<std::string, std::vector<std::vector<int64_t>>> pts = {
      {"c", {{0, 0}, {4, 23}, {2, 7}}}, {"d", {{3, 3}, {0, 23}}}, {"e", {{5}}}, {"r", {{4}, {0}}}};
  std::vector<double> got = run_on_tensors_at(*k, p, in, pts);
  size_t i = 0;
  for (auto& [t, list] : pts)
    for (auto& idx : list)
      EXPECT_EQ(got.at(i++), whole.at(t).at(idx)) << t;
  EXPECT_EQ(i, got.size());
  EXPECT_THROW(run_on_tensors_at(*k, p, in, {{"c", {{5, 0}}}}), InternalError);
}

TEST(CpuBackend, ExplicitVectorMathRoutines) {
  CpuTarget t = host_target();
  int lanes = t.vector_bytes / 4;
  IndexProgram p = load_index_program(
      source_from_string("where M = 3, N = 64\ninput a: f32[M, N]\n"
                         "output c[m, n] = exp(a[m, n]) + log(a[m, n] * a[m, n] + 1.0) + tanh(a[m, "
                         "n]) + erf(a[m, n]) + sigmoid(a[m, n])\n"
                         "output s[m] = sum(n) exp(a[m, n] - 1.0)\n"));
  Schedule s = default_schedule(p);
  s.stmts[0].vectorize = "n";
  s.stmts[0].vector_width = lanes;
  expect_matches_reference(p, s, "vector math", 9);
  auto k = jit_compile(p, s, t);
  for (auto& [f, sym] : t.vector_math) {
    if (sym == kInlineVectorMath)
      continue; // the backend's own code, no call
    EXPECT_NE(k->optimized_ir().find(sym), std::string::npos) << f << " " << sym;
  }
  EXPECT_EQ(t.vector_math.size(), 4u);
}

// Streaming (non-temporal) stores: only for an output written once in whole vectors that the
// kernel never reads; correct on aligned and unaligned buffers; a schedule the lowering cannot
// stream is a compile error, not a silent plain store.
TEST(CpuBackend, StreamingStores) {
  CpuTarget t = host_target();
  ASSERT_TRUE(t.nontemporal_stores);
  int lanes = t.vector_bytes / 4;
  IndexProgram p =
      load_index_program(source_from_string("where M = 5, N = 64\ninput a: f32[M, N]\n"
                                            "e[m, n] = exp(a[m, n])\n"
                                            "output s[m] = sum(n) e[m, n]\n"
                                            "output y[m, n] = e[m, n] / s[m] + 1.0\n"));
  Schedule s = default_schedule(p);
  vectorize_n(s, {0, 2}, lanes);
  EXPECT_NE(stream_error(p, 0, s.stmts[0]), ""); // a temporary
  EXPECT_NE(stream_error(p, 1, s.stmts[1]), ""); // read by statement 2
  EXPECT_EQ(stream_error(p, 2, s.stmts[2]), "");
  IndexProgram rowsum = load_index_program(source_from_string(
      "where M = 5, N = 64\ninput a: f32[M, N]\noutput s[m] = sum(n) a[m, n]\n"));
  Schedule lifted = default_schedule(rowsum);
  lifted.stmts[0].order = {"n", "m"}; // accumulates into s
  lifted.stmts[0].vectorize = "m";
  lifted.stmts[0].stream = true;
  EXPECT_NE(validate_schedule(rowsum, lifted), "");
  StmtSchedule scalar = s.stmts[2];
  scalar.vectorize.clear();
  EXPECT_NE(stream_error(p, 2, scalar), "");

  s.stmts[2].stream = true;
  expect_matches_reference(p, s, "streaming stores", 3);
  auto k = jit_compile(p, s, t);
  EXPECT_NE(k->optimized_ir().find("!nontemporal"), std::string::npos);
  EXPECT_NE(k->optimized_ir().find("fence seq_cst"), std::string::npos);
  // Buffers one element off a vector's alignment take the plain stores: same values.
  std::vector<float> a(5 * 64 + 1), e(5 * 64 + 1), sum(5 + 1), y1(5 * 64 + 1, NAN),
      y2(5 * 64 + 1, NAN);
  for (size_t i = 0; i < a.size(); ++i)
    a[i] = 0.01f * static_cast<float>(i % 37);
  auto run = [&](size_t off, std::vector<float>& y) {
    std::vector<void*> bufs;
    for (auto& tensor : p.tensors()) {
      std::vector<float>& v = tensor.name == "a"   ? a
                              : tensor.name == "e" ? e
                              : tensor.name == "s" ? sum
                                                   : y;
      bufs.push_back(v.data() + (tensor.name == "a" ? 0 : off));
    }
    k->run(bufs.data());
  };
  run(0, y1);
  run(1, y2);
  for (size_t i = 0; i < 5 * 64; ++i)
    ASSERT_EQ(y1[i], y2[i + 1]) << i;

  // A trip the vector width does not divide has no whole-vector loop to stream from.
  IndexProgram q = load_index_program(
      source_from_string("where N = 60\ninput a: f32[N]\noutput y[n] = a[n] * 2.0\n"));
  Schedule r = default_schedule(q);
  r.stmts[0].vectorize = "n";
  r.stmts[0].vector_width = lanes;
  r.stmts[0].stream = true;
  ASSERT_EQ(validate_schedule(q, r), "");
  EXPECT_THROW(jit_compile(q, r, t), std::runtime_error);
}

// Prefetching a fusion group's next outer iteration: the statement's vector loads of the input
// also prefetch it one outer iteration on (past the tensor on the last one, which a prefetch may
// do); the values are those of the plain schedule. Only a group's vectorized statements may, and
// only the program's inputs they read along the group's loop.
TEST(CpuBackend, PrefetchesTheGroupsNextOuterIteration) {
  CpuTarget t = host_target();
  int lanes = t.vector_bytes / 4;
  IndexProgram p = load_index_program(
      source_from_string("where M = 7, N = 64\ninput x: f32[M, N]\ninput g: f32[N]\n"
                         "mu[m] = sum(n) x[m, n]\n"
                         "e[m, n] = exp(x[m, n] - mu[m])\n"
                         "output y[m, n] = e[m, n] * g[n] + x[m, n]\n"));
  // Statement `stmt` of the group prefetching t: valid, the interpreter's values, and a prefetch
  // in the optimized IR.
  auto prefetching_runs = [&](const IndexProgram& prog, Schedule sc, size_t stmt,
                              const std::string& tensor, const std::string& what, uint64_t seed) {
    sc.stmts[stmt].prefetch = {tensor};
    ASSERT_EQ(validate_schedule(prog, sc), "");
    expect_matches_reference(prog, sc, what, seed);
    EXPECT_NE(jit_compile(prog, sc, t)->optimized_ir().find("@llvm.prefetch"), std::string::npos)
        << what;
  };
  Schedule s = default_schedule(p);
  vectorize_n(s, {1, 2}, lanes);
  // Not yet a group.
  EXPECT_NE(prefetch_error(p, s, 2, "x").find("needs a fusion group"), std::string::npos);
  s.stmts[1].fuse_prev = s.stmts[2].fuse_prev = true;
  s.stmts[0].threads = 2;
  ASSERT_EQ(validate_schedule(p, s), "");
  EXPECT_EQ(prefetch_error(p, s, 2, "x"), "");
  EXPECT_EQ(prefetch_error(p, s, 1, "x"), "");
  EXPECT_NE(prefetch_error(p, s, 0, "x").find("vectorized"), std::string::npos);
  EXPECT_NE(prefetch_error(p, s, 2, "e").find("is written by statement 1, not before the group"),
            std::string::npos);
  EXPECT_NE(prefetch_error(p, s, 2, "y").find("not a program input or temporary"),
            std::string::npos);
  EXPECT_NE(prefetch_error(p, s, 1, "g").find("does not read"), std::string::npos);
  EXPECT_NE(prefetch_error(p, s, 2, "g").find("does not depend on the group's outer loop"),
            std::string::npos);
  Schedule bad = s;
  bad.stmts[2].prefetch = {"g"};
  EXPECT_NE(validate_schedule(p, bad).find("statement 2 (y): a read of 'g'"), std::string::npos);

  prefetching_runs(p, s, 2, "x", "prefetch", 4);
  s.stmts[2].prefetch = {"x"};
  // The schedule's JSON keeps it.
  EXPECT_EQ(schedule_from_json(schedule_to_json(s), "s").stmts[2].prefetch,
            std::vector<std::string>{"x"});

  // A temporary an earlier loop nest wrote in full (attention's scores before its softmax group)
  // may be prefetched like an input.
  IndexProgram q = load_index_program(source_from_string(
      "where M = 7, N = 64\ninput x: f32[M, N]\ninput g: f32[N]\ninput h: f32[M]\n"
      "xs[m, n] = x[m, n] * 2.0\n"
      "mu[m] = sum(n) xs[m, n]\n"
      "e[m, n] = exp(xs[m, n] - mu[m])\n"
      "output y[m, n] = e[m, n] * g[n] + xs[m, n] + h[m]\n"));
  Schedule r = default_schedule(q);
  vectorize_n(r, {0, 2, 3}, lanes);
  r.stmts[2].fuse_prev = r.stmts[3].fuse_prev = true;
  r.stmts[1].threads = 2;
  ASSERT_EQ(validate_schedule(q, r), "");
  EXPECT_EQ(prefetch_error(q, r, 3, "xs"), "");
  EXPECT_NE(prefetch_error(q, r, 3, "e").find("is written by statement 2"), std::string::npos);
  EXPECT_NE(prefetch_error(q, r, 3, "h").find("not vary along the vectorized loop"),
            std::string::npos);
  prefetching_runs(q, r, 3, "xs", "prefetch a temporary", 5);
}

// A fusion group whose shared loop is split raggedly (6 rows in tiles of 4): the statements that
// write its contracted temporaries are guarded at the last tile like the others, so no row past
// the input is read. x ends at a page followed by an inaccessible one: an unguarded read of rows
// 6 and 7 faults.
TEST(CpuBackend, RaggedSharedLoopReadsNothingPastItsInputs) {
  IndexProgram p = small("experiments/suites/ops/softmax.tp", 16).with_dims({{"M", 6}, {"N", 16}});
  Schedule s = default_schedule(p);
  for (size_t i = 0; i < s.stmts.size(); ++i) {
    s.stmts[i].split = {{"_b0", 4}};
    s.stmts[i].order = {"_b0.o", "_b0.i"};
    if (i == 1 || i == 3)
      s.stmts[i].order.push_back("n");
    s.stmts[i].fuse_prev = i > 0;
  }
  ASSERT_EQ(validate_schedule(p, s), "");
  ASSERT_FALSE(group_local_temps(p, s, 0, 3).empty());
  auto k = jit_compile(p, s, host_target());
  const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
  const size_t x_bytes = 6 * 16 * sizeof(float);
  void* region =
      mmap(nullptr, 2 * page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
  ASSERT_NE(region, MAP_FAILED);
  ASSERT_EQ(mprotect(static_cast<char*>(region) + page, page, PROT_NONE), 0);
  float* x = reinterpret_cast<float*>(static_cast<char*>(region) + page - x_bytes);
  TensorMap in = random_inputs(p, 5);
  for (size_t i = 0; i < 6 * 16; ++i)
    x[i] = static_cast<float>(in.at("x").data[i]);
  std::map<std::string, std::vector<float>> held;
  std::vector<void*> bufs;
  for (auto& t : p.tensors()) {
    if (t.name == "x") {
      bufs.push_back(x);
      continue;
    }
    held[t.name].assign(static_cast<size_t>(p.numel(t.name)), NAN);
    bufs.push_back(held[t.name].data());
  }
  std::vector<char> scratch(static_cast<size_t>(k->scratch_bytes()) + kScratchAlign);
  void* block = scratch.data();
  size_t room = scratch.size();
  bufs.push_back(std::align(kScratchAlign, static_cast<size_t>(k->scratch_bytes()), block, room));
  k->run(bufs.data());
  TensorMap ref = interpret(p, in);
  for (size_t i = 0; i < 6 * 16; ++i)
    EXPECT_NEAR(held.at("y")[i], ref.at("y").data[i], 1e-5) << i;
  munmap(region, 2 * page);
}

} // namespace
} // namespace axon
