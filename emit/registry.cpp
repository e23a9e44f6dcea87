// The backend registry (see registry.h).
#include "emit/registry.h"

#include <map>
#include <mutex>

#include "emit/cpu/cpu_backend.h"
#include "emit/cpu/machine_model.h"
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
    return reg;
  }();
  return *r;
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
  user_error(isa.path + ": synthesis for backend(s) " + list +
             " is not available yet; this build synthesizes for CPU targets (backend \"llvm\": "
             "targets/avx2.json, "
             "targets/avx512.json, targets/zen4.json)");
}

} // namespace axon
