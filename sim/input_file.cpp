// Bounded, regular-file-only reading: stat first (refuse anything but a regular file and any file
// over the limit), then read at most the limit plus one byte, so a file that grows between the
// stat and the read is refused too instead of being read without end.
#include "sim/input_file.h"

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "ir/error.h"
#include "ir/limits.h"

namespace axon {

std::string read_sim_input_file(const std::string& path, const std::string& what) {
  const int64_t limit = limits::kMaxInputFileBytes;
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0)
    user_error(path + ": cannot read the " + what + " file: " + std::strerror(errno));
  if (!S_ISREG(st.st_mode))
    user_error(path + ": the " + what +
               " is not a regular file (a device, FIFO, socket or directory); give a JSON file");
  if (st.st_size > limit)
    user_error(path + ": the " + what + " file has " + std::to_string(st.st_size) +
               " bytes; the limit is " + std::to_string(limit) + " bytes (kMaxInputFileBytes)");
  // O_NONBLOCK: if the path was swapped for a FIFO after the stat, open does not block on it.
  int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0)
    user_error(path + ": cannot read the " + what + " file: " + std::strerror(errno));
  struct stat fst {};
  if (::fstat(fd, &fst) != 0 || !S_ISREG(fst.st_mode)) {
    ::close(fd);
    user_error(path + ": the " + what + " is not a regular file; give a JSON file");
  }
  std::string text;
  char buf[1 << 16];
  for (;;) {
    ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR)
        continue;
      int err = errno;
      ::close(fd);
      user_error(path + ": cannot read the " + what + " file: " + std::strerror(err));
    }
    if (n == 0)
      break;
    text.append(buf, static_cast<size_t>(n));
    if (static_cast<int64_t>(text.size()) > limit) {
      ::close(fd);
      user_error(path + ": the " + what + " file has more than " + std::to_string(limit) +
                 " bytes (kMaxInputFileBytes)");
    }
  }
  ::close(fd);
  return text;
}

} // namespace axon
