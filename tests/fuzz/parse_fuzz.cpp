// libFuzzer target for the front end: any bytes must give a Program (and an IndexProgram) or a
// UserError, never a crash, a sanitizer report, an internal error or a hang. Run it with
//   scripts/fuzz.sh [seconds]
#include <cstddef>
#include <cstdint>
#include <string>

#include "ir/error.h"
#include "ir/frontend.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  try {
    axon::Program p = axon::load_program(axon::source_from_string(text, "fuzz.tp"));
    axon::expand(p, axon::SpecLibrary::builtin());
    // The printer must produce text that checks again.
    axon::load_program(axon::source_from_string(axon::to_string(p), "printed.tp"));
  } catch (const axon::UserError&) {
  }
  try {
    axon::SpecLibrary lib;
    lib.add_file(axon::source_from_string(text, "fuzz.spec"));
  } catch (const axon::UserError&) {
  }
  return 0;
}
