// Reading a file whose path came from a user or from a library on disk, bounded: only a regular
// file (after following symlinks), never a device, FIFO or socket, and at most a given number of
// bytes, so that /dev/zero, a symlink to it or a FIFO gives an error instead of filling memory or
// blocking. Shared by the runtime (manifest, objects) and the installer.
#pragma once

#include <cstdint>
#include <string>

#include "ir/limits.h"

namespace axon::rt {

// The largest kernel object (.so) the runtime and the installer read (they hash it in memory):
// real kernels are well under a megabyte.
inline constexpr int64_t kMaxObjectBytes = int64_t(256) << 20;

// Reads PATH into *OUT. False with *WHY set ("not a regular file (a FIFO)", "larger than N bytes",
// or strerror) when it cannot; never blocks on a FIFO.
bool read_regular_file(const std::string& path, int64_t max_bytes, std::string* out,
                       std::string* why);

} // namespace axon::rt
