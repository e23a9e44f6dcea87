// Reading one input file of the simulator (an NPU program) with the limits of docs/reliability.md:
// only a regular file (a symlink is followed, and what it names must be regular), at most
// limits::kMaxInputFileBytes bytes. /dev/zero, a FIFO or a directory is a UserError naming the
// path, never an endless read or a block.
#pragma once

#include <string>

namespace axon {

// `what` names the file's role in messages ("NPU program").
std::string read_sim_input_file(const std::string& path, const std::string& what);

} // namespace axon
