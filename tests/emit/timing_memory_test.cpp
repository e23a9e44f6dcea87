// The timing buffers (emit/cpu/timing_memory.h): one mapping per key and size, shared with forked
// children (what a child's timing run writes, the next child finds in the same pages), and every
// candidate of a backend timed on the same buffers.
#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>

#include "emit/cpu/cpu_backend.h"
#include "emit/cpu/machine_model.h"
#include "emit/cpu/schedule.h"
#include "emit/cpu/timing_memory.h"
#include "ir/frontend.h"
#include "isa/isa.h"

namespace axon {
namespace {

TEST(TimingMemory, OneMappingPerKeySharedWithChildren) {
  TimingMemory m;
  void* a = m.get("x", 1 << 20);
  EXPECT_EQ(m.get("x", 1 << 20), a);
  EXPECT_NE(m.get("x", 2 << 20), a);
  EXPECT_NE(m.get("y", 1 << 20), a);
  EXPECT_EQ(reinterpret_cast<uintptr_t>(a) % 4096, 0u);
  EXPECT_EQ(static_cast<unsigned char*>(a)[12345], 0);
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    std::memset(a, 0x5A, 1 << 20);
    _exit(0);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  EXPECT_EQ(static_cast<unsigned char*>(a)[0], 0x5A);
  EXPECT_EQ(static_cast<unsigned char*>(a)[(1 << 20) - 1], 0x5A);
}

// A candidate timed in a forked child (as the search does) runs on the backend's buffers: the
// output its runs wrote is in the parent's mapping for that tensor afterwards, where the next
// candidate of the program runs.
TEST(TimingMemory, CandidatesAreTimedOnTheBackendsBuffers) {
  Isa isa = load_isa("targets/avx2.json");
  CpuBackend b(cpu_target(isa), cpu_machine_model(isa));
  IndexProgram p = load_index_program(
      source_from_string("where N = 4096\ninput a: f32[N]\noutput y[n] = a[n] * 0.0 + 3.0\n"));
  auto first = b.compile_schedule(p, default_schedule(p));
  const float* y = static_cast<const float*>(b.timing_memory().get("y", 4096 * 4));
  EXPECT_EQ(y[7], 0.0f);
  pid_t pid = fork();
  ASSERT_GE(pid, 0);
  if (pid == 0) {
    first->time(1, 3);
    _exit(0);
  }
  int status = 0;
  ASSERT_EQ(waitpid(pid, &status, 0), pid);
  ASSERT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0);
  EXPECT_EQ(y[0], 3.0f);
  EXPECT_EQ(y[4095], 3.0f);
  auto second = b.compile_schedule(p, default_schedule(p));
  EXPECT_EQ(static_cast<const float*>(b.timing_memory().get("y", 4096 * 4)), y);
  EXPECT_GT(second->time(1, 3).median_ns, 0);
}

} // namespace
} // namespace axon
