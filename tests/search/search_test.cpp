// The search engine with a fake backend: wrong, crashing and hanging candidates are recorded and
// skipped, never win, and never end the run; the fastest correct candidate wins; the cost model
// orders obvious cases; enumeration yields valid schedules.
#include <gtest/gtest.h>

#include <cmath>
#include <csignal>
#include <mutex>
#include <set>
#include <thread>
#include <unistd.h>

#include "emit/cpu/cost_model.h"
#include "emit/cpu/cpu_backend.h"
#include "emit/cpu/enumerate.h"
#include "emit/cpu/machine_model.h"
#include "emit/cpu/schedule_backend.h"
#include "ir/frontend.h"
#include "isa/isa.h"
#include "search/search.h"
#include "synth/fusion_variants.h"

namespace axon {
namespace {

IndexProgram matmul(int64_t m, int64_t k, int64_t n) {
  return load_index_program(source_from_string(
      "where M = " + std::to_string(m) + ", K = " + std::to_string(k) + ", N = " +
      std::to_string(n) + "\ninput a: f32[M, K]\ninput b: f32[K, N]\noutput c = matmul(a, b)\n"));
}

MachineModel toy_machine() {
  MachineModel m;
  m.lanes = 8;
  m.clock_ghz = 3;
  m.vector_ops_per_cycle = 2;
  m.levels = {{"regs", 512, 0}, {"L1", 32768, 100}, {"L2", 524288, 80}, {"DRAM", 0, 15}};
  return m;
}

// Candidates behave by their rank: 0 baseline (correct, slow), then one each of: wrong, crash,
// hang, correct-and-fast.
class FakeArtifact : public Artifact {
public:
  FakeArtifact(const IndexProgram& p, int behaviour) : p_(p), behaviour_(behaviour) {}
  TensorMap run(const TensorMap& inputs) const override {
    if (behaviour_ == 2)
      std::raise(SIGSEGV);
    if (behaviour_ == 3)
      std::this_thread::sleep_for(std::chrono::seconds(60));
    TensorMap out = interpret(p_, inputs);
    if (behaviour_ == 1)
      for (auto& x : out.at("c").data)
        x += 1.0;
    return out;
  }
  Timing time(int, int, double) const override {
    Timing t;
    t.median_ns = t.min_ns = t.max_ns = behaviour_ == 4 ? 100 : 1000;
    t.repeats = 1;
    t.clock = "fake";
    return t;
  }
  std::map<std::string, std::string> files() const override { return {}; }

private:
  IndexProgram p_;
  int behaviour_;
};

// A schedule backend whose job outputs these searches never write.
class TestScheduleBackend : public ScheduleBackend {
public:
  std::string name() const override { return "test"; }
  nlohmann::json fingerprint() const override { return {{"test", target_name()}}; }
  nlohmann::json device_report() const override { return {{"target", target_name()}}; }
  std::string kernel_json(const IndexProgram&, const Plan&) const override { return "{}\n"; }
  std::string artifact_kind() const override { return "none"; }
};

class FakeBackend : public TestScheduleBackend {
public:
  std::string target_name() const override { return "fake"; }
  double estimate_stmt_ns(const IndexProgram& p, size_t i, const StmtSchedule& s) const override {
    return estimate_stmt_ns_impl(p, i, s);
  }
  int vector_lanes() const override { return 8; }
  std::string unsupported(const IndexProgram&) const override { return ""; }
  std::unique_ptr<Artifact> compile_schedule(const IndexProgram& p,
                                             const Schedule&) const override {
    int b = calls_++;
    if (b == 5)
      throw std::runtime_error("fake compile failure");
    return std::make_unique<FakeArtifact>(p, b);
  }
  mutable int calls_ = 0;

private:
  static double estimate_stmt_ns_impl(const IndexProgram& p, size_t i, const StmtSchedule& s) {
    return axon::estimate_stmt_ns(p, i, s, toy_machine());
  }
};

TEST(Search, BadCandidatesAreRecordedSkippedAndNeverWin) {
  IndexProgram p = matmul(5, 7, 3);
  FakeBackend b;
  SearchOptions o;
  o.measure = 6;
  o.per_stmt_keep = 6;
  o.candidate_timeout_s = 2;
  o.compile_jobs = 1; // the fake behaves by compile order
  std::vector<std::string> seen;
  SearchResult r = search_schedules(
      p, b, o, [&](const CandidateRecord& c) { seen.push_back(status_name(c.status)); });
  ASSERT_GE(r.candidates.size(), 6u);
  EXPECT_EQ(r.candidates[0].status, CandidateStatus::Ok);
  EXPECT_EQ(r.candidates[1].status, CandidateStatus::WrongResult);
  EXPECT_EQ(r.candidates[2].status, CandidateStatus::Crashed);
  EXPECT_NE(r.candidates[2].detail.find("signal 11"), std::string::npos) << r.candidates[2].detail;
  EXPECT_EQ(r.candidates[3].status, CandidateStatus::Crashed);
  EXPECT_NE(r.candidates[3].detail.find("timed out"), std::string::npos) << r.candidates[3].detail;
  EXPECT_EQ(r.candidates[4].status, CandidateStatus::Ok);
  EXPECT_EQ(r.candidates[5].status, CandidateStatus::CompileError);
  EXPECT_EQ(r.best, 4);
  EXPECT_EQ(r.baseline, 0);
  EXPECT_EQ(r.stats.numerics_failures, 1u);
  EXPECT_EQ(r.stats.crashes, 2u);
  EXPECT_EQ(r.stats.compile_failures, 1u);
  EXPECT_EQ(seen.size(), r.candidates.size());
}

// A baseline slower than the whole time budget: correct, its runs take a minute; every searched
// candidate is correct and fast.
class SlowBaselineBackend : public FakeBackend {
public:
  std::unique_ptr<Artifact> compile_schedule(const IndexProgram& p,
                                             const Schedule&) const override {
    return std::make_unique<FakeArtifact>(p, calls_++ == 0 ? 3 : 4);
  }
};

// The budget ends the baseline's check, not the search: the baseline is recorded as not measured
// (not as a crash: it is correct, only slow), and a searched candidate is still measured and wins.
TEST(Search, TimeBudgetStopsASlowBaselineNotTheSearch) {
  IndexProgram p = matmul(5, 7, 3);
  SlowBaselineBackend b;
  SearchOptions o;
  o.measure = 3;
  o.compile_jobs = 1;
  o.time_budget_s = 1.5;
  auto t0 = std::chrono::steady_clock::now();
  SearchResult r = search_schedules(p, b, o);
  double took = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  ASSERT_GE(r.candidates.size(), 2u);
  EXPECT_EQ(r.candidates[0].kind, "baseline");
  EXPECT_EQ(r.candidates[0].status, CandidateStatus::NotMeasured);
  EXPECT_NE(r.candidates[0].detail.find("time budget"), std::string::npos)
      << r.candidates[0].detail;
  EXPECT_EQ(r.baseline, -1);
  EXPECT_EQ(r.stats.crashes, 0u);
  // One searched candidate after the budget, then the search stops.
  EXPECT_EQ(r.candidates.size(), 2u);
  EXPECT_EQ(r.candidates[1].status, CandidateStatus::Ok);
  EXPECT_EQ(r.best, 1);
  EXPECT_EQ(r.stats.stop_reason, "time budget");
  EXPECT_LT(took, 20.0); // the baseline's run alone takes 60 s
}

// The budget is the whole run's, over the searches of every variant: a later variant's search
// that starts with it spent measures nothing once an earlier one measured a searched candidate,
// and one searched candidate when none has been.
TEST(Search, TimeBudgetSpansTheSearchesOfEveryVariant) {
  IndexProgram p = matmul(5, 7, 3);
  SearchOptions o;
  o.measure = 3;
  o.compile_jobs = 1;
  o.include_baseline = false;
  o.time_budget_s = 10;
  o.budget_spent_s = 11;
  o.searched_measured = true;
  SlowBaselineBackend spent;
  spent.calls_ = 1; // no slow first candidate
  SearchResult r = search_schedules(p, spent, o);
  EXPECT_TRUE(r.candidates.empty());
  EXPECT_EQ(r.stats.stop_reason, "time budget");
  EXPECT_EQ(spent.calls_, 1) << "candidates compiled after the budget";
  o.searched_measured = false;
  SlowBaselineBackend none;
  none.calls_ = 1;
  r = search_schedules(p, none, o);
  ASSERT_EQ(r.candidates.size(), 1u);
  EXPECT_EQ(r.candidates[0].status, CandidateStatus::Ok);
  EXPECT_EQ(r.stats.stop_reason, "time budget");
}

TEST(Search, EnumeratedSchedulesAreValid) {
  IndexProgram p = load_index_program(read_source("experiments/suites/nkibench/rmsnorm_matmul.tp"))
                       .with_dims({{"M", 64}, {"K", 32}, {"N", 48}});
  for (size_t i = 0; i < p.stmts().size(); ++i) {
    auto all = enumerate_stmt_schedules(p, i, EnumerateOptions{});
    EXPECT_GE(all.size(), 2u);
    for (auto& ss : all) {
      Schedule s = default_schedule(p);
      s.stmts[i] = ss;
      EXPECT_EQ(validate_schedule(p, s), "") << to_string(s, p);
    }
  }
}

// A lifted reduction vectorized along its own variable accumulates every lane into one element:
// no vector speed-up (measured 3x slower than the backend's vector reduction on softmax's row max).
TEST(CostModel, ReductionVectorizedAlongItselfIsNotFast) {
  IndexProgram p = load_index_program(source_from_string(
      "where M = 256, N = 1024\ninput x: f32[M, N]\noutput m[i] = max(j) x[i, j]\n"));
  MachineModel mm = toy_machine();
  StmtSchedule scalar{{"i"}, {},    "", 0,
                      1,     false, {}, {}}; // the reduction on vector lanes, combined
  StmtSchedule along{{"i", "j.o", "j.i"}, {{"j", 64}}, "j.i", 8, 1, false, {}, {}};
  EXPECT_LT(estimate_stmt_ns(p, 0, scalar, mm), estimate_stmt_ns(p, 0, along, mm));
}

// A transpose reads its operand strided along the output's inner loop: the enumeration blocks
// both loops (two-loop nests are blocked only then), and the model ranks 32 x 32 blocks ahead
// of the unblocked nest, whose strided lines are evicted before the next row reuses them
// (measured on avx512, 4096 x 2048: 32.1 ms unblocked, 10.1 ms in blocks of 32).
TEST(CostModel, BlocksATransposeAndRanksTheBlocksFirst) {
  IndexProgram p = load_index_program(source_from_string(
      "where M = 4096, N = 2048\ninput x: f32[M, N]\noutput y: f32[N, M] = transpose(x)\n"));
  MachineModel mm = toy_machine();
  double blocked = INFINITY, unblocked = INFINITY;
  for (auto& ss : enumerate_stmt_schedules(p, 0, EnumerateOptions{})) {
    double ns = estimate_stmt_ns(p, 0, ss, mm);
    if (ss.order.size() == 4 && ss.split.size() == 2 && ss.split.begin()->second == 32)
      blocked = std::min(blocked, ns);
    if (ss.split.empty())
      unblocked = std::min(unblocked, ns);
  }
  ASSERT_TRUE(std::isfinite(blocked)) << "no 32 x 32 blocked schedule enumerated";
  EXPECT_LT(blocked, 0.5 * unblocked);
  // An elementwise two-loop statement is blocked only in the order that reads it strided.
  IndexProgram add =
      load_index_program(source_from_string("where M = 4096, N = 2048\ninput x: f32[M, N]\ninput "
                                            "z: f32[M, N]\noutput y: f32[M, N] = x + z\n"));
  for (auto& ss : enumerate_stmt_schedules(add, 0, EnumerateOptions{}))
    if (ss.split.size() == 2) {
      EXPECT_EQ(ss.order.back(), add.stmts()[0].vars[0] + ".i");
    }
  // A reduction's two loops are not blocked, in either order (a row maximum blocked across rows
  // measured 34-38 ms in a softmax whose best took 5.7 ms).
  IndexProgram row_max = load_index_program(source_from_string(
      "where M = 4096, N = 4096\ninput x: f32[M, N]\noutput m[i] = max(j) x[i, j]\n"));
  for (auto& ss : enumerate_stmt_schedules(row_max, 0, EnumerateOptions{}))
    EXPECT_LE(ss.split.size(), 1u);
}

// A block that would take most of the L3 is not trusted to stay there: for NKIBench's matmul on
// the Zen 4 target, 4-row tiles each sweeping a 25 MB block of b (k blocks of 512 x 12288) ran
// 6.0 s, DRAM-bound; a 64 KB sliver of b kept in L2 while every row tile passes took 3.1 s.
TEST(CostModel, ABlockNearTheCacheSizeIsNotTrustedToStay) {
  IndexProgram p = matmul(4096, 5120, 12288);
  MachineModel m = cpu_machine_model(load_isa("targets/zen4.json"));
  StmtSchedule rows_outer{{"k.o", "m.o", "n.o", "k.i", "m.i", "n.i"},
                          {{"k", 512}, {"m", 4}, {"n", 32}},
                          "n.i",
                          16,
                          1,
                          false,
                          {"m.i"},
                          {"b"}};
  ASSERT_TRUE(is_register_tile(p, 0, rows_outer));
  StmtSchedule sliver_outer = rows_outer;
  sliver_outer.order = {"k.o", "n.o", "m.o", "k.i", "m.i", "n.i"};
  EXPECT_LT(estimate_stmt_ns(p, 0, sliver_outer, m), estimate_stmt_ns(p, 0, rows_outer, m));
}

// Register tiles that all saturate the FMA unit on paper still differ by the bytes of the
// streamed operand (b) each FMA needs: the tile reusing each vector of b over more rows ranks
// first, as measured on the Zen 4 VM (zen4: 4 x 32 tiles 5-10% slower than 8 x 48 and 6 x 64 in
// SwiGLU's products, 20% in NKIBench's matmul; avx2: 6 x 16 99.6 ms, 4 x 16 116.8 ms, 3 x 32
// 179 ms on matmul 2048^3).
TEST(CostModel, TilesThatReuseTheStreamedOperandRankFirst) {
  IndexProgram p = matmul(1024, 1024, 3072);
  auto tile = [](int64_t rows, int64_t cols, int lanes) {
    return StmtSchedule{{"m.o", "n.o", "k", "m.i", "n.i"},
                        {{"m", rows}, {"n", cols}},
                        "n.i",
                        lanes,
                        1,
                        false,
                        {"m.i"},
                        {"b"}};
  };
  MachineModel zen4 = cpu_machine_model(load_isa("targets/zen4.json"));
  for (auto [r, c] : {std::pair<int64_t, int64_t>{4, 32}, {8, 48}, {6, 64}})
    ASSERT_TRUE(is_register_tile(p, 0, tile(r, c, 16)));
  EXPECT_LT(estimate_stmt_ns(p, 0, tile(8, 48, 16), zen4),
            estimate_stmt_ns(p, 0, tile(4, 32, 16), zen4));
  EXPECT_LT(estimate_stmt_ns(p, 0, tile(6, 64, 16), zen4),
            estimate_stmt_ns(p, 0, tile(4, 32, 16), zen4));
  MachineModel avx2 = cpu_machine_model(load_isa("targets/avx2.json"));
  EXPECT_LT(estimate_stmt_ns(p, 0, tile(6, 16, 8), avx2),
            estimate_stmt_ns(p, 0, tile(4, 16, 8), avx2));
  EXPECT_LT(estimate_stmt_ns(p, 0, tile(4, 16, 8), avx2),
            estimate_stmt_ns(p, 0, tile(3, 32, 8), avx2));
}

TEST(CostModel, PrefersContiguousVectorizedInnerLoops) {
  IndexProgram p = matmul(512, 512, 512);
  MachineModel m = toy_machine();
  StmtSchedule naive{{"m", "n"}, {},    "", 0,
                     1,          false, {}, {}}; // dot product per element, k innermost
  StmtSchedule ikj{{"m", "k", "n"}, {}, "n", 0, 1,
                   false,           {}, {}}; // k lifted, n vectorized and contiguous
  StmtSchedule kji{{"n", "k", "m"}, {}, "m", 0, 1, false, {}, {}}; // vectorized over a strided loop
  double t_naive = estimate_stmt_ns(p, 0, naive, m), t_ikj = estimate_stmt_ns(p, 0, ikj, m),
         t_kji = estimate_stmt_ns(p, 0, kji, m);
  EXPECT_LT(t_ikj, t_naive);
  EXPECT_LT(t_ikj, t_kji);
}

} // namespace
} // namespace axon

