// Timing model relations (never absolute numbers): more DMA queues are never slower, a dependent
// chain takes the sum of its parts, independent engines overlap unless a contention rule makes
// them share a port, buffer rotation lets loads run ahead; plus the report and trace shapes.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <sstream>

#include "ir/error.h"
#include "sim/isa_override.h"
#include "sim/sim_command.h"
#include "sim/timing.h"
#include "sim_test_util.h"

namespace axon {
namespace {

using namespace simtest;

double total(const ProgramBuilder& b) { return simulate_timing(b.load()).report.total_ns; }

// `n` loads of [128, 512] f32 into distinct slots, spread over `queues` queues.
ProgramBuilder loads(int n, int queues) {
  ProgramBuilder b;
  b.tensor("x", "f32", {128, 512 * n}, "input").buffer("s", "SBUF", "f32", 128, 512 * n);
  for (int i = 0; i < n; ++i)
    b.instr({{"instr", "dma_copy"},
             {"queue", i % queues},
             {"src", hbm("x", 128, 512, 512 * i, 512 * n)},
             {"dst", tile("s", 512, 512 * i)}});
  return b;
}

TEST(SimTiming, MoreDmaQueuesAreNeverSlower) {
  for (int n : {1, 5, 16, 40}) {
    double prev = 0;
    for (int q : {1, 2, 3, 4, 8, 16}) {
      double t = total(loads(n, q));
      if (q > 1) {
        EXPECT_LE(t, prev * (1 + 1e-12)) << n << " loads on " << q << " queues";
      }
      prev = t;
    }
  }
  EXPECT_LT(total(loads(16, 16)), total(loads(16, 1)));
}

TEST(SimTiming, DependentChainIsTheSumOfItsParts) {
  // HBM -> SBUF -> SBUF -> HBM, each transfer reading what the previous one wrote.
  auto part = [](int which, bool all) {
    ProgramBuilder b;
    b.tensor("x", "f32", {128, 256}, "input").tensor("y", "f32", {128, 256}, "output");
    b.buffer("a", "SBUF", "f32", 128, 256).buffer("c", "SBUF", "f32", 128, 256);
    if (all || which == 0)
      b.instr({{"instr", "dma_copy"},
               {"queue", 0},
               {"src", hbm("x", 128, 256)},
               {"dst", tile("a", 256)}});
    if (all || which == 1)
      b.instr(
          {{"instr", "dma_copy"}, {"queue", 1}, {"src", tile("a", 256)}, {"dst", tile("c", 256)}});
    if (all || which == 2)
      b.instr({{"instr", "dma_copy"},
               {"queue", 2},
               {"src", tile("c", 256)},
               {"dst", hbm("y", 128, 256)}});
    return b;
  };
  double sum = total(part(0, false)) + total(part(1, false)) + total(part(2, false));
  EXPECT_NEAR(total(part(0, true)), sum, 1e-9 * sum);
}

TEST(SimTiming, ComputeChainIsNoFasterThanItsParts) {
  auto prog = [](int n) {
    ProgramBuilder b;
    b.buffer("a", "SBUF", "f32", 128, 512);
    b.instr({{"instr", "memset"}, {"engine", "POOL"}, {"out", tile("a", 512)}, {"value", 1.0}});
    for (int i = 0; i < n; ++i)
      b.instr({{"instr", "tensor_scalar"},
               {"engine", "ACT"},
               {"in", tile("a", 512)},
               {"out", tile("a", 512)},
               {"op0", "multiply"},
               {"s0", 1.5},
               {"op1", "bypass"},
               {"s1", 0.0}});
    return b;
  };
  double step = total(prog(2)) - total(prog(1));
  EXPECT_GT(step, 0);
  for (int n = 2; n <= 5; ++n)
    EXPECT_NEAR(total(prog(n)) - total(prog(n - 1)), step, 1e-9 * step) << n;
  // Within one in-order queue the result is forwarded: a link costs no more than the first one,
  // which also waits for the memset on another engine.
  EXPECT_LE(step, total(prog(1)) - total(prog(0)));
}

// Two independent in-place scalings on `e1` and `e2`, each of its own SBUF buffer.
TimingReport pair(const std::string& e1, const std::string& e2) {
  ProgramBuilder b;
  b.buffer("a", "SBUF", "f32", 128, 2048).buffer("c", "SBUF", "f32", 128, 2048);
  for (const auto& [e, buf] : {std::pair{e1, "a"}, std::pair{e2, "c"}})
    b.instr({{"instr", "tensor_scalar"},
             {"engine", e},
             {"in", tile(buf, 2048)},
             {"out", tile(buf, 2048)},
             {"op0", "multiply"},
             {"s0", 2.0},
             {"op1", "bypass"},
             {"s1", 0.0}});
  return simulate_timing(b.load()).report;
}

TEST(SimTiming, IndependentEnginesOverlapUnlessTheyShareAPort) {
  // DVE and POOL share the SBUF port (a contention rule of targets/npu.json): they serialise.
  TimingReport dp = pair("DVE", "POOL");
  EXPECT_GE(dp.total_ns, dp.engine_busy_ns.at("DVE") + dp.engine_busy_ns.at("POOL"));
  // ACT and POOL share no port: they overlap.
  TimingReport ap = pair("ACT", "POOL");
  EXPECT_LT(ap.total_ns, ap.engine_busy_ns.at("ACT") + ap.engine_busy_ns.at("POOL"));
  EXPECT_GE(ap.total_ns, std::max(ap.engine_busy_ns.at("ACT"), ap.engine_busy_ns.at("POOL")));
}

TEST(SimTiming, ActAndPoolOverlap) {
  ProgramBuilder b;
  b.buffer("a", "SBUF", "f32", 128, 2048)
      .buffer("c", "SBUF", "f32", 128, 2048)
      .buffer("z", "SBUF", "f32", 128, 1);
  b.instr({{"instr", "memset"}, {"engine", "POOL"}, {"out", tile("z", 1)}, {"value", 0.0}});
  b.instr({{"instr", "memset"}, {"engine", "POOL"}, {"out", tile("a", 2048)}, {"value", 1.0}});
  double pool_alone = total(b);
  b.instr({{"instr", "activation"},
           {"func", "exp"},
           {"in", tile("z", 1)},
           {"out", tile("c", 1)},
           {"scale", 1.0},
           {"bias", tile("z", 1)}});
  EXPECT_DOUBLE_EQ(total(b), pool_alone); // the tiny ACT op runs beside the big memset
}

TEST(SimTiming, RotatingBuffersLetLoadsRunAhead) {
  // Load, then consume on DVE, eight times; with one slot each load waits for the consumer.
  auto prog = [](int slots) {
    ProgramBuilder b;
    b.tensor("x", "f32", {128, 8 * 512}, "input")
        .buffer("s", "SBUF", "f32", 128, 512 * slots)
        .buffer("y", "SBUF", "f32", 128, 1);
    for (int i = 0; i < 8; ++i) {
      int off = (i % slots) * 512;
      b.instr({{"instr", "dma_copy"},
               {"queue", i},
               {"src", hbm("x", 128, 512, 512 * i, 8 * 512)},
               {"dst", tile("s", 512, off)}});
      b.instr({{"instr", "tensor_reduce"},
               {"op", "add"},
               {"a", tile("s", 512, off)},
               {"out", tile("y", 1)}});
    }
    return b;
  };
  EXPECT_LT(total(prog(8)), total(prog(1)));
  EXPECT_LE(total(prog(8)), total(prog(2)));
}

TEST(SimTiming, ReportAndTrace) {
  NpuProgram p = loads(4, 4).load();
  TimingResult t = simulate_timing(p);
  ASSERT_EQ(t.instrs.size(), 4u);
  EXPECT_EQ(t.report.engine_lanes.at("DMA"), 4);
  EXPECT_DOUBLE_EQ(t.report.dma_bytes, 4.0 * 128 * 512 * 4);
  EXPECT_DOUBLE_EQ(t.report.hbm_bytes, t.report.dma_bytes);
  EXPECT_GT(t.report.memory_bound_ns, 0);
  EXPECT_LE(t.report.roofline_percent(), 100.0);
  for (const auto& i : t.instrs)
    EXPECT_LE(i.done_ns, t.report.total_ns);
  nlohmann::json tr = chrome_trace(p, t);
  int spans = 0;
  for (const auto& e : tr["traceEvents"])
    if (e["ph"] == "X") {
      ++spans;
      EXPECT_GE(e["dur"].get<double>(), 0);
    }
  EXPECT_EQ(spans, 4);
  EXPECT_NE(format_timing_report(p, t.report).find("DMA"), std::string::npos);
  EXPECT_EQ(timing_report_json(t.report)["schema_version"], 1);
}

TEST(SimTiming, EveryCycleComesFromTheTarget) {
  // Doubling the PE clock in the target halves a lone matmul's time: no constant in C++.
  ProgramBuilder b;
  b.buffer("a", "SBUF", "bf16", 128, 512).buffer("ps", "PSUM", "f32", 128, 512);
  b.instr({{"instr", "matmul"},
           {"st", tile("a", 128)},
           {"mv", tile("a", 512)},
           {"out", tile("ps", 512)}});
  Isa fast = npu();
  for (auto& e : fast.engines)
    if (e.name == "PE")
      *e.clock_ghz *= 2, e.attributes["access_overhead_cycles"] = 0;
  Isa slow = npu();
  apply_isa_override(slow, "PE.access_overhead_cycles=0");
  double t_fast = simulate_timing(load_npu_program_from_string(b.text(), fast)).report.total_ns;
  double t_slow = simulate_timing(load_npu_program_from_string(b.text(), slow)).report.total_ns;
  EXPECT_NEAR(t_slow, 2 * t_fast, 1e-9 * t_slow);
}

TEST(SimTiming, OverridesAreChecked) {
  Isa isa = npu();
  EXPECT_THROW(apply_isa_override(isa, "DMA.fixed_cost_ns"), UserError);
  EXPECT_THROW(apply_isa_override(isa, "TPU.x=1"), UserError);
  EXPECT_THROW(apply_isa_override(isa, "DMA.x=fast"), UserError);
  apply_isa_override(isa, "DMA.fixed_cost_ns=650");
  EXPECT_EQ(isa.find_engine("DMA")->attributes.at("fixed_cost_ns"), 650);
}

TEST(SimCommand, TimingFunctionalTraceAndExitCodes) {
  SimCommandOptions o;
  o.program = "sim/programs/example_exp_plus_x.json";
  o.isa = "targets/npu.json";
  o.trace = testing::TempDir() + "sim_trace.json";
  std::ostringstream out, err;
  ASSERT_EQ(sim_command(o, out, err), 0) << err.str();
  EXPECT_NE(out.str().find("total time"), std::string::npos);
  EXPECT_NE(out.str().find("roofline"), std::string::npos);
  std::ifstream f(o.trace);
  nlohmann::json tr = nlohmann::json::parse(f);
  EXPECT_GE(tr["traceEvents"].size(), 5u);
  std::remove(o.trace.c_str());

  o.trace.clear();
  o.functional = true;
  std::ostringstream fo;
  ASSERT_EQ(sim_command(o, fo, err), 0) << err.str();
  EXPECT_EQ(fo.str().rfind("y: [128, 512]", 0), 0u) << fo.str();

  o.program = "sim/programs/no_such_program.json";
  std::ostringstream bo, be;
  EXPECT_EQ(sim_command(o, bo, be), 2);
  EXPECT_NE(be.str().find("no_such_program.json"), std::string::npos);

  o.program = "sim/programs/example_exp_plus_x.json";
  o.overrides = {"DMA.bandwidth"};
  std::ostringstream ee;
  EXPECT_EQ(sim_command(o, bo, ee), 2);
  EXPECT_NE(ee.str().find("ENGINE.ATTRIBUTE=VALUE"), std::string::npos);
}

} // namespace
} // namespace axon
