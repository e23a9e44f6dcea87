// Enum/string tables (ir/enum_table.h): one table per enum read both ways. Every value of each
// table round-trips through its name, names are distinct, and an unknown name has no value.
#include <gtest/gtest.h>

#include <set>

#include "ir/dtype.h"
#include "ir/enum_table.h"

namespace axon {
namespace {

template <class E, size_t N> void expect_round_trip(const EnumName<E> (&table)[N]) {
  std::set<std::string> seen;
  for (const auto& e : table) {
    EXPECT_TRUE(seen.insert(e.name).second) << "name listed twice: " << e.name;
    EXPECT_STREQ(enum_name(table, e.value), e.name);
    auto back = enum_value(table, e.name);
    ASSERT_TRUE(back.has_value()) << e.name;
    EXPECT_EQ(*back, e.value) << e.name;
  }
  EXPECT_EQ(enum_names(table).size(), N);
  EXPECT_FALSE(enum_value(table, "no such name").has_value());
  EXPECT_FALSE(enum_value(table, "").has_value());
}

TEST(EnumTable, DTypesRoundTrip) {
  expect_round_trip(kDTypeNames);
  for (DType t : {DType::F32, DType::BF16, DType::F16, DType::Bool}) {
    EXPECT_EQ(parse_dtype(dtype_name(t)), t);
  }
  EXPECT_EQ(enum_names(kDTypeNames), (std::vector<std::string>{"f32", "bf16", "f16", "bool"}));
  EXPECT_FALSE(parse_dtype("F32").has_value()); // names are case-sensitive
}

enum class Color { Red, Green };
constexpr EnumName<Color> kColors[] = {{Color::Red, "red"}};

TEST(EnumTable, AValueMissingFromItsTableHasNoName) {
  expect_round_trip(kColors);
  EXPECT_EQ(enum_name(kColors, Color::Green), nullptr);
  static_assert(enum_value(kColors, "red") == Color::Red, "tables are usable at compile time");
}

} // namespace
} // namespace axon
