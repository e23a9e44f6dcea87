// The CLI end to end: subcommands on the bundled suites, exit codes, flags, user specs.
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tests/common/run_command.h"

#include <array>
#include <cstdio>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <regex>
#include <sstream>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

namespace {

namespace fs = std::filesystem;

using Result = axon::test::CommandResult; // out: stdout and stderr together

Result run(const std::string& args) {
  return axon::test::run_command(std::string(AXON_BIN) + " " + args + " 2>&1");
}

std::vector<std::string> suite_files() {
  std::vector<std::string> out;
  for (const char* dir :
       {"experiments/suites/ops", "experiments/suites/nkibench", "experiments/suites/mirage"})
    if (fs::exists(dir))
      for (auto& e : fs::directory_iterator(dir))
        if (e.path().extension() == ".tp")
          out.push_back(e.path().string());
  std::sort(out.begin(), out.end());
  return out;
}

// Every dim of a suite file shrunk to at most 6 (same value for all, so head ratios such as
// h / 2 < KV stay valid), as --dim flags.
std::string small_dims(const std::string& path) {
  Result r = run("ir " + path + " --level graph");
  std::smatch m;
  std::string line = r.out.substr(0, r.out.find('\n'));
  std::string flags;
  std::regex dim(R"(([A-Za-z_][A-Za-z0-9_]*) = (\d+))");
  for (auto it = std::sregex_iterator(line.begin(), line.end(), dim); it != std::sregex_iterator();
       ++it)
    flags += " --dim " + (*it)[1].str() + "=" +
             std::to_string(std::min<long long>(6, std::stoll((*it)[2].str())));
  return flags;
}

TEST(Cli, VersionAndHelp) {
  Result v = run("--version");
  EXPECT_EQ(v.code, 0);
  EXPECT_NE(v.out.find("axon-synth 0."), std::string::npos) << v.out;
  Result h = run("--help");
  EXPECT_EQ(h.code, 0);
  for (const char* cmd : {"check", "ir", "eval"})
    EXPECT_NE(h.out.find(cmd), std::string::npos) << cmd;
}

TEST(Cli, BadFlagsAndFilesExitTwo) {
  Result r = run("check --frobnicate tests/golden/inputs/adamw.tp");
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("frobnicate"), std::string::npos) << r.out;
  r = run("check does/not/exist.tp");
  EXPECT_EQ(r.code, 2) << r.out;
  r = run("check tests/golden/inputs/adamw.tp --dim R=zero");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find("--dim R=zero"), std::string::npos) << r.out;
  r = run("check tests/golden/inputs/adamw.tp --dim Q=4");
  EXPECT_EQ(r.code, 2);
  EXPECT_NE(r.out.find("no dim 'Q' (its dims are R, C)"), std::string::npos) << r.out;
  r = run("ir tests/golden/inputs/adamw.tp --level loops");
  EXPECT_EQ(r.code, 2) << r.out;
}

TEST(Cli, BadProgramExitsTwoWithLocation) {
  Result r = run("check tests/error/cases/11_matmul_mismatch.tp");
  EXPECT_EQ(r.code, 2);
  EXPECT_EQ(
      r.out.rfind("tests/error/cases/11_matmul_mismatch.tp:4:22: error: shape mismatch in 'matmul'",
                  0),
      0u)
      << r.out;
}

TEST(Cli, EverySuiteFileChecksDumpsAndRuns) {
  auto files = suite_files();
  ASSERT_FALSE(files.empty()) << "no suite files found under experiments/suites";
  for (auto& f : files) {
    Result c = run("check " + f);
    EXPECT_EQ(c.code, 0) << f << "\n" << c.out;
    std::string dims = small_dims(f);
    for (const char* level : {"graph", "index"}) {
      Result i = run("ir " + f + " --level " + level + dims);
      EXPECT_EQ(i.code, 0) << f << " " << level << "\n" << i.out;
    }
    Result e = run("eval " + f + dims + " --show 2");
    EXPECT_EQ(e.code, 0) << f << dims << "\n" << e.out;
    EXPECT_NE(e.out.find("sum "), std::string::npos) << e.out;
  }
}

