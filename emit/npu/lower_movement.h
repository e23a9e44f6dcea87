// The target's data-movement instructions, found by their JSON semantics rather than by name:
// the copy whose semantics is the identity between device memory and the on-chip working memory
// (loads and stores, on the engine of kind "dma" and its queues), the identity from the
// accumulator memory to the working memory (PSUM copy-out), the transpose into the accumulator
// (out[f, p] = a[p, f]) and the partition broadcast (dst[p, f] = src[f]).
#pragma once

#include <cstdint>
#include <string>

#include "isa/isa.h"

namespace axon {

struct NpuMemories {
  std::string hbm;  // the device memory (kind dram)
  std::string sbuf; // the partitioned working memory (kind sram)
  std::string psum; // the accumulator memory ("" when the target has none)
  int64_t partitions = 0;
};

struct NpuMovement {
  NpuMemories mem;
  std::string load, load_engine;           // hbm -> sbuf
  std::string store, store_engine;         // sbuf -> hbm
  int queues = 1;                          // queues of the DMA engine
  std::string copy_out, copy_out_engine;   // psum -> sbuf ("" when none)
  std::string transpose, transpose_engine; // sbuf -> psum, out[f, p] = a[p, f] ("" when none)
  std::string broadcast, broadcast_engine; // hbm [F] -> sbuf [P, F] ("" when none)
};

// UserError naming the target file when it has no device memory, working memory or load/store.
NpuMovement find_movement(const Isa& isa);

} // namespace axon
