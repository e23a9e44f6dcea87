// Functional simulation against the reference interpreter: every instruction of targets/npu.json
// and every ACT function, each run through a small NPU program (DMA in, the instruction, DMA out)
// and compared with an independent index-notation reference evaluated in float64.
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <map>

#include "ir/frontend.h"
#include "ir/interp.h"
#include "sim/functional.h"
#include "sim_test_util.h"

namespace axon {
namespace {

using namespace simtest;

// Runs the program on random inputs (adjusted by `adjust`), and the reference .tp on the same
// inputs; every output of the reference must match the program's output of the same name.
void expect_matches(const ProgramBuilder& b, const std::string& tp, double tol,
                    const std::function<void(TensorMap&)>& adjust = {}) {
  NpuProgram p = b.load();
  TensorMap in = random_program_inputs(p, 11);
  if (adjust)
    adjust(in);
  TensorMap got = run_functional(p, in);
  IndexProgram ref = load_index_program(source_from_string(tp, "reference.tp"));
  TensorMap ref_in;
  for (const TensorDecl* d : ref.inputs())
    ref_in[d->name] = in.at(d->name);
  TensorMap want = interpret(ref, ref_in);
  for (const TensorDecl* d : ref.outputs()) {
    ASSERT_TRUE(got.count(d->name)) << "program has no output " << d->name;
    EXPECT_LE(max_scaled_error(got.at(d->name), want.at(d->name), tol, tol), 1.0)
        << "output " << d->name << "\n"
        << tp;
  }
}

void shift(TensorMap& in, const std::string& name, double by) {
  for (auto& v : in.at(name).data)
    v += by;
}

constexpr int64_t P = 32, F = 24;

std::string where() {
  return "where P = " + std::to_string(P) + ", F = " + std::to_string(F) + "\n";
}

// Replaces the placeholder letters (upper case, so never part of a function name).
std::string subst(const std::string& e, const std::map<char, std::string>& with) {
  std::string out;
  for (char c : e)
    out += with.count(c) ? with.at(c) : std::string(1, c);
  return out;
}

struct ActCase {
  std::string func, ref; // ref: expression of v
  double shift = 0;      // moves the bias into the function's domain
};

TEST(SimFunctional, ActivationEveryFunctionWithScaleBiasAndReduce) {
  const std::vector<ActCase> cases = {{"copy", "V"},
                                      {"square", "V * V"},
                                      {"sigmoid", "1.0 / (1.0 + exp(-V))"},
                                      {"relu", "max(V, 0.0)"},
                                      {"gelu", "0.5 * V * (1.0 + erf(V / sqrt(2.0)))"},
                                      {"silu", "V / (1.0 + exp(-V))"},
                                      {"tanh", "tanh(V)"},
                                      {"softplus", "log(1.0 + exp(V))"},
                                      {"erf", "erf(V)"},
                                      {"exp", "exp(V)"},
                                      {"log", "log(V)", 3},
                                      {"sin", "sin(V)"},
                                      {"sqrt", "sqrt(V)", 3},
                                      {"rsqrt", "1.0 / sqrt(V)", 3},
                                      {"reciprocal", "1.0 / V", 3},
                                      {"sign", "select(V > 0.0, 1.0, select(V < 0.0, -1.0, 0.0))"},
                                      {"abs", "abs(V)"}};
  ASSERT_EQ(cases.size(), npu().instruction("activation").find_param("func")->values.size())
      << "a new ACT function needs a case here";
  for (const auto& c : cases) {
    ProgramBuilder b;
    b.input("x", "f32", P, F).input("s", "f32", P, 1).input("b", "f32", P, 1);
    b.buffer("y_s", "SBUF", "f32", P, F).buffer("a_s", "SBUF", "f32", P, 1);
    b.instr({{"instr", "activation"},
             {"func", c.func},
             {"in", tile("x_s", F)},
             {"out", tile("y_s", F)},
             {"scale", tile("s_s", 1)},
             {"bias", tile("b_s", 1)},
             {"reduce", true},
             {"acc", tile("a_s", 1)}});
    b.output("y", "f32", "y_s", P, F).output("a", "f32", "a_s", P, 1);
    std::string ref = subst(c.ref, {{'V', "(x[p, f] * s[p, 0] + b[p, 0])"}});
    std::string tp =
        where() +
        "input x: f32[P, F]\ninput s: f32[P, 1]\ninput b: f32[P, 1]\noutput y[p, f] = " + ref +
        "\noutput a[p, c: 1] = sum(f) y[p, f]\n";
    SCOPED_TRACE(c.func);
    expect_matches(b, tp, 1e-5, [&](TensorMap& in) { shift(in, "b", c.shift); });
  }
}

TEST(SimFunctional, ActivationImmediateScaleAndBf16Output) {
  ProgramBuilder b;
  b.input("x", "f32", P, F).input("b", "f32", P, 1);
  b.buffer("y_s", "SBUF", "bf16", P, F);
  b.instr({{"instr", "activation"},
           {"func", "exp"},
           {"in", tile("x_s", F)},
           {"out", tile("y_s", F)},
           {"scale", 0.5},
           {"bias", tile("b_s", 1)}});
  b.output("y", "f32", "y_s", P, F);
  expect_matches(
      b,
      where() +
          "input x: f32[P, F]\ninput b: f32[P, 1]\noutput y[p, f] = exp(x[p, f] * 0.5 + b[p, 0])\n",
      8e-3);
}

struct BinCase {
  std::string op, ref; // ref: expression of a and b
};

const std::vector<BinCase> kBinary = {{"add", "A + B"},
                                      {"subtract", "A - B"},
                                      {"multiply", "A * B"},
                                      {"divide", "A / B"},
                                      {"max", "max(A, B)"},
                                      {"min", "min(A, B)"},
                                      {"pow", "A ** B"},
                                      {"is_equal", "select(A == B, 1.0, 0.0)"},
                                      {"not_equal", "select(A != B, 1.0, 0.0)"},
                                      {"is_gt", "select(A > B, 1.0, 0.0)"},
                                      {"is_ge", "select(A >= B, 1.0, 0.0)"},
                                      {"is_lt", "select(A < B, 1.0, 0.0)"},
                                      {"is_le", "select(A <= B, 1.0, 0.0)"}};

// Makes half of the rows of b equal to a (so equality ops see both outcomes), a positive (pow),
// and b away from zero (divide).
void binary_inputs(TensorMap& in, const std::string& a, const std::string& b, int64_t cols) {
  for (auto& v : in.at(a).data)
    v = std::fabs(v) + 0.5;
  for (auto& v : in.at(b).data)
    v += v >= 0 ? 0.5 : -0.5;
  for (int64_t p = 0; p < P; p += 2)
    for (int64_t f = 0; f < cols; ++f)
      in.at(b).data[p * cols + f] = in.at(a).data[p * cols + f];
}

TEST(SimFunctional, TensorTensorEveryOpOnDveAndPool) {
  ASSERT_EQ(kBinary.size(), npu().instruction("tensor_tensor").find_param("op")->values.size());
  for (const std::string engine : {"DVE", "POOL"})
    for (const auto& c : kBinary) {
      ProgramBuilder b;
      b.input("x", "f32", P, F).input("z", "f32", P, F).buffer("y_s", "SBUF", "f32", P, F);
      b.instr({{"instr", "tensor_tensor"},
               {"engine", engine},
               {"op", c.op},
               {"a", tile("x_s", F)},
               {"b", tile("z_s", F)},
               {"out", tile("y_s", F)}});
      b.output("y", "f32", "y_s", P, F);
      SCOPED_TRACE(engine + " " + c.op);
      expect_matches(b,
                     where() + "input x: f32[P, F]\ninput z: f32[P, F]\noutput y[p, f] = " +
                         subst(c.ref, {{'A', "x[p, f]"}, {'B', "z[p, f]"}}) + "\n",
                     1e-5, [](TensorMap& in) { binary_inputs(in, "x", "z", F); });
    }
}

TEST(SimFunctional, TensorTensorWithOnePsumInput) {
  ProgramBuilder b;
  b.input("x", "f32", P, F)
      .input("z", "f32", P, F)
      .buffer("zp", "PSUM", "f32", P, F)
      .buffer("y_s", "SBUF", "bf16", P, F);
  b.instr({{"instr", "tensor_copy"}, {"a", tile("z_s", F)}, {"out", tile("zp", F)}});
  b.instr({{"instr", "tensor_tensor"},
           {"op", "multiply"},
           {"a", tile("x_s", F)},
           {"b", tile("zp", F)},
           {"out", tile("y_s", F)}});
  b.output("y", "f32", "y_s", P, F);
  expect_matches(
      b, where() + "input x: f32[P, F]\ninput z: f32[P, F]\noutput y[p, f] = x[p, f] * z[p, f]\n",
      8e-3);
}

TEST(SimFunctional, TensorScalarOpsWithVectorImmediateAndReduce) {
  const std::vector<std::pair<std::string, std::string>> op1s = {
      {"bypass", "V"},
      {"add", "V + 0.25"},
      {"multiply", "V * 0.25"},
      {"max", "max(V, 0.25)"},
      {"is_ge", "select(V >= 0.25, 1.0, 0.0)"}};
  for (const std::string engine : {"DVE", "ACT", "POOL"})
    for (const auto& c0 : kBinary)
      for (const auto& [op1, r1] : op1s) {
        if (op1 != "bypass" && c0.op != "multiply" && c0.op != "subtract")
          continue; // op1 once per engine
        ProgramBuilder b;
        b.input("x", "f32", P, F)
            .input("z", "f32", P, 1)
            .buffer("y_s", "SBUF", "f32", P, F)
            .buffer("a_s", "SBUF", "f32", P, 1);
        b.instr({{"instr", "tensor_scalar"},
                 {"engine", engine},
                 {"in", tile("x_s", F)},
                 {"out", tile("y_s", F)},
                 {"op0", c0.op},
                 {"s0", tile("z_s", 1)},
                 {"op1", op1},
                 {"s1", 0.25},
                 {"reduce", true},
                 {"acc", tile("a_s", 1)}});
        b.output("y", "f32", "y_s", P, F).output("a", "f32", "a_s", P, 1);
        std::string e =
            subst(r1, {{'V', "(" + subst(c0.ref, {{'A', "x[p, f]"}, {'B', "z[p, 0]"}}) + ")"}});
        SCOPED_TRACE(engine + " " + c0.op + " " + op1);
        expect_matches(b,
                       where() + "input x: f32[P, F]\ninput z: f32[P, 1]\noutput y[p, f] = " + e +
                           "\noutput a[p, c: 1] = sum(f) y[p, f]\n",
                       1e-5, [](TensorMap& in) {
                         for (auto& v : in.at("x").data)
                           v = std::fabs(v) + 0.5;
                         for (auto& v : in.at("z").data)
                           v += v >= 0 ? 0.5 : -0.5;
                       });
      }
}

TEST(SimFunctional, TensorReduceAddMaxMin) {
  for (const auto& [op, ref] : std::vector<std::pair<std::string, std::string>>{
           {"add", "sum"}, {"max", "max"}, {"min", "min"}}) {
    ProgramBuilder b;
    b.input("x", "f32", P, F).buffer("y_s", "SBUF", "f32", P, 1);
    b.instr(
        {{"instr", "tensor_reduce"}, {"op", op}, {"a", tile("x_s", F)}, {"out", tile("y_s", 1)}});
    b.output("y", "f32", "y_s", P, 1);
    SCOPED_TRACE(op);
    expect_matches(b, where() + "input x: f32[P, F]\noutput y[p, c: 1] = " + ref + "(f) x[p, f]\n",
                   1e-5);
  }
}

TEST(SimFunctional, MatmulF32Bf16AndAccumulate) {
  const int64_t K = 64, M = 32, N = 48;
  for (const std::string dt : {"f32", "bf16"}) {
    ProgramBuilder b;
    b.input("st", dt, K, M)
        .input("mv", dt, K, N)
        .input("st2", dt, K, M, 1)
        .input("mv2", dt, K, N, 2);
    b.buffer("ps", "PSUM", "f32", M, N).buffer("y_s", "SBUF", "f32", M, N);
    b.instr({{"instr", "matmul"},
             {"st", tile("st_s", M)},
             {"mv", tile("mv_s", N)},
             {"out", tile("ps", N)}});
    b.instr({{"instr", "matmul"},
             {"st", tile("st2_s", M)},
             {"mv", tile("mv2_s", N)},
             {"out", tile("ps", N)},
             {"accumulate", true}});
    b.instr({{"instr", "tensor_copy"}, {"a", tile("ps", N)}, {"out", tile("y_s", N)}});
    b.output("y", "f32", "y_s", M, N);
    SCOPED_TRACE(dt);
    expect_matches(b,
                   "where K = 64, M = 32, N = 48\ninput st: f32[K, M]\ninput mv: f32[K, N]\ninput "
                   "st2: f32[K, M]\n"
                   "input mv2: f32[K, N]\noutput y[m, n] = (sum(k) st[k, m] * mv[k, n]) + (sum(k) "
                   "st2[k, m] * mv2[k, n])\n",
                   1e-5);
  }
}

TEST(SimFunctional, TransposesOnPeAndDve) {
  ProgramBuilder b;
  b.input("x", "f32", P, F).buffer("tp", "PSUM", "f32", F, P).buffer("y_s", "SBUF", "f32", F, P);
  b.instr({{"instr", "transpose_pe"}, {"a", tile("x_s", F)}, {"out", tile("tp", P)}});
  b.instr({{"instr", "tensor_copy"}, {"a", tile("tp", P)}, {"out", tile("y_s", P)}});
  b.output("y", "f32", "y_s", F, P);
  expect_matches(b, where() + "input x: f32[P, F]\noutput y[f, p] = x[p, f]\n", 1e-6);

  ProgramBuilder d;
  d.input("x", "bf16", 16, 24).buffer("y_s", "SBUF", "bf16", 24, 16);
  d.instr({{"instr", "transpose_dve"}, {"a", tile("x_s", 24)}, {"out", tile("y_s", 16)}});
  d.output("y", "bf16", "y_s", 24, 16);
  expect_matches(d, "where R = 16, C = 24\ninput x: f32[R, C]\noutput y[c, r] = x[r, c]\n", 1e-6);
}

TEST(SimFunctional, CopyCastMemsetReciprocal) {
  ProgramBuilder b;
  b.input("x", "f32", P, F)
      .buffer("c_s", "SBUF", "bf16", P, F)
      .buffer("m_s", "SBUF", "f32", P, F)
      .buffer("r_s", "SBUF", "f32", P, F);
  b.instr({{"instr", "tensor_copy"},
           {"engine", "POOL"},
           {"a", tile("x_s", F)},
           {"out", tile("c_s", F)}});
  b.instr({{"instr", "memset"}, {"out", tile("m_s", F)}, {"value", 3.5}});
  b.instr({{"instr", "reciprocal"}, {"a", tile("x_s", F)}, {"out", tile("r_s", F)}});
  b.output("c", "f32", "c_s", P, F).output("m", "f32", "m_s", P, F).output("r", "f32", "r_s", P, F);
  expect_matches(b,
                 where() + "input x: f32[P, F]\noutput c[p, f] = x[p, f]\noutput m[p: P, f: F] = "
                           "3.5\noutput r[p, f] = 1.0 / x[p, f]\n",
                 4e-3, [](TensorMap& in) { shift(in, "x", 2); });
}

TEST(SimFunctional, IotaAndAffineSelect) {
  ProgramBuilder b;
  b.input("x", "f32", P, F).buffer("i_s", "SBUF", "f32", P, F).buffer("s_s", "SBUF", "f32", P, F);
  b.instr({{"instr", "iota"},
           {"out", tile("i_s", F)},
           {"base", 5},
           {"channel_multiplier", 2},
           {"step", 3}});
  b.instr({{"instr", "affine_select"},
           {"in", tile("x_s", F)},
           {"out", tile("s_s", F)},
           {"cmp", "ge"},
           {"offset", 4},
           {"channel_multiplier", 1},
           {"step", -1},
           {"fill", -9.0}});
  b.output("i", "f32", "i_s", P, F).output("s", "f32", "s_s", P, F);
  expect_matches(b,
                 where() + "input x: f32[P, F]\noutput i[p: P, f: F] = real(5 + 2 * p + 3 * f)\n"
                           "output s[p, f] = select(4 + p - f >= 0, x[p, f], -9.0)\n",
                 1e-6);
}

TEST(SimFunctional, DmaStridedTransposingLoadWithCast) {
  // x[16, 32] read column by column: partition c takes x[:, c].
  ProgramBuilder b;
  b.tensor("x", "f32", {16, 32}, "input").buffer("t_s", "SBUF", "bf16", 32, 16);
  b.instr({{"instr", "dma_copy"},
           {"src", {{"tensor", "x"}, {"ap", {{1, 32}, {32, 16}}}}},
           {"dst", tile("t_s", 16)}});
  b.output("y", "f32", "t_s", 32, 16);
  expect_matches(b, "where R = 16, C = 32\ninput x: f32[R, C]\noutput y[c, r] = x[r, c]\n", 4e-3);
}

TEST(SimFunctional, DmaPartitionBroadcastPutsTheRowInEveryPartition) {
  // w[24] read into all 16 partitions of a [16, 24] tile; then x * w row by row.
  ProgramBuilder b;
  b.input("x", "f32", 16, 24).tensor("w", "f32", {24}, "input");
  b.buffer("w_s", "SBUF", "f32", 16, 24).buffer("y_s", "SBUF", "f32", 16, 24);
  b.instr({{"instr", "dma_broadcast"},
           {"queue", 3},
           {"src", {{"tensor", "w"}, {"ap", {{1, 24}, {1, 1}}}}},
           {"dst", tile("w_s", 24)}});
  b.instr({{"instr", "tensor_tensor"},
           {"op", "multiply"},
           {"a", tile("x_s", 24)},
           {"b", tile("w_s", 24)},
           {"out", tile("y_s", 24)}});
  b.output("y", "f32", "y_s", 16, 24);
  expect_matches(b,
                 "where P = 16, F = 24\ninput x: f32[P, F]\ninput w: f32[F]\n"
                 "output y[p, f] = x[p, f] * w[f]\n",
                 1e-6);
}

TEST(SimFunctional, LoopsAndPartitionOffsetsAddressTheRightElements) {
  // Four 32-partition quarters of a [128, 8] tile, each scaled by its own loop index.
  ProgramBuilder b;
  b.input("x", "f32", 128, 8).buffer("y_s", "SBUF", "f32", 128, 8);
  b.instr({{"loop", "q"},
           {"count", 4},
           {"body",
            {{{"instr", "tensor_scalar"},
              {"in", {{"buf", "x_s"}, {"p", "q * 32"}, {"np", 32}, {"n", 8}}},
              {"out", {{"buf", "y_s"}, {"p", "q * 32"}, {"np", 32}, {"n", 8}}},
              {"op0", "multiply"},
              {"s0", 2.0},
              {"op1", "add"},
              {"s1", 1.0}}}}});
  b.output("y", "f32", "y_s", 128, 8);
  expect_matches(
      b, "where P = 128, F = 8\ninput x: f32[P, F]\noutput y[p, f] = x[p, f] * 2.0 + 1.0\n", 1e-6);
}

} // namespace
} // namespace axon
