// The calling interface of a compiled CPU kernel, as the kernel library records it: from an
// IndexProgram (the variant that was compiled) and its target, the caller's arguments (inputs,
// outputs, inouts), the kernel's buffers in `void** buffers` order (arguments, workspace for
// temporaries, fresh values of inouts to copy back) and the CPU features it needs.
// The main job writes it as OUT/kernel.json; `library install` reads it.
#pragma once

#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "ir/index_program.h"
#include "runtime/manifest.h"

namespace axon::rt {

constexpr int kInterfaceSchema = 1;

struct KernelInterface {
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
