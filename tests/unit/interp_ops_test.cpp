// The reference interpreter, op by op, against independent plain C++ loops at random shapes,
// including edge sizes (1, primes, non-multiples of 16).
#include <gtest/gtest.h>

#include <cmath>
#include <functional>
#include <random>

#include "ir/dtype.h"
#include "ir/error.h"
#include "ir/frontend.h"
#include "ir/interp.h"

namespace axon {
namespace {

const int64_t kSizes[] = {1, 2, 7, 13, 17, 33};

struct OpRun {
  IndexProgram prog;
  TensorMap in, out;
};

OpRun run_tp(const std::string& text, uint64_t seed, double scale = 1.0) {
  OpRun r{load_index_program(source_from_string(text, "test.tp")), {}, {}};
  r.in = random_inputs(r.prog, seed, scale);
  r.out = interpret(r.prog, r.in);
  return r;
}

std::string dims_line(const std::vector<std::pair<std::string, int64_t>>& d) {
  std::string s = "where ";
  for (size_t i = 0; i < d.size(); ++i)
    s += (i ? ", " : "") + d[i].first + " = " + std::to_string(d[i].second);
  return s + "\n";
}

void expect_close(const TensorValue& got, const std::vector<double>& want,
                  const std::string& what) {
  ASSERT_EQ(got.data.size(), want.size()) << what;
  TensorValue w{got.shape, want};
  EXPECT_LE(max_scaled_error(got, w, 1e-12, 1e-10), 1.0) << what;
}

using Unary = std::function<double(double)>;

TEST(InterpOps, UnaryElementwise) {
  const std::vector<std::pair<std::string, Unary>> ops = {
      {"exp", [](double x) { return std::exp(x); }},
      {"tanh", [](double x) { return std::tanh(x); }},
      {"erf", [](double x) { return std::erf(x); }},
      {"abs", [](double x) { return std::fabs(x); }},
      {"sin", [](double x) { return std::sin(x); }},
      {"cos", [](double x) { return std::cos(x); }},
      {"neg", [](double x) { return -x; }},
      {"square", [](double x) { return x * x; }},
      {"reciprocal", [](double x) { return x == 0 ? 0.0 : 1.0 / x; }},
      {"sigmoid", [](double x) { return 1.0 / (1.0 + std::exp(-x)); }},
      {"relu", [](double x) { return x > 0 ? x : 0.0; }},
      {"silu", [](double x) { return x / (1.0 + std::exp(-x)); }},
      {"softplus", [](double x) { return std::log1p(std::exp(x)); }},
      {"gelu", [](double x) { return 0.5 * x * (1.0 + std::erf(x / std::sqrt(2.0))); }},
  };
  uint64_t seed = 1;
  for (auto& [op, f] : ops) {
    for (int64_t m : {1, 7, 33}) {
      std::string tp =
          dims_line({{"M", m}, {"N", 13}}) + "input x: f32[M, N]\noutput y = " + op + "(x)\n";
      OpRun r = run_tp(tp, seed++);
      std::vector<double> want;
      for (double x : r.in["x"].data)
        want.push_back(f(x));
      expect_close(r.out["y"], want, op);
    }
  }
  // Positive-domain functions.
  const std::vector<std::pair<std::string, Unary>> pos = {
      {"log", [](double x) { return std::log(x); }},
      {"sqrt", [](double x) { return std::sqrt(x); }},
      {"rsqrt", [](double x) { return 1.0 / std::sqrt(x); }},
  };
  for (auto& [op, f] : pos) {
    std::string tp = dims_line({{"N", 17}}) +
                     "input x: f32[N]\ny0 = abs(x)\nx1 = add(y0, 0.5)\noutput y = " + op + "(x1)\n";
    OpRun r = run_tp(tp, seed++);
    std::vector<double> want;
    for (double x : r.in["x"].data)
      want.push_back(f(std::fabs(x) + 0.5));
    expect_close(r.out["y"], want, op);
  }
}

TEST(InterpOps, GeluTanh) {
  OpRun r =
      run_tp(dims_line({{"N", 33}}) + "input x: f32[N]\noutput y = gelu(x, approximate=\"tanh\")\n",
             3, 3.0);
  std::vector<double> want;
  for (double x : r.in["x"].data)
    want.push_back(0.5 * x * (1 + std::tanh(std::sqrt(2 / M_PI) * (x + 0.044715 * x * x * x))));
  expect_close(r.out["y"], want, "gelu tanh");
}

TEST(InterpOps, BinaryWithBroadcasting) {
  const std::vector<std::pair<std::string, std::function<double(double, double)>>> ops = {
      {"add", [](double a, double b) { return a + b; }},
      {"sub", [](double a, double b) { return a - b; }},
      {"mul", [](double a, double b) { return a * b; }},
      {"div", [](double a, double b) { return b == 0 ? 0.0 : a / b; }},
      {"maximum", [](double a, double b) { return std::max(a, b); }},
      {"minimum", [](double a, double b) { return std::min(a, b); }},
  };
  uint64_t seed = 100;
  for (auto& [op, f] : ops) {
    for (int64_t m : {1, 13}) {
      for (int64_t n : {1, 7, 17}) {
        // a: [M, N], b: [N] broadcast over rows; c: [M, 1] broadcast over columns.
        std::string tp = dims_line({{"M", m}, {"N", n}}) +
                         "input a: f32[M, N]\ninput b: f32[N]\ninput c: f32[M, 1]\n"
                         "output y = " +
                         op + "(a, b)\noutput z = " + op + "(a, c)\n";
        OpRun r = run_tp(tp, seed++);
        std::vector<double> wy, wz;
        for (int64_t i = 0; i < m; ++i)
          for (int64_t j = 0; j < n; ++j) {
            double a = r.in["a"].data[static_cast<size_t>(i * n + j)];
            wy.push_back(f(a, r.in["b"].data[static_cast<size_t>(j)]));
            wz.push_back(f(a, r.in["c"].data[static_cast<size_t>(i)]));
          }
        expect_close(r.out["y"], wy, op + " row broadcast");
        expect_close(r.out["z"], wz, op + " column broadcast");
      }
    }
  }
}

TEST(InterpOps, OperatorsLiteralsAndWhere) {
  OpRun r = run_tp(dims_line({{"N", 13}}) + "input a: f32[N]\ninput b: f32[N]\n"
                                            "output y = 2 * a - b / 4 + 1\n"
                                            "output z = where(a > b, a, -b)\n"
                                            "output w = where((a > 0) && !(b > 0), 1.0, 0.0)\n",
                   7);
  std::vector<double> wy, wz, ww;
  for (size_t i = 0; i < 13; ++i) {
    double a = r.in["a"].data[i], b = r.in["b"].data[i];
    wy.push_back(2 * a - b / 4 + 1);
    wz.push_back(a > b ? a : -b);
    ww.push_back(a > 0 && !(b > 0) ? 1.0 : 0.0);
  }
  expect_close(r.out["y"], wy, "operators");
  expect_close(r.out["z"], wz, "where");
  expect_close(r.out["w"], ww, "logical");
}

TEST(InterpOps, MatmulAndBmm) {
  uint64_t seed = 200;
  for (int64_t m : {1, 7, 17})
    for (int64_t k : {1, 13, 33})
      for (int64_t n : {2, 17}) {
        std::string tp =
            dims_line({{"M", m}, {"K", k}, {"N", n}, {"B", 3}}) +
            "input a: f32[M, K]\ninput b: f32[K, N]\ninput c: f32[B, M, K]\ninput d: f32[B, K, N]\n"
            "output y = matmul(a, b)\noutput z = bmm(c, d)\noutput u = matmul(c, b)\n";
        OpRun r = run_tp(tp, seed++);
        auto& A = r.in["a"].data;
        auto& Bm = r.in["b"].data;
        auto& C = r.in["c"].data;
        auto& D = r.in["d"].data;
        std::vector<double> wy(static_cast<size_t>(m * n)), wz(static_cast<size_t>(3 * m * n)),
            wu(wz.size());
        for (int64_t i = 0; i < m; ++i)
          for (int64_t j = 0; j < n; ++j) {
            double s = 0;
            for (int64_t l = 0; l < k; ++l)
              s += A[static_cast<size_t>(i * k + l)] * Bm[static_cast<size_t>(l * n + j)];
            wy[static_cast<size_t>(i * n + j)] = s;
          }
        for (int64_t bb = 0; bb < 3; ++bb)
          for (int64_t i = 0; i < m; ++i)
            for (int64_t j = 0; j < n; ++j) {
              double s = 0, u = 0;
              for (int64_t l = 0; l < k; ++l) {
                double cv = C[static_cast<size_t>((bb * m + i) * k + l)];
                s += cv * D[static_cast<size_t>((bb * k + l) * n + j)];
                u += cv * Bm[static_cast<size_t>(l * n + j)];
              }
              wz[static_cast<size_t>((bb * m + i) * n + j)] = s;
              wu[static_cast<size_t>((bb * m + i) * n + j)] = u;
            }
        expect_close(r.out["y"], wy, "matmul");
        expect_close(r.out["z"], wz, "bmm");
        expect_close(r.out["u"], wu, "batched matmul broadcasting b");
      }
}

// Row-wise ops over the last axis: softmax, log_softmax, rmsnorm, layernorm.
TEST(InterpOps, RowNormalisations) {
  uint64_t seed = 300;
  for (int64_t m : {1, 7}) {
    for (int64_t n : {1, 13, 33}) {
      std::string tp = dims_line({{"M", m}, {"N", n}}) +
                       "input x: f32[M, N]\ninput w: f32[N]\ninput b: f32[N]\n"
                       "output s = softmax(x)\noutput ls = log_softmax(x)\n"
                       "output r = rmsnorm(x, w, eps=1e-5)\noutput l = layernorm(x, w, b)\n";
      OpRun r = run_tp(tp, seed++, 4.0);
      auto& X = r.in["x"].data;
      auto& W = r.in["w"].data;
      auto& Bv = r.in["b"].data;
      std::vector<double> ws, wls, wr, wl;
      for (int64_t i = 0; i < m; ++i) {
        const double* row = &X[static_cast<size_t>(i * n)];
        double mx = -INFINITY, se = 0, ss = 0, mean = 0;
        for (int64_t j = 0; j < n; ++j)
          mx = std::max(mx, row[j]);
        for (int64_t j = 0; j < n; ++j)
          se += std::exp(row[j] - mx);
        for (int64_t j = 0; j < n; ++j) {
          ss += row[j] * row[j];
          mean += row[j];
        }
        mean /= static_cast<double>(n);
        double var = 0;
        for (int64_t j = 0; j < n; ++j)
          var += (row[j] - mean) * (row[j] - mean);
        var /= static_cast<double>(n);
        for (int64_t j = 0; j < n; ++j) {
          ws.push_back(std::exp(row[j] - mx) / se);
          wls.push_back(row[j] - mx - std::log(se));
          wr.push_back(row[j] / std::sqrt(ss / static_cast<double>(n) + 1e-5) *
                       W[static_cast<size_t>(j)]);
          wl.push_back((row[j] - mean) / std::sqrt(var + 1e-5) * W[static_cast<size_t>(j)] +
                       Bv[static_cast<size_t>(j)]);
        }
      }
      expect_close(r.out["s"], ws, "softmax");
      expect_close(r.out["ls"], wls, "log_softmax");
      expect_close(r.out["r"], wr, "rmsnorm");
      expect_close(r.out["l"], wl, "layernorm");
    }
  }
}

TEST(InterpOps, Rope) {
  for (int64_t d : {2, 8, 34}) {
    std::string tp =
        dims_line({{"H", 3}, {"N", 7}, {"D", d}}) +
        "input x: f32[H, N, D]\ninput c: f32[N, D]\ninput s: f32[N, D]\noutput y = rope(x, c, s)\n";
    OpRun r = run_tp(tp, static_cast<uint64_t>(d));
    auto& X = r.in["x"].data;
    auto& C = r.in["c"].data;
    auto& S = r.in["s"].data;
    std::vector<double> want;
    int64_t half = d / 2;
    for (int64_t h = 0; h < 3; ++h)
      for (int64_t n = 0; n < 7; ++n)
        for (int64_t j = 0; j < d; ++j) {
          auto at = [&](int64_t jj) { return X[static_cast<size_t>((h * 7 + n) * d + jj)]; };
          double rot = j < half ? -at(j + half) : at(j - half);
          want.push_back(at(j) * C[static_cast<size_t>(n * d + j)] +
                         rot * S[static_cast<size_t>(n * d + j)]);
        }
    expect_close(r.out["y"], want, "rope D=" + std::to_string(d));
  }
}

TEST(InterpOps, StructuralOps) {
  std::string tp = dims_line({{"A", 2}, {"B", 3}, {"C", 5}}) +
                   "input x: f32[A, B, C]\ninput z: f32[A, B, 1]\n"
                   "output t = transpose(x)\n"
                   "output p = transpose(x, perm=[2, 0, 1])\n"
                   "output r = reshape(x, shape=[B, A * C])\n"
                   "output bc = broadcast_to(z, shape=[A, B, C])\n"
                   "output cc = concat(x, z, axis=2)\n"
                   "output sl = slice(x, axis=2, start=1, end=4)\n"
                   "output s1 = sum(x, axis=1)\n"
                   "output mk = max(x, axis=-1, keepdims=true)\n"
                   "output mn = mean(x)\n"
                   "output mi = min(x, axis=[0, 2])\n";
  OpRun r = run_tp(tp, 9);
  auto& X = r.in["x"].data;
  auto& Z = r.in["z"].data;
  auto x = [&](int64_t a, int64_t b, int64_t c) {
    return X[static_cast<size_t>((a * 3 + b) * 5 + c)];
  };
  std::vector<double> t, p, rs, bc, cc, sl, s1, mk, mi;
  double mn = 0;
  for (int64_t a = 0; a < 2; ++a)
    for (int64_t c = 0; c < 5; ++c)
      for (int64_t b = 0; b < 3; ++b)
        t.push_back(x(a, b, c));
  for (int64_t c = 0; c < 5; ++c)
    for (int64_t a = 0; a < 2; ++a)
      for (int64_t b = 0; b < 3; ++b)
        p.push_back(x(a, b, c));
  rs = X; // row-major reinterpretation keeps the element order
  for (int64_t a = 0; a < 2; ++a)
    for (int64_t b = 0; b < 3; ++b) {
      for (int64_t c = 0; c < 5; ++c)
        bc.push_back(Z[static_cast<size_t>(a * 3 + b)]);
      for (int64_t c = 0; c < 6; ++c)
        cc.push_back(c < 5 ? x(a, b, c) : Z[static_cast<size_t>(a * 3 + b)]);
      for (int64_t c = 1; c < 4; ++c)
        sl.push_back(x(a, b, c));
      double m = -INFINITY;
      for (int64_t c = 0; c < 5; ++c) {
        m = std::max(m, x(a, b, c));
        mn += x(a, b, c);
      }
      mk.push_back(m);
    }
  for (int64_t a = 0; a < 2; ++a)
    for (int64_t c = 0; c < 5; ++c) {
      double s = 0;
      for (int64_t b = 0; b < 3; ++b)
        s += x(a, b, c);
      s1.push_back(s);
    }
  for (int64_t b = 0; b < 3; ++b) {
    double m = INFINITY;
    for (int64_t a = 0; a < 2; ++a)
      for (int64_t c = 0; c < 5; ++c)
        m = std::min(m, x(a, b, c));
    mi.push_back(m);
  }
  expect_close(r.out["t"], t, "transpose");
  expect_close(r.out["p"], p, "transpose perm");
  expect_close(r.out["r"], rs, "reshape");
  expect_close(r.out["bc"], bc, "broadcast_to");
  expect_close(r.out["cc"], cc, "concat");
  expect_close(r.out["sl"], sl, "slice");
  expect_close(r.out["s1"], s1, "sum axis");
  expect_close(r.out["mk"], mk, "max keepdims");
  expect_close(r.out["mn"], {mn / 30.0}, "mean all");
  expect_close(r.out["mi"], mi, "min two axes");
}

TEST(InterpOps, InoutAccumulateAndUpdate) {
  std::string tp = dims_line({{"M", 7}, {"K", 13}, {"N", 2}}) +
                   "input x: f32[M, K]\ninput dy: f32[M, N]\ninout dw: f32[K, N]\ninout c: f32[M]\n"
                   "dw += matmul(transpose(x), dy)\n"
                   "c[m] = c[m] * 0.5 + (sum(k) x[m, k])\n";
  OpRun r = run_tp(tp, 11);
  auto& X = r.in["x"].data;
  auto& DY = r.in["dy"].data;
  auto& DW = r.in["dw"].data;
  auto& C = r.in["c"].data;
  std::vector<double> wdw(DW), wc;
  for (int64_t k = 0; k < 13; ++k)
    for (int64_t n = 0; n < 2; ++n)
      for (int64_t m = 0; m < 7; ++m)
        wdw[static_cast<size_t>(k * 2 + n)] +=
            X[static_cast<size_t>(m * 13 + k)] * DY[static_cast<size_t>(m * 2 + n)];
  for (int64_t m = 0; m < 7; ++m) {
    double s = 0;
    for (int64_t k = 0; k < 13; ++k)
      s += X[static_cast<size_t>(m * 13 + k)];
    wc.push_back(C[static_cast<size_t>(m)] * 0.5 + s);
  }
  expect_close(r.out["dw@1"], wdw, "dw += x^T dy");
  expect_close(r.out["c@1"], wc, "in-place index statement");
  EXPECT_EQ(r.prog.updates().at("dw@1"), "dw");
}

TEST(InterpOps, AffineIndicesTiledReductionAndMask) {
  // A reduction over K split into T tiles of B with a mask for the ragged tail.
  std::string tp = dims_line({{"M", 3}, {"K", 13}, {"B", 4}}) +
                   "input x: f32[M, K]\n"
                   "output y[m] = sum(t: (K + B - 1) / B) sum(j: B) select(t * B + j < K, x[m, t * "
                   "B + j], 0.0)\n"
                   "output z[m] = sum(k) x[m, k]\n";
  OpRun r = run_tp(tp, 12);
  EXPECT_LE(max_scaled_error(r.out["y"], r.out["z"], 1e-12, 1e-12), 1.0);
}

TEST(InterpOps, ModesRoundValues) {
  std::string tp = dims_line({{"N", 33}}) + "input x: bf16[N]\noutput y = x * 3.0\n";
  IndexProgram p = load_index_program(source_from_string(tp));
  TensorMap in = random_inputs(p, 5);
  TensorMap f64 = interpret(p, in, EvalMode::F64);
  TensorMap st = interpret(p, in, EvalMode::Storage);
  for (size_t i = 0; i < 33; ++i) {
    EXPECT_DOUBLE_EQ(f64["y"].data[i], in["x"].data[i] * 3.0);
    EXPECT_EQ(st["y"].data[i],
              round_to_dtype(round_to_dtype(in["x"].data[i], DType::BF16) * 3.0, DType::BF16));
  }
  EXPECT_EQ(round_to_dtype(1.0 + 1.0 / 256, DType::BF16), 1.0); // ties to even
  EXPECT_EQ(round_to_dtype(1.0 + 3.0 / 256, DType::BF16), 1.0 + 4.0 / 256);
  EXPECT_EQ(round_to_dtype(65504.0, DType::F16), 65504.0);
  EXPECT_TRUE(std::isinf(round_to_dtype(65520.0, DType::F16)));
  EXPECT_EQ(round_to_dtype(1.0 + 1.0 / 2048, DType::F16), 1.0);
}

TEST(InterpOps, OutOfRangeReadIsAUserError) {
  std::string tp = dims_line({{"N", 5}}) + "input x: f32[N]\noutput y[i: N] = x[i + 1]\n";
  IndexProgram p = load_index_program(source_from_string(tp));
  try {
    interpret(p, random_inputs(p, 1));
    FAIL() << "expected an error";
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("reads x[5] outside its shape [5]"), std::string::npos)
        << e.what();
  }
}

} // namespace
} // namespace axon

