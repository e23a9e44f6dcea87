// A thin C++ wrapper over the C ABI of libaxon_runtime (axon_runtime.h): RAII for the library,
// exceptions carrying the status code for errors.
//
//   axon::runtime::Library lib("axon-lib");
//   axon::runtime::Kernel k = lib.find("rmsnorm_matmul", {{"x", "f32", {64, 32}}, ...});
//   k.run({x.data(), g.data(), w.data(), y.data()});
#pragma once

#include <cstdint>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "axon_runtime.h"

namespace axon::runtime {

class Error : public std::runtime_error {
public:
  Error(axon_status code, const std::string& msg) : std::runtime_error(msg), code_(code) {}
  axon_status code() const { return code_; }

private:
  axon_status code_;
};

inline void check(axon_status s) {
  if (s != AXON_OK)
    throw Error(s, axon_last_error());
}

struct ArgSpec {
  std::string name;
  std::string dtype;
  std::vector<int64_t> shape;
};

// A loaded kernel; valid while its Library lives.
class Kernel {
public:
  explicit Kernel(axon_kernel* k) : k_(k) {}
  void run(const std::vector<void*>& args) const { check(axon_run(k_, args.data(), args.size())); }
  size_t arg_count() const { return axon_kernel_arg_count(k_); }
  int64_t arg_index(const std::string& name) const {
    return axon_kernel_arg_index(k_, name.c_str());
  }
  std::string id() const { return axon_kernel_id(k_); }
  axon_kernel* get() const { return k_; }

private:
  axon_kernel* k_;
};

class Library {
public:
  explicit Library(const std::string& dir) {
    axon_library* lib = nullptr;
    check(axon_open(dir.c_str(), &lib));
    lib_.reset(lib);
  }
  // The kernel NAME with exactly this signature (any order).
  Kernel find(const std::string& name, const std::vector<ArgSpec>& sig) const {
    std::vector<axon_arg> args;
    for (auto& a : sig)
      args.push_back(
          {a.name.c_str(), a.dtype.c_str(), static_cast<int32_t>(a.shape.size()), a.shape.data()});
    axon_kernel* k = nullptr;
    check(axon_find(lib_.get(), name.c_str(), args.data(), args.size(), &k));
    return Kernel(k);
  }
  // The only kernel named NAME that this CPU can run.
  Kernel find(const std::string& name) const {
    axon_kernel* k = nullptr;
    check(axon_find(lib_.get(), name.c_str(), nullptr, 0, &k));
    return Kernel(k);
  }
  size_t size() const { return axon_kernel_count(lib_.get()); }
  std::string entry_id(size_t i) const { return axon_entry_id(lib_.get(), i); }
  // The backend of the i-th entry ("llvm" for CPU kernels).
  std::string entry_backend(size_t i) const { return axon_entry_backend(lib_.get(), i); }

private:
  struct Close {
    void operator()(axon_library* l) const { axon_close(l); }
  };
  std::unique_ptr<axon_library, Close> lib_;
};

} // namespace axon::runtime
