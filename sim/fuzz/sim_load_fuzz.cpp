// libFuzzer target for the NPU program loader (docs/npu-program.md): any bytes must give a legal
// program or a UserError, never a crash, a sanitizer report, an internal error or a hang. A
// program that loads is also timed, and run functionally when it is small, since those are what
// `axon-synth sim` does next. Run it with
//   sim/fuzz/run.sh [seconds]
#include <cstddef>
#include <cstdint>
#include <string>

#include "ir/error.h"
#include "isa/isa.h"
#include "sim/functional.h"
#include "sim/program.h"
#include "sim/timing.h"

#ifndef AXON_SOURCE_DIR
#error "AXON_SOURCE_DIR must name the source tree (for targets/npu.json)"
#endif

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const axon::Isa isa = axon::load_isa(std::string(AXON_SOURCE_DIR) + "/targets/npu.json");
  std::string text(reinterpret_cast<const char*>(data), size);
  try {
    axon::NpuProgram p = axon::load_npu_program_from_string(text, isa, "fuzz.json");
    axon::TimingReport r = axon::simulate_timing(p).report;
    int64_t elems = 0;
    for (const auto& t : p.tensors)
      elems += t.numel();
    for (const auto& b : p.buffers)
      elems += b.partitions * b.size;
    // Functional mode only where it is quick under the sanitizers: its work is about the FLOPs
    // the timing report counts (plus the DMAs' elements).
    if (p.instrs.size() <= 64 && elems <= (int64_t(1) << 20) &&
        r.tensor_flops + r.other_flops <= 1 << 22)
      axon::run_functional(p, axon::random_program_inputs(p, 1));
  } catch (const axon::UserError&) {
  }
  return 0;
}
