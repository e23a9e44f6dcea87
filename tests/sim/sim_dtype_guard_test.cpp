// The dtype guard (sim/dtype_guard.h): an f32 program that casts its inputs to bf16 for the
// matmul is refused unless --allow-narrowing, and then the report says so; a bf16 input used as
// bf16, and constants, are not narrowing.
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>

#include "sim/dtype_guard.h"
#include "sim/sim_command.h"
#include "sim_test_util.h"

namespace axon {
namespace {

using namespace simtest;

// y = a^T b for [128, 128] inputs of dtype `in`, the matmul run on `mm` copies; y is f32.
ProgramBuilder matmul(const std::string& in, const std::string& mm) {
  ProgramBuilder b;
  b.tensor("a", in, {128, 128}, "input").tensor("b", in, {128, 128}, "input");
  b.tensor("y", "f32", {128, 128}, "output");
  b.buffer("as", "SBUF", mm, 128, 128).buffer("bs", "SBUF", mm, 128, 128);
  b.buffer("ps", "PSUM", "f32", 128, 128).buffer("ys", "SBUF", "f32", 128, 128);
  b.instr({{"instr", "dma_copy"}, {"src", hbm("a", 128, 128)}, {"dst", tile("as", 128)}});
  b.instr({{"instr", "dma_copy"}, {"src", hbm("b", 128, 128)}, {"dst", tile("bs", 128)}});
  b.instr({{"instr", "matmul"},
           {"st", tile("as", 128)},
           {"mv", tile("bs", 128)},
           {"out", tile("ps", 128)}});
  b.instr({{"instr", "tensor_copy"}, {"a", tile("ps", 128)}, {"out", tile("ys", 128)}});
  b.instr({{"instr", "dma_copy"}, {"src", tile("ys", 128)}, {"dst", hbm("y", 128, 128)}});
  return b;
}

int run(const ProgramBuilder& b, bool allow, std::string& out_text, std::string& err_text) {
  SimCommandOptions o;
  o.program = testing::TempDir() + "guard.json";
  std::ofstream(o.program) << b.text();
  o.isa = "targets/npu.json";
  o.allow_narrowing = allow;
  std::ostringstream out, err;
  int rc = sim_command(o, out, err);
  out_text = out.str();
  err_text = err.str();
  return rc;
}

TEST(SimDtypeGuard, F32ProgramRunningItsMatmulInBf16IsRefused) {
  ProgramBuilder b = matmul("f32", "bf16");
  std::vector<Narrowing> n = find_narrowing(b.load());
  ASSERT_EQ(n.size(), 2u);
  EXPECT_NE(n[0].message.find("instruction 0 (dma_copy on DMA queue 0) computes 'dst' in bf16"),
            std::string::npos)
      << n[0].message;
  std::string out, err;
  EXPECT_EQ(run(b, false, out, err), 2);
  EXPECT_NE(err.find("dtype guard"), std::string::npos) << err;
  EXPECT_NE(err.find("--allow-narrowing"), std::string::npos) << err;
  EXPECT_EQ(run(b, true, out, err), 0) << err;
  EXPECT_NE(out.find("precision: 2 instructions compute narrower"), std::string::npos) << out;
}

TEST(SimDtypeGuard, DeclaredBf16InputsAndWideningAreNotNarrowing) {
  EXPECT_TRUE(find_narrowing(matmul("bf16", "bf16").load()).empty());
  EXPECT_TRUE(find_narrowing(matmul("f32", "f32").load()).empty());
  ProgramBuilder b;
  b.tensor("y", "bf16", {128, 4}, "output").buffer("s", "SBUF", "bf16", 128, 4);
  b.instr({{"instr", "memset"}, {"out", tile("s", 4)}, {"value", 1.0}});
  b.instr({{"instr", "dma_copy"}, {"src", tile("s", 4)}, {"dst", hbm("y", 128, 4)}});
  EXPECT_TRUE(find_narrowing(b.load()).empty());
}

} // namespace
} // namespace axon
