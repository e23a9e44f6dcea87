// The legality checker on programs built in memory (issue 21): the same rules and messages as the
// loader, which parses and then calls check_npu_program.
#include <gtest/gtest.h>

#include "ir/error.h"
#include "sim/program_check.h"
#include "sim/program_uses.h"
#include "sim/timing.h"
#include "sim_test_util.h"

namespace axon {
namespace {

using namespace simtest;

// y = x copied through SBUF, built without any JSON.
NpuProgram copy_program(const Isa& isa, int64_t rows = 128, int64_t cols = 64) {
  NpuProgram p;
  p.isa = &isa;
  p.name = "in_memory";
  p.hbm_memory = "HBM";
  p.tensors.push_back({"x", DType::F32, {rows, cols}, HbmKind::Input});
  p.tensors.push_back({"y", DType::F32, {rows, cols}, HbmKind::Output});
  p.buffers.push_back({"xs", "SBUF", DType::F32, 0, 128, cols, 0});
  p.buffers.push_back({"ys", "SBUF", DType::F32, 0, 128, cols, cols * 4});
  auto hbm_tile = [&](int object) {
    Tile t;
    t.in_hbm = true;
    t.object = object;
    t.np = rows;
    t.pstride = cols;
    t.ap = {{1, cols}};
    return t;
  };
  auto buf_tile = [&](int object) {
    Tile t;
    t.object = object;
    t.np = rows;
    t.ap = {{1, cols}};
    return t;
  };
  auto add = [&](const std::string& instr, const std::string& engine,
                 std::map<std::string, Tile> ops) {
    NpuInstr x;
    x.instr = isa.find_instruction(instr);
    x.engine = isa.find_engine(engine);
    x.operands = std::move(ops);
    x.index = static_cast<int>(p.instrs.size());
    p.instrs.push_back(std::move(x));
  };
  add("dma_copy", "DMA", {{"src", hbm_tile(0)}, {"dst", buf_tile(0)}});
  add("tensor_copy", "DVE", {{"a", buf_tile(0)}, {"out", buf_tile(1)}});
  add("dma_copy", "DMA", {{"src", buf_tile(1)}, {"dst", hbm_tile(1)}});
  return p;
}

ProgramBuilder copy_json(int64_t rows = 128, int64_t cols = 64) {
  ProgramBuilder b;
  b.tensor("x", "f32", {rows, cols}, "input").tensor("y", "f32", {rows, cols}, "output");
  b.buffer("xs", "SBUF", "f32", 128, cols).buffer("ys", "SBUF", "f32", 128, cols);
  b.instr({{"instr", "dma_copy"}, {"src", hbm("x", rows, cols)}, {"dst", tile("xs", cols)}});
  b.instr({{"instr", "tensor_copy"}, {"a", tile("xs", cols)}, {"out", tile("ys", cols)}});
  b.instr({{"instr", "dma_copy"}, {"src", tile("ys", cols)}, {"dst", hbm("y", rows, cols)}});
  return b;
}

// The loader's message for `b`, without "path: pointer: ".
std::pair<std::string, std::string> load_error(const ProgramBuilder& b) {
  try {
    b.load();
  } catch (const UserError& e) {
    std::string m = e.what();
    size_t a = m.find(": /");
    size_t c = m.find(": ", a + 2);
    return {m.substr(a + 2, c - a - 2), m.substr(c + 2)};
  }
  return {"", "(accepted)"};
}

TEST(SimCheck, LegalInMemoryProgramMatchesTheLoadedOne) {
  NpuProgram p = copy_program(npu());
  EXPECT_TRUE(check_npu_program(p, npu()).empty());
  index_uses(p);
  double in_memory = simulate_timing(p).report.total_ns;
  double loaded = simulate_timing(copy_json().load()).report.total_ns;
  EXPECT_GT(in_memory, 0);
  EXPECT_DOUBLE_EQ(in_memory, loaded);
}

TEST(SimCheck, SameDiagnosticsAsTheLoader) {
  const Isa& isa = npu();
  struct Case {
    std::string what;
    std::function<void(NpuProgram&)> mutate;
    std::function<void(ProgramBuilder&)> same_in_json;
  };
  std::vector<Case> cases = {
      {"tile past its buffer",
       [](NpuProgram& p) { p.instrs[1].operands["out"].offset = 32; },
       [](ProgramBuilder& b) { b.doc()["program"][1]["out"]["offset"] = 32; }},
      {"dims disagree",
       [](NpuProgram& p) { p.instrs[1].operands["out"].ap = {{1, 32}}; },
       [](ProgramBuilder& b) { b.doc()["program"][1]["out"]["n"] = 32; }},
      {"engine may not run it",
       [&](NpuProgram& p) { p.instrs[1].engine = isa.find_engine("PE"); },
       [](ProgramBuilder& b) { b.doc()["program"][1]["engine"] = "PE"; }},
      {"missing operand",
       [](NpuProgram& p) { p.instrs[1].operands.erase("a"); },
       [](ProgramBuilder& b) { b.doc()["program"][1].erase("a"); }},
      {"partition start rule",
       [](NpuProgram& p) {
         for (auto* op : {&p.instrs[1].operands["a"], &p.instrs[1].operands["out"]})
           op->p0 = 16, op->np = 48;
       },
       [](ProgramBuilder& b) {
         for (const char* op : {"a", "out"})
           b.doc()["program"][1][op]["p"] = 16, b.doc()["program"][1][op]["np"] = 48;
       }},
      {"bytes per partition",
       [](NpuProgram& p) { p.buffers[1].size = 64 * 1024; },
       [](ProgramBuilder& b) { b.doc()["buffers"][1]["size"] = 64 * 1024; }},
      {"POOL may not write PSUM",
       [&](NpuProgram& p) {
         p.buffers[1].memory = "PSUM";
         p.buffers[1].offset = 0;
         p.instrs[1].engine = isa.find_engine("POOL");
       },
       [](ProgramBuilder& b) {
         b.doc()["buffers"][1]["memory"] = "PSUM";
         b.doc()["program"][1]["engine"] = "POOL";
       }},
  };
  for (const auto& c : cases) {
    NpuProgram p = copy_program(isa);
    c.mutate(p);
    std::vector<NpuDiagnostic> d = check_npu_program(p, isa);
    ASSERT_EQ(d.size(), 1u) << c.what;
    ProgramBuilder b = copy_json();
    c.same_in_json(b);
    auto [ptr, msg] = load_error(b);
    EXPECT_EQ(d[0].message, msg) << c.what;
    // The in-memory pointer names the same field under /instrs/K instead of /program/K.
    std::string mine = d[0].pointer;
    if (mine.rfind("/instrs/", 0) == 0)
      mine = "/program/" + mine.substr(8);
    EXPECT_EQ(mine, ptr) << c.what;
  }
}

TEST(SimCheck, BrokenReferencesAreDiagnosticsNotCrashes) {
  const Isa& isa = npu();
  NpuProgram p = copy_program(isa);
  p.instrs[1].operands["a"].object = 99;
  p.instrs[2].after = {5};
  p.instrs[0].operands["src"].ap = {{int64_t(1) << 62, 2}};
  std::vector<NpuDiagnostic> d = check_npu_program(p, isa, 10);
  ASSERT_EQ(d.size(), 3u);
  EXPECT_EQ(d[0].pointer, "/instrs/0/src/ap/1");
  EXPECT_NE(d[1].message.find("names no declared buffer"), std::string::npos) << d[1].message;
  EXPECT_EQ(d[2].pointer, "/instrs/2/after/0");
}

} // namespace
} // namespace axon
