// Serializes measuring across processes (`axon-synth --measure-lock FILE`, docs/experiments.md).
// While a lock file is set, every timing run (time_isolated: the search's candidates, the
// baseline, the runoff's rounds) holds an exclusive flock(2) on it, and only for that run: the
// compilation and the numerical checks of concurrent jobs overlap, their timings do not. The lock
// lives in the kernel, so a killed holder releases it; flock works across processes of one host
// (on a network file system it may not: give each node a lock on a local disk).
#pragma once

#include <atomic>
#include <string>

namespace axon {

// The process-wide lock file; "" (the default) measures without a lock. Throws a user error if
// the file cannot be opened for locking. While `give_up` (optional) reads true, a wait for the
// lock ends without it (Ctrl-C while another job measures).
void set_measure_lock_path(const std::string& path, const std::atomic<bool>* give_up = nullptr);
const std::string& measure_lock_path();
// Seconds this process has spent waiting for the lock so far.
double measure_lock_wait_seconds();

// Holds the lock for its lifetime: the process-wide path (no lock when none is set), or `path`.
// held() is false only when the wait was given up; no lock is needed when no path is set.
class MeasureLock {
public:
  MeasureLock();
  explicit MeasureLock(const std::string& path);
  ~MeasureLock();
  bool held() const { return !gave_up_; }
  MeasureLock(const MeasureLock&) = delete;
  MeasureLock& operator=(const MeasureLock&) = delete;

private:
  int fd_ = -1;
  bool gave_up_ = false;
};

} // namespace axon
