// Installing into, reading, verifying and pruning a kernel library directory (see library.h).
//
// Layout:  DIR/manifest.json            the entries (manifest.h)
//          DIR/objects/ID.SHA16.so       shared objects, named by content
//          DIR/kernels/ID.HASH16/        report.json, derivation.txt, kernel.c, kernel.ll,
//          certificates/ DIR/.staging/PID.NONCE/       an install in progress (outside the lock)
//          DIR/.lock                     flock()ed while the manifest changes
// An install links and copies into its staging directory without the lock, then under the lock
// renames the files into place, writes the manifest (temporary file, fsync, rename) and deletes
// files no entry references. A crash before the manifest rename leaves only unreferenced files,
// which the next change deletes.
#include "runtime/library.h"

#include <dlfcn.h>
#include <fcntl.h>
#include <signal.h>
#include <spawn.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <random>
#include <set>
#include <sstream>

#include "ir/error.h"
#include "runtime/kernel_interface.h"
#include "runtime/sha256.h"

extern char** environ;

namespace axon::rt {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::string read_text(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  if (!in)
    user_error(p.string() + ": cannot read (" + std::strerror(errno) + ")");
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

json read_json(const fs::path& p) {
  try {
    return parse_json_limited(read_text(p));
  } catch (const ManifestError& e) {
    user_error(p.string() + ": " + e.message);
  }
}

void fsync_path(const fs::path& p, bool dir) {
  int fd = ::open(p.c_str(), (dir ? O_RDONLY | O_DIRECTORY : O_RDONLY) | O_CLOEXEC);
  if (fd < 0)
    return;
  ::fsync(fd);
  ::close(fd);
}

// Writes DATA to PATH, flushed to disk.
void write_synced(const fs::path& path, const std::string& data) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0)
    user_error(path.string() + ": cannot write (" + std::strerror(errno) + ")");
  size_t done = 0;
  while (done < data.size()) {
    ssize_t w = ::write(fd, data.data() + done, data.size() - done);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0) {
      std::string why = std::strerror(errno);
      ::close(fd);
      user_error(path.string() + ": cannot write (" + why + ")");
    }
    done += static_cast<size_t>(w);
  }
  if (::fsync(fd) != 0 || ::close(fd) != 0)
    user_error(path.string() + ": cannot write (" + std::strerror(errno) + ")");
}

std::string file_sha256(const fs::path& p) { return sha256_hex(read_text(p)); }

std::string unique_suffix() {
  static std::atomic<unsigned> counter{0};
  std::random_device rd;
  std::ostringstream s;
  s << ::getpid() << "." << counter++ << "." << std::hex << rd();
  return s.str();
}

bool process_alive(const std::string& name) {
  // Staging directories and temporary manifests start with the pid of their writer.
  char* end = nullptr;
  long pid = std::strtol(name.c_str(), &end, 10);
  if (end == name.c_str() || pid <= 0)
    return false;
  return ::kill(static_cast<pid_t>(pid), 0) == 0 || errno == EPERM;
}

// flock() on DIR/.lock for the lifetime of the object; the kernel drops it if we die.
class LibraryLock {
public:
  explicit LibraryLock(const fs::path& lib) {
    fs::path p = lib / ".lock";
    fd_ = ::open(p.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd_ < 0)
      user_error(p.string() + ": cannot open the library lock (" + std::strerror(errno) + ")");
    while (::flock(fd_, LOCK_EX) != 0)
      if (errno != EINTR)
        user_error(p.string() + ": cannot lock the library (" + std::strerror(errno) + ")");
  }
  ~LibraryLock() { ::close(fd_); }
  LibraryLock(const LibraryLock&) = delete;
  LibraryLock& operator=(const LibraryLock&) = delete;

private:
  int fd_ = -1;
};

// A staging directory removed when the install ends, however it ends.
struct Staging {
  fs::path dir;
  explicit Staging(const fs::path& lib) : dir(lib / ".staging" / unique_suffix()) {
    fs::create_directories(dir);
  }
  ~Staging() {
    std::error_code ec;
    fs::remove_all(dir, ec);
  }
};

