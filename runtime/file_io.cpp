// Bounded reads of regular files (see file_io.h).
#include "runtime/file_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>

namespace axon::rt {

namespace {

const char* kind_of(mode_t m) {
  if (S_ISDIR(m))
    return "a directory";
  if (S_ISFIFO(m))
    return "a FIFO";
  if (S_ISCHR(m))
    return "a character device";
  if (S_ISBLK(m))
    return "a block device";
  if (S_ISSOCK(m))
    return "a socket";
  return "not a plain file";
}

} // namespace

bool read_regular_file(const std::string& path, int64_t max_bytes, std::string* out,
                       std::string* why) {
  // O_NONBLOCK: opening a FIFO for reading would otherwise wait for a writer.
  int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) {
    *why = std::strerror(errno);
    return false;
  }
  struct stat st;
  if (::fstat(fd, &st) != 0) {
    *why = std::strerror(errno);
    ::close(fd);
    return false;
  }
  if (!S_ISREG(st.st_mode)) {
    *why = std::string("not a regular file (") + kind_of(st.st_mode) + ")";
    ::close(fd);
    return false;
  }
  auto too_big = [&] {
    *why = "larger than " + std::to_string(max_bytes) + " bytes, the most this reader accepts";
    ::close(fd);
    return false;
  };
  if (st.st_size > max_bytes)
    return too_big();
  std::string data;
  data.resize(static_cast<size_t>(st.st_size));
  size_t done = 0;
  // The file may grow while it is read: read at most MAX_BYTES + 1 bytes.
  for (;;) {
    if (done == data.size()) {
      if (static_cast<int64_t>(data.size()) > max_bytes)
        return too_big();
      data.resize(std::min<size_t>(data.size() + 65536, static_cast<size_t>(max_bytes) + 1));
    }
    ssize_t r = ::read(fd, data.data() + done, data.size() - done);
    if (r < 0 && errno == EINTR)
      continue;
    if (r < 0) {
      *why = std::strerror(errno);
      ::close(fd);
      return false;
    }
    if (r == 0)
      break;
    done += static_cast<size_t>(r);
  }
  ::close(fd);
  if (static_cast<int64_t>(done) > max_bytes) {
    *why = "larger than " + std::to_string(max_bytes) + " bytes, the most this reader accepts";
    return false;
  }
  data.resize(done);
  *out = std::move(data);
  return true;
}

} // namespace axon::rt
