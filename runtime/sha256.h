// SHA-256 (FIPS 180-4) of a byte string, as 64 lowercase hex digits. Used by the kernel library
// to detect corrupted or tampered objects; self-contained so the runtime links nothing for it.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace axon::rt {

class Sha256 {
public:
  Sha256();
  void update(const void* data, size_t n);
  std::string hex(); // finishes the hash; the object is spent afterwards

private:
  void block(const uint8_t* p);
  uint32_t h_[8];
  uint8_t buf_[64];
  size_t used_ = 0;
  uint64_t total_ = 0;
};

std::string sha256_hex(const std::string& data);

} // namespace axon::rt
