// The loaders by backend (see loader.h).
#include "runtime/loader.h"

#include <algorithm>
#include <map>

#include "runtime/cpu_loader.h"
#include "runtime/npu_loader.h"

namespace axon::rt {

namespace {

// Backend -> its loader: one line per backend that has one.
const std::map<std::string, std::unique_ptr<Loader>>& loaders() {
  static const std::map<std::string, std::unique_ptr<Loader>> all = [] {
    std::map<std::string, std::unique_ptr<Loader>> m;
    auto add = [&m](std::unique_ptr<Loader> l) {
      std::string b = l->backend();
      m[b] = std::move(l);
    };
    add(make_cpu_loader());
    add(make_npu_loader());
    return m;
  }();
  return all;
}

} // namespace

const Loader* find_loader(const std::string& backend) {
  auto it = loaders().find(backend);
  return it == loaders().end() ? nullptr : it->second.get();
}

std::vector<std::string> loader_backends() {
  std::vector<std::string> out;
  for (auto& [name, l] : loaders())
    out.push_back(name);
  return out;
}

const Loader* loader_for(const Entry& e, LoadFailure* why) {
  std::string have;
  for (auto& b : loader_backends())
    have += (have.empty() ? "" : ", ") + b;
  const Loader* l = find_loader(e.backend);
  if (!l) {
    *why =
        LoadFailure{AXON_ERR_NO_LOADER, "no loader for backend " + e.backend + " (kernel " + e.id +
                                            "): this runtime loads kernels of backend " + have};
    return nullptr;
  }
  std::vector<std::string> kinds = l->kinds();
  if (std::find(kinds.begin(), kinds.end(), e.object_kind) == kinds.end()) {
    std::string known;
    for (auto& k : kinds)
      known += (known.empty() ? "" : ", ") + k;
    *why = LoadFailure{AXON_ERR_NO_LOADER, "no loader for backend " + e.backend +
                                               " artifacts of kind " + e.object_kind + " (kernel " +
                                               e.id + "): its loader opens " + known};
    return nullptr;
  }
  return l;
}

} // namespace axon::rt
