// The memory kernels are timed on, shared by every candidate of a search. Where a buffer's
// physical pages lie changes a memory-bound kernel's speed by far more than the run-to-run
// noise (docs/PERFORMANCE.md, "Design measurements: where the buffers lie"). Each
// candidate used to be timed in a forked child on fresh allocations, so the search ranked
// candidates partly by where their buffers happened to land. These buffers are shared
// anonymous mappings made in the search's own process (when a candidate is compiled, before any
// child is forked): every child writes into the same physical pages, so every candidate, of
// every program variant, is timed on the same memory.
#pragma once

#include <cstddef>
#include <map>
#include <mutex>
#include <string>
#include <utility>

namespace axon {

class TimingMemory {
public:
  TimingMemory() = default;
  TimingMemory(const TimingMemory&) = delete;
  TimingMemory& operator=(const TimingMemory&) = delete;
  ~TimingMemory();
  // The buffer for `key` of `bytes` bytes (page-aligned, zero before its first use): mapped on the
  // first request, the same mapping for every later one. Thread-safe. Throws std::bad_alloc when
  // the mapping fails.
  void* get(const std::string& key, size_t bytes);

private:
  std::mutex mu_;
  std::map<std::pair<std::string, size_t>, void*> maps_;
};

} // namespace axon
