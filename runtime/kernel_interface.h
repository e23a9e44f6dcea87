// The calling interface of a compiled kernel, as the kernel library records it: from an
// IndexProgram (the variant that was compiled) and its target, the caller's arguments (inputs,
// outputs, inouts), the kernel's buffers in `void** buffers` order (arguments, workspace for
// temporaries, fresh values of inouts to copy back), the CPU features it needs, the backend that
// compiled it and the artifact the library will hold. The main job writes it as OUT/kernel.json;
// `library install` reads it and nothing else about the kernel.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ir/index_program.h"
#include "runtime/manifest.h"

namespace axon::rt {

// The kernel.json format this code writes; a reader reads every version up to it. History: 1, a
// CPU kernel (OUT/kernel.o, installed as a shared object); 2, with "backend" and "object" (a
// version-1 file reads as backend "llvm", object {"kind": "shared_object", "path": "kernel.o"}).
constexpr int kInterfaceSchema = 2;

struct KernelInterface {
  std::string backend = "llvm"; // the backend registry's key (the ISA's `backends` name)
  // The artifact: its kind as the library holds it (the runtime's loader for BACKEND opens it),
  // and the file of the output directory it is made from (for a shared object: the relocatable
  // object the installer links).
  std::string object_kind = "shared_object";
  std::string object_path = "kernel.o";
  std::string symbol = "axon_kernel";
  std::string target;                    // ISA name
  std::vector<std::string> cpu_features; // names cpu_supports() knows
  std::vector<Argument> arguments;
  std::vector<Buffer> buffers;
};

// LLVM_FEATURES are the target's flags ("+avx2", "-avx512f"); the enabled ones are recorded.
// SCRATCH_BYTES > 0 adds the kernel's scratch block (packed copies, per-thread slices) as a last
// workspace buffer, "axon.scratch", f32 elements (emit/cpu/lower_llvm.h's scratch_bytes).
KernelInterface kernel_interface(const IndexProgram& p, const std::string& target,
                                 const std::vector<std::string>& llvm_features,
                                 int64_t scratch_bytes = 0,
                                 const std::string& symbol = "axon_kernel");
nlohmann::json interface_to_json(const KernelInterface& k);
// Throws UserError naming WHERE and the bad field.
KernelInterface interface_from_json(const nlohmann::json& j, const std::string& where);

} // namespace axon::rt
