// FNV-1a (see hash.h).
#include "ir/hash.h"

#include <cstdio>

namespace axon {

uint64_t fnv1a64(const std::string& data, uint64_t h) {
  for (unsigned char c : data) {
    h ^= c;
    h *= 1099511628211ULL;
  }
  return h;
}

std::string hash_hex(const std::string& data) {
  char buf[17];
  std::snprintf(buf, sizeof buf, "%016llx", static_cast<unsigned long long>(fnv1a64(data)));
  return buf;
}

} // namespace axon