namespace axon {
namespace {

// Fusion variants compute the same outputs as the program as written, and no longer have the
// inlined temporaries; reductions stay.
TEST(Fusion, InlinedVariantsAgreeWithTheOriginal) {
  for (const char* f :
       {"experiments/suites/ops/softmax.tp", "experiments/suites/nkibench/swiglu.tp",
        "experiments/suites/nkibench/adamw.tp", "experiments/suites/nkibench/lora.tp",
        "experiments/suites/mirage/gated_mlp.tp",
        "experiments/suites/nkibench/matmul_add_rmsnorm.tp"}) {
    IndexProgram p = load_index_program(read_source(f));
    std::map<std::string, int64_t> small;
    for (auto& [d, v] : p.dims())
      small[d] = std::min<int64_t>(v.value_or(6), 6);
    p = p.with_dims(small);
    auto vs = fusion_variants(p);
    ASSERT_GE(vs.size(), 2u) << f;
    TensorMap in = random_inputs(p, 3);
    for (auto& [n, v] : in)
      for (auto& x : v.data)
        x = std::fabs(x) + 0.1; // adamw's second moment must be positive
    TensorMap a = interpret(p, in);
    for (size_t i = 1; i < vs.size(); ++i) {
      const ProgramVariant& fused = vs[i];
      for (auto& t : fused.inlined)
        EXPECT_EQ(fused.program.find_tensor(t), nullptr) << f << " " << t;
      TensorMap b = interpret(fused.program, in);
      for (auto* t : p.outputs())
        EXPECT_LE(max_scaled_error(b.at(t->name), a.at(t->name), 1e-12, 1e-12), 1.0)
            << f << ", " << fused.name;
    }
  }
}

// A reduction's temporary read once per element by one elementwise statement becomes that
// statement's reduction, the rest its epilogue (SwiGLU's up projection times silu(gate)); the
// variant that inlines only the elementwise temporaries is then superseded.
TEST(Fusion, AReductionReadOncePerElementBecomesItsReadersEpilogue) {
  IndexProgram p = load_index_program(read_source("experiments/suites/nkibench/swiglu.tp"));
  auto vs = fusion_variants(p);
  ASSERT_EQ(vs.size(), 3u);
  EXPECT_EQ(vs[1].name, "elementwise temporaries inlined");
  EXPECT_EQ(vs[1].superseded_by, vs[2].name);
  EXPECT_TRUE(vs[2].superseded_by.empty());
  const IndexProgram& q = vs[2].program;
  EXPECT_EQ(q.find_tensor("up"), nullptr);
  EXPECT_NE(q.find_tensor("_t1"), nullptr); // y reads both products; it takes the one defined last
  ASSERT_EQ(q.stmts().size(), 2u);
  const IndexStmt& y = q.stmts()[1];
  ASSERT_NE(top_reduction(y), nullptr) << to_string(y);
  EXPECT_NE(reduction_epilogue(y), nullptr) << to_string(y);
  // Its register tile is a legal schedule the search can measure.
  StmtSchedule ss{{y.vars[0] + ".o", y.vars[1] + ".o", top_reduction(y)->name(), y.vars[0] + ".i",
                   y.vars[1] + ".i"},
                  {{y.vars[0], 4}, {y.vars[1], 32}},
                  y.vars[1] + ".i",
                  16,
                  1,
                  false,
                  {y.vars[0] + ".i"},
                  {}};
  EXPECT_TRUE(is_register_tile(q, 1, ss));
}

// Reductions that would be recomputed, or rounded differently, stay temporaries: one read twice,
// one read by a statement with more elements (a broadcast), one read inside a reduction.
TEST(Fusion, AReductionIsNotInlinedWhereItWouldBeRecomputed) {
  for (const char* text : {
           "where M = 8, N = 16\ninput x: f32[M, N]\ns[i] = sum(j) x[i, j]\noutput y[i] = s[i] * "
           "s[i]\n",
           "where M = 8, N = 16\ninput x: f32[M, N]\ns[i] = sum(j) x[i, j]\noutput y[i, j] = x[i, "
           "j] - s[i]\n",
           "where M = 8, N = 16\ninput x: f32[M, N]\ns[i, j] = sum(k) x[i, k] * x[j, k]\n"
           "output y[i] = sum(j) s[i, j]\n",
       }) {
    IndexProgram p = load_index_program(source_from_string(text));
    for (auto& v : fusion_variants(p))
      EXPECT_NE(v.name, "reductions inlined into their elementwise consumers") << text;
  }
  // Read once per element, transposed: inlined.
  IndexProgram t = load_index_program(
      source_from_string("where M = 8, N = 16\ninput x: f32[M, N]\ns[i, j] = sum(k) x[i, k] * x[j, "
                         "k]\noutput y[j, i] = s[i, j] + 1.0\n"));
  auto vs = fusion_variants(t);
  ASSERT_EQ(vs.size(), 2u);
  EXPECT_EQ(vs[1].name, "reductions inlined into their elementwise consumers");
  TensorMap in = random_inputs(t, 5);
  EXPECT_LE(max_scaled_error(interpret(vs[1].program, in).at("y"), interpret(t, in).at("y"), 1e-12,
                             1e-12),
            1.0);
}

} // namespace
} // namespace axon

