// A bare driver for sim_command (the product CLI is tools/axon-synth): runs the simulator from
// tests and scripts before the `sim` subcommand is wired.
//   sim_cli PROGRAM ISA [--trace FILE] [--functional] [--json] [--set ENGINE.ATTR=VALUE] [--audit]
//           [--allow-narrowing]
#include <cstring>
#include <iostream>

#include "sim/sim_command.h"

int main(int argc, char** argv) {
  axon::SimCommandOptions o;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--trace") && i + 1 < argc)
      o.trace = argv[++i];
    else if (!std::strcmp(argv[i], "--functional"))
      o.functional = true;
    else if (!std::strcmp(argv[i], "--json"))
      o.json = true;
    else if (!std::strcmp(argv[i], "--audit"))
      o.audit = true;
    else if (!std::strcmp(argv[i], "--allow-narrowing"))
      o.allow_narrowing = true;
    else if (!std::strcmp(argv[i], "--set") && i + 1 < argc)
      o.overrides.push_back(argv[++i]);
    else if (o.program.empty())
      o.program = argv[i];
    else
      o.isa = argv[i];
  }
  return axon::sim_command(o, std::cout, std::cerr);
}
