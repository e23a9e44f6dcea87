// Byte buffers aligned to 64 bytes (a cache line, and a zmm vector) for the tensors the search
// checks kernels on (it times them on page-aligned shared buffers, emit/cpu/timing_memory.h), as
// they were for timing too: PyTorch and oneDNN align their tensors so, and the runtime its
// workspace, so kernels are measured on what such callers pass. A buffer that is not (malloc's
// large blocks start 16 bytes into a page) makes every vector access straddle two cache lines,
// which changes which candidate wins. Non-temporal stores only happen on aligned vectors, so
// the search measures streaming for real only on aligned buffers. The measurements behind this:
// docs/PERFORMANCE.md, "Design measurements: aligned buffers".
#pragma once

#include <cstddef>
#include <new>
#include <vector>

namespace axon {

template <class T> struct CacheLineAllocator {
  using value_type = T;
  CacheLineAllocator() = default;
  template <class U> CacheLineAllocator(const CacheLineAllocator<U>&) {}
  T* allocate(std::size_t n) {
    return static_cast<T*>(::operator new(n * sizeof(T), std::align_val_t(64)));
  }
  void deallocate(T* p, std::size_t) { ::operator delete(p, std::align_val_t(64)); }
  template <class U> bool operator==(const CacheLineAllocator<U>&) const { return true; }
};

using AlignedBytes = std::vector<unsigned char, CacheLineAllocator<unsigned char>>;

} // namespace axon
