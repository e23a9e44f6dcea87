// `axon-synth isa table --isa TARGET.json [--op NAME] [--json] [--max-instructions N]`: for every
// op of specs/ (instantiated on symbolic shapes), the instruction sequence that covers each of its
// granular computations and its cost, or why nothing does (synth/select_instructions.h). Prints a
// table (or JSON) on `out` and the total time; returns 0, or 2 on bad input.
#pragma once

#include <cstddef>
#include <ostream>
#include <string>

namespace axon {

struct IsaTableOptions {
  std::string isa;
  std::string op; // only this op (empty: all)
  bool json = false;
  size_t max_instructions = 4;
  bool no_cache = false; // do not read or write the proof and selection caches
  std::string cache_dir; // cache directory (default: $AXON_CACHE_DIR, ...); selections in isel/
};

int isa_table_command(const IsaTableOptions& opts, std::ostream& out, std::ostream& err);

} // namespace axon