Manifest load_manifest(const fs::path& lib, bool missing_ok) {
  fs::path p = lib / "manifest.json";
  if (!fs::exists(p)) {
    if (missing_ok)
      return Manifest{};
    user_error(lib.string() +
               ": no manifest.json here; is this a kernel library? (install one with axon-synth "
               "--library " +
               lib.string() + ")");
  }
  try {
    return parse_manifest(read_text(p));
  } catch (const ManifestError& e) {
    user_error(p.string() + ": " + e.message +
               (e.kind == ManifestError::Newer
                    ? ""
                    : "; the library will not be changed until it is fixed"));
  }
}

void write_manifest(const fs::path& lib, const Manifest& m) {
  fs::path tmp = lib / ("manifest.json.tmp." + unique_suffix());
  write_synced(tmp, manifest_to_json(m).dump(2) + "\n");
  std::error_code ec;
  fs::rename(tmp, lib / "manifest.json", ec);
  if (ec) {
    fs::remove(tmp, ec);
    user_error((lib / "manifest.json").string() + ": cannot replace (" + ec.message() + ")");
  }
  fsync_path(lib, true);
}

// Deletes what no entry references: old objects and kernel directories, staging directories and
// temporary manifests of processes that died. Called with the lock held.
void collect_garbage(const fs::path& lib, const Manifest& m) {
  std::set<std::string> keep_objects, keep_dirs;
  for (auto& e : m.kernels) {
    keep_objects.insert(fs::path(e.object.path).filename().string());
    for (auto* list : {&e.files, &e.certificates})
      for (auto& f : *list) {
        fs::path p(f.path);
        auto it = p.begin();
        if (it != p.end() && *it == "kernels" && ++it != p.end())
          keep_dirs.insert(it->string());
      }
  }
  std::error_code ec;
  for (auto& d : fs::directory_iterator(lib / "objects", ec))
    if (!keep_objects.count(d.path().filename().string()))
      fs::remove(d.path(), ec);
  for (auto& d : fs::directory_iterator(lib / "kernels", ec))
    if (!keep_dirs.count(d.path().filename().string()))
      fs::remove_all(d.path(), ec);
  for (auto& d : fs::directory_iterator(lib / ".staging", ec))
    if (!process_alive(d.path().filename().string()))
      fs::remove_all(d.path(), ec);
  for (auto& d : fs::directory_iterator(lib, ec)) {
    std::string n = d.path().filename().string();
    if (n.rfind("manifest.json.tmp.", 0) == 0 && !process_alive(n.substr(18)))
      fs::remove(d.path(), ec);
  }
}

// The linker: $AXON_LINKER, else a C compiler driver on PATH (it knows where libc, libm and
// libmvec live).
std::string find_linker(const std::string& requested) {
  std::string want = requested;
  if (want.empty())
    if (const char* e = std::getenv("AXON_LINKER"); e && *e)
      want = e;
  auto executable = [](const fs::path& p) {
    return ::access(p.c_str(), X_OK) == 0 && !fs::is_directory(p);
  };
  std::vector<std::string> names = want.empty()
                                       ? std::vector<std::string>{"cc", "gcc", "g++", "c++"}
                                       : std::vector<std::string>{want};
  for (auto& n : names) {
    if (n.find('/') != std::string::npos) {
      if (executable(n))
        return n;
      continue;
    }
    const char* path = std::getenv("PATH");
    std::stringstream ss(path ? path : "/usr/bin:/bin");
    std::string dir;
    while (std::getline(ss, dir, ':'))
      if (!dir.empty() && executable(fs::path(dir) / n))
        return (fs::path(dir) / n).string();
  }
  if (!want.empty())
    user_error("the linker '" + want + "' (AXON_LINKER) was not found or is not executable");
  user_error(
      "no linker found to make the kernel's shared object: install gcc (Debian: build-essential; "
      "scripts/setup.sh installs it), or set AXON_LINKER to a C compiler driver");
}

