// SplitMix64: the generator that fills full-size random tensors (the check's inputs, the timing
// inputs). A search fills tens of millions of values per candidate (90M for NKIBench's AdamW),
// where a Mersenne twister's draws took half a second each time.
#pragma once

#include <cstdint>

namespace axon {

struct SplitMix64 {
  uint64_t state;
  uint64_t next() {
    uint64_t z = (state += 0x9E3779B97F4A7C15ull);
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    z = (z ^ (z >> 27)) * 0x94D049BB133111EBull;
    return z ^ (z >> 31);
  }
  // Uniform in [-1, 1), 53 random bits.
  double symmetric() { return static_cast<double>(next() >> 11) * 0x1p-52 - 1.0; }
};

} // namespace axon
