// Schedule <-> JSON (see schedule_json.h).
#include "emit/cpu/schedule_json.h"

#include "ir/error.h"

namespace axon {

nlohmann::json schedule_to_json(const Schedule& s) {
  nlohmann::json out = nlohmann::json::array();
  for (auto& ss : s.stmts) {
    nlohmann::json j;
    j["order"] = ss.order;
    j["split"] = ss.split;
    j["vectorize"] = ss.vectorize;
    j["vector_width"] = ss.vector_width;
    j["threads"] = ss.threads;
    j["fuse_prev"] = ss.fuse_prev;
    j["unroll"] = ss.unroll;
    j["pack"] = ss.pack;
    j["stream"] = ss.stream;
    j["prefetch"] = ss.prefetch;
    out.push_back(j);
  }
  return out;
}

Schedule schedule_from_json(const nlohmann::json& j, const std::string& where) {
  if (!j.is_array())
    user_error(where + ": expected an array of statement schedules");
  Schedule s;
  for (size_t i = 0; i < j.size(); ++i) {
    const auto& x = j[i];
    std::string at = where + "/" + std::to_string(i);
    try {
      StmtSchedule ss;
      ss.order = x.at("order").get<std::vector<std::string>>();
      ss.split = x.at("split").get<std::map<std::string, int64_t>>();
      ss.vectorize = x.at("vectorize").get<std::string>();
      ss.vector_width = x.at("vector_width").get<int>();
      ss.threads = x.at("threads").get<int>();
      ss.fuse_prev = x.at("fuse_prev").get<bool>();
      ss.unroll = x.at("unroll").get<std::vector<std::string>>();
      ss.pack = x.at("pack").get<std::vector<std::string>>();
      ss.stream = x.value("stream", false); // absent in reports written before streaming stores
      ss.prefetch = x.value("prefetch", std::vector<std::string>{}); // and before prefetching
      s.stmts.push_back(ss);
    } catch (const nlohmann::json::exception& e) {
      user_error(at + ": not a statement schedule (" + e.what() + ")");
    }
  }
  return s;
}

} // namespace axon
