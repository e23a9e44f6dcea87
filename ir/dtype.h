// Element types of tensors. Values are reals in the IR; a dtype says how a concrete kernel stores
// them (docs/language.md: compute semantics).
#pragma once

#include <optional>
#include <string>

#include "ir/enum_table.h"

namespace axon {

enum class DType { F32, BF16, F16, Bool };
inline constexpr EnumName<DType> kDTypeNames[] = {
    {DType::F32, "f32"}, {DType::BF16, "bf16"}, {DType::F16, "f16"}, {DType::Bool, "bool"}};

const char* dtype_name(DType t);                        // "f32", "bf16", "f16", "bool"
std::optional<DType> parse_dtype(const std::string& s); // nullopt when unknown
// Bytes per element (inline: the runtime reads dtypes without linking ir/).
constexpr int dtype_bytes(DType t) {
  switch (t) {
  case DType::F32:
    return 4;
  case DType::BF16:
  case DType::F16:
    return 2;
  case DType::Bool:
    return 1;
  }
  return 4;
}
// Rounds a double to the nearest value representable in t (round to nearest even).
double round_to_dtype(double v, DType t);

// A value in its storage format (dtype_bytes(t) bytes at dst: IEEE single, bfloat16, IEEE half,
// or one byte 0/1), rounded to nearest even; and back.
void encode_element(DType t, double v, void* dst);
double decode_element(DType t, const void* src);

} // namespace axon
