// `axon-synth prove A.tp B.tp [--assume 'eps > 0']... [--solver z3|cvc5|portfolio|both]
// [--certificate DIR]`: loads both programs, parses the assumptions, proves every output
// equivalent, prints the verdict, the time and any confirmed counterexample. Returns the exit
// code: 0 proven, 3 refuted or unknown, 2 bad input (the UserError is printed to err).
#pragma once

#include <ostream>
#include <string>
#include <vector>

namespace axon::smt {

struct ProveCommandOptions {
  std::string a_path, b_path;
  std::vector<std::string> assumptions;
  std::string solver = "z3";
  std::string certificate_dir; // empty: none
  std::string cache_dir;       // empty: the default cache directory
  bool no_cache = false;
};

int prove_command(const ProveCommandOptions& opts, std::ostream& out, std::ostream& err);

} // namespace axon::smt
