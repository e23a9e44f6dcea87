// libaxon_runtime (see axon_runtime.h): reads manifest.json, checks a kernel's signature and its
// artifact's sha256, has the loader of the kernel's backend (runtime/loader.h) check what the
// artifact needs and open the checked bytes, and runs it on caller buffers with per-call
// workspace.
#include "runtime/axon_runtime.h"

#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <mutex>
#include <new>
#include <optional>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include "runtime/cpu_features.h"
#include "runtime/file_io.h"
#include "runtime/loader.h"
#include "runtime/manifest.h"
#include "runtime/sha256.h"

using namespace axon::rt;

namespace {

thread_local std::string g_error;

axon_status fail(axon_status s, std::string msg) {
  g_error = std::move(msg);
  return s;
}

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (auto& x : v)
    s += (s.empty() ? "" : ", ") + x;
  return s;
}

// Where each of the kernel's buffers comes from when it runs.
struct Slot {
  BufferBind bind;
  size_t arg = 0;    // Argument and Update: index into the arguments
  size_t offset = 0; // Workspace and Update: byte offset in the workspace block
  size_t bytes = 0;
};

constexpr size_t kWorkspaceAlign = 64;

} // namespace

struct axon_kernel {
  axon_library* lib = nullptr;
  Entry entry;
  std::unique_ptr<LoadedArtifact> artifact; // opened by the loader of the entry's backend
  std::vector<Slot> slots;
  std::vector<size_t> arg_bytes;
  size_t workspace_bytes = 0;
  bool has_update = false;
  // Workspace blocks not in use; a call takes one (or allocates) and gives it back.
  std::mutex pool_mu;
  std::vector<void*> pool;

  ~axon_kernel();
};

struct axon_library {
  std::string dir;
  Manifest manifest;
  std::mutex mu;
  std::map<std::string, std::unique_ptr<axon_kernel>> loaded; // by entry id
};

namespace {

// Why ARGS do not match entry E's signature, or "" when they do.
std::string mismatch(const Entry& e, const axon_arg* args, size_t n) {
  std::set<std::string> given;
  for (size_t i = 0; i < n; ++i) {
    given.insert(args[i].name);
    const Argument* a = nullptr;
    for (auto& x : e.arguments)
      if (x.name == args[i].name)
        a = &x;
    if (!a) {
      std::vector<std::string> names;
      for (auto& x : e.arguments)
        names.push_back(x.name);
      return std::string("the kernel has no argument '") + args[i].name +
             "' (its arguments: " + join(names) + ")";
    }
    std::vector<int64_t> shape(args[i].shape, args[i].shape + args[i].rank);
    if (a->dtype != args[i].dtype || a->shape != shape)
      return "argument '" + a->name + "': the kernel takes " + shape_text(a->dtype, a->shape) +
             ", got " + shape_text(args[i].dtype, shape);
  }
  for (auto& a : e.arguments)
    if (!given.count(a.name))
      return "argument '" + a.name + "' (" + shape_text(a.dtype, a.shape) + ", " +
             role_name(a.role) + ") is missing";
  return "";
}

// Checks the artifact's sha256 and has its backend's loader open the bytes that were checked.
axon_status load(axon_library* lib, const Entry& e, const Loader& loader,
                 std::unique_ptr<axon_kernel>* out) {
  std::string path = lib->dir + "/" + e.object.path, bytes, why;
  if (!read_regular_file(path, kMaxObjectBytes, &bytes, &why))
    return fail(AXON_ERR_CORRUPT, path + ": cannot read the object of kernel '" + e.id + "' (" +
                                      why + "); the library is damaged: reinstall the kernel");
  std::string got = sha256_hex(bytes);
  if (got != e.object.sha256)
    return fail(AXON_ERR_CORRUPT, path + ": sha256 " + got + " differs from the manifest's " +
                                      e.object.sha256 + ": the object of kernel '" + e.id +
                                      "' is corrupted or was tampered with; reinstall the kernel");
  LoadFailure failure;
  std::unique_ptr<LoadedArtifact> artifact = loader.open(e, bytes, &failure);
  if (!artifact)
    return fail(failure.status, path + ": " + failure.message);
  auto k = std::make_unique<axon_kernel>();
  k->artifact = std::move(artifact);
  k->lib = lib;
  k->entry = e;
  for (auto& a : e.arguments)
    k->arg_bytes.push_back(static_cast<size_t>(tensor_bytes(a.dtype, a.shape)));
  for (auto& b : e.buffers) {
    Slot s;
    s.bind = b.bind;
    s.bytes = static_cast<size_t>(tensor_bytes(b.dtype, b.shape));
    if (b.bind != BufferBind::Workspace)
      for (size_t i = 0; i < e.arguments.size(); ++i)
        if (e.arguments[i].name == b.argument)
          s.arg = i;
    if (b.bind != BufferBind::Argument) {
      s.offset = k->workspace_bytes;
      k->workspace_bytes += (s.bytes + kWorkspaceAlign - 1) / kWorkspaceAlign * kWorkspaceAlign;
      // Each tensor is below 2^50 bytes (manifest.cpp); the sum must not wrap either.
      if (k->workspace_bytes > (size_t(1) << 52))
        return fail(AXON_ERR_NOMEM,
                    "kernel '" + e.id + "' needs more than 2^52 bytes of workspace");
    }
    k->has_update = k->has_update || b.bind == BufferBind::Update;
    k->slots.push_back(s);
  }
  *out = std::move(k);
  return AXON_OK;
}

} // namespace

