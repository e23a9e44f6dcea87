// libFuzzer target for the front end: any bytes must give a Program (and an IndexProgram) or a
// UserError, never a crash, a sanitizer report, an internal error or a hang. Programs small enough
// to interpret quickly are also run through the reference interpreter (sizes and index arithmetic
// are bounded by the checker: docs/reliability.md). Run it with
//   scripts/fuzz.sh [seconds]
#include <cstddef>
#include <cstdint>
#include <string>

#include "ir/error.h"
#include "ir/frontend.h"
#include "ir/interp.h"
#include "ir/shape.h"

namespace {

// An upper bound on the interpreter's work for `p` (elements times reduction terms), or -1 when a
// size is unknown; only programs well under a bound are interpreted, so the fuzzer never waits.
double interpreter_work(const axon::IndexProgram& p) {
  double total = 0;
  for (auto& t : p.tensors()) {
    for (auto& d : t.shape)
      if (!axon::eval_dim(d, p.dims()))
        return -1;
  }
  for (auto& s : p.stmts()) {
    double n = static_cast<double>(p.numel(s.out));
    double terms = 1;
    bool unknown = false;
    axon::visit(s.value, [&](const axon::ExprNode& e) {
      if (!axon::is_reduce(e.kind()))
        return;
      auto ext = axon::eval_dim(e.extent(), p.dims());
      if (!ext)
        unknown = true; // an extent that depends on an index variable
      else
        terms *= static_cast<double>(std::max<int64_t>(1, *ext));
    });
    if (unknown)
      return -1;
    total += n * terms;
  }
  return total;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  try {
    axon::Program p = axon::load_program(axon::source_from_string(text, "fuzz.tp"));
    axon::IndexProgram ip = axon::expand(p, axon::SpecLibrary::builtin());
    // The printer must produce text that checks again.
    axon::load_program(axon::source_from_string(axon::to_string(p), "printed.tp"));
    double work = interpreter_work(ip);
    if (work >= 0 && work < 1e5)
      axon::interpret(ip, axon::random_inputs(ip, 1));
  } catch (const axon::UserError&) {
  }
  try {
    axon::SpecLibrary lib;
    lib.add_file(axon::source_from_string(text, "fuzz.spec"));
  } catch (const axon::UserError&) {
  }
  return 0;
}
