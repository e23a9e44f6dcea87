// `axon-synth explain PROG.tp [--variant N] [--check] [--json] [--dim M=8]... [--time-limit S]
// [--max-variants N] [--max-depth N] [--tiles]`: runs rewrite discovery on the program and prints
// the runner's report and the variants found, or with --variant N that variant's derivation (every
// proven step and the statements it changed); --check replays the derivation and re-proves every
// step without the proof cache. Returns 0, 3 when a checked derivation fails, 2 on bad input.
#pragma once

#include <CLI/CLI.hpp>
#include <ostream>
#include <string>
#include <vector>

namespace axon {

struct ExplainOptions {
  std::string program;
  std::vector<std::string> dims; // NAME=SIZE
  std::vector<std::string> specs;
  long variant = -1;
  bool check = false;
  bool json = false;
  bool tiles = false;
  double time_limit = 10.0;
  size_t max_variants = 2000;
  size_t max_depth = 5;
};

CLI::App* add_explain_subcommand(CLI::App& app, ExplainOptions& o);
int explain_command(const ExplainOptions& o, std::ostream& out, std::ostream& err);

} // namespace axon
