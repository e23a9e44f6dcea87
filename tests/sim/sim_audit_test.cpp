// The cost audit (sim/audit.h): a tampered trace is caught, and scaling one instruction's formula
// in a copy of the target moves the simulated total by exactly the scaled cost (the shipped
// programs: sim_audit_programs_test).
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "sim/audit.h"
#include "sim/sim_command.h"
#include "sim/timing.h"
#include "sim_test_util.h"

namespace axon {
namespace {

using namespace simtest;

TEST(SimAudit, TamperedTraceIsCaught) {
  NpuProgram p = load_npu_program("sim/programs/example_exp_plus_x.json", npu());
  TimingResult t = simulate_timing(p);
  nlohmann::json trace = chrome_trace(p, t);
  EXPECT_TRUE(audit_timing(p, t, trace).ok());
  for (auto& ev : trace["traceEvents"])
    if (ev.value("ph", "") == "X" && ev["args"]["index"] == 2) // the activation
      ev["dur"] = ev["dur"].get<double>() * 0.5;
  AuditReport r = audit_timing(p, t, trace);
  ASSERT_EQ(r.mismatch_count, 1);
  EXPECT_EQ(r.mismatches[0].index, 2);
  EXPECT_NEAR(r.mismatches[0].expected_ns, 512 / 1.4, 1e-6);
}

TEST(SimAudit, ScalingOneFormulaMovesTheTotal) {
  nlohmann::json target;
  std::ifstream("targets/npu.json") >> target;
  for (auto& in : target["instructions"])
    if (in["name"] == "activation")
      in["cost"] = "3 * (" + in["cost"].get<std::string>() + ")";
  std::string path = testing::TempDir() + "npu_scaled.json";
  std::ofstream(path) << target.dump();
  Isa scaled = load_isa(path);
  // Eight dependent activations on ACT: each [128, 512] costs max(64, 512) cycles at 1.4 GHz.
  ProgramBuilder b;
  b.input("x", "f32", 128, 512).buffer("zero", "SBUF", "f32", 128, 1);
  b.instr({{"instr", "memset"}, {"engine", "POOL"}, {"out", tile("zero", 1)}, {"value", 0.0}});
  for (int i = 0; i < 8; ++i)
    b.instr({{"instr", "activation"},
             {"func", "exp"},
             {"in", tile("x_s", 512)},
             {"out", tile("x_s", 512)},
             {"scale", 1.0},
             {"bias", tile("zero", 1)}});
  b.output("y", "f32", "x_s", 128, 512);
  NpuProgram base = load_npu_program_from_string(b.text(), npu());
  NpuProgram big = load_npu_program_from_string(b.text(), scaled);
  TimingResult tb = simulate_timing(base), tg = simulate_timing(big);
  double one = 512 / 1.4;
  EXPECT_NEAR(tg.report.total_ns - tb.report.total_ns, 8 * 2 * one, 1e-6 * tg.report.total_ns);
  EXPECT_NEAR(tg.report.engine_busy_ns.at("ACT"), 3 * tb.report.engine_busy_ns.at("ACT"),
              1e-6 * tg.report.engine_busy_ns.at("ACT"));
  EXPECT_TRUE(audit_timing(big, tg, chrome_trace(big, tg)).ok());
  std::remove(path.c_str());
}

} // namespace
} // namespace axon
