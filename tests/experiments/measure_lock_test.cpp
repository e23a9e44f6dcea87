// The measuring lock (search/measure_lock.h): concurrent holders never overlap.
#include "search/measure_lock.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <sys/file.h>
#include <sys/wait.h>
#include <thread>
#include <unistd.h>
#include <vector>

#include "ir/error.h"

namespace axon {
namespace {

namespace fs = std::filesystem;

int64_t now_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(
             std::chrono::steady_clock::now().time_since_epoch())
      .count();
}

// One line per hold, "begin end pid", appended (O_APPEND: each write lands whole).
void append(const fs::path& log, const std::string& line) {
  int fd = ::open(log.c_str(), O_WRONLY | O_APPEND | O_CREAT, 0644);
  ASSERT_GE(fd, 0);
  ASSERT_EQ(::write(fd, line.data(), line.size()), static_cast<ssize_t>(line.size()));
  ::close(fd);
}

struct Hold {
  int64_t begin, end;
  int pid;
};

// `procs` processes each take the lock at `lock_path` ("" = no lock) `rounds` times and hold it
// for a few milliseconds; returns every hold, sorted by its start.
std::vector<Hold> run_holders(const std::string& lock_path, int procs, int rounds) {
  fs::path log =
      fs::temp_directory_path() / ("axon_measure_lock_" + std::to_string(::getpid()) + ".log");
  fs::remove(log);
  std::vector<pid_t> kids;
  for (int p = 0; p < procs; ++p) {
    pid_t pid = ::fork();
    if (pid == 0) {
      for (int r = 0; r < rounds; ++r) {
        int64_t b, e;
        {
          MeasureLock lock(lock_path);
          b = now_ns();
          std::this_thread::sleep_for(std::chrono::milliseconds(4));
          e = now_ns();
        }
        append(log, std::to_string(b) + " " + std::to_string(e) + " " + std::to_string(::getpid()) +
                        "\n");
        std::this_thread::sleep_for(std::chrono::microseconds(500));
      }
      ::_exit(0);
    }
    kids.push_back(pid);
  }
  for (pid_t k : kids) {
    int st = 0;
    ::waitpid(k, &st, 0);
    EXPECT_TRUE(WIFEXITED(st) && WEXITSTATUS(st) == 0);
  }
  std::vector<Hold> holds;
  std::ifstream in(log);
  Hold h;
  while (in >> h.begin >> h.end >> h.pid)
    holds.push_back(h);
  fs::remove(log);
  std::sort(holds.begin(), holds.end(),
            [](const Hold& a, const Hold& b) { return a.begin < b.begin; });
  return holds;
}

int overlaps(const std::vector<Hold>& holds) {
  int n = 0;
  for (size_t i = 1; i < holds.size(); ++i)
    n += holds[i].begin < holds[i - 1].end;
  return n;
}

TEST(MeasureLock, ConcurrentHoldersNeverOverlap) {
  fs::path lock = fs::temp_directory_path() / ("axon_measure_lock_" + std::to_string(::getpid()));
  auto holds = run_holders(lock.string(), 3, 40);
  ASSERT_EQ(holds.size(), 120u);
  EXPECT_EQ(overlaps(holds), 0);
  fs::remove(lock);
}

// The control: the same holders without a lock do overlap, so the check above can fail.
TEST(MeasureLock, WithoutALockHoldersOverlap) {
  auto holds = run_holders("", 3, 40);
  ASSERT_EQ(holds.size(), 120u);
  EXPECT_GT(overlaps(holds), 0);
}

TEST(MeasureLock, TheProcessWidePathIsUsedAndABadPathIsAUserError) {
  EXPECT_THROW(set_measure_lock_path("/nonexistent-dir/lock"), UserError);
  EXPECT_EQ(measure_lock_path(), "");
  fs::path lock =
      fs::temp_directory_path() / ("axon_measure_lock_pw_" + std::to_string(::getpid()));
  set_measure_lock_path(lock.string());
  {
    MeasureLock held; // the process-wide path: another descriptor cannot take it now
    int fd = ::open(lock.c_str(), O_RDWR);
    ASSERT_GE(fd, 0);
    EXPECT_NE(::flock(fd, LOCK_EX | LOCK_NB), 0);
    ::close(fd);
  }
  int fd = ::open(lock.c_str(), O_RDWR);
  EXPECT_EQ(::flock(fd, LOCK_EX | LOCK_NB), 0); // released
  ::close(fd);
  set_measure_lock_path("");
  fs::remove(lock);
}

} // namespace
} // namespace axon