TEST(Cli, DimOverrideShowsInIr) {
  Result r = run("ir tests/golden/inputs/rmsnorm_matmul.tp --dim M=64");
  EXPECT_EQ(r.code, 0);
  EXPECT_NE(r.out.find("where M = 64, K = 1024, N = 2048"), std::string::npos) << r.out;
}

// A new op defined only in a spec file, through check, ir and the interpreter.
TEST(Cli, NewOpFromSpecFileEndToEnd) {
  const std::string spec = " --specs tests/e2e/data/row_dist2.spec";
  const std::string prog = "tests/e2e/data/uses_row_dist2.tp";
  Result no = run("check " + prog);
  EXPECT_EQ(no.code, 2);
  EXPECT_NE(no.out.find("unknown op 'row_dist2'"), std::string::npos) << no.out;
  Result c = run("check " + prog + spec);
  EXPECT_EQ(c.code, 0) << c.out;
  EXPECT_NE(c.out.find("output y: f32[B, M]"), std::string::npos) << c.out;
  Result i = run("ir " + prog + " --level index" + spec);
  EXPECT_EQ(i.code, 0) << i.out;
  EXPECT_NE(i.out.find("# row_dist2"), std::string::npos) << i.out;
  Result e = run("eval " + prog + spec);
  EXPECT_EQ(e.code, 0) << e.out;
  EXPECT_NE(e.out.find("y f32[3, 5]"), std::string::npos) << e.out;
}

} // namespace

namespace {

// The main job on a bundled kernel at a small size, then replay of its report.
TEST(CliSynth, MainJobWritesOutputsAndReplays) {
  std::string out = "build-e2e-out/rmsnorm_matmul";
  fs::remove_all(out);
  fs::remove_all("build-e2e-out/cache");
  setenv("AXON_CACHE_DIR", "build-e2e-out/cache", 1);
  Result r = run("--isa targets/avx2.json experiments/suites/nkibench/rmsnorm_matmul.tp --dim M=64 "
                 "--dim K=32 --dim N=48 "
                 "--measure 3 --repeats 3 -o " +
                 out);
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("best"), std::string::npos) << r.out;
  for (const char* f :
       {"report.json", "candidates.jsonl", "kernel.ll", "kernel.o", "kernel.c", "derivation.txt"})
    EXPECT_TRUE(fs::exists(fs::path(out) / f)) << f;
  std::ifstream rep(fs::path(out) / "report.json");
  std::stringstream ss;
  ss << rep.rdbuf();
  for (const char* key : {"\"schema_version\"", "\"speedup_over_baseline\"",
                          "\"numerics_failures\"", "\"hash\"", "\"device\""})
    EXPECT_NE(ss.str().find(key), std::string::npos) << key;
  std::ifstream jl(fs::path(out) / "candidates.jsonl");
  int lines = 0;
  for (std::string l; std::getline(jl, l);)
    ++lines;
  EXPECT_GE(lines, 2);
  Result rp = run("replay " + out + "/report.json");
  EXPECT_EQ(rp.code, 0) << rp.out;
  EXPECT_NE(rp.out.find("without searching"), std::string::npos) << rp.out;
  // The replayed kernel can be installed: its calling interface is written beside it, the same
  // as the main job's.
  for (const char* f : {"kernel.o", "kernel.json"})
    EXPECT_TRUE(fs::exists(fs::path(out) / "replay" / f)) << f;
  std::ifstream k1(fs::path(out) / "kernel.json"), k2(fs::path(out) / "replay" / "kernel.json");
  std::stringstream s1, s2;
  s1 << k1.rdbuf();
  s2 << k2.rdbuf();
  EXPECT_EQ(s1.str(), s2.str());
  // The same command again reuses the cached result and says so; --no-cache searches.
  std::string cmd =
      "--isa targets/avx2.json experiments/suites/nkibench/rmsnorm_matmul.tp --dim M=64 --dim K=32 "
      "--dim N=48 --measure 3 --repeats 3 -o " +
      out;
  Result again = run(cmd);
  EXPECT_EQ(again.code, 0) << again.out;
  EXPECT_NE(again.out.find("reused the cached result"), std::string::npos) << again.out;
  EXPECT_TRUE(fs::exists(fs::path(out) / "kernel.o"));
  Result fresh = run(cmd + " --no-cache");
  EXPECT_EQ(fresh.code, 0) << fresh.out;
  EXPECT_EQ(fresh.out.find("reused"), std::string::npos) << fresh.out;
  // A different size is a different key.
  Result other = run(
      "--isa targets/avx2.json experiments/suites/nkibench/rmsnorm_matmul.tp --dim M=32 --dim K=32 "
      "--dim N=48 --measure 3 --repeats 3 -o " +
      out);
  EXPECT_EQ(other.out.find("reused"), std::string::npos) << other.out;
}

