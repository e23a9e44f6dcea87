// Element types and rounding to them (round to nearest even, as hardware conversions do).
#include "ir/dtype.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstring>

namespace axon {

const char* dtype_name(DType t) {
  switch (t) {
    case DType::F32: return "f32";
    case DType::BF16: return "bf16";
    case DType::F16: return "f16";
    case DType::Bool: return "bool";
  }
  return "?";
}

std::optional<DType> parse_dtype(const std::string& s) {
  if (s == "f32") return DType::F32;
  if (s == "bf16") return DType::BF16;
  if (s == "f16") return DType::F16;
  if (s == "bool") return DType::Bool;
  return std::nullopt;
}

int dtype_bytes(DType t) {
  switch (t) {
    case DType::F32: return 4;
    case DType::BF16: case DType::F16: return 2;
    case DType::Bool: return 1;
  }
  return 4;
}

static double round_bf16(float f) {
  if (std::isnan(f)) return f;
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
  if (std::isnan(v) || std::isinf(v)) return v;
  double a = std::fabs(v);
  if (a >= 65520.0) return std::copysign(INFINITY, v);  // rounds up past the largest half
  int e;
  std::frexp(a, &e);  // a = m * 2^e, m in [0.5, 1)
  // Half has 11 significant bits for normals (e >= -13); subnormals have a fixed step of 2^-24.
  int exp_step = std::max(e - 11, -24);
  double step = std::ldexp(1.0, exp_step);
  double q = std::nearbyint(a / step) * step;  // nearbyint rounds half to even by default
  return std::copysign(q, v);
}

double round_to_dtype(double v, DType t) {
  switch (t) {
    case DType::F32: return static_cast<float>(v);
    case DType::BF16: return round_bf16(static_cast<float>(v));
    case DType::F16: return round_f16(v);
    case DType::Bool: return v != 0 ? 1.0 : 0.0;
  }
  return v;
}

}  // namespace axon
