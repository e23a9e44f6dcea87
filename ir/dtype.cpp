// Element types and rounding to them (round to nearest even, as hardware conversions do).
#include "ir/dtype.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace axon {

const char* dtype_name(DType t) {
  const char* n = enum_name(kDTypeNames, t);
  return n ? n : "?";
}

std::optional<DType> parse_dtype(const std::string& s) { return enum_value(kDTypeNames, s); }

static double round_bf16(float f) {
  if (std::isnan(f))
    return f;
  uint32_t u;
  std::memcpy(&u, &f, 4);
  uint32_t lsb = (u >> 16) & 1u;
  u += 0x7fffu + lsb;
  u &= 0xffff0000u;
  float r;
  std::memcpy(&r, &u, 4);
  return r;
}

static double round_f16(double v) {
  if (std::isnan(v) || std::isinf(v))
    return v;
  double a = std::fabs(v);
  if (a >= 65520.0)
    return std::copysign(INFINITY, v); // rounds up past the largest half
  int e;
  std::frexp(a, &e); // a = m * 2^e, m in [0.5, 1)
  // Half has 11 significant bits for normals (e >= -13); subnormals have a fixed step of 2^-24.
  int exp_step = std::max(e - 11, -24);
  double step = std::ldexp(1.0, exp_step);
  double q = std::nearbyint(a / step) * step; // nearbyint rounds half to even by default
  return std::copysign(q, v);
}

double round_to_dtype(double v, DType t) {
  switch (t) {
  case DType::F32:
    return static_cast<float>(v);
  case DType::BF16:
    return round_bf16(static_cast<float>(v));
  case DType::F16:
    return round_f16(v);
  case DType::Bool:
    return v != 0 ? 1.0 : 0.0;
  }
  return v;
}

void encode_element(DType t, double v, void* dst) {
  switch (t) {
  case DType::F32: {
    float f = static_cast<float>(v);
    std::memcpy(dst, &f, 4);
    return;
  }
  case DType::BF16: {
    float f = static_cast<float>(round_bf16(static_cast<float>(v)));
    uint32_t u;
    std::memcpy(&u, &f, 4);
    uint16_t h = std::isnan(f) ? uint16_t(0x7fc0) : static_cast<uint16_t>(u >> 16);
    std::memcpy(dst, &h, 2);
    return;
  }
  case DType::F16: {
    double r = round_f16(v);
    uint16_t sign = std::signbit(r) ? 0x8000 : 0;
    double a = std::fabs(r);
    uint16_t h;
    if (std::isnan(r)) {
      h = 0x7e00;
    } else if (std::isinf(a)) {
      h = 0x7c00;
    } else if (a < std::ldexp(1.0, -14)) {
      h = static_cast<uint16_t>(std::lround(a / std::ldexp(1.0, -24))); // subnormal (or zero)
    } else {
      int e;
      double m = std::frexp(a, &e); // a = m * 2^e, m in [0.5, 1)
      h = static_cast<uint16_t>(((e - 1 + 15) << 10) | (std::lround((m * 2 - 1) * 1024) & 0x3ff));
    }
    h |= sign;
    std::memcpy(dst, &h, 2);
    return;
  }
  case DType::Bool: {
    uint8_t b = v != 0;
    std::memcpy(dst, &b, 1);
    return;
  }
  }
}

double decode_element(DType t, const void* src) {
  switch (t) {
  case DType::F32: {
    float f;
    std::memcpy(&f, src, 4);
    return f;
  }
  case DType::BF16: {
    uint16_t h;
    std::memcpy(&h, src, 2);
    uint32_t u = static_cast<uint32_t>(h) << 16;
    float f;
    std::memcpy(&f, &u, 4);
    return f;
  }
  case DType::F16: {
    uint16_t h;
    std::memcpy(&h, src, 2);
    int e = (h >> 10) & 0x1f, m = h & 0x3ff;
    double v = e == 0    ? std::ldexp(m, -24)
               : e == 31 ? (m ? NAN : INFINITY)
                         : std::ldexp(1024 + m, e - 25);
    return (h & 0x8000) ? -v : v;
  }
  case DType::Bool: {
    uint8_t b;
    std::memcpy(&b, src, 1);
    return b != 0;
  }
  }
  return 0;
}

} // namespace axon
