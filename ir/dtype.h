// Element types of tensors. Values are reals in the IR; a dtype says how a concrete kernel stores
// them (docs/language.md: compute semantics).
#pragma once

#include <optional>
#include <string>

namespace axon {

enum class DType { F32, BF16, F16, Bool };

const char* dtype_name(DType t);                        // "f32", "bf16", "f16", "bool"
std::optional<DType> parse_dtype(const std::string& s); // nullopt when unknown
int dtype_bytes(DType t);
// Rounds a double to the nearest value representable in t (round to nearest even).
double round_to_dtype(double v, DType t);

// A value in its storage format (dtype_bytes(t) bytes at dst: IEEE single, bfloat16, IEEE half,
// or one byte 0/1), rounded to nearest even; and back.
void encode_element(DType t, double v, void* dst);
double decode_element(DType t, const void* src);

} // namespace axon
