// Compiling lowered kernels for this CPU: the target (instruction set, checked against the host
// at run time), LLVM's O3 pipeline with glibc's vector math library, ORC JIT for measuring, and
// object code for the kernel library.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "emit/cpu/schedule.h"
#include "ir/index_program.h"
#include "ir/interp.h"
#include "isa/isa.h"

namespace axon {

struct CpuTarget {
  std::string isa;                   // the ISA description's name
  std::string cpu;                   // LLVM CPU name
  std::vector<std::string> features; // LLVM feature flags, e.g. "+avx2", "-avx512f"
  int vector_bytes = 32;
  std::map<std::string, std::string> vector_math; // see LlvmBackend::vector_math
  bool nontemporal_stores = false;                // see LlvmBackend::nontemporal_stores
};

// Whether the host CPU has a feature (the names of the compiler's __builtin_cpu_supports: "avx2",
// "fma", "avx512f", ...); UserError for a name this build cannot query.
bool host_has(const std::string& feature);
// The target of an ISA description with the llvm backend: LLVM CPU, feature flags and vector
// width from its "llvm" field (docs/isa.md). UserError when the target has no llvm backend or the
// host lacks one of its host_features (the message names the feature and suggests avx2.json).
// Code is generated for exactly that feature set.
CpuTarget cpu_target(const Isa& isa);

// A JIT-compiled kernel: void fn(void** buffers), buffers in p.tensors() order.
class CpuKernel {
public:
  virtual ~CpuKernel() = default;
  // buffers: one per tensor of the program, then the scratch block when scratch_bytes() > 0
  // (emit/cpu/lower_llvm.h).
  virtual void run(void** buffers) const = 0;
  const std::string& optimized_ir() const { return ir_; }
  int64_t scratch_bytes() const { return scratch_bytes_; }

protected:
  std::string ir_;
  int64_t scratch_bytes_ = 0;
};

std::unique_ptr<CpuKernel> jit_compile(const IndexProgram& p, const Schedule& s, const CpuTarget& t,
                                       const std::string& name = "axon_kernel");

// Runs a kernel on the interpreter's tensors: inputs copied in (as f32), outputs and temporaries
// poisoned with NaN first, outputs read back. The checking path, not the timed path.
TensorMap run_on_tensors(const CpuKernel& k, const IndexProgram& p, const TensorMap& inputs);

// The same run, returning only the values at `points` (tensor -> indices, in that order): no
// whole output is converted back (the check of a full-size kernel samples a few elements).
std::vector<double>
run_on_tensors_at(const CpuKernel& k, const IndexProgram& p, const TensorMap& inputs,
                  const std::map<std::string, std::vector<std::vector<int64_t>>>& points);

// Object code (ELF) of the optimized kernel, for the kernel library.
std::string compile_object(const IndexProgram& p, const Schedule& s, const CpuTarget& t,
                           const std::string& name = "axon_kernel");

} // namespace axon