axon_kernel::~axon_kernel() {
  for (void* p : pool)
    std::free(p);
}

extern "C" {

const char* axon_last_error(void) { return g_error.c_str(); }

const char* axon_status_name(axon_status s) {
  switch (s) {
  case AXON_OK:
    return "ok";
  case AXON_ERR_IO:
    return "io";
  case AXON_ERR_MANIFEST:
    return "manifest";
  case AXON_ERR_SCHEMA_NEWER:
    return "schema_newer";
  case AXON_ERR_NOT_FOUND:
    return "not_found";
  case AXON_ERR_SIGNATURE:
    return "signature_mismatch";
  case AXON_ERR_CORRUPT:
    return "corrupt_object";
  case AXON_ERR_CPU:
    return "cpu_feature";
  case AXON_ERR_LOAD:
    return "load";
  case AXON_ERR_ARGUMENT:
    return "bad_argument";
  case AXON_ERR_NOMEM:
    return "out_of_memory";
  case AXON_ERR_NO_LOADER:
    return "no_loader";
  case AXON_ERR_NO_DEVICE:
    return "no_device";
  }
  return "unknown";
}

int axon_cpu_supports(const char* feature) { return feature ? cpu_supports(feature) : -1; }

axon_status axon_open(const char* dir, axon_library** out) {
  if (!dir || !out)
    return fail(AXON_ERR_ARGUMENT, "axon_open: null argument");
  *out = nullptr;
  try {
    struct stat st;
    if (::stat(dir, &st) != 0 || !S_ISDIR(st.st_mode))
      return fail(AXON_ERR_IO,
                  std::string(dir) +
                      ": not a directory (a kernel library is a directory with manifest.json)");
    std::string text, why, path = std::string(dir) + "/manifest.json";
    if (!read_regular_file(path, axon::limits::kMaxInputFileBytes, &text, &why))
      return fail(AXON_ERR_IO, path + ": cannot read (" + why +
                                   "); install a kernel with axon-synth --library " + dir);
    auto lib = std::make_unique<axon_library>();
    lib->dir = dir;
    try {
      lib->manifest = parse_manifest(text);
    } catch (const ManifestError& e) {
      return fail(e.kind == ManifestError::Newer ? AXON_ERR_SCHEMA_NEWER : AXON_ERR_MANIFEST,
                  path + ": " + e.message);
    }
    *out = lib.release();
    return AXON_OK;
  } catch (const std::bad_alloc&) {
    return fail(AXON_ERR_NOMEM, "axon_open: out of memory");
  } catch (const std::exception& e) {
    return fail(AXON_ERR_IO, std::string("axon_open: ") + e.what());
  }
}

void axon_close(axon_library* lib) { delete lib; }

size_t axon_kernel_count(const axon_library* lib) { return lib ? lib->manifest.kernels.size() : 0; }

const char* axon_entry_name(const axon_library* lib, size_t i) {
  return lib && i < lib->manifest.kernels.size() ? lib->manifest.kernels[i].name.c_str() : nullptr;
}

const char* axon_entry_id(const axon_library* lib, size_t i) {
  return lib && i < lib->manifest.kernels.size() ? lib->manifest.kernels[i].id.c_str() : nullptr;
}

const char* axon_entry_target(const axon_library* lib, size_t i) {
  return lib && i < lib->manifest.kernels.size() ? lib->manifest.kernels[i].target.c_str()
                                                 : nullptr;
}

const char* axon_entry_backend(const axon_library* lib, size_t i) {
  return lib && i < lib->manifest.kernels.size() ? lib->manifest.kernels[i].backend.c_str()
                                                 : nullptr;
}

size_t axon_entry_arg_count(const axon_library* lib, size_t i) {
  return lib && i < lib->manifest.kernels.size() ? lib->manifest.kernels[i].arguments.size() : 0;
}

namespace {
void describe(const Argument& a, axon_arg* arg, axon_role* role) {
  if (arg)
    *arg = axon_arg{a.name.c_str(), a.dtype.c_str(), static_cast<int32_t>(a.shape.size()),
                    a.shape.data()};
  if (role)
    *role = a.role == ArgRole::Input    ? AXON_INPUT
            : a.role == ArgRole::Output ? AXON_OUTPUT
                                        : AXON_INOUT;
}
} // namespace

axon_status axon_entry_arg(const axon_library* lib, size_t i, size_t j, axon_arg* arg,
                           axon_role* role) {
  if (!lib || i >= lib->manifest.kernels.size() || j >= lib->manifest.kernels[i].arguments.size())
    return fail(AXON_ERR_ARGUMENT,
                "axon_entry_arg: no entry " + std::to_string(i) + " argument " + std::to_string(j));
  describe(lib->manifest.kernels[i].arguments[j], arg, role);
  return AXON_OK;
}

axon_status axon_find(axon_library* lib, const char* name, const axon_arg* args, size_t nargs,
                      axon_kernel** out) {
  if (!lib || !name || !out)
    return fail(AXON_ERR_ARGUMENT, "axon_find: null library, name or result pointer");
  *out = nullptr;
  try {
    for (size_t i = 0; args && i < nargs; ++i) {
      const axon_arg& a = args[i];
      if (!a.name || !a.dtype || a.rank < 0 || a.rank > 64 || (a.rank > 0 && !a.shape))
        return fail(AXON_ERR_ARGUMENT,
                    "axon_find: argument " + std::to_string(i) +
                        " has a null name, dtype or shape, or a rank outside 0..64");
      for (size_t j = 0; j < i; ++j)
        if (std::strcmp(args[j].name, a.name) == 0)
          return fail(AXON_ERR_ARGUMENT,
                      std::string("axon_find: argument '") + a.name + "' appears twice");
    }
    std::vector<const Entry*> named;
    std::set<std::string> all_names;
    for (auto& e : lib->manifest.kernels) {
      all_names.insert(e.name);
      if (e.name == name)
        named.push_back(&e);
    }
    if (named.empty()) {
      std::vector<std::string> list(all_names.begin(), all_names.end());
      return fail(AXON_ERR_NOT_FOUND,
                  std::string("no kernel named '") + name + "' in " + lib->dir +
                      (list.empty() ? " (the library is empty)" : " (it has: " + join(list) + ")"));
    }
    std::vector<const Entry*> matching;
    std::vector<std::string> why;
    for (const Entry* e : named) {
      std::string m = args ? mismatch(*e, args, nargs) : "";
      if (m.empty())
        matching.push_back(e);
      else
        why.push_back(named.size() == 1 ? m : e->id + ": " + m);
    }
    if (matching.empty())
      return fail(AXON_ERR_SIGNATURE,
                  std::string("kernel '") + name + "' in " + lib->dir + ": " +
                      (why.size() == 1 ? why[0] : "no entry has this signature: " + join(why)));
    // Entries whose backend has a loader and whose artifact this machine can run; otherwise the
    // first reason why not (no loader, a CPU feature missing, ...).
    std::vector<std::pair<const Entry*, const Loader*>> runnable;
    std::optional<LoadFailure> first_why;
    for (const Entry* e : matching) {
      LoadFailure f;
      const Loader* loader = loader_for(*e, &f);
      std::optional<LoadFailure> unmet = loader ? loader->unmet_needs(*e) : f;
      if (!unmet)
        runnable.push_back({e, loader});
      else if (!first_why)
        first_why = unmet;
    }
    if (runnable.empty())
      return fail(first_why->status, first_why->message);
    std::set<std::string> signatures;
    for (auto& r : runnable)
      signatures.insert(r.first->signature_hash);
    if (!args && signatures.size() > 1) {
      std::vector<std::string> ids;
      for (auto& r : runnable)
        ids.push_back(r.first->id);
      return fail(AXON_ERR_SIGNATURE, std::string("several kernels are named '") + name + "' (" +
                                          join(ids) + "); pass the signature to choose one");
    }
    // The same signature for several targets this CPU runs: the most specialized target (the
    // most CPU features) wins, then the fastest measured.
    auto [best, loader] =
        *std::min_element(runnable.begin(), runnable.end(), [](const auto& x, const auto& y) {
          const Entry *a = x.first, *b = y.first;
          if (a->cpu_features.size() != b->cpu_features.size())
            return a->cpu_features.size() > b->cpu_features.size();
          return a->time_ns < b->time_ns;
        });
    const Entry& e = *best;
    std::lock_guard<std::mutex> lock(lib->mu);
    auto it = lib->loaded.find(e.id);
    if (it == lib->loaded.end()) {
      std::unique_ptr<axon_kernel> k;
      if (axon_status s = load(lib, e, *loader, &k); s != AXON_OK)
        return s;
      it = lib->loaded.emplace(e.id, std::move(k)).first;
    }
    *out = it->second.get();
    return AXON_OK;
  } catch (const std::bad_alloc&) {
    return fail(AXON_ERR_NOMEM, "axon_find: out of memory");
  } catch (const std::exception& e) {
    return fail(AXON_ERR_LOAD, std::string("axon_find: ") + e.what());
  }
}

size_t axon_kernel_arg_count(const axon_kernel* k) { return k ? k->entry.arguments.size() : 0; }

axon_status axon_kernel_arg(const axon_kernel* k, size_t i, axon_arg* arg, axon_role* role) {
  if (!k || i >= k->entry.arguments.size())
    return fail(AXON_ERR_ARGUMENT, "axon_kernel_arg: no argument " + std::to_string(i));
  describe(k->entry.arguments[i], arg, role);
  return AXON_OK;
}

int64_t axon_kernel_arg_index(const axon_kernel* k, const char* name) {
  if (!k || !name)
    return -1;
  for (size_t i = 0; i < k->entry.arguments.size(); ++i)
    if (k->entry.arguments[i].name == name)
      return static_cast<int64_t>(i);
  return -1;
}

size_t axon_kernel_arg_bytes(const axon_kernel* k, size_t i) {
  return k && i < k->arg_bytes.size() ? k->arg_bytes[i] : 0;
}

const char* axon_kernel_id(const axon_kernel* k) { return k ? k->entry.id.c_str() : nullptr; }

axon_status axon_run(axon_kernel* k, void* const* args, size_t nargs) {
  if (!k)
    return fail(AXON_ERR_ARGUMENT, "axon_run: null kernel");
  const size_t n = k->entry.arguments.size();
  if (nargs != n || (n > 0 && !args))
    return fail(AXON_ERR_ARGUMENT, "axon_run: kernel '" + k->entry.id + "' takes " +
                                       std::to_string(n) + " arguments, got " +
                                       std::to_string(nargs));
  for (size_t i = 0; i < n; ++i) {
    auto p = reinterpret_cast<uintptr_t>(args[i]);
    const Argument& a = k->entry.arguments[i];
    if (!p)
      return fail(AXON_ERR_ARGUMENT, "axon_run: argument '" + a.name + "' is a null pointer");
    if (p % static_cast<uintptr_t>(a.alignment))
      return fail(AXON_ERR_ARGUMENT, "axon_run: argument '" + a.name + "' is not aligned to " +
                                         std::to_string(a.alignment) + " bytes");
  }
  // The kernel assumes its buffers never alias (LLVM noalias scopes): what it writes must not
  // overlap anything else.
  for (size_t i = 0; i < n; ++i) {
    if (k->entry.arguments[i].role == ArgRole::Input)
      continue;
    auto lo = reinterpret_cast<uintptr_t>(args[i]), hi = lo + k->arg_bytes[i];
    for (size_t j = 0; j < n; ++j) {
      auto lo2 = reinterpret_cast<uintptr_t>(args[j]), hi2 = lo2 + k->arg_bytes[j];
      if (j != i && lo < hi2 && lo2 < hi)
        return fail(AXON_ERR_ARGUMENT, "axon_run: argument '" + k->entry.arguments[i].name + "' (" +
                                           role_name(k->entry.arguments[i].role) +
                                           ") overlaps argument '" + k->entry.arguments[j].name +
                                           "' in memory; give it a buffer of its own");
    }
  }
  char* ws = nullptr;
  if (k->workspace_bytes) {
    {
      std::lock_guard<std::mutex> lock(k->pool_mu);
      if (!k->pool.empty()) {
        ws = static_cast<char*>(k->pool.back());
        k->pool.pop_back();
      }
    }
    if (!ws)
      ws = static_cast<char*>(std::aligned_alloc(kWorkspaceAlign, k->workspace_bytes));
    if (!ws)
      return fail(AXON_ERR_NOMEM, "axon_run: cannot allocate " +
                                      std::to_string(k->workspace_bytes) +
                                      " bytes of workspace for kernel '" + k->entry.id + "'");
  }
  constexpr size_t kInline = 32;
  void* inline_bufs[kInline];
  std::vector<void*> heap_bufs;
  void** bufs = inline_bufs;
  if (k->slots.size() > kInline) {
    heap_bufs.resize(k->slots.size());
    bufs = heap_bufs.data();
  }
  for (size_t i = 0; i < k->slots.size(); ++i) {
    const Slot& s = k->slots[i];
    bufs[i] = s.bind == BufferBind::Argument ? args[s.arg] : ws + s.offset;
  }
  k->artifact->call(bufs);
  if (k->has_update)
    for (const Slot& s : k->slots)
      if (s.bind == BufferBind::Update)
        std::memcpy(args[s.arg], ws + s.offset, s.bytes);
  if (ws) {
    std::lock_guard<std::mutex> lock(k->pool_mu);
    try {
      k->pool.push_back(ws);
    } catch (const std::bad_alloc&) {
      std::free(ws); // the next call allocates a new block
    }
  }
  return AXON_OK;
}

} // extern "C"