// Links OBJ and the C file ABI (the ABI hash string) into the shared object SO; a failure is a
// UserError quoting the linker's output.
void link_shared(const std::string& linker, const fs::path& obj, const fs::path& abi,
                 const fs::path& so, const fs::path& log) {
  std::vector<std::string> args = {
      linker,       "-shared",     "-fPIC",           "-o",     so.string(), obj.string(),
      abi.string(), "-Wl,-z,defs", "-Wl,--as-needed", "-lmvec", "-lm", "-lpthread"};
  std::vector<char*> argv;
  for (auto& a : args)
    argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
  posix_spawn_file_actions_adddup2(&fa, 1, 2);
  pid_t pid = 0;
  int rc = posix_spawn(&pid, linker.c_str(), &fa, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  std::string cmd;
  for (auto& a : args)
    cmd += (cmd.empty() ? "" : " ") + a;
  if (rc != 0)
    user_error("cannot run the linker (" + cmd + "): " + std::strerror(rc));
  int status = 0;
  while (::waitpid(pid, &status, 0) < 0)
    if (errno != EINTR)
      user_error("waiting for the linker: " + std::string(std::strerror(errno)));
  if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
    std::string out;
    std::ifstream in(log);
    std::ostringstream ss;
    ss << in.rdbuf();
    user_error("linking the kernel into a shared object failed: " + cmd + "\n" + ss.str());
  }
}

// Loads the shared object once, as the runtime will, to catch missing libraries or symbols now.
void check_loads(const fs::path& so, const std::string& symbol, const std::string& abi) {
  void* h = dlopen(so.c_str(), RTLD_NOW | RTLD_LOCAL);
  if (!h) {
    const char* e = dlerror();
    user_error("the linked kernel " + so.string() + " does not load: " + (e ? e : "dlopen failed"));
  }
  bool has = dlsym(h, symbol.c_str()) != nullptr;
  auto* got = static_cast<const char*>(dlsym(h, (symbol + "_abi").c_str()));
  bool abi_ok = got && abi == got;
  dlclose(h);
  if (!has)
    user_error("the linked kernel " + so.string() + " has no symbol " + symbol);
  if (!abi_ok)
    internal_error("the linked kernel " + so.string() + " does not carry its ABI hash");
}

std::string utc_now() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

template <typename T> T report_field(const json& r, const std::string& ptr, const fs::path& where) {
  try {
    return r.at(json::json_pointer(ptr)).get<T>();
  } catch (const json::exception&) {
    user_error(where.string() + ": " + ptr + ": missing or of the wrong type");
  }
}

// Copies the files of a run worth keeping next to the object; returns them relative to STAGE.
std::vector<std::string> copy_bundle(const fs::path& out, const fs::path& stage) {
  std::vector<std::string> rel;
  for (const char* f : {"report.json", "derivation.txt", "kernel.c", "kernel.ll", "kernel.json"}) {
    if (!fs::exists(out / f))
      continue;
    write_synced(stage / f, read_text(out / f));
    rel.push_back(f);
  }
  if (fs::is_directory(out / "smt")) {
    for (auto& d : fs::recursive_directory_iterator(out / "smt")) {
      if (!d.is_regular_file())
        continue;
      fs::path r = fs::path("certificates") / fs::relative(d.path(), out / "smt");
      fs::create_directories((stage / r).parent_path());
      write_synced(stage / r, read_text(d.path()));
      rel.push_back(r.generic_string());
    }
  }
  std::sort(rel.begin(), rel.end());
  return rel;
}

} // namespace

std::string default_library_dir() {
  if (const char* d = std::getenv("AXON_LIBRARY_DIR"); d && *d)
    return d;
  return "axon-lib";
}

Manifest read_library(const std::string& lib_dir) { return load_manifest(lib_dir, false); }

