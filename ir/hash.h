// Content hashes for cache keys and reports: 64-bit FNV-1a as 16 hex digits. Not cryptographic;
// used to notice changes, not to defend against tampering (the runtime uses sha256 for objects).
#pragma once

#include <cstdint>
#include <string>

namespace axon {

uint64_t fnv1a64(const std::string& data, uint64_t seed = 1469598103934665603ULL);
std::string hash_hex(const std::string& data);

} // namespace axon
