// Hostile simulator inputs (issue 18, docs/reliability.md): overflowing access patterns,
// huge offsets and queues, loops that expand without end, non-regular and oversized files,
// non-finite numbers, overrides that must take effect, unwritable traces and huge formulas. Each
// must be a UserError (exit 2 through sim_command) with the JSON pointer of the construct.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

#include "ir/error.h"
#include "ir/limits.h"
#include "sim/functional.h"
#include "sim/isa_override.h"
#include "sim/sim_command.h"
#include "sim/sim_limits.h"
#include "sim/timing.h"
#include "sim_test_util.h"

namespace axon {
namespace {

using namespace simtest;

constexpr int64_t k62 = int64_t(1) << 62;

// Loads `b`; the load must fail with every fragment in the message.
void expect_load_error(const ProgramBuilder& b, const std::vector<std::string>& fragments) {
  try {
    NpuProgram p = b.load();
    FAIL() << "accepted; expected an error containing '" << fragments.front() << "'";
  } catch (const UserError& e) {
    std::string msg = e.what();
    for (const auto& f : fragments)
      EXPECT_NE(msg.find(f), std::string::npos) << "missing '" << f << "' in: " << msg;
  }
}

std::string write_temp(const std::string& name, const std::string& text) {
  std::string path = testing::TempDir() + name;
  std::ofstream(path) << text;
  return path;
}

// Runs `sim` on a program text; returns the exit code and stderr.
int run_sim(const std::string& text, std::string* err_out = nullptr,
            std::vector<std::string> overrides = {}, bool functional = false,
            std::string* out_text = nullptr) {
  SimCommandOptions o;
  // One file per process: ctest runs this binary's tests in parallel processes.
  o.program = write_temp("hostile_program." + std::to_string(::getpid()) + ".json", text);
  o.isa = "targets/npu.json";
  o.overrides = std::move(overrides);
  o.functional = functional;
  std::ostringstream out, err;
  int rc = sim_command(o, out, err);
  if (err_out)
    *err_out = err.str();
  if (out_text)
    *out_text = out.str();
  return rc;
}

ProgramBuilder x_in() {
  ProgramBuilder b;
  b.tensor("x", "f32", {128, 512}, "input").buffer("xs", "SBUF", "f32", 128, 512);
  return b;
}

// --- Item 4: address arithmetic ---

TEST(SimLimits, OverflowingAccessPatternIsRefusedAtLoad) {
  ProgramBuilder b = x_in();
  // 2^62 * 127 wraps int64; the old bound check passed it and functional mode segfaulted.
  b.instr({{"instr", "dma_copy"},
           {"src", {{"tensor", "x"}, {"ap", {{k62, 128}, {1, 512}}}}},
           {"dst", tile("xs", 512)}});
  expect_load_error(b, {"/program/0/src/ap/0/0", "outside [-2^40, 2^40]"});
  // Within the integer range but past the tensor, with a negative stride that cancels it.
  ProgramBuilder c = x_in();
  int64_t big = int64_t(1) << 40;
  c.instr({{"instr", "dma_copy"},
           {"src", {{"tensor", "x"}, {"offset", 0}, {"ap", {{big, 128}, {-big, 512}}}}},
           {"dst", tile("xs", 512)}});
  expect_load_error(c, {"/program/0/src", "outside tensor 'x'"});
}

TEST(SimLimits, StrideZeroTileOfHugeCountIsRefused) {
  ProgramBuilder b = x_in();
  b.tensor("y", "f32", {128, 512}, "output");
  int64_t big = int64_t(1) << 40;
  b.instr({{"instr", "dma_copy"},
           {"src", {{"tensor", "x"}, {"ap", {{0, 128}, {0, big}}}}},
           {"dst", {{"tensor", "y"}, {"ap", {{0, 128}, {0, big}}}}}});
  expect_load_error(b, {"/program/0/src", "kMaxTileElements"});
}

TEST(SimLimits, HugeBufferOffsetIsRefused) {
  ProgramBuilder b;
  b.raw_buffer({{"name", "b"},
                {"memory", "SBUF"},
                {"dtype", "f32"},
                {"partitions", 128},
                {"size", 16},
                {"offset", INT64_MAX}});
  b.instr({{"instr", "memset"}, {"out", tile("b", 16)}, {"value", 0.0}});
  expect_load_error(b, {"/buffers/0/offset", "outside [-2^40, 2^40]"});
  ProgramBuilder c;
  c.raw_buffer({{"name", "b"},
                {"memory", "SBUF"},
                {"dtype", "f32"},
                {"partitions", 128},
                {"size", 16},
                {"offset", int64_t(1) << 40}});
  expect_load_error(c, {"/buffers/0", "SBUF bytes per partition exceeded"});
}

TEST(SimLimits, UnsignedHugeIntegersAreRefused) {
  ProgramBuilder b;
  b.raw_buffer({{"name", "b"}, {"memory", "SBUF"}, {"size", UINT64_MAX}});
  expect_load_error(b, {"/buffers/0/size", "outside [-2^40, 2^40]"});
}

TEST(SimLimits, HugeQueueIsRefused) {
  ProgramBuilder b = x_in();
  b.instr({{"instr", "dma_copy"},
           {"queue", k62},
           {"src", hbm("x", 128, 512)},
           {"dst", tile("xs", 512)}});
  expect_load_error(b, {"/program/0/queue"});
  ProgramBuilder c = x_in();
  c.instr({{"instr", "dma_copy"},
           {"queue", (int64_t(1) << 32) + 1}, // was truncated to queue 1 by the int cast
           {"src", hbm("x", 128, 512)},
           {"dst", tile("xs", 512)}});
  expect_load_error(c, {"/program/0/queue", "does not exist"});
}

TEST(SimLimits, TensorsBeyondTheirLimitsAreRefused) {
  ProgramBuilder b;
  int64_t big = int64_t(1) << 40;
  b.tensor("x", "f32", {big, big}, "input"); // 2^80 elements wrapped numel()
  expect_load_error(b, {"/tensors/0/shape", "kMaxExtent"});
  ProgramBuilder c;
  c.tensor("x", "f32", {int64_t(1) << 33}, "input"); // 32 GiB > the 16 GiB HBM
  expect_load_error(c, {"/tensors/0", "HBM has"});
}

TEST(SimLimits, FunctionalModeRefusesWhatItCannotHold) {
  ProgramBuilder b;
  b.tensor("x", "f32", {int64_t(1) << 30}, "input").tensor("y", "f32", {128, 4}, "output");
  b.buffer("s", "SBUF", "f32", 128, 4);
  b.instr({{"instr", "dma_copy"},
           {"src", {{"tensor", "x"}, {"ap", {{4, 128}, {1, 4}}}}},
           {"dst", tile("s", 4)}});
  b.instr({{"instr", "dma_copy"}, {"src", tile("s", 4)}, {"dst", hbm("y", 128, 4)}});
  NpuProgram p = b.load();
  TensorMap in;
  try {
    run_functional(p, in);
    FAIL() << "functional mode accepted 2^30 elements";
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("kMaxFunctionalElements"), std::string::npos) << e.what();
  }
}

// --- Item 7: loop expansion ---

json loop(const std::string& var, json count, json body) {
  return {{"loop", var}, {"count", std::move(count)}, {"body", std::move(body)}};
}

json one_memset() { return {{"instr", "memset"}, {"out", tile("b", 16)}, {"value", 0.0}}; }

ProgramBuilder with_buffer() {
  ProgramBuilder b;
  b.buffer("b", "SBUF", "f32", 128, 16);
  return b;
}

TEST(SimLimits, HugeLoopIsRefusedBeforeExpanding) {
  ProgramBuilder b = with_buffer();
  b.instr(loop("i", 10000000, json::array({one_memset()})));
  expect_load_error(b, {"/program/0", "loop 'i'", "kMaxExpandedSteps"});
  ProgramBuilder c = with_buffer();
  c.instr(loop("i", int64_t(1000000000), json::array({one_memset()})));
  expect_load_error(c, {"/program/0", "loop 'i'", "kMaxExpandedSteps"});
}

TEST(SimLimits, NestedLoopsOfTwoAreRefused) {
  json body = json::array({one_memset()});
  for (int d = 39; d >= 0; --d)
    body = json::array({loop("i" + std::to_string(d), 2, body)});
  ProgramBuilder b = with_buffer();
  b.instr(body[0]);
  expect_load_error(b, {"kMaxExpandedSteps", "loop 'i"});
  // Empty bodies still cost a step per iteration.
  json empty = json::array();
  for (int d = 39; d >= 0; --d)
    empty = json::array({loop("j" + std::to_string(d), 2, empty)});
  ProgramBuilder c = with_buffer();
  c.instr(empty[0]);
  expect_load_error(c, {"kMaxExpandedSteps"});
}

TEST(SimLimits, FormulaLoopCountsAreCountedWhileExpanding) {
  // A count given as a formula is only known while expanding: the running count stops it.
  ProgramBuilder b = with_buffer();
  b.instr(loop("i", "1000000000", json::array()));
  expect_load_error(b, {"/program/0", "loop 'i'", "kMaxExpandedSteps"});
}

TEST(SimLimits, DeepLoopNestingIsRefused) {
  json body = json::array({one_memset()});
  for (int d = 99; d >= 0; --d)
    body = json::array({loop("i" + std::to_string(d), 1, body)});
  ProgramBuilder b = with_buffer();
  b.instr(body[0]);
  expect_load_error(b, {"kMaxLoopDepth"});
}

TEST(SimLimits, LoopsWithinTheLimitStillLoad) {
  ProgramBuilder b = with_buffer();
  b.instr(loop("i", 1000, json::array({one_memset()})));
  EXPECT_EQ(b.load().instrs.size(), 1000u);
}

// --- Item 8: files ---

TEST(SimLimits, NonRegularProgramFilesAreRefused) {
  std::string fifo = testing::TempDir() + "sim_program_fifo";
  std::remove(fifo.c_str());
  ASSERT_EQ(::mkfifo(fifo.c_str(), 0600), 0);
  std::string link = testing::TempDir() + "sim_program_zero_link";
  std::remove(link.c_str());
  ASSERT_EQ(::symlink("/dev/zero", link.c_str()), 0);
  for (const std::string& path : {std::string("/dev/zero"), fifo, link, testing::TempDir()}) {
    try {
      load_npu_program(path, npu());
      ADD_FAILURE() << "accepted " << path;
    } catch (const UserError& e) {
      EXPECT_NE(std::string(e.what()).find("not a regular file"), std::string::npos) << e.what();
    }
  }
  std::remove(fifo.c_str());
  std::remove(link.c_str());
}

TEST(SimLimits, OversizedProgramFilesAreRefused) {
  std::string path = testing::TempDir() + "sim_program_huge.json";
  ASSERT_EQ(
      ::truncate(write_temp("sim_program_huge.json", "{").c_str(), limits::kMaxInputFileBytes + 1),
      0);
  try {
    load_npu_program(path, npu());
    FAIL() << "accepted a file over kMaxInputFileBytes";
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("kMaxInputFileBytes"), std::string::npos) << e.what();
  }
  std::remove(path.c_str());
}

