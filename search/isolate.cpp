// fork + pipe + waitpid with a deadline (see isolate.h).
#include "search/isolate.h"

#include <csignal>
#include <cstdio>
#include <cstring>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <exception>

namespace axon {

IsolatedResult run_isolated(const std::function<std::string()>& work, double timeout_s) {
  IsolatedResult r;
  int fds[2];
  if (pipe(fds) != 0) {
    r.failure = std::string("pipe failed: ") + std::strerror(errno);
    return r;
  }
  pid_t pid = fork();
  if (pid < 0) {
    r.failure = std::string("fork failed: ") + std::strerror(errno);
    close(fds[0]);
    close(fds[1]);
    return r;
  }
  if (pid == 0) {
    close(fds[0]);
    std::string out;
    int code = 0;
    try {
      out = "R" + work();
    } catch (const std::exception& e) {
      out = std::string("E") + e.what();
      code = 3;
    }
    size_t off = 0;
    while (off < out.size()) {
      ssize_t n = write(fds[1], out.data() + off, out.size() - off);
      if (n <= 0)
        break;
      off += static_cast<size_t>(n);
    }
    close(fds[1]);
    _exit(code);
  }
  close(fds[1]);
  auto deadline = std::chrono::steady_clock::now() + std::chrono::duration<double>(timeout_s);
  std::string data;
  char buf[65536];
  bool timed_out = false;
  for (;;) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                    deadline - std::chrono::steady_clock::now())
                    .count();
    if (left <= 0) {
      timed_out = true;
      break;
    }
    pollfd pfd{fds[0], POLLIN, 0};
    int pr = poll(&pfd, 1, static_cast<int>(std::min<long long>(left, 1000)));
    if (pr < 0 && errno == EINTR)
      continue;
    if (pr <= 0)
      continue;
    ssize_t n = read(fds[0], buf, sizeof buf);
    if (n <= 0)
      break; // EOF: the child closed its end
    data.append(buf, static_cast<size_t>(n));
  }
  close(fds[0]);
  int status = 0;
  if (timed_out) {
    kill(pid, SIGKILL);
    waitpid(pid, &status, 0);
    char secs[32];
    std::snprintf(secs, sizeof secs, "%.1f", timeout_s);
    r.failure = std::string("timed out after ") + secs + " s";
    r.timed_out = true;
    return r;
  }
  waitpid(pid, &status, 0);
  if (WIFSIGNALED(status)) {
    int sig = WTERMSIG(status);
    r.failure = "crashed (signal " + std::to_string(sig) + ": " + strsignal(sig) + ")";
    return r;
  }
  if (data.empty()) {
    r.failure = "exited with status " + std::to_string(WEXITSTATUS(status)) + " and no result";
    return r;
  }
  if (data[0] == 'E') {
    r.failure = "failed: " + data.substr(1);
    return r;
  }
  r.ok = true;
  r.payload = data.substr(1);
  return r;
}

} // namespace axon
