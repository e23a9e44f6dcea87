// The NPU program writer (issue 20): every shipped program round-trips (load -> write -> load
// gives an equal program that simulates to the same time), and the text is deterministic.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "program_equal.h"
#include "sim/program_defined.h"
#include "sim/program_write.h"
#include "sim/timing.h"
#include "sim_test_util.h"

namespace axon {
namespace {

using namespace simtest;

std::vector<std::string> shipped_programs() {
  std::vector<std::string> v;
  for (const char* dir : {"sim/programs", "tests/sim/programs"})
    for (const auto& e : std::filesystem::directory_iterator(dir))
      if (e.path().extension() == ".json")
        v.push_back(e.path().string());
  std::sort(v.begin(), v.end());
  return v;
}

TEST(SimProgramWrite, EveryShippedProgramRoundTrips) {
  std::vector<std::string> files = shipped_programs();
  ASSERT_GE(files.size(), 30u);
  for (const auto& f : files) {
    SCOPED_TRACE(f);
    NpuProgram a = load_npu_program(f, npu());
    std::string text = write_npu_program(a);
    NpuProgram b = load_npu_program_from_string(text, npu(), f + " (written)");
    EXPECT_EQ(program_difference(a, b), "");
    EXPECT_EQ(write_npu_program(b), text) << "the writer is not deterministic";
    EXPECT_DOUBLE_EQ(simulate_timing(a).report.total_ns, simulate_timing(b).report.total_ns);
    // No shipped program reads memory before an instruction writes it.
    std::vector<NpuDiagnostic> d = check_defined_reads(a);
    EXPECT_TRUE(d.empty()) << d.front().pointer << ": " << d.front().message;
  }
}

TEST(SimProgramWrite, FlatAndRolledFormsLoadTheSameProgram) {
  NpuProgram a = load_npu_program("sim/programs/matmul_block_all.json", npu());
  std::string rolled = write_npu_program(a);
  std::string flat = write_npu_program(a, {.roll_loops = false});
  NpuProgram b = load_npu_program_from_string(flat, npu());
  NpuProgram c = load_npu_program_from_string(rolled, npu());
  EXPECT_EQ(program_difference(a, b), "");
  EXPECT_EQ(program_difference(a, c), "");
  // Rolling keeps a program of tens of thousands of instructions small.
  EXPECT_LT(rolled.size() * 20, flat.size()) << rolled.size() << " vs " << flat.size();
}

TEST(SimProgramWrite, AfterEdgesKeepTheirTargetsWhenNamesRepeat) {
  ProgramBuilder b;
  b.input("x", "f32", 128, 64);
  b.buffer("y_s", "SBUF", "f32", 128, 64);
  b.instr(
      {{"instr", "tensor_copy"}, {"name", "c"}, {"a", tile("x_s", 64)}, {"out", tile("y_s", 64)}});
  b.instr(
      {{"instr", "tensor_copy"}, {"name", "c"}, {"a", tile("x_s", 64)}, {"out", tile("y_s", 64)}});
  b.instr({{"instr", "tensor_copy"}, {"a", tile("x_s", 64)}, {"out", tile("y_s", 64)}});
  NpuProgram p = b.load();
  p.instrs[3].after = {1}; // the first 'c', which the name alone no longer reaches
  std::string text = write_npu_program(p);
  NpuProgram q = load_npu_program_from_string(text, npu());
  ASSERT_EQ(q.instrs[3].after, std::vector<int>{1});
  EXPECT_EQ(q.instrs[1].name, "c@1");
  EXPECT_EQ(q.instrs[2].name, "c");
}

TEST(SimProgramWrite, RolledLoopsKeepAfterEdges) {
  // Sixteen blocks of (a copy named "c", a copy after it): rolled into one loop whose body names
  // "c" each iteration; the loader resolves each edge to the latest earlier "c" again.
  ProgramBuilder b;
  b.input("x", "f32", 128, 64);
  b.buffer("y_s", "SBUF", "f32", 128, 16 * 64);
  NpuProgram p = b.load();
  for (int k = 0; k < 16; ++k) {
    for (int j = 0; j < 2; ++j) {
      NpuInstr x = p.instrs[0];
      x.instr = npu().find_instruction("tensor_copy");
      x.engine = npu().find_engine("DVE");
      x.queue = 0;
      Tile a = p.instrs[0].operands.at("dst"), out = a;
      out.object = 1;
      out.offset = 64 * k;
      x.operands = {{"a", a}, {"out", out}};
      x.index = static_cast<int>(p.instrs.size());
      x.name = j == 0 ? "c" : "";
      x.after = j == 0 ? std::vector<int>{} : std::vector<int>{x.index - 1};
      p.instrs.push_back(x);
    }
  }
  p.uses.clear();
  index_uses(p);
  std::string text = write_npu_program(p);
  EXPECT_NE(text.find("\"loop\""), std::string::npos) << text;
  NpuProgram q = load_npu_program_from_string(text, npu());
  EXPECT_EQ(program_difference(p, q), "");
}

} // namespace
} // namespace axon
