// Compiling lowered kernels for this CPU: the target (instruction set, checked against the host
// at run time), LLVM's O3 pipeline with glibc's vector math library, ORC JIT for measuring, and
// object code for the kernel library.
#pragma once

#include <map>
#include <memory>
#include <string>
#include <vector>

#include "ir/index_program.h"
#include "ir/interp.h"
#include "search/schedule.h"

namespace axon {

struct CpuTarget {
  std::string isa;       // "avx512" or "avx2" (the ISA description's name)
  std::string cpu;       // LLVM CPU name
  std::vector<std::string> features;  // LLVM feature flags, e.g. "+avx2", "-avx512f"
  int vector_bytes = 32;
};

// Which of "avx512f", "avx2", "fma" the host supports.
bool host_has(const std::string& feature);
// The target for an ISA name: "avx512" needs AVX-512F (else a UserError saying so and suggesting
// avx2); "avx2" needs AVX2 and FMA. Code is generated for exactly that feature set.
CpuTarget cpu_target(const std::string& isa);

// A JIT-compiled kernel: void fn(void** buffers), buffers in p.tensors() order.
class CpuKernel {
 public:
  virtual ~CpuKernel() = default;
  virtual void run(void** buffers) const = 0;
  const std::string& optimized_ir() const { return ir_; }

 protected:
  std::string ir_;
};

std::unique_ptr<CpuKernel> jit_compile(const IndexProgram& p, const Schedule& s, const CpuTarget& t,
                                       const std::string& name = "axon_kernel");

// Runs a kernel on the interpreter's tensors: inputs copied in (as f32), outputs and temporaries
// poisoned with NaN first, outputs read back. The checking path, not the timed path.
TensorMap run_on_tensors(const CpuKernel& k, const IndexProgram& p, const TensorMap& inputs);

// Object code (ELF) of the optimized kernel, for the kernel library.
std::string compile_object(const IndexProgram& p, const Schedule& s, const CpuTarget& t,
                           const std::string& name = "axon_kernel");

}  // namespace axon
