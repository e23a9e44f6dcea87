// The search-result cache (see result_cache.h).
#include "search/result_cache.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>

#include "ir/error.h"

namespace axon {

namespace fs = std::filesystem;

std::string default_cache_dir() {
  if (const char* d = std::getenv("AXON_CACHE_DIR"); d && *d) return std::string(d) + "/results";
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x) return std::string(x) + "/axon-synth/results";
  if (const char* h = std::getenv("HOME"); h && *h) return std::string(h) + "/.cache/axon-synth/results";
  return ".axon-cache/results";
}

std::optional<nlohmann::json> cache_lookup(const std::string& dir, const std::string& key) {
  std::ifstream in(fs::path(dir) / (key + ".json"));
  if (!in) return std::nullopt;
  try {
    nlohmann::json j;
    in >> j;
    return j;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;  // an unreadable entry is a miss; the next store replaces it
  }
}

void cache_store(const std::string& dir, const std::string& key, const nlohmann::json& value) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) user_error("cannot create the cache directory " + dir + ": " + ec.message() + " (set AXON_CACHE_DIR, or use --no-cache)");
  fs::path final_path = fs::path(dir) / (key + ".json");
  fs::path tmp = final_path;
  char host[256] = "";
  ::gethostname(host, sizeof host - 1);  // writers on several hosts of a shared cache never share a temporary
  tmp += ".tmp." + std::string(host) + "." + std::to_string(::getpid());
  {
    std::ofstream out(tmp);
    out << value.dump(1);
    if (!out) user_error("cannot write the cache entry " + tmp.string());
  }
  fs::rename(tmp, final_path, ec);
  if (ec) user_error("cannot write the cache entry " + final_path.string() + ": " + ec.message());
}

}  // namespace axon
