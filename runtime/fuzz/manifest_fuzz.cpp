// libFuzzer target for the kernel library's manifest loader (runtime/manifest.h), which reads
// DIR/manifest.json for both the runtime (axon_open) and the installer: any bytes must give a
// Manifest or a ManifestError, never a crash, a sanitizer report or a hang. A manifest that loads
// must write back to JSON that loads to the same manifest, with the same hashes. Run it with
//   runtime/fuzz/run.sh [seconds]
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>

#include "runtime/manifest.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  std::string text(reinterpret_cast<const char*>(data), size);
  axon::rt::Manifest m;
  try {
    m = axon::rt::parse_manifest(text);
  } catch (const axon::rt::ManifestError&) {
    return 0;
  }
  std::string again = axon::rt::manifest_to_json(m).dump(2);
  axon::rt::Manifest m2;
  try {
    m2 = axon::rt::parse_manifest(again);
  } catch (const axon::rt::ManifestError& e) {
    // A manifest the loader accepted must read back as written.
    std::abort();
  }
  if (m2.kernels.size() != m.kernels.size())
    std::abort();
  for (size_t i = 0; i < m.kernels.size(); ++i) {
    if (!(m2.kernels[i] == m.kernels[i]))
      std::abort();
    if (axon::rt::abi_hash(m.kernels[i]) != axon::rt::abi_hash(m2.kernels[i]))
      std::abort();
    for (auto& a : m.kernels[i].arguments)
      (void)axon::rt::tensor_bytes(a.dtype, a.shape);
  }
  return 0;
}
