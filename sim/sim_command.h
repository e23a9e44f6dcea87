// `axon-synth sim PROGRAM --isa TARGET.json [--trace out.json] [--functional] [--audit]
// [--allow-narrowing]`, or `axon-synth sim --library LIB NAME` for an installed program (its target
// description installed with it; tools/library_command.h resolves it): the simulator's command, as
// a function the CLI main calls. Timing mode prints the report (time, engine utilisation, DMA
// traffic, roofline); functional mode runs the program on random inputs and prints a summary of
// each output; --audit also recomputes every duration from the JSON and compares it with the trace.
// A program that computes narrower than its outputs declare is refused unless --allow-narrowing,
// and then the report says so. Returns the exit code: 0 ok, 2 bad input, 1 internal error (an audit
// mismatch is one).
#pragma once

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

namespace axon {

struct SimCommandOptions {
  std::string program;                // NPU program JSON (docs/npu-program.md)
  std::string isa;                    // target description, e.g. targets/npu.json
  std::string trace;                  // write a Chrome trace here (timing mode); empty: none
  bool functional = false;            // run the functional simulator instead of the timing model
  bool json = false;                  // print the report as JSON
  uint64_t seed = 1;                  // random inputs of functional mode
  std::vector<std::string> overrides; // --set ENGINE.ATTRIBUTE=VALUE (sim/isa_override.h)
  bool audit = false;           // recompute every duration from the JSON, compare (sim/audit.h)
  bool allow_narrowing = false; // run a program the dtype guard refuses (sim/dtype_guard.h)
  // An installed program (`sim --library LIB NAME`): its text and its target's, read and checked
  // by the caller; `program` and `isa` then only name them in messages. Empty: read the files.
  std::string program_text, isa_text;
};

int sim_command(const SimCommandOptions& opts, std::ostream& out, std::ostream& err);

} // namespace axon
