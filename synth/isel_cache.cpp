// Selection cache (isel_cache.h): Selection <-> JSON, FNV-1a file names, atomic writes.
#include "synth/isel_cache.h"

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <memory>
#include <nlohmann/json.hpp>
#include <sstream>
#include <stdexcept>
#include <unistd.h>

namespace axon::isel {

namespace {

namespace fs = std::filesystem;
using json = nlohmann::json;

std::string file_of(const std::string& dir, const std::string& key) {
  uint64_t h = 1469598103934665603ULL;
  for (char c : key)
    h = (h ^ static_cast<unsigned char>(c)) * 1099511628211ULL;
  char buf[32];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(h));
  return dir + "/" + buf + ".json";
}

json to_json(const Selection& s) {
  json j = {{"key", ""},          {"format", kCacheFormat}, {"found", s.found},
            {"reason", s.reason}, {"cost_ns", s.cost_ns},   {"tile_elements", s.tile_elements}};
  json instrs = json::array();
  for (const auto& i : s.instrs)
    instrs.push_back(instr_to_json(i));
  j["instrs"] = instrs;
  if (s.cover)
    j["cover"] = cover_to_json(*s.cover);
  json alts = json::array(); // alternatives[0] is the cover
  for (size_t a = 1; a < s.alternatives.size(); ++a)
    alts.push_back(cover_to_json(*s.alternatives[a]));
  j["alternatives"] = alts;
  return j;
}

Selection from_json(const json& j, const Isa& isa) {
  Selection s;
  s.found = j.at("found").get<bool>();
  s.reason = j.at("reason").get<std::string>();
  s.cost_ns = j.at("cost_ns").get<double>();
  s.tile_elements = j.at("tile_elements").get<int64_t>();
  for (const auto& ij : j.at("instrs")) {
    SelectedInstr i;
    i.instruction = ij.at("instruction").get<std::string>();
    i.engine = ij.at("engine").get<std::string>();
    i.params = ij.at("params").get<ParamChoice>();
    i.result = ij.at("result").get<std::string>();
    i.writes = ij.at("writes").get<std::string>();
    i.computes = ij.at("computes").get<std::string>();
    for (const auto& b : ij.at("bindings"))
      i.bindings.push_back({b.at("slot").get<std::string>(), b.at("kind").get<std::string>(),
                            b.at("value").get<std::string>(), b.at("layout").get<std::string>()});
    i.notes = ij.at("notes").get<std::vector<std::string>>();
    i.cost_ns = ij.at("cost_ns").get<double>();
    i.hoisted = ij.at("hoisted").get<bool>();
    s.instrs.push_back(std::move(i));
  }
  if (s.found) {
    Cover c = cover_from_json(j.at("cover"), isa);
    if (c.instrs.size() != s.instrs.size())
      throw std::runtime_error("the cover and the instructions disagree"); // a miss
    s.cover = std::make_shared<const Cover>(std::move(c));
    s.alternatives.push_back(s.cover);
    for (const auto& a : j.at("alternatives"))
      s.alternatives.push_back(std::make_shared<const Cover>(cover_from_json(a, isa)));
  }
  return s;
}

} // namespace

json instr_to_json(const SelectedInstr& i) {
  json b = json::array();
  for (const auto& x : i.bindings)
    b.push_back({{"slot", x.slot}, {"kind", x.kind}, {"value", x.value}, {"layout", x.layout}});
  return {{"instruction", i.instruction},
          {"engine", i.engine},
          {"params", i.params},
          {"result", i.result},
          {"writes", i.writes},
          {"computes", i.computes},
          {"bindings", b},
          {"notes", i.notes},
          {"cost_ns", i.cost_ns},
          {"hoisted", i.hoisted}};
}

std::optional<Selection> cache_load(const std::string& dir, const std::string& key,
                                    const Isa& isa) {
  std::ifstream f(file_of(dir, key));
  if (!f)
    return std::nullopt;
  try {
    json j = json::parse(f);
    if (j.at("key").get<std::string>() != key || !j.contains("format") ||
        j.at("format") != kCacheFormat)
      return std::nullopt;
    return from_json(j, isa);
  } catch (const std::exception&) {
    return std::nullopt; // a damaged entry is a miss; it is rewritten
  }
}

void cache_store(const std::string& dir, const std::string& key, const Selection& s) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec)
    return;
  json j = to_json(s);
  j["key"] = key;
  std::string path = file_of(dir, key);
  char host[256] = "";
  ::gethostname(host, sizeof host -
                          1); // writers on several hosts of a shared cache never share a temporary
  std::string tmp = path + ".tmp." + std::string(host) + "." + std::to_string(::getpid());
  {
    std::ofstream f(tmp);
    if (!f)
      return;
    f << j.dump() << "\n";
    if (!f)
      return;
  }
  fs::rename(tmp, path, ec);
  if (ec)
    fs::remove(tmp, ec);
}

} // namespace axon::isel
