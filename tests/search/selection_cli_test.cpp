// The main job's instruction selection stage end to end: it runs (AXON_TIME_PASSES shows it),
// report.json's "selection" section lists the winner's statements with their instructions, and
// a target without an instruction for a function the program applies is refused (exit 2) with a
// message naming the statement and the target.
#include <gtest/gtest.h>

#include "tests/common/run_command.h"
#include <sys/wait.h>
#include <unistd.h>

#include <array>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

namespace {

namespace fs = std::filesystem;

using Result = axon::test::CommandResult; // out: stdout and stderr together

Result run(const std::string& env, const std::string& args) {
  return axon::test::run_command(env + " " + std::string(AXON_BIN) + " " + args + " 2>&1");
}

fs::path temp_dir(const std::string& name) {
  fs::path d = fs::temp_directory_path() / (name + "_" + std::to_string(::getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

TEST(SelectionStage, RunsAndFillsTheReport) {
  fs::path dir = temp_dir("axon_selection_e2e");
  Result r = run(
      "AXON_TIME_PASSES=1 AXON_CACHE_DIR=" + (dir / "cache").string(),
      "--isa targets/avx2.json experiments/suites/ops/softmax.tp --dim M=16 --dim N=64 --no-cache "
      "--measure 2 --repeats 3 -j 1 -o " +
          (dir / "out").string());
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("instruction selection"), std::string::npos) << r.out;
  std::ifstream in(dir / "out" / "report.json");
  nlohmann::json rep = nlohmann::json::parse(in);
  ASSERT_TRUE(rep.contains("selection")) << rep.dump(2);
  const auto& sel = rep["selection"];
  EXPECT_GT(sel["statements_selected"].get<int>(), 0);
  EXPECT_TRUE(rep["seconds"].contains("instruction selection"));
  // softmax's exp(x - mx) is covered (a load, a broadcast, a subtraction and exp) and costed from
  // the selection; its max and sum reductions keep the operation weights and say why.
  bool exp_costed = false, reduction_noted = false;
  for (const auto& s : sel["winner"]) {
    ASSERT_TRUE(s.contains("statement") && s.contains("cost_model")) << s.dump(2);
    if (s["found"].get<bool>()) {
      ASSERT_TRUE(s.contains("instructions") && s.contains("cost_ns_per_tile")) << s.dump(2);
      for (const auto& i : s["instructions"])
        for (const char* k : {"instruction", "params", "engine", "computes", "cost_ns"})
          EXPECT_TRUE(i.contains(k)) << k;
    } else {
      EXPECT_FALSE(s["reason"].get<std::string>().empty());
    }
    if (s["cost_model"] == "selection")
      for (const auto& i : s["instructions"])
        exp_costed = exp_costed || i["instruction"] == "exp";
    if (s["statement"].get<std::string>().find("sum(") != std::string::npos)
      reduction_noted = s["cost_model"] == "operation weights" && s.contains("cost_note");
  }
  EXPECT_TRUE(exp_costed) << sel.dump(2);
  EXPECT_TRUE(reduction_noted) << sel.dump(2);
  // The selections are cached beside the proof cache.
  EXPECT_TRUE(fs::exists(dir / "cache" / "isel")) << r.out;
  fs::remove_all(dir);
}

TEST(SelectionStage, AFunctionTheTargetLacksIsRefused) {
  fs::path dir = temp_dir("axon_selection_noexp");
  nlohmann::json isa = nlohmann::json::parse(std::ifstream("targets/avx2.json"));
  auto& a = isa["instructions"];
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i]["name"] == "exp")
      a.erase(i--);
  isa["name"] = "avx2_without_exp";
  std::ofstream(dir / "avx2_without_exp.json") << isa.dump(1);
  Result r = run("AXON_CACHE_DIR=" + (dir / "cache").string(),
                 "--isa " + (dir / "avx2_without_exp.json").string() +
                     " experiments/suites/ops/softmax.tp --dim M=16 --dim N=64 --no-cache -o " +
                     (dir / "out").string());
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("softmax.tp:"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("exp(x[_b0, n] - y.mx[_b0])"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("avx2_without_exp"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("applies exp"), std::string::npos) << r.out;
  EXPECT_FALSE(fs::exists(dir / "out" / "report.json"));
  fs::remove_all(dir);
}

} // namespace
