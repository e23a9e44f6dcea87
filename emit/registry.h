// The backends, by the name a target's ISA description lists under `backends` ("llvm": the CPU
// backend, emit/cpu/). The main job asks the registry for the target's backend and talks to it
// through search/backend.h only; tools/ names no backend.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "isa/isa.h"
#include "search/backend.h"

namespace axon {

using BackendFactory = std::function<std::unique_ptr<Backend>(const Isa&)>;

// Adds a backend under `name` (replacing one of that name): how tests bring their own.
void register_backend(const std::string& name, BackendFactory make);

// The registered names, sorted.
std::vector<std::string> registered_backends();

// The backend of the first of the ISA's `backends` that is registered. A user error naming the
// ISA file when none is ("synthesis for backend(s) sim is not available yet; ...").
std::unique_ptr<Backend> backend_for(const Isa& isa);

} // namespace axon
