// The measuring lock (see measure_lock.h).
#include "search/measure_lock.h"

#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include "ir/error.h"

namespace axon {

namespace {

std::string g_path;
std::atomic<int64_t> g_wait_ns{0};
const std::atomic<bool>* g_give_up = nullptr;

int open_lock_file(const std::string& path) {
  // Read-only: flock needs no write access, so one lock file serves every user of the machine.
  int fd = ::open(path.c_str(), O_RDONLY | O_CREAT | O_CLOEXEC, 0666);
  if (fd < 0)
    user_error("--measure-lock " + path + ": cannot open the lock file: " + std::strerror(errno));
  return fd;
}

} // namespace

void set_measure_lock_path(const std::string& path, const std::atomic<bool>* give_up) {
  if (!path.empty())
    ::close(open_lock_file(path)); // a bad path is an error now, not mid-search
  g_path = path;
  g_give_up = give_up;
}

const std::string& measure_lock_path() { return g_path; }

double measure_lock_wait_seconds() { return static_cast<double>(g_wait_ns.load()) / 1e9; }

MeasureLock::MeasureLock() : MeasureLock(g_path) {}

MeasureLock::MeasureLock(const std::string& path) {
  if (path.empty())
    return;
  fd_ = open_lock_file(path);
  auto t0 = std::chrono::steady_clock::now();
  // Polled rather than blocking, so a wait can be given up: SIGINT's handler restarts flock(2).
  while (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
    if (errno == EWOULDBLOCK || errno == EINTR) {
      static std::atomic<bool> said{false};
      if (!said.exchange(true))
        std::fprintf(stderr,
                     "axon-synth: waiting for the measuring lock %s (another job is measuring)\n",
                     path.c_str());
      if (g_give_up && g_give_up->load()) {
        gave_up_ = true;
        ::close(fd_);
        fd_ = -1;
        break;
      }
      ::usleep(10000);
      continue;
    }
    int e = errno;
    ::close(fd_);
    fd_ = -1;
    user_error("--measure-lock " + path + ": cannot lock: " + std::strerror(e));
  }
  g_wait_ns +=
      std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now() - t0)
          .count();
}

MeasureLock::~MeasureLock() {
  if (fd_ >= 0)
    ::close(fd_); // closing the last descriptor of the open file releases the lock
}

} // namespace axon
