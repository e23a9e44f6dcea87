// The backend registry (see registry.h).
#include "emit/registry.h"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <mutex>
#include <nlohmann/json.hpp>

#include "emit/cpu/cpu_backend.h"
#include "emit/cpu/machine_model.h"
#include "emit/npu/npu_backend.h"
#include "ir/error.h"

namespace axon {

namespace {

struct Registry {
  std::mutex mu;
  std::map<std::string, BackendFactory> factories;
};

// The built-in backends, registered on first use (not by static initialisers, which a static
// library's linker may drop).
Registry& registry() {
  static Registry* r = [] {
    auto* reg = new Registry;
    reg->factories["llvm"] = [](const Isa& isa) -> std::unique_ptr<Backend> {
      return std::make_unique<CpuBackend>(cpu_target(isa), cpu_machine_model(isa));
    };
    reg->factories["sim"] = [](const Isa& isa) -> std::unique_ptr<Backend> {
      return std::make_unique<NpuBackend>(isa);
    };
    return reg;
  }();
  return *r;
}

// The target files beside `isa_path` whose "backends" list `backend`, sorted, for the message
// of a target no registered backend serves. A file that does not parse is passed over (this is
// a hint in an error message, not a load).
std::vector<std::string> targets_beside(const std::string& isa_path, const std::string& backend) {
  namespace fs = std::filesystem;
  std::vector<std::string> out;
  std::error_code ec;
  fs::path dir = fs::path(isa_path).parent_path();
  fs::directory_iterator it(dir.empty() ? fs::path(".") : dir, ec), end;
  for (size_t seen = 0; !ec && it != end && seen < 256; it.increment(ec), ++seen) {
    const fs::path& f = it->path();
    if (f.extension() != ".json" || !it->is_regular_file(ec) || it->file_size(ec) > (4 << 20))
      continue;
    std::ifstream in(f);
    nlohmann::json j = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
    if (!j.is_object() || !j.contains("backends") || !j["backends"].is_array())
      continue;
    for (auto& b : j["backends"])
      if (b.is_string() && b.get<std::string>() == backend) {
        out.push_back(f.string());
        break;
      }
  }
  std::sort(out.begin(), out.end());
  return out;
}

} // namespace

void register_backend(const std::string& name, BackendFactory make) {
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mu);
  r.factories[name] = std::move(make);
}

std::vector<std::string> registered_backends() {
  Registry& r = registry();
  std::lock_guard<std::mutex> lock(r.mu);
  std::vector<std::string> out;
  for (auto& [name, make] : r.factories)
    out.push_back(name);
  return out;
}

std::unique_ptr<Backend> backend_for(const Isa& isa) {
  BackendFactory make;
  {
    Registry& r = registry();
    std::lock_guard<std::mutex> lock(r.mu);
    for (auto& b : isa.backends)
      if (auto it = r.factories.find(b); it != r.factories.end()) {
        make = it->second;
        break;
      }
  }
  if (make)
    return make(isa);
  std::string list;
  for (auto& b : isa.backends)
    list += (list.empty() ? "" : ", ") + b;
  std::string have;
  for (auto& name : registered_backends()) {
    have += (have.empty() ? "\"" : ", \"") + name + "\"";
    std::vector<std::string> targets = targets_beside(isa.path, name);
    if (!targets.empty()) {
      have += ":";
      for (auto& t : targets)
        have += " " + t + (&t == &targets.back() ? "" : ",");
    }
  }
  user_error(isa.path + ": synthesis for backend(s) " + list +
             " is not available yet; this build has backend(s) " + have);
}

} // namespace axon
