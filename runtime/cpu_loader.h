// The loader of the "llvm" backend (runtime/loader.h): CPU kernels installed as shared objects.
#pragma once

#include <memory>

#include "runtime/loader.h"

namespace axon::rt {

// Needs: the entry's CPU features (cpuid/xgetbv, runtime/cpu_features.cpp). Opens: the bytes are
// written to a memfd and dlopen()ed from /proc/self/fd/N (RTLD_NOW | RTLD_LOCAL), so the code
// that runs is the code whose sha256 was checked even if the file changes meanwhile; the memfd
// stays open while the object is loaded (dlopen knows objects by path). The object must define
// the entry's symbol, `void SYMBOL(void** buffers)`, and the string SYMBOL_abi holding the
// entry's abi_hash(): a manifest edited to another signature, buffers or CPU features cannot
// call it.
std::unique_ptr<Loader> make_cpu_loader();

} // namespace axon::rt