// --- Item 9: non-finite numbers ---

TEST(SimLimits, NonFiniteNumbersExitTwoWithAPointer) {
  ProgramBuilder b = with_buffer();
  b.instr(one_memset());
  std::string text = b.text();
  std::string bad = text;
  bad.replace(bad.find("\"value\":0.0"), 11, "\"value\":1e400");
  std::string err;
  EXPECT_EQ(run_sim(bad, &err), 2) << err;
  EXPECT_NE(err.find("/program/0/value"), std::string::npos) << err;
  EXPECT_NE(err.find("overflows a double (1e400)"), std::string::npos) << err;
  bad = text;
  bad.replace(bad.find("\"value\":0.0"), 11, "\"value\":-1e400");
  EXPECT_EQ(run_sim(bad, &err), 2) << err;
  bad = text;
  bad.replace(bad.find("\"size\":16"), 9, "\"size\":1e400");
  EXPECT_EQ(run_sim(bad, &err), 2) << err;
  EXPECT_NE(err.find("/buffers/0/size"), std::string::npos) << err;
}

// --- Item 10: overrides and traces ---

double total_with(const std::vector<std::string>& overrides) {
  Isa isa = npu();
  for (const auto& o : overrides)
    apply_isa_override(isa, o);
  NpuProgram p = load_npu_program("sim/programs/example_exp_plus_x.json", isa);
  return simulate_timing(p).report.total_ns;
}

