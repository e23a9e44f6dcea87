// The main job, `axon-synth --isa TARGET.json PROG.tp -o OUT`, as one function that calls one
// stage per line (see synthesize.cpp), and `axon-synth replay OUT/report.json`.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace axon {

struct SynthOptions {
  std::string program;
  std::string isa;
  std::string out_dir;                 // default: axon-out/<program stem>
  std::map<std::string, int64_t> dims; // --dim overrides
  std::vector<std::string> specs;      // extra spec files
  uint64_t seed = 1;
  double time_budget_s = 0;
  int measure = 8;
  int jobs = 0; // candidates compiled at once (0: one per core)
  int repeats = 11;
  bool json = false;        // print the report JSON on stdout
  bool no_cache = false;    // search even when the result cache has this key
  std::string library;      // --library: install the winner here ("" = do not)
  std::string kernel_name;  // its name there (default: the program's stem)
  std::string measure_lock; // --measure-lock: timings hold an flock on this file
};

// A UserError (exit 2) unless `dir`, or the nearest existing ancestor that creating it needs,
// takes a new file: checked before work whose results go there. `what` names it in the message.
void require_writable_directory(const std::string& dir, const std::string& what);

// Exit codes as DESIGN.md and docs/reliability.md: 0 success, 2 bad input, 3 no valid candidate,
// 130 interrupted (SIGINT) before any candidate was measured.
int synthesize_command(const SynthOptions& o);
int replay_command(const std::string& report_path, const std::string& out_dir);

} // namespace axon