TEST(CliSynth, UnsupportedTargetsSaySo) {
  // A target for a backend this build does not have, beside a CPU target: the message names both.
  fs::create_directories("build-e2e-out/targets");
  {
    std::ifstream in("targets/npu.json");
    nlohmann::json j = nlohmann::json::parse(in);
    j["backends"] = {"nosuch"};
    std::ofstream("build-e2e-out/targets/other.json") << j.dump(2);
    fs::copy_file("targets/zen4.json", "build-e2e-out/targets/zen4.json",
                  fs::copy_options::overwrite_existing);
  }
  Result r = run("--isa build-e2e-out/targets/other.json "
                 "experiments/suites/nkibench/rmsnorm_matmul.tp --dim M=64");
  EXPECT_EQ(r.code, 2) << r.out;
  EXPECT_NE(r.out.find("synthesis for backend(s) nosuch is not available yet"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("build-e2e-out/targets/zen4.json"), std::string::npos) << r.out;
  // The branch for a CPU without AVX-512 runs on every host: AXON_HIDE_CPU_FEATURES hides it from
  // the host check where the host has it.
  setenv("AXON_HIDE_CPU_FEATURES", "avx512f", 1);
  Result a =
      run("--isa targets/avx512.json experiments/suites/nkibench/rmsnorm_matmul.tp --dim M=64");
  unsetenv("AXON_HIDE_CPU_FEATURES");
  EXPECT_EQ(a.code, 2) << a.out;
  EXPECT_NE(a.out.find("this CPU does not support avx512f, which target 'avx512'"),
            std::string::npos)
      << a.out;
  Result n = run("experiments/suites/nkibench/rmsnorm_matmul.tp");
  EXPECT_EQ(n.code, 2) << n.out;
  EXPECT_NE(n.out.find("no target given"), std::string::npos) << n.out;
}

// f16 tensors on the CPU: stored as half, computed in f32, checked with the f16 tolerance.
TEST(CliSynth, HalfPrecisionKernelsRunOnTheCpu) {
  setenv("AXON_CACHE_DIR", "build-e2e-out/cache", 1);
  Result h = run("--isa targets/avx2.json experiments/suites/mirage/gated_mlp.tp --dim M=8 --dim "
                 "K=64 --dim N=48 "
                 "--measure 2 --repeats 3 --no-cache -o build-e2e-out/gated_mlp");
  EXPECT_EQ(h.code, 0) << h.out;
  EXPECT_NE(h.out.find("best"), std::string::npos) << h.out;
}

TEST(CliSynth, IsaShow) {
  Result r = run("isa show targets/npu.json");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("matmul"), std::string::npos);
}

} // namespace

namespace {

TEST(CliSim, RunsAnNpuProgramAndWritesATrace) {
  fs::create_directories("build-e2e-out");
  Result r = run(
      "sim sim/programs/rmsnorm_qkv.json --isa targets/npu.json --trace build-e2e-out/trace.json");
  EXPECT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("total time"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("(simulated)"), std::string::npos) << r.out;
  EXPECT_TRUE(fs::exists("build-e2e-out/trace.json"));
  Result bad = run("sim does/not/exist.json --isa targets/npu.json");
  EXPECT_EQ(bad.code, 2) << bad.out;
}

} // namespace

