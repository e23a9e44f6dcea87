// The LLVM backend's own vector math (emit/cpu/vector_math.h, llvm.vector_math "inline"), compiled
// through the CPU backend at each vector width the host runs, against the correctly rounded
// results over a dense sweep of floats and the special values.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <functional>
#include <iostream>
#include <limits>
#include <vector>

#include "emit/cpu/cpu_jit.h"
#include "emit/cpu/enumerate.h"
#include "ir/frontend.h"
#include "isa/isa.h"

namespace axon {
namespace {

constexpr int64_t kChunk = 1 << 16;

// The kernel y = function(a) over kChunk floats, vectorized at the target's full width, with the
// function from the backend's own implementation.
std::unique_ptr<CpuKernel> inline_kernel(const std::string& isa_name, const std::string& function) {
  CpuTarget t = cpu_target(load_isa("targets/" + isa_name + ".json"));
  t.vector_math[function] = kInlineVectorMath;
  IndexProgram p = load_index_program(
      source_from_string("where N = " + std::to_string(kChunk) +
                         "\ninput a: f32[N]\noutput c[n] = " + function + "(a[n])\n"));
  Schedule s = default_schedule(p);
  s.stmts[0].vectorize = "n";
  s.stmts[0].vector_width = t.vector_bytes / 4;
  auto k = jit_compile(p, s, t);
  EXPECT_EQ(k->optimized_ir().find(function + "f"), std::string::npos)
      << function << " was called, not inlined";
  return k;
}

// Distance in units in the last place of the correctly rounded result (subnormal ulp below
// 2^-126); infinities and zeros must match exactly.
double ulp_error(float got, double exact) {
  float want = static_cast<float>(exact);
  if (std::isinf(want) || want == 0.0f)
    return got == want ? 0.0 : INFINITY;
  int e;
  std::frexp(want, &e);
  double ulp = std::ldexp(1.0, std::max(e - 24, -149));
  return std::abs(static_cast<double>(got) - exact) / ulp;
}

// Runs the kernel on every 97th float from 0 up to `hi` and from -0 down to `lo` (86000 per
// binade) and returns the worst error in ulp against `exact`.
double sweep(CpuKernel& k, float lo, float hi, const std::function<double(double)>& exact,
             float* worst_x) {
  std::vector<float> in(kChunk), out(kChunk);
  void* bufs[] = {in.data(), out.data()};
  double worst = 0;
  auto run = [&](size_t n) {
    k.run(bufs);
    for (size_t j = 0; j < n; ++j) {
      double err = ulp_error(out[j], exact(static_cast<double>(in[j])));
      if (!(err <= worst))
        worst = err, *worst_x = in[j];
    }
  };
  size_t n = 0;
  for (float from : {0.0f, -0.0f}) {
    float to = std::signbit(from) ? lo : hi;
    uint32_t bits, end;
    std::memcpy(&bits, &from, 4);
    std::memcpy(&end, &to, 4);
    for (; bits <= end; bits += 97) {
      std::memcpy(&in[n], &bits, 4);
      if (++n == static_cast<size_t>(kChunk))
        run(n), n = 0;
    }
  }
  if (n)
    run(n);
  return worst;
}

// The kernel's results on `special` inputs, lane by lane.
std::vector<float> run_on(CpuKernel& k, const std::vector<float>& special) {
  std::vector<float> in(kChunk, 0.0f), out(kChunk);
  std::copy(special.begin(), special.end(), in.begin());
  void* bufs[] = {in.data(), out.data()};
  k.run(bufs);
  out.resize(special.size());
  return out;
}

const float inf = std::numeric_limits<float>::infinity(),
            nan = std::numeric_limits<float>::quiet_NaN();

void check_exp(const std::string& isa_name) {
  auto k = inline_kernel(isa_name, "exp");
  // 2.3e7 floats from -110 to 100: all of overflow, the normal range, the subnormal results and
  // underflow to zero.
  float worst_x = 0;
  double worst = sweep(
      *k, -110.0f, 100.0f, [](double x) { return std::exp(x); }, &worst_x);
  EXPECT_LE(worst, 1.0) << isa_name << ": worst at x = " << worst_x;
  auto out = run_on(*k, {0.0f, -0.0f, inf, -inf, nan, 88.72f, 88.73f, -87.33f, -103.9f, -104.0f,
                         1e-30f, -1e-30f});
  EXPECT_EQ(out[0], 1.0f);
  EXPECT_EQ(out[1], 1.0f);
  EXPECT_EQ(out[2], inf);
  EXPECT_EQ(out[3], 0.0f);
  EXPECT_TRUE(std::isnan(out[4]));
  EXPECT_LE(ulp_error(out[5], std::exp(double{88.72f})), 1.0);
  EXPECT_EQ(out[6], inf);                                       // e^88.73 > FLT_MAX
  EXPECT_LE(ulp_error(out[7], std::exp(double{-87.33f})), 1.0); // subnormal result
  EXPECT_LE(ulp_error(out[8], std::exp(double{-103.9f})), 1.0); // a few subnormal bits
  EXPECT_LE(ulp_error(out[9], std::exp(double{-104.0f})), 1.0);
  EXPECT_EQ(out[10], 1.0f);
  EXPECT_EQ(out[11], 1.0f);
}

void check_tanh(const std::string& isa_name) {
  auto k = inline_kernel(isa_name, "tanh");
  // 2.3e7 floats with |x| <= 20 (tanh rounds to +-1 from 9.01): subnormals, the polynomial below
  // 0.625, the switch to the exp form and saturation.
  float worst_x = 0;
  double worst = sweep(
      *k, -20.0f, 20.0f, [](double x) { return std::tanh(x); }, &worst_x);
  EXPECT_LE(worst, 2.0) << isa_name << ": worst at x = " << worst_x;
  std::cout << "tanh on " << isa_name << ": worst " << worst << " ulp at x = " << worst_x << "\n";
  std::vector<float> special = {
      0.0f,    -0.0f, inf,   -inf, nan, 1e-40f, -1e-40f, 0.625f, std::nextafter(0.625f, 0.0f),
      -0.625f, 1e30f, -88.0f};
  auto out = run_on(*k, special);
  EXPECT_EQ(out[0], 0.0f);
  EXPECT_FALSE(std::signbit(out[0]));
  EXPECT_EQ(out[1], 0.0f);
  EXPECT_TRUE(std::signbit(out[1]));
  EXPECT_EQ(out[2], 1.0f);
  EXPECT_EQ(out[3], -1.0f);
  EXPECT_TRUE(std::isnan(out[4]));
  EXPECT_EQ(out[5], 1e-40f); // subnormal: tanh(x) rounds to x
  EXPECT_EQ(out[6], -1e-40f);
  for (int j : {7, 8, 9}) // either side of the switch between the two forms
    EXPECT_LE(ulp_error(out[j], std::tanh(double{special[j]})), 2.0) << special[j];
  EXPECT_EQ(out[10], 1.0f);
  EXPECT_EQ(out[11], -1.0f);
}

TEST(InlineVectorMath, ExpAvx2) { check_exp("avx2"); }

TEST(InlineVectorMath, ExpAvx512) {
  if (!host_has("avx512f"))
    GTEST_SKIP() << "the host has no AVX-512";
  check_exp("avx512");
}

TEST(InlineVectorMath, TanhAvx2) { check_tanh("avx2"); }

TEST(InlineVectorMath, TanhAvx512) {
  if (!host_has("avx512f"))
    GTEST_SKIP() << "the host has no AVX-512";
  check_tanh("avx512");
}

} // namespace
} // namespace axon
