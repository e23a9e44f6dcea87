// NpuPlan text and JSON (emit/npu/npu_plan.h): round trip and the errors of bad documents.
#include "emit/npu/npu_plan.h"

#include <gtest/gtest.h>

#include "ir/error.h"

namespace axon {
namespace {

NpuPlan sample_plan() {
  NpuPlan p;
  p.stmts.push_back({0, {{"i", 128}, {"j", 512}}, {"i", "j"}});
  p.stmts.push_back({1, {{"i", 64}}, {"i"}});
  p.groups = {{0, 1}};
  p.route = {{"w", "pe"}};
  p.preload = {"w"};
  p.bufs = 3;
  p.queues = 4;
  return p;
}

TEST(NpuPlan, JsonRoundTrip) {
  NpuPlan p = sample_plan();
  NpuPlan q = npu_plan_from_json(npu_plan_to_json(p), "plan");
  EXPECT_TRUE(p == q);
  EXPECT_EQ(npu_plan_to_json(q).dump(), npu_plan_to_json(p).dump());
}

TEST(NpuPlan, TextNamesEveryField) {
  IndexProgram prog = IndexProgram::make({}, {}, {});
  std::string t = npu_plan_text(prog, sample_plan());
  EXPECT_NE(t.find("s0: cover 0 tile {i: 128, j: 512} order [i, j] group 0"), std::string::npos)
      << t;
  EXPECT_NE(t.find("s1: cover 1 tile {i: 64} order [i] group 0"), std::string::npos) << t;
  EXPECT_NE(t.find("bufs 3 queues 4 preload [w] route {w: pe}"), std::string::npos) << t;
}

std::string error_of(const nlohmann::json& j) {
  try {
    npu_plan_from_json(j, "plan.json");
  } catch (const UserError& e) {
    return e.what();
  }
  return "";
}

TEST(NpuPlan, BadDocumentsNameTheirField) {
  nlohmann::json good = npu_plan_to_json(sample_plan());
  auto j = good;
  j["bufs"] = 4;
  EXPECT_NE(error_of(j).find("plan.json/bufs"), std::string::npos) << error_of(j);
  j = good;
  j["route"]["w"] = "teleport";
  EXPECT_NE(error_of(j).find("plan.json/route/w"), std::string::npos) << error_of(j);
  j = good;
  j["groups"] = {{0, 1}, {1}};
  EXPECT_NE(error_of(j).find("is in two groups"), std::string::npos) << error_of(j);
  j = good;
  j["stmts"][1].erase("tile");
  EXPECT_NE(error_of(j).find("plan.json/stmts/1: missing field 'tile'"), std::string::npos)
      << error_of(j);
  j = good;
  j["stmts"][0]["tile"]["i"] = 0;
  EXPECT_NE(error_of(j).find("plan.json/stmts/0/tile/i"), std::string::npos) << error_of(j);
  EXPECT_EQ(error_of(good), "");
}

} // namespace
} // namespace axon
