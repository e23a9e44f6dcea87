// Shared anonymous mappings for timing (see timing_memory.h).
#include "emit/cpu/timing_memory.h"

#include <sys/mman.h>

#include <new>

namespace axon {

TimingMemory::~TimingMemory() {
  for (auto& [key, p] : maps_)
    munmap(p, key.second);
}

void* TimingMemory::get(const std::string& key, size_t bytes) {
  bytes = bytes ? bytes : 1;
  std::lock_guard<std::mutex> lock(mu_);
  auto it = maps_.find({key, bytes});
  if (it != maps_.end())
    return it->second;
  void* p = mmap(nullptr, bytes, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED)
    throw std::bad_alloc();
  maps_[{key, bytes}] = p;
  return p;
}

} // namespace axon