namespace {

TEST(CliProve, ProvesRefutesAndRejects) {
  Result ok = run(
      "prove tests/smt/corpus/rmsnorm_matmul.a.tp tests/smt/corpus/rmsnorm_matmul.b.tp --no-cache");
  EXPECT_EQ(ok.code, 0) << ok.out;
  EXPECT_NE(ok.out.find("verdict: proven"), std::string::npos) << ok.out;
  Result bad = run("prove tests/smt/corpus/rmsnorm_matmul.a.tp "
                   "tests/e2e/data/rmsnorm_matmul_no_eps.tp --no-cache");
  EXPECT_EQ(bad.code, 3) << bad.out;
  EXPECT_NE(bad.out.find("verdict: refuted"), std::string::npos) << bad.out;
  EXPECT_NE(bad.out.find("counterexample"), std::string::npos) << bad.out;
  Result r0 = run("prove tests/e2e/data/rank0_temp.a.tp tests/e2e/data/rank0_temp.b.tp --no-cache");
  EXPECT_EQ(r0.code, 0) << r0.out;
  Result in = run("prove tests/smt/corpus/rmsnorm_matmul.a.tp does/not/exist.tp");
  EXPECT_EQ(in.code, 2) << in.out;
}

} // namespace

// docs/reliability.md: exit codes of the CLI on hostile input and environments.
namespace {

std::string write_text(const std::string& path, const std::string& text) {
  fs::create_directories(fs::path(path).parent_path());
  std::ofstream(path) << text;
  return path;
}

TEST(CliReliability, NonRegularAndLongInputsExitTwo) {
  fs::create_directories("build-e2e-out/rel");
  Result z = run("check /dev/zero");
  EXPECT_EQ(z.code, 2) << z.out;
  EXPECT_NE(z.out.find("not a regular file"), std::string::npos) << z.out;
  fs::remove("build-e2e-out/rel/fifo.tp");
  ASSERT_EQ(::mkfifo("build-e2e-out/rel/fifo.tp", 0600), 0);
  Result f = run("check build-e2e-out/rel/fifo.tp");
  EXPECT_EQ(f.code, 2) << f.out;
  EXPECT_NE(f.out.find("a FIFO"), std::string::npos) << f.out;
  // A chain of 4000 terms (a stack overflow before) is one past the depth limit: exit 2 there.
  std::string chain = "where N = 3\ninput x: f32[N]\noutput y = x";
  for (int i = 1; i < 4000; ++i)
    chain += " + x";
  write_text("build-e2e-out/rel/chain.tp", chain + "\n");
  for (const char* cmd : {"check", "eval", "ir"}) {
    Result c = run(std::string(cmd) + " build-e2e-out/rel/chain.tp");
    EXPECT_EQ(c.code, 2) << cmd << ": " << c.out.substr(0, 400);
    EXPECT_NE(c.out.find("chain.tp:3:"), std::string::npos) << cmd;
    EXPECT_NE(c.out.find("more than 256 levels"), std::string::npos) << cmd;
  }
  // 2^40 elements are within the limits, but not in this machine's memory: exit 2, not bad_alloc.
  write_text("build-e2e-out/rel/big.tp",
             "where M = 1099511627776\ninput x: f32[M]\noutput y = x\n");
  Result b = run("eval build-e2e-out/rel/big.tp");
  EXPECT_EQ(b.code, 2) << b.out;
  EXPECT_NE(b.out.find("use smaller sizes"), std::string::npos) << b.out;
  // A reduction of 2^40 - 1 terms is within the size limits, but eval would run for hours.
  write_text("build-e2e-out/rel/long_sum.tp", "output y[] = sum(k: 1099511627775) 1.0\n");
  Result w = run("eval build-e2e-out/rel/long_sum.tp");
  EXPECT_EQ(w.code, 2) << w.out;
  EXPECT_NE(w.out.find("more than --max-work"), std::string::npos) << w.out;
  EXPECT_EQ(run("eval build-e2e-out/rel/long_sum.tp --max-work 1e3").code, 2);
  write_text("build-e2e-out/rel/short_sum.tp", "output y[] = sum(k: 100) 1.0\n");
  Result ok = run("eval build-e2e-out/rel/short_sum.tp");
  EXPECT_EQ(ok.code, 0) << ok.out;
  EXPECT_NE(ok.out.find("sum 100"), std::string::npos) << ok.out;
}

TEST(CliReliability, UnwritableOutputsFailBeforeTheSearch) {
  write_text("build-e2e-out/rel/a-file", "not a directory\n");
  std::string job = "--isa targets/avx2.json experiments/suites/ops/add.tp --dim M=8 --dim N=8 "
                    "--measure 1 --repeats 1 --no-cache";
  Result o = run(job + " -o build-e2e-out/rel/a-file/out");
  EXPECT_EQ(o.code, 2) << o.out;
  EXPECT_NE(o.out.find("output directory"), std::string::npos) << o.out;
  EXPECT_EQ(o.out.find("[search"), std::string::npos) << "searched before failing:\n" << o.out;
  Result l = run(job + " -o build-e2e-out/rel/out --library=build-e2e-out/rel/a-file/lib");
  EXPECT_EQ(l.code, 2) << l.out;
  EXPECT_NE(l.out.find("kernel library"), std::string::npos) << l.out;
  EXPECT_EQ(l.out.find("[search"), std::string::npos) << "searched before failing:\n" << l.out;
  Result p = run("prove tests/golden/inputs/adamw.tp tests/golden/inputs/adamw.tp --certificate "
                 "build-e2e-out/rel/a-file/certs");
  EXPECT_EQ(p.code, 2) << p.out;
  EXPECT_NE(p.out.find("--certificate"), std::string::npos) << p.out;
}

TEST(CliReliability, InterruptBeforeTheFirstMeasurementExits130) {
  // The test holds the job's --measure-lock, so no candidate can be measured before the SIGINT
  // three seconds in, wherever the job then is (a stage before the search, or waiting to measure).
  fs::create_directories("build-e2e-out/rel");
  const char* lock_path = "build-e2e-out/rel/measure.lock";
  int fd = ::open(lock_path, O_RDONLY | O_CREAT | O_CLOEXEC, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::flock(fd, LOCK_EX), 0);
  Result r = axon::test::run_command(
      "timeout --preserve-status -s INT 3 " + std::string(AXON_BIN) +
      " --isa targets/avx2.json experiments/suites/nkibench/rmsnorm_matmul.tp --no-cache "
      "--measure-lock " +
      lock_path + " -o build-e2e-out/rel/interrupted 2>&1");
  ::close(fd);
  EXPECT_EQ(r.code, 130) << r.out;
  EXPECT_NE(r.out.find("interrupted"), std::string::npos) << r.out;
  EXPECT_EQ(r.out.find("no valid candidate"), std::string::npos) << r.out;
}

TEST(CliReliability, BudgetStoppedSearchInstallsAndIsCachedAsSuch) {
  fs::remove_all("build-e2e-out/rel/budget-cache");
  fs::remove_all("build-e2e-out/rel/budget-lib");
  setenv("AXON_CACHE_DIR", "build-e2e-out/rel/budget-cache", 1);
  // A tiny budget: the op-by-op baseline of a 2048^3 matmul (an untiled loop nest, many seconds)
  // runs past the second it is given, so it is not measured; a searched candidate is.
  std::string cmd = "--isa targets/avx2.json experiments/suites/ops/matmul.tp --dim M=2048 --dim "
                    "N=2048 --dim K=2048 "
                    "--measure 2 --repeats 3 --time-budget 0.5 -o build-e2e-out/rel/budget "
                    "--library=build-e2e-out/rel/budget-lib";
  Result r = run(cmd);
  ASSERT_EQ(r.code, 0) << r.out;
  EXPECT_NE(r.out.find("baseline not measured"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("installed"), std::string::npos) << r.out;
  Result again = run(cmd);
  EXPECT_EQ(again.code, 0) << again.out;
  EXPECT_NE(again.out.find("reused the cached result"), std::string::npos) << again.out;
  EXPECT_NE(again.out.find("from a search the time budget stopped"), std::string::npos)
      << again.out;
  unsetenv("AXON_CACHE_DIR");
}

} // namespace