InstallResult install_kernel(const std::string& out_dir, const std::string& lib_dir,
                             const InstallOptions& o) {
  fs::path out(out_dir), lib(lib_dir);
  if (!fs::is_directory(out))
    user_error(out_dir + ": no such output directory (run axon-synth -o " + out_dir + " first)");
  fs::path report_path = out / "report.json";
  json report = read_json(report_path);
  if (report_field<int>(report, "/schema_version", report_path) != 1)
    user_error(report_path.string() + ": /schema_version: expected 1");
  if (!report.contains("best") || report["best"].is_null())
    user_error(report_path.string() +
               ": /best: this run found no valid kernel; there is nothing to install");
  if (!fs::exists(out / "kernel.json"))
    user_error((out / "kernel.json").string() +
               ": missing; the output directory is incomplete or older than kernel.json (run "
               "axon-synth again)");
  KernelInterface ki =
      interface_from_json(read_json(out / "kernel.json"), (out / "kernel.json").string());
  if (!fs::exists(out / "kernel.o"))
    user_error((out / "kernel.o").string() +
               ": missing; the output directory is incomplete (run axon-synth again)");

  Entry e;
  e.program_path = report_field<std::string>(report, "/inputs/program/path", report_path);
  e.program_hash = report_field<std::string>(report, "/inputs/program/hash", report_path);
  e.isa_path = report_field<std::string>(report, "/inputs/isa/path", report_path);
  e.isa_hash = report_field<std::string>(report, "/inputs/isa/hash", report_path);
  e.name = o.name.empty() ? fs::path(e.program_path).stem().string() : o.name;
  if (!valid_kernel_name(e.name))
    user_error("'" + e.name +
               "' is not a kernel name: use letters, digits, '_', '-' and '.' (and do not start "
               "with '.' or '-')");
  e.arguments = ki.arguments;
  e.signature_hash = signature_hash(e.arguments);
  e.buffers = ki.buffers;
  e.symbol = ki.symbol;
  e.target = ki.target;
  e.cpu_features = ki.cpu_features;
  e.id = e.name + "." + e.target + "." + e.signature_hash;
  e.time_ns = report_field<double>(report, "/best/time_ns/median", report_path);
  if (report.contains("baseline") && report["baseline"].is_object() && report["baseline"].contains("time_ns"))
    e.baseline_time_ns = report_field<double>(report, "/baseline/time_ns/median", report_path);
  e.tool = report_field<std::string>(report, "/tool", report_path);
  e.installed_at = utc_now();
  json& best = report["best"];
  e.derivation = {{"variant", best.value("variant", "as written")},
                  {"fused_temporaries", best.value("fused_temporaries", json::array())},
                  {"steps", best.value("derivation", json::array())},
                  {"schedule", best.value("schedule", json(nullptr))}};

  fs::create_directories(lib / ".staging");
  fs::create_directories(lib / "objects");
  fs::create_directories(lib / "kernels");
  Staging stage(lib);
  fs::path so = stage.dir / "kernel.so", abi_c = stage.dir / "abi.c";
  std::string abi = abi_hash(e);
  write_synced(abi_c, "const char " + e.symbol + "_abi[] = \"" + abi + "\";\n");
  link_shared(find_linker(o.linker), out / "kernel.o", abi_c, so, stage.dir / "link.log");
  fsync_path(so, false);
  check_loads(so, e.symbol, abi);
  std::string so_sha = file_sha256(so);
  e.object = {"objects/" + e.id + "." + so_sha.substr(0, 16) + ".so", so_sha};

  fs::path bundle = stage.dir / "bundle";
  fs::create_directories(bundle);
  std::vector<std::string> rel = copy_bundle(out, bundle);
  std::vector<std::pair<std::string, std::string>> hashed;
  std::string listing;
  for (auto& r : rel) {
    hashed.push_back({r, file_sha256(bundle / r)});
    listing += r + " " + hashed.back().second + "\n";
  }
  std::string bundle_dir = "kernels/" + e.id + "." + sha256_hex(listing).substr(0, 16);
  for (auto& [r, sha] : hashed) {
    FileRef f{bundle_dir + "/" + r, sha};
    if (r.rfind("certificates/", 0) == 0)
      e.certificates.push_back(f);
    else
      e.files.push_back(f);
    if (r == "derivation.txt")
      e.derivation["text"] = f.path;
  }
  // The entry must read back as written: the same checks the runtime applies.
  try {
    if (!(entry_from_json(entry_to_json(e), "/entry") == e))
      internal_error("manifest entry does not round-trip");
  } catch (const ManifestError& err) {
    internal_error("the new manifest entry is invalid: " + err.message);
  }

  InstallResult result;
  LibraryLock lock(lib);
  Manifest m = load_manifest(lib, true);
  std::error_code ec;
  // Objects and bundles are named by content: one already in place is the same file, unless it
  // was damaged, in which case ours replaces it.
  fs::path obj_final = lib / e.object.path;
  if (!fs::exists(obj_final) || file_sha256(obj_final) != so_sha) {
    fs::rename(so, obj_final, ec);
    if (ec)
      user_error(obj_final.string() + ": cannot install (" + ec.message() + ")");
  }
  fs::path bundle_final = lib / bundle_dir;
  bool bundle_ok = fs::is_directory(bundle_final);
  for (auto& [r, sha] : hashed)
    bundle_ok = bundle_ok && fs::exists(bundle_final / r) && file_sha256(bundle_final / r) == sha;
  if (!bundle_ok) {
    fs::remove_all(bundle_final, ec);
    fs::rename(bundle, bundle_final, ec);
    if (ec)
      user_error(bundle_final.string() + ": cannot install (" + ec.message() + ")");
  }
  fsync_path(lib / "objects", true);
  fsync_path(lib / "kernels", true);
  auto it = std::find_if(m.kernels.begin(), m.kernels.end(),
                         [&](const Entry& x) { return x.id == e.id; });
  result.replaced = it != m.kernels.end();
  if (result.replaced)
    m.kernels.erase(it);
  m.kernels.push_back(e);
  std::sort(m.kernels.begin(), m.kernels.end(),
            [](const Entry& a, const Entry& b) { return a.id < b.id; });
  m.schema_version = kManifestSchema;
  write_manifest(lib, m);
  collect_garbage(lib, m);
  result.entry = e;
  return result;
}

