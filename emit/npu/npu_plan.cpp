// NpuPlan as text and JSON (see npu_plan.h).
#include "emit/npu/npu_plan.h"

#include <sstream>

#include "ir/error.h"

namespace axon {

std::string npu_plan_text(const IndexProgram& p, const NpuPlan& plan) {
  std::map<size_t, size_t> group_of;
  for (size_t g = 0; g < plan.groups.size(); ++g)
    for (size_t s : plan.groups[g])
      group_of[s] = g;
  std::ostringstream os;
  for (size_t s = 0; s < plan.stmts.size(); ++s) {
    const NpuStmtPlan& sp = plan.stmts[s];
    os << "s" << s;
    if (s < p.stmts().size())
      os << " " << p.stmts()[s].out;
    os << ": cover " << sp.cover << " tile {";
    bool first = true;
    for (auto& [v, n] : sp.tile) {
      os << (first ? "" : ", ") << v << ": " << n;
      first = false;
    }
    os << "} order [";
    for (size_t i = 0; i < sp.order.size(); ++i)
      os << (i ? ", " : "") << sp.order[i];
    os << "]";
    if (auto it = group_of.find(s); it != group_of.end())
      os << " group " << it->second;
    os << "\n";
  }
  os << "bufs " << plan.bufs << " queues " << plan.queues;
  if (!plan.preload.empty()) {
    os << " preload [";
    for (size_t i = 0; i < plan.preload.size(); ++i)
      os << (i ? ", " : "") << plan.preload[i];
    os << "]";
  }
  if (!plan.route.empty()) {
    os << " route {";
    bool first = true;
    for (auto& [t, r] : plan.route) {
      os << (first ? "" : ", ") << t << ": " << r;
      first = false;
    }
    os << "}";
  }
  os << "\n";
  return os.str();
}

nlohmann::json npu_plan_to_json(const NpuPlan& plan) {
  nlohmann::json j;
  nlohmann::json stmts = nlohmann::json::array();
  for (auto& s : plan.stmts) {
    nlohmann::json x;
    x["cover"] = s.cover;
    x["tile"] = s.tile;
    x["order"] = s.order;
    stmts.push_back(x);
  }
  j["stmts"] = stmts;
  j["groups"] = plan.groups;
  j["route"] = plan.route;
  j["preload"] = plan.preload;
  j["bufs"] = plan.bufs;
  j["queues"] = plan.queues;
  return j;
}

namespace {

template <class T> T field(const nlohmann::json& j, const char* key, const std::string& at) {
  if (!j.contains(key))
    user_error(at + ": missing field '" + key + "' of an NPU plan");
  try {
    return j.at(key).get<T>();
  } catch (const nlohmann::json::exception& e) {
    user_error(at + "/" + key + ": wrong type (" + e.what() + ")");
  }
}

} // namespace

NpuPlan npu_plan_from_json(const nlohmann::json& j, const std::string& where) {
  if (!j.is_object())
    user_error(where + ": expected an NPU plan object");
  NpuPlan plan;
  if (!j.contains("stmts") || !j.at("stmts").is_array())
    user_error(where + "/stmts: expected an array of statement plans");
  const auto& stmts = j.at("stmts");
  for (size_t i = 0; i < stmts.size(); ++i) {
    std::string at = where + "/stmts/" + std::to_string(i);
    if (!stmts[i].is_object())
      user_error(at + ": expected a statement plan object");
    NpuStmtPlan s;
    s.cover = field<int>(stmts[i], "cover", at);
    if (s.cover < 0)
      user_error(at + "/cover: must be >= 0");
    s.tile = field<std::map<std::string, int64_t>>(stmts[i], "tile", at);
    for (auto& [v, n] : s.tile)
      if (n < 1)
        user_error(at + "/tile/" + v + ": a tile extent must be >= 1");
    s.order = field<std::vector<std::string>>(stmts[i], "order", at);
    plan.stmts.push_back(s);
  }
  plan.groups = field<std::vector<std::vector<size_t>>>(j, "groups", where);
  plan.route = field<std::map<std::string, std::string>>(j, "route", where);
  for (auto& [t, r] : plan.route)
    if (r != "dma" && r != "pe")
      user_error(where + "/route/" + t + ": '" + r + "' is not a route (\"dma\" or \"pe\")");
  plan.preload = field<std::vector<std::string>>(j, "preload", where);
  plan.bufs = field<int>(j, "bufs", where);
  if (plan.bufs < 1 || plan.bufs > 3)
    user_error(where + "/bufs: " + std::to_string(plan.bufs) + " rotating buffers; 1 to 3");
  plan.queues = field<int>(j, "queues", where);
  if (plan.queues < 1)
    user_error(where + "/queues: must be >= 1");
  std::vector<int> seen(plan.stmts.size(), 0);
  for (size_t g = 0; g < plan.groups.size(); ++g)
    for (size_t s : plan.groups[g]) {
      if (s >= plan.stmts.size())
        user_error(where + "/groups/" + std::to_string(g) + ": statement " + std::to_string(s) +
                   " does not exist (the plan has " + std::to_string(plan.stmts.size()) + ")");
      if (seen[s]++)
        user_error(where + "/groups/" + std::to_string(g) + ": statement " + std::to_string(s) +
                   " is in two groups");
    }
  return plan;
}

} // namespace axon
