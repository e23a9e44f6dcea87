// The LLVM backend's own vector exp (emit/vector_math.h, llvm.vector_math "inline"), compiled
// through the CPU backend at each vector width the host runs, against the correctly rounded
// e^x over a dense sweep of floats and the special values.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

#include "emit/cpu_jit.h"
#include "search/enumerate.h"
#include "ir/frontend.h"
#include "isa/isa.h"

namespace axon {
namespace {

constexpr int64_t kChunk = 1 << 16;

// The kernel y = exp(a) over kChunk floats, vectorized at the target's full width, with exp from
// the backend's own implementation.
std::unique_ptr<CpuKernel> inline_exp_kernel(const std::string& isa_name, int* lanes) {
  CpuTarget t = cpu_target(load_isa("targets/" + isa_name + ".json"));
  t.vector_math["exp"] = kInlineVectorMath;
  *lanes = t.vector_bytes / 4;
  IndexProgram p = load_index_program(
      source_from_string("where N = " + std::to_string(kChunk) + "\ninput a: f32[N]\noutput c[n] = exp(a[n])\n"));
  Schedule s = default_schedule(p);
  s.stmts[0].vectorize = "n";
  s.stmts[0].vector_width = *lanes;
  auto k = jit_compile(p, s, t);
  EXPECT_EQ(k->optimized_ir().find("expf"), std::string::npos) << "exp was called, not inlined";
  return k;
}

// Distance in units in the last place of the correctly rounded result (subnormal ulp below
// 2^-126); infinities and zeros must match exactly.
double ulp_error(float got, double exact) {
  float want = static_cast<float>(exact);
  if (std::isinf(want) || want == 0.0f) return got == want ? 0.0 : INFINITY;
  int e;
  std::frexp(want, &e);
  double ulp = std::ldexp(1.0, std::max(e - 24, -149));
  return std::abs(static_cast<double>(got) - exact) / ulp;
}

void check_exp(const std::string& isa_name) {
  int lanes = 0;
  auto k = inline_exp_kernel(isa_name, &lanes);
  std::vector<float> in(kChunk), out(kChunk);
  void* bufs[] = {in.data(), out.data()};
  double worst = 0;
  float worst_x = 0;
  auto run = [&](size_t n) {
    k->run(bufs);
    for (size_t j = 0; j < n; ++j) {
      double err = ulp_error(out[j], std::exp(static_cast<double>(in[j])));
      if (!(err <= worst)) worst = err, worst_x = in[j];
    }
  };
  // Every 97th float from -110 to 100 (2.2e9 floats, so 2.3e7 of them, 86000 per binade): all
  // of overflow, the normal range, the subnormal results and underflow to zero.
  size_t n = 0;
  for (float lo : {0.0f, -0.0f}) {
    float hi = std::signbit(lo) ? -110.0f : 100.0f;
    uint32_t bits, end;
    std::memcpy(&bits, &lo, 4);
    std::memcpy(&end, &hi, 4);
    for (; bits <= end; bits += 97) {
      std::memcpy(&in[n], &bits, 4);
      if (++n == static_cast<size_t>(kChunk)) run(n), n = 0;
    }
  }
  if (n) run(n);
  EXPECT_LE(worst, 1.0) << isa_name << ": worst at x = " << worst_x;
  // Special values, lane by lane.
  const float inf = std::numeric_limits<float>::infinity(), nan = std::numeric_limits<float>::quiet_NaN();
  std::vector<float> special = {0.0f, -0.0f, inf, -inf, nan, 88.72f, 88.73f, -87.33f, -103.9f, -104.0f, 1e-30f, -1e-30f};
  std::fill(in.begin(), in.end(), 0.0f);
  std::copy(special.begin(), special.end(), in.begin());
  k->run(bufs);
  EXPECT_EQ(out[0], 1.0f);
  EXPECT_EQ(out[1], 1.0f);
  EXPECT_EQ(out[2], inf);
  EXPECT_EQ(out[3], 0.0f);
  EXPECT_TRUE(std::isnan(out[4]));
  EXPECT_LE(ulp_error(out[5], std::exp(double{88.72f})), 1.0);
  EXPECT_EQ(out[6], inf);  // e^88.73 > FLT_MAX
  EXPECT_LE(ulp_error(out[7], std::exp(double{-87.33f})), 1.0);  // subnormal result
  EXPECT_LE(ulp_error(out[8], std::exp(double{-103.9f})), 1.0);  // a few subnormal bits
  EXPECT_LE(ulp_error(out[9], std::exp(double{-104.0f})), 1.0);
  EXPECT_EQ(out[10], 1.0f);
  EXPECT_EQ(out[11], 1.0f);
}

TEST(InlineVectorMath, ExpAvx2) { check_exp("avx2"); }

TEST(InlineVectorMath, ExpAvx512) {
  if (!host_has("avx512f")) GTEST_SKIP() << "the host has no AVX-512";
  check_exp("avx512");
}

}  // namespace
}  // namespace axon
