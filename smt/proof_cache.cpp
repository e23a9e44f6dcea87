// Canonical keys and atomic JSON files for the proof cache (see proof_cache.h).
#include "smt/proof_cache.h"

#include <unistd.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "smt/encode.h"
#include "smt/solver.h"

namespace axon::smt {

std::string default_cache_dir() {
  if (const char* d = std::getenv("AXON_CACHE_DIR"); d && *d)
    return d;
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x)
    return std::string(x) + "/axon-synth";
  const char* home = std::getenv("HOME");
  return std::string(home && *home ? home : ".") + "/.cache/axon-synth";
}

namespace {

uint64_t fnv1a(const std::string& s, uint64_t h) {
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

// Renames symbols of the named classes (dims d_, indices i_, tensors t_) by first occurrence.
std::string rename_symbols(const std::string& text) {
  std::map<std::string, std::string> ren;
  std::map<char, int> next;
  std::string out, tok;
  auto flush = [&] {
    if (tok.size() > 2 && tok[1] == '_' && (tok[0] == 'd' || tok[0] == 'i' || tok[0] == 't')) {
      auto it = ren.find(tok);
      if (it == ren.end())
        it = ren.emplace(tok, std::string(1, tok[0]) + "#" + std::to_string(next[tok[0]]++)).first;
      out += it->second;
    } else {
      out += tok;
    }
    tok.clear();
  };
  for (char c : text) {
    if (c == '(' || c == ')' || c == ' ' || c == '\n') {
      flush();
      out += c;
    } else {
      tok += c;
    }
  }
  flush();
  return out;
}

} // namespace

std::string cache_key(const SmtQuery& q, bool rename) {
  std::string body = to_smtlib2_body(q);
  if (rename)
    body = rename_symbols(body);
  std::string text = std::string(kEncodingVersion) + "|" + kLemmaLibraryVersion + "|" +
                     solver_versions() + "|" + body;
  char buf[40];
  snprintf(buf, sizeof buf, "%016llx%016llx",
           static_cast<unsigned long long>(fnv1a(text, 14695981039346656037ull)),
           static_cast<unsigned long long>(fnv1a(text, 0x84222325cbf29ce4ull)));
  return buf;
}

std::optional<nlohmann::json> ProofCache::get(const std::string& key) const {
  std::ifstream in(dir_ + "/" + key + ".json");
  if (!in)
    return std::nullopt;
  try {
    nlohmann::json j = nlohmann::json::parse(in);
    if (j.value("schema_version", 0) != 1)
      return std::nullopt;
    return j;
  } catch (const std::exception&) {
    return std::nullopt; // a torn or foreign file is a miss, not an error
  }
}

void ProofCache::put(const std::string& key, const nlohmann::json& value) const {
  std::error_code ec;
  std::filesystem::create_directories(dir_, ec);
  std::string final_path = dir_ + "/" + key + ".json";
  char host[256] = "";
  ::gethostname(host, sizeof host -
                          1); // writers on several hosts of a shared cache never share a temporary
  std::string tmp = final_path + ".tmp." + std::string(host) + "." + std::to_string(getpid());
  {
    std::ofstream out(tmp);
    if (!out)
      return;
    nlohmann::json j = value;
    j["schema_version"] = 1;
    out << j.dump(1) << "\n";
    if (!out)
      return;
  }
  std::filesystem::rename(tmp, final_path, ec);
  if (ec)
    std::filesystem::remove(tmp, ec);
}

} // namespace axon::smt
