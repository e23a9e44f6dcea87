// The CPU shared-object loader (see cpu_loader.h).
#include "runtime/cpu_loader.h"

#include <dlfcn.h>
#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <mutex>
#include <set>

#include "runtime/cpu_features.h"

namespace axon::rt {

namespace {

std::string join(const std::vector<std::string>& v) {
  std::string s;
  for (auto& x : v)
    s += (s.empty() ? "" : ", ") + x;
  return s;
}

// Every object loaded in this process, to catch dlopen() handing back one we already have.
std::mutex g_loaded_mu;
std::set<void*> g_loaded;

class SharedObject : public LoadedArtifact {
public:
  SharedObject(void* handle, int memfd) : handle_(handle), memfd_(memfd) {}
  ~SharedObject() override {
    {
      std::lock_guard<std::mutex> lock(g_loaded_mu);
      g_loaded.erase(handle_);
    }
    dlclose(handle_);
    ::close(memfd_);
  }
  SharedObject(const SharedObject&) = delete;
  SharedObject& operator=(const SharedObject&) = delete;
  void call(void** buffers) const override { fn_(buffers); }
  void (*fn_)(void**) = nullptr;

private:
  void* handle_;
  int memfd_;
};

class CpuLoader : public Loader {
public:
  std::string backend() const override { return "llvm"; }
  std::vector<std::string> kinds() const override { return {"shared_object"}; }

  std::optional<LoadFailure> unmet_needs(const Entry& e) const override {
    std::vector<std::string> lack, unknown;
    for (auto& f : e.cpu_features) {
      int s = cpu_supports(f);
      if (s == 0)
        lack.push_back(f);
      if (s < 0)
        unknown.push_back(f);
    }
    if (!lack.empty())
      return LoadFailure{AXON_ERR_CPU,
                         "kernel '" + e.id + "' needs CPU feature(s) " + join(lack) +
                             ", which this CPU lacks; install a kernel synthesized for this "
                             "CPU's target (e.g. --isa targets/avx2.json)"};
    if (!unknown.empty())
      return LoadFailure{AXON_ERR_CPU, "kernel '" + e.id + "' needs CPU feature(s) " +
                                           join(unknown) + ", which this runtime cannot check"};
    return std::nullopt;
  }

  std::unique_ptr<LoadedArtifact> open(const Entry& e, const std::string& bytes,
                                       LoadFailure* why) const override {
    auto failed = [&](axon_status s, std::string msg) {
      *why = LoadFailure{s, std::move(msg)};
      return nullptr;
    };
    int fd = memfd_create(("axon:" + e.id).c_str(), MFD_CLOEXEC);
    if (fd < 0)
      return failed(AXON_ERR_LOAD, std::string("memfd_create: ") + std::strerror(errno));
    size_t done = 0;
    while (done < bytes.size()) {
      ssize_t w = ::write(fd, bytes.data() + done, bytes.size() - done);
      if (w < 0 && errno == EINTR)
        continue;
      if (w <= 0) {
        std::string err = std::strerror(w == 0 ? EIO : errno);
        ::close(fd);
        return failed(AXON_ERR_LOAD, "writing the object to memory: " + err);
      }
      done += static_cast<size_t>(w);
    }
    std::string fdpath = "/proc/self/fd/" + std::to_string(fd);
    void* h = dlopen(fdpath.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!h) {
      const char* d = dlerror();
      ::close(fd);
      return failed(AXON_ERR_LOAD, "cannot load the object of kernel '" + e.id +
                                       "': " + (d ? d : "dlopen failed"));
    }
    {
      std::lock_guard<std::mutex> lock(g_loaded_mu);
      if (!g_loaded.insert(h).second) {
        dlclose(h);
        ::close(fd);
        return failed(AXON_ERR_LOAD,
                      "dlopen returned an object this process had already loaded for another "
                      "kernel");
      }
    }
    auto so = std::make_unique<SharedObject>(h, fd); // unloads on every return below
    so->fn_ = reinterpret_cast<void (*)(void**)>(dlsym(h, e.symbol.c_str()));
    if (!so->fn_)
      return failed(AXON_ERR_LOAD, "the object of kernel '" + e.id + "' has no symbol " + e.symbol);
    // The object names the interface it was built for; a manifest edited since cannot call it.
    auto* abi = static_cast<const char*>(dlsym(h, (e.symbol + "_abi").c_str()));
    std::string want = abi_hash(e);
    if (!abi || std::strncmp(abi, want.c_str(), want.size() + 1) != 0)
      return failed(AXON_ERR_CORRUPT,
                    "the manifest's signature of kernel '" + e.id +
                        "' differs from the one its object was built for (its ABI hash " +
                        (abi ? std::string(abi, strnlen(abi, 64)) : std::string("(absent)")) +
                        " differs from the manifest entry's " + want +
                        "): the manifest was edited or corrupted; reinstall the kernel");
    return so;
  }
};

} // namespace

std::unique_ptr<Loader> make_cpu_loader() { return std::make_unique<CpuLoader>(); }

} // namespace axon::rt