std::vector<std::string> verify_entry(const std::string& lib_dir, const Entry& e) {
  std::vector<std::string> problems;
  auto check = [&](const FileRef& f, const char* what) {
    fs::path p = fs::path(lib_dir) / f.path;
    std::ifstream in(p, std::ios::binary);
    if (!in) {
      problems.push_back(std::string(what) + " " + f.path + " is missing");
      return;
    }
    std::ostringstream ss;
    ss << in.rdbuf();
    std::string got = sha256_hex(ss.str());
    if (got != f.sha256)
      problems.push_back(std::string(what) + " " + f.path + ": sha256 " + got +
                         " differs from the manifest's " + f.sha256);
  };
  check(e.object, "object");
  for (auto& f : e.files)
    check(f, "file");
  for (auto& f : e.certificates)
    check(f, "certificate");
  return problems;
}

size_t remove_kernels(const std::string& lib_dir, const std::string& key) {
  fs::path lib(lib_dir);
  load_manifest(lib, false); // a clear error before taking the lock of a non-library
  LibraryLock lock(lib);
  Manifest m = load_manifest(lib, false);
  size_t before = m.kernels.size();
  std::erase_if(m.kernels, [&](const Entry& e) { return e.id == key || e.name == key; });
  size_t removed = before - m.kernels.size();
  if (removed == 0)
    user_error(lib_dir + ": no kernel named '" + key + "' (and no entry with that id)");
  write_manifest(lib, m);
  std::error_code ec;
  fs::create_directories(lib / "objects", ec);
  fs::create_directories(lib / "kernels", ec);
  fs::create_directories(lib / ".staging", ec);
  collect_garbage(lib, m);
  return removed;
}

} // namespace axon::rt
