// A second backend (tests/search/fake_backend.h: a space of row chunks, the interpreter as its
// compiler, a simulated clock) found through the registry and searched by the same search/, which
// is not touched to run it; a simulated clock times each candidate once, without warm-up, early
// stopping or runoff.
#include <gtest/gtest.h>

#include "emit/registry.h"
#include "ir/error.h"
#include "ir/frontend.h"
#include "search/runoff.h"
#include "search/search.h"
#include "tests/search/fake_backend.h"

namespace axon {
namespace {

IndexProgram softmax_rows() {
  return load_index_program(read_source("experiments/suites/ops/softmax.tp"))
      .with_dims({{"M", 5}, {"N", 60}});
}

TEST(FakeBackend, TheRegistryFindsItByTheIsasBackendName) {
  register_backend("fake", [](const Isa&) { return std::make_unique<fake::ChunkBackend>(); });
  Isa isa;
  isa.path = "fake.json";
  isa.backends = {"sim", "fake"};
  std::unique_ptr<Backend> b = backend_for(isa);
  EXPECT_EQ(b->name(), "fake");
  // A target whose backends none is registered for: the clear error of before.
  isa.backends = {"nosuch"};
  try {
    backend_for(isa);
    FAIL() << "no error";
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("fake.json: synthesis for backend(s) nosuch is not "
                                         "available yet"),
              std::string::npos)
        << e.what();
  }
}

TEST(FakeBackend, TheWholeSearchRunsWithIt) {
  IndexProgram p = softmax_rows(); // 300 output elements
  fake::ChunkBackend b;
  SearchOptions o;
  o.measure = 4;
  o.candidate_timeout_s = 10;
  std::vector<std::string> order;
  SearchResult r = search_schedules(
      p, b, o, [&](const CandidateRecord& c) { order.push_back(b.plan_text(p, c.plan)); });
  ASSERT_GE(r.best, 0);
  EXPECT_EQ(r.baseline, 0);
  EXPECT_EQ(order.front(), "chunk 1 forward"); // the baseline
  // The four best estimates (chunks 64 and 32, the estimate blind to the order), then the
  // refinement of the fastest: chunk 128, forward and backward (the forward one wins: 3 steps).
  std::vector<std::string> want = {"chunk 1 forward",   "chunk 64 forward",  "chunk 64 backward",
                                   "chunk 32 forward",  "chunk 32 backward", "chunk 128 forward",
                                   "chunk 128 backward"};
  EXPECT_EQ(order, want);
  EXPECT_EQ(b.plan_text(p, r.candidates[static_cast<size_t>(r.best)].plan), "chunk 128 forward");
  EXPECT_DOUBLE_EQ(r.candidates[static_cast<size_t>(r.best)].timing.median_ns, 3 * 40 + 300);
  EXPECT_EQ(r.stats.enumerated, 14u);
  EXPECT_EQ(r.stats.combined, 14u);
  for (auto& c : r.candidates) {
    EXPECT_EQ(c.status, CandidateStatus::Ok) << c.detail;
    EXPECT_EQ(c.timing.clock, "simulated");
    EXPECT_EQ(c.timing.repeats, 1);
  }
  // Exact times: no warm-up, one run, and no early stopping, though the baseline (12300 ns) is
  // slower than 1.5 times the best so far for every candidate after it.
  auto timed = b.log->entries();
  ASSERT_EQ(timed.size(), r.candidates.size());
  for (auto& e : timed) {
    EXPECT_EQ(e.warmup, 0);
    EXPECT_EQ(e.repeats, 1);
    EXPECT_EQ(e.stop_above_ns, 0.0);
  }
  // And no runoff: the job runs one only for a wall clock.
  EXPECT_FALSE(needs_runoff(b));
}

// The conformance check catches a miscompiled candidate of this backend too.
TEST(FakeBackend, AMiscompiledCandidateFailsTheCheck) {
  IndexProgram p = softmax_rows();
  fake::ChunkBackend b;
  b.miscompile_chunk = 4;
  Plan bad = std::make_shared<const fake::ChunkPlan>(4, false);
  Plan good = std::make_shared<const fake::ChunkPlan>(8, false);
  std::string detail;
  EXPECT_LE(check_artifact(*b.compile(p, good), p, 3, 48, 1e-3, 10, &detail), 1.0) << detail;
  EXPECT_GT(check_artifact(*b.compile(p, bad), p, 3, 48, 1e-3, 10, &detail), 1.0);
}

// A backend that checks at smaller sizes (Backend::check_dims): every candidate is checked at the
// first, so a plan miscompiled only there fails although its full-size artifact is right; the
// winner is checked again at the second, and when it fails there the next fastest wins.
TEST(FakeBackend, ChecksRunAtTheBackendsCheckSizesAndTheWinnerAtTheSecond) {
  IndexProgram p = softmax_rows(); // M = 5, N = 60
  fake::ChunkBackend b;
  b.check_shapes = {{{"M", 2}, {"N", 7}}, {{"M", 3}, {"N", 9}}};
  // Chunk 32 is wrong at the first check sizes; chunk 128 forward (the fastest) at the second.
  b.miscompile_when = [](const IndexProgram& q, const fake::ChunkPlan& c) {
    int64_t m = *q.dims().at("M");
    return (c.chunk == 32 && m == 2) || (c.chunk == 128 && !c.backward && m == 3);
  };
  SearchOptions o;
  o.measure = 4;
  o.candidate_timeout_s = 10;
  SearchResult r = search_schedules(p, b, o);
  ASSERT_GE(r.best, 0);
  std::map<std::string, const CandidateRecord*> by_text;
  for (auto& c : r.candidates)
    by_text[b.plan_text(p, c.plan)] = &c;
  const CandidateRecord* c32 = by_text.at("chunk 32 forward");
  EXPECT_EQ(c32->status, CandidateStatus::WrongResult);
  EXPECT_EQ(c32->detail.rfind("at {M = 2, N = 7}: ", 0), 0u) << c32->detail;
  ASSERT_EQ(c32->check_dims.size(), 2u);
  const CandidateRecord* c128 = by_text.at("chunk 128 forward");
  EXPECT_EQ(c128->status, CandidateStatus::WrongResult);
  EXPECT_NE(c128->detail.find("second check failed at {M = 3, N = 9}"), std::string::npos)
      << c128->detail;
  EXPECT_EQ(b.plan_text(p, r.candidates[static_cast<size_t>(r.best)].plan), "chunk 128 backward");
  EXPECT_EQ(r.stats.numerics_failures, 3u); // chunk 32 in both orders, chunk 128 forward
}

} // namespace
} // namespace axon
