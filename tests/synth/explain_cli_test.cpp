// `axon-synth explain` end to end: the report and variant list, one derivation re-checked, JSON,
// and bad input (exit 2 with a message naming the problem).
#include <gtest/gtest.h>

#include "tests/common/run_command.h"
#include <sys/wait.h>

#include <array>
#include <cstdio>
#include <nlohmann/json.hpp>
#include <string>

namespace {

using Result = axon::test::CommandResult;

Result run(const std::string& args) {
  return axon::test::run_command(std::string(AXON_BIN) + " " + args + " 2>&1");
}

const std::string kProg = "explain experiments/suites/nkibench/rmsnorm_matmul.tp --dim M=2 --dim "
                          "K=4 --dim N=3 --max-variants 20";

TEST(ExplainCli, ListsVariantsAndChecksEveryDerivation) {
  auto r = run(kProg + " --check");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("rewrite discovery: 20 variants, stop: variant limit"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("derivation check: 20 of 20 derivations replayed and re-proven"),
            std::string::npos)
      << r.out;
}

TEST(ExplainCli, PrintsOneDerivation) {
  auto r = run(kProg + " --variant 5 --check");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("# variant 5:"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("step 1: "), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("[proven by"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("derivation check: every step replayed and re-proven"), std::string::npos)
      << r.out;
}

TEST(ExplainCli, Json) {
  auto r = run(kProg + " --json");
  ASSERT_EQ(r.code, 0) << r.out;
  auto j = nlohmann::json::parse(r.out);
  EXPECT_EQ(j["variants"].size(), 20u);
  EXPECT_EQ(j["stop_reason"], "variant limit");
}

TEST(ExplainCli, BadInput) {
  auto r = run(kProg + " --variant 999");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find("--variant 999"), std::string::npos) << r.out;
  r = run("explain experiments/suites/ops/softmax.tp --dim N=zero");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find("--dim"), std::string::npos) << r.out;
  r = run("explain experiments/suites/ops/softmax.tp --time-limit 0");
  EXPECT_EQ(r.code, 2);
  r = run("explain /nonexistent.tp");
  EXPECT_EQ(r.code, 2) << r.out;
}

} // namespace
