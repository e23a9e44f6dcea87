// Illegal NPU programs: each rule of docs/npu-program.md has a test that breaks it and checks
// that the error names the instruction and the rule.
#include <gtest/gtest.h>

#include "ir/error.h"
#include "sim/functional.h"
#include "sim_test_util.h"

namespace axon {
namespace {

using namespace simtest;

// Loads (and, for run-time rules, runs) the program; the error must contain every fragment.
void expect_error(const ProgramBuilder& b, const std::vector<std::string>& fragments,
                  bool run = false) {
  try {
    NpuProgram p = b.load();
    if (run)
      run_functional(p, random_program_inputs(p, 1));
    FAIL() << "accepted an illegal program; expected an error containing '" << fragments.front()
           << "'";
  } catch (const UserError& e) {
    std::string msg = e.what();
    for (const auto& f : fragments)
      EXPECT_NE(msg.find(f), std::string::npos) << "missing '" << f << "' in: " << msg;
  }
}

ProgramBuilder base() {
  ProgramBuilder b;
  b.input("x", "f32", 128, 64);
  return b;
}

TEST(SimErrors, SbufBytesPerPartitionExceeded) {
  ProgramBuilder b = base();
  b.buffer("big", "SBUF", "f32", 128, 48 * 1024); // 192 KiB per partition, after x_s
  expect_error(b, {"SBUF bytes per partition exceeded", "buffer 'big'", "196608"});
}

TEST(SimErrors, PsumBankOverflow) {
  ProgramBuilder b = base();
  b.buffer("ps", "PSUM", "f32", 128, 1024);
  // 64 fp32 from element 480 cross the 2 KiB bank boundary at element 512.
  b.instr({{"name", "spill"},
           {"instr", "tensor_copy"},
           {"a", tile("x_s", 64)},
           {"out", {{"buf", "ps"}, {"offset", 480}, {"n", 64}}}});
  expect_error(b, {"instruction 1 'spill' (tensor_copy on DVE)", "PSUM bank overflow", "2048"});
}

TEST(SimErrors, PsumMatmulOutputWiderThanABank) {
  ProgramBuilder b = base();
  b.buffer("ps", "PSUM", "f32", 64, 1024).buffer("mv", "SBUF", "f32", 128, 600);
  b.instr({{"instr", "memset"}, {"out", tile("mv", 600)}, {"value", 1.0}});
  b.instr({{"instr", "matmul"},
           {"st", tile("x_s", 64)},
           {"mv", tile("mv", 600)},
           {"out", tile("ps", 600)}});
  expect_error(b, {"instruction 2 (matmul on PE)", "PSUM bank overflow"});
}

TEST(SimErrors, PartitionStartRule) {
  ProgramBuilder b = base();
  b.buffer("y", "SBUF", "f32", 128, 64);
  b.instr(
      {{"instr", "tensor_copy"}, {"a", ptile("x_s", 16, 48, 64)}, {"out", ptile("y", 16, 48, 64)}});
  expect_error(b, {"instruction 1 (tensor_copy on DVE)", "partition start rule",
                   "48 partitions from partition 16", "0, 64"});
}

TEST(SimErrors, TwoPsumInputs) {
  ProgramBuilder b = base();
  b.buffer("p1", "PSUM", "f32", 128, 64)
      .buffer("p2", "PSUM", "f32", 128, 64)
      .buffer("y", "SBUF", "f32", 128, 64);
  b.instr({{"instr", "tensor_copy"}, {"a", tile("x_s", 64)}, {"out", tile("p1", 64)}});
  b.instr({{"instr", "tensor_copy"}, {"a", tile("x_s", 64)}, {"out", tile("p2", 64)}});
  b.instr({{"name", "both"},
           {"instr", "tensor_tensor"},
           {"op", "add"},
           {"a", tile("p1", 64)},
           {"b", tile("p2", 64)},
           {"out", tile("y", 64)}});
  expect_error(b, {"instruction 3 'both' (tensor_tensor on DVE)", "a.in_PSUM + b.in_PSUM <= 1"});
}

TEST(SimErrors, PoolTouchingPsum) {
  ProgramBuilder b = base();
  b.buffer("ps", "PSUM", "f32", 128, 64);
  b.instr({{"instr", "tensor_copy"},
           {"engine", "POOL"},
           {"a", tile("x_s", 64)},
           {"out", tile("ps", 64)}});
  expect_error(b, {"instruction 1 (tensor_copy on POOL)", "POOL may not write PSUM"});
}

TEST(SimErrors, ShapeOverInstructionLimit) {
  ProgramBuilder b = base();
  b.buffer("y", "SBUF", "f32", 64, 128);
  b.instr({{"instr", "transpose_dve"}, {"a", tile("x_s", 64)}, {"out", tile("y", 128)}});
  expect_error(b, {"instruction 1 (transpose_dve on DVE)", "P = 128 is outside [1, 32]"});
}

TEST(SimErrors, OperandShapesDisagree) {
  ProgramBuilder b = base();
  b.buffer("y", "SBUF", "f32", 128, 32);
  b.instr({{"instr", "tensor_copy"}, {"a", tile("x_s", 64)}, {"out", tile("y", 32)}});
  expect_error(
      b, {"instruction 1 (tensor_copy on DVE)", "dimension F is 64 elsewhere but 32 in 'out'"});
}

TEST(SimErrors, ReadOfNeverWrittenMemory) {
  ProgramBuilder b = base();
  b.buffer("junk", "SBUF", "f32", 128, 64).buffer("y", "SBUF", "f32", 128, 64);
  b.instr({{"name", "uses_junk"},
           {"instr", "tensor_tensor"},
           {"op", "add"},
           {"a", tile("x_s", 64)},
           {"b", tile("junk", 64)},
           {"out", tile("y", 64)}});
  expect_error(b,
               {"instruction 1 'uses_junk' (tensor_tensor on DVE)", "read of never-written memory",
                "buffer 'junk'"},
               true);
}

TEST(SimErrors, AccumulateIntoNeverWrittenPsum) {
  ProgramBuilder b = base();
  b.buffer("ps", "PSUM", "f32", 64, 64);
  b.instr({{"instr", "matmul"},
           {"st", tile("x_s", 64)},
           {"mv", tile("x_s", 64)},
           {"out", tile("ps", 64)},
           {"accumulate", true}});
  expect_error(b, {"instruction 1 (matmul on PE)", "read of never-written memory", "operand 'out'"},
               true);
}

TEST(SimErrors, OutputNeverWritten) {
  ProgramBuilder b = base();
  b.tensor("y", "f32", {128, 64}, "output");
  expect_error(b, {"output 'y'", "never written"}, true);
}

TEST(SimErrors, TileOutsideItsBuffer) {
  ProgramBuilder b = base();
  b.buffer("y", "SBUF", "f32", 128, 64);
  b.instr({{"instr", "tensor_copy"}, {"a", tile("x_s", 64)}, {"out", tile("y", 64, 8)}});
  expect_error(b, {"/program/1/out", "outside buffer 'y'"});
}

TEST(SimErrors, DmaQueueAndEngineMustExist) {
  ProgramBuilder b = base();
  b.buffer("y", "SBUF", "f32", 128, 64);
  b.instr(
      {{"instr", "dma_copy"}, {"queue", 16}, {"src", hbm("x", 128, 64)}, {"dst", tile("y", 64)}});
  expect_error(b, {"queue 16 does not exist", "16 queue(s)"});
  ProgramBuilder c = base();
  c.buffer("y", "SBUF", "f32", 128, 64);
  c.instr(
      {{"instr", "reciprocal"}, {"engine", "ACT"}, {"a", tile("x_s", 64)}, {"out", tile("y", 64)}});
  expect_error(c, {"does not run on engine 'ACT'"});
}

TEST(SimErrors, ImmediateWhereTheTargetAllowsNone) {
  ProgramBuilder b = base();
  b.buffer("y", "SBUF", "f32", 128, 64);
  b.instr({{"instr", "activation"},
           {"func", "exp"},
           {"in", tile("x_s", 64)},
           {"out", tile("y", 64)},
           {"scale", 1.0},
           {"bias", 0.0}});
  expect_error(b, {"instruction 1 (activation on ACT)", "'bias' cannot be an immediate"});
}

TEST(SimErrors, UnknownFieldsAndInstructions) {
  ProgramBuilder b = base();
  b.instr({{"instr", "fma"}});
  expect_error(b, {"no instruction 'fma'"});
  ProgramBuilder c = base();
  c.buffer("y", "SBUF", "f32", 128, 64);
  c.instr({{"instr", "tensor_copy"}, {"a", tile("x_s", 64)}, {"out", tile("y", 64)}, {"scale", 2}});
  expect_error(c, {"'scale' is neither an operand nor a parameter of 'tensor_copy'"});
}

TEST(SimErrors, BadLoopFormula) {
  ProgramBuilder b = base();
  b.buffer("y", "SBUF", "f32", 128, 64);
  b.instr({{"loop", "i"},
           {"count", 2},
           {"body",
            {{{"instr", "tensor_copy"},
              {"a", tile("x_s", 64)},
              {"out", {{"buf", "y"}, {"n", "j * 2"}}}}}}});
  expect_error(b, {"/program/1/body/0/out/n", "'j'"});
}

} // namespace
} // namespace axon