namespace axon {
namespace {

// Records every schedule the search compiles; every candidate is correct and equally fast.
class RecordingBackend : public TestScheduleBackend {
public:
  std::string target_name() const override { return "recording"; }
  double estimate_stmt_ns(const IndexProgram& p, size_t i, const StmtSchedule& s) const override {
    return axon::estimate_stmt_ns(p, i, s, toy_machine());
  }
  // A model that never predicts a gain from fusion (each fused statement costs 1% more).
  double estimate_schedule_ns(const IndexProgram& p, const Schedule& s) const override {
    double fused = 0;
    for (auto& ss : s.stmts)
      fused += ss.fuse_prev;
    return axon::estimate_ns(p, s, toy_machine()) * (1 + 0.01 * fused);
  }
  int vector_lanes() const override { return 8; }
  int vector_registers() const override { return 16; }
  int threads() const override { return 2; }
  int64_t streaming_store_min_bytes() const override { return 1; }
  bool prefetches() const override { return true; }
  std::string unsupported(const IndexProgram&) const override { return ""; }
  std::unique_ptr<Artifact> compile_schedule(const IndexProgram& p,
                                             const Schedule& s) const override {
    std::lock_guard<std::mutex> lock(mu_);
    compiled.push_back(s);
    return std::make_unique<FakeArtifact>(p, 0);
  }
  mutable std::mutex mu_;
  mutable std::vector<Schedule> compiled;
};

// The search measures what its cost model cannot rank: every legal fusion of the leading
// combinations, the largest register-tile shapes, and streaming stores and prefetching on the two
// fastest candidates.
TEST(Search, MeasuresFusionTileShapesAndStreamingTheModelCannotRank) {
  IndexProgram att = load_index_program(read_source("experiments/bench/attention.tp"))
                         .with_dims({{"H", 2}, {"S", 16}, {"D", 8}});
  RecordingBackend b;
  SearchOptions o;
  o.candidate_timeout_s = 10;
  SearchResult r = search_schedules(att, b, o);
  ASSERT_GE(r.best, 0);
  size_t fused = 0, streamed = 0;
  for (auto& s : b.compiled) {
    EXPECT_EQ(validate_schedule(att, s), "") << to_string(s, att);
    for (auto& ss : s.stmts)
      fused += ss.fuse_prev;
  }
  EXPECT_GE(fused, 3u); // softmax's statements joined a group

  IndexProgram sm = load_index_program(read_source("experiments/suites/ops/softmax.tp"))
                        .with_dims({{"M", 16}, {"N", 64}});
  RecordingBackend bs;
  SearchResult rs = search_schedules(sm, bs, o);
  size_t prefetching = 0, both = 0;
  for (auto& c : rs.candidates) {
    bool st = false, pf = false;
    for (auto& ss : schedule_of(c.plan).stmts) {
      st = st || ss.stream, pf = pf || !ss.prefetch.empty();
      EXPECT_LE(ss.prefetch.size(), 1u); // a tensor is prefetched once
    }
    if (st || pf) {
      streamed += st;
      prefetching += pf;
      both += st && pf;
      EXPECT_EQ(c.status, CandidateStatus::Ok);
      EXPECT_EQ(validate_schedule(sm, schedule_of(c.plan)), "");
    }
  }
  // y is written once and never read back: the two fastest, streamed; then x prefetched on the
  // two fastest; then both at once on the two fastest, measured last.
  EXPECT_GE(streamed, 2u);
  EXPECT_LE(streamed, 4u);
  EXPECT_GE(prefetching, 2u);
  EXPECT_LE(prefetching, 4u);
  EXPECT_GE(both, 1u);
  bool last_st = false, last_pf = false;
  for (auto& ss : schedule_of(rs.candidates.back().plan).stmts)
    last_st = last_st || ss.stream, last_pf = last_pf || !ss.prefetch.empty();
  EXPECT_TRUE(last_st && last_pf) << to_string(schedule_of(rs.candidates.back().plan), sm);

  IndexProgram mm = matmul(64, 64, 96);
  RecordingBackend bm;
  search_schedules(mm, bm, o);
  std::set<std::pair<int64_t, int64_t>> shapes;
  for (auto& s : bm.compiled)
    if (is_register_tile(mm, 0, s.stmts[0]) && s.stmts[0].unroll.size() == 1)
      shapes.insert({s.stmts[0].split.at("m"), s.stmts[0].split.at("n")});
  EXPECT_GE(shapes.size(), 3u);

  // Two register-tile statements (SwiGLU's products): some candidate has both at the same one
  // of their largest tile shapes at once, not only each on its own.
  IndexProgram sw = load_index_program(read_source("experiments/suites/nkibench/swiglu.tp"))
                        .with_dims({{"M", 64}, {"K", 64}, {"N", 96}});
  std::vector<size_t> tiled;
  for (size_t i = 0; i < sw.stmts().size(); ++i)
    if (top_reduction(sw.stmts()[i]))
      tiled.push_back(i);
  ASSERT_EQ(tiled.size(), 2u);
  RecordingBackend bw;
  search_schedules(sw, bw, o);
  auto shape = [&](const Schedule& s, size_t i) -> std::pair<int64_t, int64_t> {
    const StmtSchedule& ss = s.stmts[i];
    if (!is_register_tile(sw, i, ss) || ss.unroll.size() != 1)
      return {0, 0};
    return {ss.split.at(loop_var(ss.unroll[0])), ss.split.at(loop_var(ss.vectorize))};
  };
  std::set<std::pair<int64_t, int64_t>> together;
  for (auto& s : bw.compiled) {
    auto a = shape(s, tiled[0]), c = shape(s, tiled[1]);
    if (a.first && a == c)
      together.insert(a);
  }
  EXPECT_GE(together.size(), 2u);
}

// Artifacts timed by their register tile: larger tiles faster; k blocks of 256 20% faster than
// none, other blocks 20% slower.
class TileTimedArtifact : public Artifact {
public:
  TileTimedArtifact(const IndexProgram& p, const Schedule& s) : p_(p), s_(s) {}
  TensorMap run(const TensorMap& inputs) const override { return interpret(p_, inputs); }
  Timing time(int, int, double) const override {
    Timing t;
    const StmtSchedule& ss = s_.stmts[0];
    auto shape = tile_shape_of(ss);
    t.median_ns = shape ? 1e4 / (shape->first * shape->second) + shape->first : 1e4;
    if (ss.split.count("k"))
      t.median_ns *= ss.split.at("k") == 256 ? 0.8 : 1.2;
    t.min_ns = t.max_ns = t.median_ns;
    t.repeats = 1;
    t.clock = "fake";
    return t;
  }
  std::map<std::string, std::string> files() const override { return {}; }
  static std::optional<std::pair<int64_t, int64_t>> tile_shape_of(const StmtSchedule& ss) {
    if (ss.unroll.size() != 1 || ss.vectorize.empty() || !ss.split.count(loop_var(ss.unroll[0])) ||
        !ss.split.count(loop_var(ss.vectorize)))
      return std::nullopt;
    return std::make_pair(ss.split.at(loop_var(ss.unroll[0])), ss.split.at(loop_var(ss.vectorize)));
  }

private:
  IndexProgram p_;
  Schedule s_;
};

class TileTimedBackend : public RecordingBackend {
public:
  std::unique_ptr<Artifact> compile_schedule(const IndexProgram& p,
                                             const Schedule& s) const override {
    std::lock_guard<std::mutex> lock(mu_);
    compiled.push_back(s);
    return std::make_unique<TileTimedArtifact>(p, s);
  }
};

// Each tile shape is measured at the block size the model ranks first (here: none); the search
// then also measures the second-fastest shape blocked (k blocks of 256) and ordered as the fastest.
TEST(Search, SecondTileShapeAtTheFastestsBlocking) {
  IndexProgram mm = matmul(48, 1024, 96);
  TileTimedBackend b;
  SearchOptions o;
  o.candidate_timeout_s = 10;
  SearchResult r = search_schedules(mm, b, o);
  ASSERT_GE(r.best, 0);
  const StmtSchedule& best = schedule_of(r.candidates[static_cast<size_t>(r.best)].plan).stmts[0];
  auto best_shape = TileTimedArtifact::tile_shape_of(best);
  ASSERT_TRUE(best_shape);
  ASSERT_TRUE(best.split.count("k") && best.split.at("k") == 256)
      << to_string(schedule_of(r.candidates[static_cast<size_t>(r.best)].plan), mm);
  // The second-fastest shape, as the search saw it.
  std::vector<const CandidateRecord*> ok;
  for (auto& c : r.candidates)
    if (c.status == CandidateStatus::Ok && c.kind == "searched")
      ok.push_back(&c);
  std::stable_sort(ok.begin(), ok.end(),
                   [](auto* a, auto* c) { return a->timing.median_ns < c->timing.median_ns; });
  std::optional<std::pair<int64_t, int64_t>> second;
  for (auto* c : ok)
    if (auto t = TileTimedArtifact::tile_shape_of(schedule_of(c->plan).stmts[0]);
        t && *t != *best_shape) {
      second = t;
      break;
    }
  ASSERT_TRUE(second);
  auto m_outer = [](const StmtSchedule& ss) {
    auto at = [&](const std::string& l) {
      return std::find(ss.order.begin(), ss.order.end(), l) - ss.order.begin();
    };
    return at(loop_var(ss.unroll[0]) + ".o") < at(loop_var(ss.vectorize) + ".o");
  };
  bool measured = false;
  for (auto* c : ok) {
    const StmtSchedule& ss = schedule_of(c->plan).stmts[0];
    measured = measured ||
               (TileTimedArtifact::tile_shape_of(ss) == second && ss.split.count("k") &&
                ss.split.at("k") == 256 && m_outer(ss) == m_outer(best) && ss.pack == best.pack);
  }
  EXPECT_TRUE(measured) << second->first << "x" << second->second;
}

} // namespace
} // namespace axon
