// The runoff (search/runoff.h): which candidates enter, alternation against a drifting machine,
// failures, and the isolated timing run.
#include <gtest/gtest.h>

#include <cmath>
#include <csignal>
#include <cstdlib>
#include <stdexcept>

#include "search/runoff.h"
#include "search/search.h"

namespace axon {
namespace {

TEST(Runoff, ContendersAreTheFastestWithinTheMargin) {
  std::vector<double> t = {10.0, 10.4, 9.9, 12.0, 10.3};
  // 9.9 * 1.05 = 10.395: 10.0 and 10.3 are in, 10.4 is not.
  EXPECT_EQ(runoff_contenders(t, 0.05, 3), (std::vector<size_t>{2, 0, 4}));
  EXPECT_EQ(runoff_contenders(t, 0.05, 2), (std::vector<size_t>{2, 0}));
  EXPECT_EQ(runoff_contenders(t, 0.06, 5), (std::vector<size_t>{2, 0, 4, 1}));
  EXPECT_EQ(runoff_contenders(t, 0.0, 3), (std::vector<size_t>{2}));
  EXPECT_EQ(runoff_contenders({5.0}, 0.05, 3), (std::vector<size_t>{0}));
  EXPECT_TRUE(runoff_contenders({}, 0.05, 3).empty());
}

// A machine that slows down by 1% per timing run. Timed one after the other, as the search does,
// the slower kernel A (100) measured first looks faster than B (97) measured 10 runs later; in
// alternation the runoff sees the true order.
TEST(Runoff, AlternationSeesThroughDrift) {
  const double truth[] = {100.0, 97.0};
  int clock = 0;
  std::vector<size_t> order;
  auto time_one = [&](size_t c, std::string*) -> std::optional<Timing> {
    order.push_back(c);
    Timing t;
    t.median_ns = truth[c] * (1 + 0.01 * clock++);
    return t;
  };
  // One after the other: A first, then B ten runs later.
  double search_a = time_one(0, nullptr)->median_ns;
  clock = 10;
  double search_b = time_one(1, nullptr)->median_ns;
  EXPECT_LT(search_a, search_b);
  order.clear();
  clock = 0;
  RunoffResult r = runoff(2, 4, time_one);
  EXPECT_EQ(order, (std::vector<size_t>{0, 1, 1, 0, 0, 1, 1, 0})); // rotated each round
  EXPECT_EQ(r.winner, 1u);
  ASSERT_EQ(r.round_medians_ns[1].size(), 4u);
  EXPECT_LT(r.median_ns[1], r.median_ns[0]);
  EXPECT_TRUE(r.failure[0].empty() && r.failure[1].empty());
}

TEST(Runoff, AContenderThatFailsIsOut) {
  int calls_of_b = 0;
  auto time_one = [&](size_t c, std::string* why) -> std::optional<Timing> {
    Timing t;
    t.median_ns = c == 0 ? 100.0 : 50.0;
    if (c == 1 && ++calls_of_b == 2) {
      *why = "timing run crashed";
      return std::nullopt;
    }
    return t;
  };
  RunoffResult r = runoff(2, 4, time_one);
  EXPECT_EQ(r.winner, 0u);
  EXPECT_EQ(calls_of_b, 2); // not timed again after the failure
  EXPECT_EQ(r.failure[1], "timing run crashed");
  EXPECT_TRUE(std::isinf(r.median_ns[1]));
  EXPECT_TRUE(r.round_medians_ns[1].empty());
  EXPECT_THROW(
      runoff(2, 2, [](size_t, std::string*) -> std::optional<Timing> { return std::nullopt; }),
      std::runtime_error);
}

class FakeArtifact : public Artifact {
public:
  explicit FakeArtifact(bool crash) : crash_(crash) {}
  TensorMap run(const TensorMap&) const override { return {}; }
  Timing time(int warmup, int repeats, double) const override {
    if (crash_)
      std::abort();
    Timing t;
    t.median_ns = 1234.5 + warmup;
    t.min_ns = 1000.25;
    t.max_ns = 2000.0;
    t.repeats = repeats;
    t.clock = "wall";
    return t;
  }
  std::map<std::string, std::string> files() const override { return {}; }

private:
  bool crash_;
};

TEST(Runoff, IsolatedTimingRoundTripsAndSurvivesACrash) {
  FakeArtifact ok(false), bad(false), crashes(true);
  std::string why;
  auto t = time_isolated(ok, 2, 7, 0, 30, &why);
  ASSERT_TRUE(t.has_value()) << why;
  EXPECT_EQ(t->median_ns, 1236.5);
  EXPECT_EQ(t->min_ns, 1000.25);
  EXPECT_EQ(t->max_ns, 2000.0);
  EXPECT_EQ(t->repeats, 7);
  EXPECT_EQ(t->clock, "wall");
  EXPECT_FALSE(time_isolated(crashes, 1, 1, 0, 30, &why).has_value());
  EXPECT_NE(why.find("timing run crashed"), std::string::npos) << why;
  // Through the runoff: the crashing contender is out, the other wins.
  RunoffOptions o;
  RunoffResult r = runoff(2, 2, isolated_timer({&crashes, &bad}, o, 30));
  EXPECT_EQ(r.winner, 1u);
  EXPECT_NE(r.failure[0].find("crashed"), std::string::npos);
  EXPECT_EQ(r.median_ns[1], 1234.5 + o.warmup);
}

} // namespace
} // namespace axon
