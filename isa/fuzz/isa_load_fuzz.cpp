// libFuzzer target for the ISA loader: any bytes must give a valid Isa or a UserError, never a
// crash, a sanitizer report, an internal error or a hang. A target that loads is also described,
// instantiated and costed, since search/ and sim/ will do exactly that with it. Run it with
//   isa/fuzz/run.sh [seconds]
#include <cstddef>
#include <cstdint>
#include <string>

#include "ir/error.h"
#include "isa/isa.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  axon::Isa isa;
  try {
    isa = axon::load_isa_from_string(text, "fuzz.json");
  } catch (const axon::UserError&) {
    return 0;
  }
  axon::describe_isa(isa);
  for (const auto& in : isa.instructions) {
    axon::InstrUse use;
    for (const auto& d : in.dims())
      use.dims[d] = 7;
    try {
      axon::instruction_semantics(in, {});
      axon::instruction_cost_ns(isa, in, use);
      axon::check_use(isa, in, use);
    } catch (const axon::UserError&) {
    }
  }
  return 0;
}
