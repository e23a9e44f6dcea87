// `sim --audit` on every program of sim/programs/: each trace matches the target's cost formulas.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>

#include "sim/sim_command.h"

namespace axon {
namespace {

TEST(SimAudit, EveryShippedProgramPasses) {
  int programs = 0;
  for (const auto& f : std::filesystem::directory_iterator("sim/programs")) {
    if (f.path().extension() != ".json")
      continue;
    SimCommandOptions o;
    o.program = f.path().string();
    o.isa = "targets/npu.json";
    o.audit = true;
    std::ostringstream out, err;
    EXPECT_EQ(sim_command(o, out, err), 0) << o.program << "\n" << err.str();
    EXPECT_NE(out.str().find("all match"), std::string::npos) << o.program << "\n" << out.str();
    ++programs;
  }
  EXPECT_GE(programs, 6);
}

} // namespace
} // namespace axon