TEST(SimLimits, ClockOverrideChangesTheTime) {
  double base = total_with({});
  // The activation on ACT ([128, 512]: max(64, 512) cycles, then 60 cycles of access overhead
  // before DVE sees it) runs 1000x slower at 1/1000 of the clock.
  double slow = total_with({"ACT.clock_ghz=0.0014"});
  EXPECT_NEAR(slow - base, 572 / 0.0014 - 572 / 1.4, 0.01 * (572 / 0.0014));
}

TEST(SimLimits, LanesOverrideChangesTheTime) {
  double base = total_with({});
  // Half the lanes: the [128, 512] activation takes two passes.
  double half = total_with({"ACT.lanes=64"});
  EXPECT_GT(half, base + 0.9 * 512 / 1.4);
}

TEST(SimLimits, QueuesOverrideTakesEffect) {
  // The example uses DMA queue 1: with one queue it no longer loads.
  Isa isa = npu();
  apply_isa_override(isa, "DMA.queues=1");
  try {
    load_npu_program("sim/programs/example_exp_plus_x.json", isa);
    FAIL() << "queue 1 accepted on a one-queue DMA";
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("queue 1 does not exist"), std::string::npos) << e.what();
  }
  EXPECT_THROW(apply_isa_override(isa, "DMA.queues=0"), UserError);
  EXPECT_THROW(apply_isa_override(isa, "DMA.queues=1.5"), UserError);
  EXPECT_THROW(apply_isa_override(isa, "DMA.queues=1e9"), UserError);
}

