// One table per enum that has a text form, read both ways: value -> name for printing and JSON,
// name -> value for parsing, and the list of names for "expected one of: ..." messages. Writing a
// name once keeps the directions from drifting apart. Header-only: the runtime uses it without
// linking ir/.
//
//   inline constexpr EnumName<DType> kDTypeNames[] = {{DType::F32, "f32"}, ...};
//   enum_name(kDTypeNames, DType::F32)  -> "f32"
//   enum_value(kDTypeNames, "f32")      -> DType::F32 (nullopt for an unknown name)
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace axon {

template <class E> struct EnumName {
  E value;
  const char* name;
};

// The name of `v`; nullptr when the table lacks it (a table that misses a value is a bug: callers
// check with AXON_CHECK or give their own fallback).
template <class E, size_t N> constexpr const char* enum_name(const EnumName<E> (&table)[N], E v) {
  for (const auto& e : table)
    if (e.value == v)
      return e.name;
  return nullptr;
}

template <class E, size_t N>
constexpr std::optional<E> enum_value(const EnumName<E> (&table)[N], std::string_view name) {
  for (const auto& e : table)
    if (name == e.name)
      return e.value;
  return std::nullopt;
}

// Every name, in table order.
template <class E, size_t N> std::vector<std::string> enum_names(const EnumName<E> (&table)[N]) {
  std::vector<std::string> out;
  for (const auto& e : table)
    out.push_back(e.name);
  return out;
}

} // namespace axon
