// One loader per backend (DESIGN.md, "Kernel library and runtime"): how an installed artifact
// becomes a function the runtime calls on the caller's buffers. The runtime does what every
// backend shares (the manifest, signatures, the artifact's sha256, workspace, in-place updates);
// a loader does what its kind of artifact needs:
//   unmet_needs  whether this machine can run the entry's artifact (the llvm loader: CPU features)
//   open         the artifact from the bytes whose sha256 was checked, its entry point found and
//                its interface checked against the entry's (the llvm loader: the ABI hash)
//   call         the kernel on the `void** buffers` array, in Entry::buffers order
// Loaders are found by the entry's backend (the backend registry's key). Today: "llvm", CPU
// shared objects (runtime/cpu_loader.cpp), and "sim", NPU programs (runtime/npu_loader.cpp),
// which refuses every entry with AXON_ERR_NO_DEVICE "simulated target: no device": NPU programs
// run only in the simulator. Others have none yet ("cuda": a cubin loader comes with the CUDA
// backend), and an entry of theirs gets AXON_ERR_NO_LOADER "no loader for backend X (kernel
// ID)", never a crash.
// Shared by libaxon_runtime and the installer (`library verify` and the install's load check).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "runtime/axon_runtime.h"
#include "runtime/manifest.h"

namespace axon::rt {

// Why an artifact cannot be run or opened: the C API's status and a message that names the
// kernel (callers that read a file add its path in front).
struct LoadFailure {
  axon_status status = AXON_ERR_LOAD;
  std::string message;
};

// An opened artifact; closing it (the destructor) unloads it.
class LoadedArtifact {
public:
  virtual ~LoadedArtifact() = default;
  // Runs the kernel on BUFFERS (one pointer per Entry::buffers entry). Safe from many threads at
  // once when each call has buffers of its own.
  virtual void call(void** buffers) const = 0;
};

class Loader {
public:
  virtual ~Loader() = default;
  // The backend whose artifacts it opens (Entry::backend).
  virtual std::string backend() const = 0;
  // The artifact kinds it opens (Entry::object_kind).
  virtual std::vector<std::string> kinds() const = 0;
  // What E's artifact needs that this machine lacks, or nothing when it can run here.
  virtual std::optional<LoadFailure> unmet_needs(const Entry& e) const = 0;
  // Opens BYTES, the artifact of E (their sha256 checked by the caller: the bytes that run are
  // the bytes that were checked). Null, with *WHY set, when it cannot.
  virtual std::unique_ptr<LoadedArtifact> open(const Entry& e, const std::string& bytes,
                                               LoadFailure* why) const = 0;
};

// The loader of BACKEND, or null when this runtime has none.
const Loader* find_loader(const std::string& backend);
// The backends that have a loader, e.g. {"llvm"}.
std::vector<std::string> loader_backends();
// The loader that opens E's artifact (its backend and its kind), or null with *WHY set:
// AXON_ERR_NO_LOADER, "no loader for backend X (kernel ID)" and what this runtime loads.
const Loader* loader_for(const Entry& e, LoadFailure* why);

} // namespace axon::rt