TEST(SimLimits, OverridesThatWouldChangeNothingAreRefused) {
  Isa isa = npu();
  for (const char* a :
       {"ACT.nosuch=1", "PE.count=2", "PE.array_rows=64", "DMA.clock_ghz=1", "ACT.clock_ghz=0",
        "ACT.clock_ghz=-1", "ACT.lanes=0", "DMA.fixed_cost_ns=-5"})
    EXPECT_THROW(apply_isa_override(isa, a), UserError) << a;
  std::string err;
  ProgramBuilder b = with_buffer();
  b.instr(one_memset());
  EXPECT_EQ(run_sim(b.text(), &err, {"ACT.nosuch=1"}), 2);
  EXPECT_NE(err.find("no attribute 'nosuch'"), std::string::npos) << err;
}

TEST(SimLimits, UnwritableTraceExitsTwo) {
  SimCommandOptions o;
  o.program = "sim/programs/example_exp_plus_x.json";
  o.isa = "targets/npu.json";
  o.trace = "/dev/full";
  std::ostringstream out, err;
  EXPECT_EQ(sim_command(o, out, err), 2);
  EXPECT_NE(err.str().find("/dev/full"), std::string::npos) << err.str();
  o.trace = testing::TempDir(); // a directory
  std::ostringstream out2, err2;
  EXPECT_EQ(sim_command(o, out2, err2), 2);
}

// --- Item 2: huge formulas ---

TEST(SimLimits, TileOffsetFormulaOf200kTermsExitsTwo) {
  std::string f = "0";
  for (int i = 0; i < 200000; ++i)
    f += "+i";
  ProgramBuilder b = with_buffer();
  b.instr(loop("i", 1,
               json::array({{{"instr", "memset"},
                             {"out", {{"buf", "b"}, {"offset", f}, {"n", 1}}},
                             {"value", 0.0}}})));
  std::string err;
  EXPECT_EQ(run_sim(b.text(), &err), 2) << err.substr(0, 300);
  EXPECT_NE(err.find("/program/0/body/0/out/offset"), std::string::npos) << err.substr(0, 300);
  EXPECT_NE(err.find("kMaxFormulaChars"), std::string::npos) << err.substr(0, 300);
  EXPECT_LT(err.size(), 1000u); // the formula is not echoed whole
  // Short but deep: 300 nested parentheses.
  std::string deep = std::string(300, '(') + "i" + std::string(300, ')');
  ProgramBuilder c = with_buffer();
  c.instr(loop("i", 1,
               json::array({{{"instr", "memset"},
                             {"out", {{"buf", "b"}, {"offset", deep}, {"n", 1}}},
                             {"value", 0.0}}})));
  EXPECT_EQ(run_sim(c.text(), &err), 2) << err;
  EXPECT_NE(err.find("kMaxExprDepth"), std::string::npos) << err;
}

TEST(SimLimits, NonStringFieldsAreUserErrors) {
  // A kind or a target that is not a string was an nlohmann type_error: exit 1.
  ProgramBuilder b;
  b.doc()["tensors"] = json::array({{{"name", "x"}, {"shape", {4}}, {"kind", 7}}});
  std::string err;
  EXPECT_EQ(run_sim(b.text(), &err), 2) << err;
  EXPECT_NE(err.find("/tensors/0/kind"), std::string::npos) << err;
  ProgramBuilder c;
  c.doc()["target"] = json::array({1, 2});
  EXPECT_EQ(run_sim(c.text(), &err), 2) << err;
  ProgramBuilder d;
  d.doc()["name"] = 5;
  EXPECT_EQ(run_sim(d.text(), &err), 2) << err;
}

} // namespace
} // namespace axon