namespace axon {
namespace {

TEST(InterpPoints, AgreesWithFullEvaluation) {
  std::string tp =
      "where M = 7, K = 13, N = 5\ninput x: f32[M, K]\ninput g: f32[K]\ninput w: f32[K, N]\n"
      "h = softmax(rmsnorm(x, g))\noutput y = matmul(h, w)\noutput z = h * 2\n";
  IndexProgram p = load_index_program(source_from_string(tp));
  TensorMap in = random_inputs(p, 21);
  TensorMap full = interpret(p, in);
  std::map<std::string, std::vector<std::vector<int64_t>>> pts = {{"y", {{0, 0}, {6, 4}, {3, 2}}},
                                                                  {"z", {{5, 12}}}};
  auto got = interpret_points(p, in, pts);
  EXPECT_EQ(got["y"][0], full["y"].at({0, 0}));
  EXPECT_EQ(got["y"][1], full["y"].at({6, 4}));
  EXPECT_EQ(got["y"][2], full["y"].at({3, 2}));
  EXPECT_EQ(got["z"][0], full["z"].at({5, 12}));
}

// Inputs drawn into reused memory are the same values as fresh ones; tensors the program does
// not have are dropped.
TEST(RandomInputs, IntoReusedMemoryEqualsFresh) {
  IndexProgram p = load_index_program(
      source_from_string("where M = 6, N = 9\ninput a: f32[M, N]\ninput b: bool[N]\ninput c: "
                         "f32[]\noutput y[m, n] = a[m, n] * c\n"));
  TensorMap m;
  m["stale"] = TensorValue{{3}, {1, 2, 3}};
  m["a"] = TensorValue{{2}, {7, 7}};
  for (uint64_t seed : {1u, 2u}) {
    random_inputs_into(p, seed, m, 0.5);
    TensorMap fresh = random_inputs(p, seed, 0.5);
    ASSERT_EQ(m.size(), fresh.size());
    for (auto& [t, v] : fresh) {
      EXPECT_EQ(m.at(t).shape, v.shape) << t;
      EXPECT_EQ(m.at(t).data, v.data) << t;
    }
  }
}

// With f16 storage, the Storage mode rounds every element stored (temporaries included) as the
// full evaluation does, which the F64 mode does not.
TEST(InterpPoints, StorageModeRoundsLikeFullEvaluation) {
  std::string tp = "where M = 7, K = 13, N = 5\ninput x: f16[M, K]\ninput w: f16[K, N]\n"
                   "h: f16[M, K] = softmax(x * 3.0)\noutput y: f16[M, N] = matmul(h, w)\n";
  IndexProgram p = load_index_program(source_from_string(tp));
  TensorMap in = random_inputs(p, 5);
  TensorMap full = interpret(p, in, EvalMode::Storage);
  std::map<std::string, std::vector<std::vector<int64_t>>> pts = {{"y", {{0, 0}, {6, 4}, {3, 2}}}};
  auto got = interpret_points(p, in, pts, EvalMode::Storage);
  auto exact = interpret_points(p, in, pts);
  bool differs = false;
  for (size_t i = 0; i < pts["y"].size(); ++i) {
    EXPECT_EQ(got["y"][i], full["y"].at(pts["y"][i]));
    EXPECT_EQ(got["y"][i], round_to_dtype(got["y"][i], DType::F16));
    differs = differs || got["y"][i] != exact["y"][i];
  }
  EXPECT_TRUE(differs);
}

} // namespace
} // namespace axon
