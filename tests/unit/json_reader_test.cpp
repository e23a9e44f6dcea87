// The JSON reader every reader of JSON input shares (ir/json_reader.h): pointers with escaped
// tokens, the caller's sink called with the pointer of the bad value, unknown members found in
// document order, typed reads and the int64 range.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>
#include <stdexcept>
#include <vector>

#include "ir/json_reader.h"

namespace axon {
namespace {

struct Reported : std::runtime_error {
  using std::runtime_error::runtime_error;
};

const JsonFail kThrow = [](const std::string& ptr, const std::string& msg) {
  throw Reported("f.json: " + ptr + ": " + msg);
};

std::string message_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const Reported& e) {
    return e.what();
  }
  return "(nothing reported)";
}

TEST(JsonReader, PointersEscapeTildeAndSlash) {
  EXPECT_EQ(json_pointer_token("a/b~c"), "a~1b~0c");
  nlohmann::json j = {{"a/b", {1, 2}}};
  JsonAt<nlohmann::json> root(j, "", kThrow);
  EXPECT_EQ(root.at("a/b"), "/a~1b");
  EXPECT_EQ(root.member("a/b").element(1).pointer(), "/a~1b/1");
}

TEST(JsonReader, TheSinkGetsThePointerOfTheBadValue) {
  nlohmann::json j = nlohmann::json::parse(R"({"xs": [{"name": 3}]})");
  JsonAt<nlohmann::json> root(j, "", kThrow);
  auto name = root.member("xs").element(0).member("name");
  EXPECT_EQ(message_of([&] { name.string("expected a string"); }),
            "f.json: /xs/0/name: expected a string");
  EXPECT_EQ(name.number("expected a number"), 3.0);
  EXPECT_EQ(message_of([&] { name.boolean("expected true or false"); }),
            "f.json: /xs/0/name: expected true or false");
}

TEST(JsonReader, UnknownMembersInDocumentOrder) {
  nlohmann::ordered_json j = nlohmann::ordered_json::parse(R"({"b": 1, "zz": 2, "a": 3, "y": 4})");
  JsonAt<nlohmann::ordered_json> o(j, "/top", kThrow);
  std::vector<std::string> allowed = {"a", "b"};
  auto k = o.unknown_member(allowed);
  ASSERT_TRUE(k.has_value());
  EXPECT_EQ(*k, "zz");
  allowed = {"a", "b", "y", "zz"};
  EXPECT_FALSE(o.unknown_member(allowed).has_value());
  nlohmann::json not_an_object = 5;
  EXPECT_FALSE(JsonAt<nlohmann::json>(not_an_object, "", kThrow).unknown_member(allowed));
}

TEST(JsonReader, Int64KeepsItsRange) {
  nlohmann::json j =
      nlohmann::json::parse(R"([9223372036854775807, 9223372036854775808, -5, 1.5, "7"])");
  JsonAt<nlohmann::json> a(j, "", kThrow);
  EXPECT_EQ(a.element(0).int64(), INT64_MAX);
  EXPECT_FALSE(a.element(1).int64().has_value());
  EXPECT_EQ(a.element(2).int64(), -5);
  EXPECT_FALSE(a.element(3).int64().has_value());
  EXPECT_FALSE(a.element(4).int64().has_value());
}

TEST(JsonReader, TypeTextQuotesScalars) {
  EXPECT_EQ(json_type_text(nlohmann::json(1.5)), "a number (1.5)");
  EXPECT_EQ(json_type_text(nlohmann::json(3)), "an integer (3)");
  EXPECT_EQ(json_type_text(nlohmann::json(std::string(50, 'x'))),
            "a string (\"" + std::string(40, 'x') + "...\")");
  EXPECT_EQ(json_type_text(nlohmann::json(true)), "a boolean (true)");
  EXPECT_EQ(json_type_text(nlohmann::json()), "null");
  EXPECT_EQ(json_type_text(nlohmann::json::array()), "an array");
  EXPECT_EQ(json_type_text(nlohmann::json::object()), "an object");
}

// A sink that returns is a bug in the caller: the reader still stops.
TEST(JsonReader, ASinkThatReturnsStillStopsTheRead) {
  JsonFail quiet = [](const std::string&, const std::string&) {};
  nlohmann::json j = 1;
  EXPECT_THROW(JsonAt<nlohmann::json>(j, "", quiet).string("expected a string"), std::logic_error);
}

} // namespace
} // namespace axon
