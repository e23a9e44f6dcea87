// Runs a piece of work in a forked child with a hard time limit, so a candidate that crashes or
// hangs is recorded and skipped instead of ending the search. The child's result comes back as
// bytes through a pipe.
#pragma once

#include <functional>
#include <string>

namespace axon {

struct IsolatedResult {
  bool ok = false;        // the child finished and returned normally
  std::string payload;    // what the child's function returned
  std::string failure;    // "crashed (signal 11: Segmentation fault)", "timed out after 10 s", ...
  bool timed_out = false; // the child ran past the time limit and was killed
};

IsolatedResult run_isolated(const std::function<std::string()>& work, double timeout_s);

} // namespace axon
