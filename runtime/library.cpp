// Installing into, reading, verifying and pruning a kernel library directory (see library.h).
//
// Layout:  DIR/manifest.json            the entries (manifest.h)
//          DIR/.axon-library.json       marks DIR as a kernel library and lists every file and
//                                       directory the library wrote (the ledger)
//          DIR/objects/ID.SHA16.so       shared objects, named by content
//          DIR/kernels/ID.HASH16/        report.json, derivation.txt, kernel.c, kernel.ll,
//                                       certificates/
//          DIR/.staging/PID.NONCE/       an install in progress (outside the lock)
//          DIR/.lock                     flock()ed while the manifest changes; holds the holder's
//                                       pid, host and start time
// An install links and copies into its staging directory without the lock, then under the lock
// adds what it will place to the ledger, renames the files into place, writes the manifest
// (temporary file, fsync, rename) and deletes what the ledger lists and no entry references. A
// crash before the manifest rename leaves only ledger-listed, unreferenced files, which the next
// change deletes. Nothing the ledger does not list is ever deleted, and no deletion follows a
// symbolic link (every path is walked with openat(O_NOFOLLOW) from DIR).
#include "runtime/library.h"

#include <dirent.h>
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
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <optional>
#include <random>
#include <set>
#include <sstream>
#include <thread>

#include "ir/error.h"
#include "runtime/file_io.h"
#include "runtime/kernel_interface.h"
#include "runtime/loader.h"
#include "runtime/sha256.h"

extern char** environ;

namespace axon::rt {

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

constexpr const char* kLedgerName = ".axon-library.json";
constexpr const char* kLedgerKey = "axon_kernel_library";

std::string read_text(const fs::path& p, int64_t max_bytes = axon::limits::kMaxInputFileBytes) {
  std::string out, why;
  if (!read_regular_file(p.string(), max_bytes, &out, &why))
    user_error(p.string() + ": cannot read (" + why + ")");
  return out;
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

// Creates directory P (and its parents); a failure is a UserError naming it.
void make_dirs(const fs::path& p) {
  std::error_code ec;
  fs::create_directories(p, ec);
  if (ec)
    user_error(p.string() + ": cannot create the directory (" + ec.message() + ")");
}

// Writes DATA to PATH, flushed to disk. PATH must not exist as a symlink (O_NOFOLLOW).
void write_synced(const fs::path& path, const std::string& data) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644);
  if (fd < 0)
    user_error(path.string() + ": cannot write (" + std::strerror(errno) + ")");
  size_t done = 0;
  while (done < data.size()) {
    ssize_t w = ::write(fd, data.data() + done, data.size() - done);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0) {
      std::string why = std::strerror(w == 0 ? EIO : errno);
      ::close(fd);
      ::unlink(path.c_str());
      user_error(path.string() + ": cannot write (" + why + ")");
    }
    done += static_cast<size_t>(w);
  }
  if (::fsync(fd) != 0) {
    std::string why = std::strerror(errno);
    ::close(fd);
    ::unlink(path.c_str());
    user_error(path.string() + ": cannot write (" + why + ")");
  }
  if (::close(fd) != 0)
    user_error(path.string() + ": cannot write (" + std::strerror(errno) + ")");
}

std::string file_sha256(const fs::path& p) { return sha256_hex(read_text(p, kMaxObjectBytes)); }

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

std::string utc_now() {
  std::time_t t = std::time(nullptr);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}

// ---- deleting inside the library, never through a symlink ---------------------------------------

// A directory file descriptor closed when it goes out of scope.
struct Fd {
  int fd = -1;
  explicit Fd(int f = -1) : fd(f) {}
  ~Fd() {
    if (fd >= 0)
      ::close(fd);
  }
  Fd(Fd&& o) noexcept : fd(o.fd) { o.fd = -1; }
  Fd& operator=(Fd&& o) noexcept {
    std::swap(fd, o.fd);
    return *this;
  }
};

std::vector<std::string> split_path(const std::string& rel) {
  std::vector<std::string> parts;
  std::stringstream ss(rel);
  std::string part;
  while (std::getline(ss, part, '/'))
    if (!part.empty())
      parts.push_back(part);
  return parts;
}

// Opens the directory REL (components separated by '/') below DIRFD without following a symlink
// at any step; -1 when a component is missing, not a directory, or a symlink.
int open_dir_nofollow(int dirfd, const std::vector<std::string>& parts, size_t n) {
  int cur = ::dup(dirfd);
  for (size_t i = 0; i < n && cur >= 0; ++i) {
    int next = ::openat(cur, parts[i].c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    ::close(cur);
    cur = next;
  }
  return cur;
}

// Gone: it was not there; NotOurs: something else is there now (a symlink, a directory where a
// file was written, a directory holding other files); Failed: an error (permissions, I/O).
enum class Removed { Yes, Gone, NotOurs, Failed };

// Removes the regular file (or, with DIR, the empty directory) REL below the library LIBFD, if it
// is one: a symlink, or a file where a directory was written, is left alone.
Removed remove_inside(int libfd, const std::string& rel, bool dir) {
  std::vector<std::string> parts = split_path(rel);
  if (parts.empty())
    return Removed::NotOurs;
  Fd parent(open_dir_nofollow(libfd, parts, parts.size() - 1));
  if (parent.fd < 0)
    return errno == ENOENT                      ? Removed::Gone
           : errno == ELOOP || errno == ENOTDIR ? Removed::NotOurs
                                                : Removed::Failed;
  struct stat st;
  if (::fstatat(parent.fd, parts.back().c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0)
    return errno == ENOENT ? Removed::Gone : Removed::Failed;
  if (dir ? !S_ISDIR(st.st_mode) : !S_ISREG(st.st_mode))
    return Removed::NotOurs;
  if (::unlinkat(parent.fd, parts.back().c_str(), dir ? AT_REMOVEDIR : 0) != 0)
    return errno == ENOENT                         ? Removed::Gone
           : errno == ENOTEMPTY || errno == EEXIST ? Removed::NotOurs
                                                   : Removed::Failed;
  return Removed::Yes;
}

// Removes the directory NAME below DIRFD and everything in it, never following a symlink (a
// symlink inside is removed as a link). Used only for the library's own staging directories.
void remove_tree_nofollow(int dirfd, const std::string& name, int depth = 0) {
  struct stat st;
  if (::fstatat(dirfd, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0)
    return;
  if (!S_ISDIR(st.st_mode)) {
    ::unlinkat(dirfd, name.c_str(), 0);
    return;
  }
  if (depth > 64)
    return;
  int fd = ::openat(dirfd, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
  if (fd < 0)
    return;
  DIR* d = ::fdopendir(fd);
  if (!d) {
    ::close(fd);
    return;
  }
  std::vector<std::string> names;
  while (dirent* e = ::readdir(d))
    if (std::strcmp(e->d_name, ".") != 0 && std::strcmp(e->d_name, "..") != 0)
      names.push_back(e->d_name);
  for (auto& n : names)
    remove_tree_nofollow(::dirfd(d), n, depth + 1);
  ::closedir(d);
  ::unlinkat(dirfd, name.c_str(), AT_REMOVEDIR);
}

// ---- the ledger: what this library wrote ------------------------------------------------------

// Paths relative to the library: files as "objects/x.so", directories with a trailing '/'.
using Ledger = std::set<std::string>;

bool is_link(const fs::path& p) {
  struct stat st;
  return ::lstat(p.c_str(), &st) == 0 && S_ISLNK(st.st_mode);
}

Ledger parse_ledger(const fs::path& lib, const std::string& text) {
  fs::path p = lib / kLedgerName;
  json j;
  try {
    j = parse_json_limited(text);
  } catch (const ManifestError& e) {
    user_error(p.string() + ": " + e.message +
               "; the library will not be changed until it is fixed");
  }
  if (!j.is_object() || !j.contains(kLedgerKey) || !j[kLedgerKey].is_number_integer() ||
      j[kLedgerKey].get<int64_t>() != 1 || !j.contains("written") || !j["written"].is_array())
    user_error(p.string() + ": not a kernel library marker this axon-synth reads (expected {\"" +
               kLedgerKey +
               "\": 1, \"written\": [...]}); the library will not be changed until it is fixed");
  Ledger out;
  for (size_t i = 0; i < j["written"].size(); ++i) {
    const json& v = j["written"][i];
    std::string s = v.is_string() ? v.get<std::string>() : "";
    std::string plain = !s.empty() && s.back() == '/' ? s.substr(0, s.size() - 1) : s;
    if (!safe_relative_path(plain))
      user_error(p.string() + ": /written/" + std::to_string(i) +
                 ": expected a relative path inside the library");
    out.insert(s);
  }
  return out;
}

std::string ledger_text(const Ledger& l) {
  return json{{kLedgerKey, 1}, {"written", json(std::vector<std::string>(l.begin(), l.end()))}}
             .dump(1) +
         "\n";
}

Ledger read_ledger(const fs::path& lib) { return parse_ledger(lib, read_text(lib / kLedgerName)); }

void write_ledger(const fs::path& lib, const Ledger& l) {
  fs::path tmp = lib / (std::string(kLedgerName) + ".tmp." + unique_suffix());
  write_synced(tmp, ledger_text(l));
  std::error_code ec;
  fs::rename(tmp, lib / kLedgerName, ec);
  if (ec) {
    fs::remove(tmp, ec);
    user_error((lib / kLedgerName).string() + ": cannot replace (" + ec.message() + ")");
  }
  fsync_path(lib, true);
}

// Creates the marker with ledger L unless one exists (link() fails rather than replace it, so
// concurrent installers into a new directory never overwrite each other's ledger).
void create_ledger(const fs::path& lib, const Ledger& l) {
  fs::path tmp = lib / (std::string(kLedgerName) + ".tmp." + unique_suffix());
  write_synced(tmp, ledger_text(l));
  int rc = ::link(tmp.c_str(), (lib / kLedgerName).c_str());
  int err = errno;
  ::unlink(tmp.c_str());
  if (rc != 0 && err != EEXIST)
    user_error((lib / kLedgerName).string() + ": cannot create (" + std::strerror(err) + ")");
  fsync_path(lib, true);
}

// What the manifest references: its files and the directories that hold them.
Ledger referenced(const Manifest& m) {
  Ledger out;
  auto add = [&](const std::string& path) {
    out.insert(path);
    for (size_t slash = path.find('/'); slash != std::string::npos;
         slash = path.find('/', slash + 1))
      out.insert(path.substr(0, slash + 1));
  };
  for (auto& e : m.kernels) {
    add(e.object.path);
    for (auto& f : e.files)
      add(f.path);
    for (auto& f : e.certificates)
      add(f.path);
  }
  return out;
}

bool empty_dir(const fs::path& p) {
  std::error_code ec;
  return fs::directory_iterator(p, ec) == fs::directory_iterator() && !ec;
}

// Makes sure LIB is a kernel library this process may change: a new or empty directory (made one
// now, when CREATE), or one with the library's marker; an older library (a valid manifest, no
// marker) gets a marker listing the files its manifest references. Anything else is refused, as
// are symlinks where the library keeps its own files.
void claim_library(const fs::path& lib, bool create) {
  struct stat st;
  if (::stat(lib.c_str(), &st) != 0) {
    if (errno != ENOENT && errno != ENOTDIR)
      user_error(lib.string() + ": cannot use as a kernel library (" + std::strerror(errno) + ")");
    if (!create)
      user_error(lib.string() + ": no such kernel library (install one with axon-synth --library=" +
                 lib.string() + ")");
    make_dirs(lib);
  } else if (!S_ISDIR(st.st_mode)) {
    user_error(lib.string() + ": not a directory; a kernel library is a directory");
  }
  for (const char* sub : {"objects", "kernels", ".staging", ".lock", "manifest.json", kLedgerName})
    if (is_link(lib / sub))
      user_error((lib / sub).string() +
                 " is a symbolic link: a kernel library keeps its own files in DIR itself and "
                 "never writes or deletes through a link (it could reach files the library did "
                 "not write); replace the link by a directory or file of its own, or use another "
                 "library directory");
  for (const char* sub : {"objects", "kernels", ".staging"}) {
    std::error_code ec;
    if (fs::exists(lib / sub, ec) && !fs::is_directory(lib / sub, ec))
      user_error((lib / sub).string() + ": expected a directory of the kernel library");
  }
  std::error_code ec;
  if (fs::exists(lib / kLedgerName, ec))
    return;
  if (empty_dir(lib)) {
    if (!create)
      user_error(lib.string() +
                 ": no manifest.json here; is this a kernel library? (install one "
                 "with axon-synth --library=" +
                 lib.string() + ")");
    create_ledger(lib, {});
    return;
  }
  if (fs::exists(lib / "manifest.json", ec)) {
    // A library written before the marker existed: it owns what its manifest references.
    Manifest m;
    try {
      m = parse_manifest(read_text(lib / "manifest.json"));
    } catch (const ManifestError& e) {
      user_error((lib / "manifest.json").string() + ": " + e.message +
                 "; the library will not be changed until it is fixed");
    }
    create_ledger(lib, referenced(m));
    return;
  }
  user_error(lib.string() + ": not empty and not a kernel library (no " + kLedgerName +
             "): axon-synth installs kernels only into a new or empty directory, or a library it "
             "created, because a library deletes the files it wrote and must never touch others' "
             "files; choose a new directory (e.g. --library=" +
             (lib / "axon-lib").string() + ")");
}

// ---- the lock ---------------------------------------------------------------------------------

// Seconds to wait for another process's lock: $AXON_LIBRARY_LOCK_TIMEOUT, else 60.
double lock_timeout_s() {
  const char* v = std::getenv("AXON_LIBRARY_LOCK_TIMEOUT");
  if (!v || !*v)
    return 60;
  char* end = nullptr;
  double t = std::strtod(v, &end);
  if (*end != '\0' || !std::isfinite(t) || t < 0 || t > 86400)
    user_error(std::string("AXON_LIBRARY_LOCK_TIMEOUT='") + v +
               "': expected a number of seconds from 0 to 86400");
  return t;
}

std::string host_name() {
  char buf[256] = {0};
  if (::gethostname(buf, sizeof buf - 1) != 0)
    return "?";
  return buf;
}

// flock() on DIR/.lock for the lifetime of the object; the kernel drops it if we die. The holder
// writes "pid P host H since T" into the file, so that a waiter that times out can name it.
class LibraryLock {
public:
  explicit LibraryLock(const fs::path& lib) : path_(lib / ".lock") {
    fd_ = ::open(path_.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW | O_NONBLOCK, 0644);
    if (fd_ < 0)
      user_error(path_.string() + ": cannot open the library lock (" + std::strerror(errno) + ")");
    struct stat st;
    if (::fstat(fd_, &st) != 0 || !S_ISREG(st.st_mode)) {
      ::close(fd_);
      user_error(path_.string() + ": the library lock is not a regular file");
    }
    double timeout = lock_timeout_s();
    auto start = std::chrono::steady_clock::now();
    auto pause = std::chrono::milliseconds(10);
    while (::flock(fd_, LOCK_EX | LOCK_NB) != 0) {
      if (errno == EINTR)
        continue;
      if (errno != EWOULDBLOCK) {
        std::string why = std::strerror(errno);
        ::close(fd_);
        user_error(path_.string() + ": cannot lock the library (" + why + ")");
      }
      double waited =
          std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
      if (waited >= timeout) {
        std::string holder = holder_text();
        ::close(fd_);
        user_error(path_.string() + ": the library is locked by " + holder + ", and waiting " +
                   std::to_string(static_cast<long>(std::lround(timeout))) +
                   " s did not free it; another axon-synth is installing or removing kernels. "
                   "Wait for it or stop it (the lock is released when its holder exits), or set "
                   "AXON_LIBRARY_LOCK_TIMEOUT (seconds) to wait longer");
      }
      std::this_thread::sleep_for(pause);
      pause = std::min(pause * 2, std::chrono::milliseconds(200));
    }
    std::string me =
        "pid " + std::to_string(::getpid()) + " host " + host_name() + " since " + utc_now() + "\n";
    if (::ftruncate(fd_, 0) == 0)
      (void)!::pwrite(fd_, me.data(), me.size(), 0);
  }
  ~LibraryLock() {
    (void)!::ftruncate(fd_, 0);
    ::close(fd_);
  }
  LibraryLock(const LibraryLock&) = delete;
  LibraryLock& operator=(const LibraryLock&) = delete;

private:
  std::string holder_text() const {
    char buf[256];
    ssize_t n = ::pread(fd_, buf, sizeof buf - 1, 0);
    std::string s = n > 0 ? std::string(buf, static_cast<size_t>(n)) : "";
    while (!s.empty() && (s.back() == '\n' || s.back() == '\0'))
      s.pop_back();
    for (char& c : s)
      if (static_cast<unsigned char>(c) < 0x20 || static_cast<unsigned char>(c) > 0x7e)
        c = '?';
    return s.empty() ? "a process that did not record itself (an older axon-synth, or flock(1))"
                     : s;
  }
  fs::path path_;
  int fd_ = -1;
};

// A staging directory removed when the install ends, however it ends.
struct Staging {
  fs::path dir;
  explicit Staging(const fs::path& lib) : dir(lib / ".staging" / unique_suffix()) {
    make_dirs(dir);
  }
  ~Staging() {
    Fd parent(::open(dir.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (parent.fd >= 0)
      remove_tree_nofollow(parent.fd, dir.filename().string());
  }
};

Manifest load_manifest(const fs::path& lib, bool missing_ok) {
  fs::path p = lib / "manifest.json";
  struct stat st;
  if (::lstat(p.c_str(), &st) != 0) {
    if (missing_ok)
      return Manifest{};
    user_error(lib.string() +
               ": no manifest.json here; is this a kernel library? (install one with axon-synth "
               "--library=" +
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

// Deletes what the ledger lists and no entry references (old objects and kernel files, and what
// crashed installs placed), staging directories of processes that died and their temporary
// manifests and ledgers. Nothing else: a file the library did not write survives. Called with the
// lock held.
void collect_garbage(const fs::path& lib, const Manifest& m, Ledger ledger) {
  Fd libfd(::open(lib.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
  if (libfd.fd < 0)
    return;
  Ledger keep = referenced(m);
  std::vector<std::string> files, dirs;
  for (auto& p : ledger)
    if (!keep.count(p))
      (p.back() == '/' ? dirs : files).push_back(p);
  // Deepest directories first, after the files in them.
  std::sort(dirs.begin(), dirs.end(), [](const std::string& a, const std::string& b) {
    return std::count(a.begin(), a.end(), '/') > std::count(b.begin(), b.end(), '/');
  });
  bool changed = false;
  // Deleted, gone, or something the library did not write there now: no longer listed. After an
  // error (permissions), listed still, for the next change to retry.
  for (auto& f : files)
    if (remove_inside(libfd.fd, f, false) != Removed::Failed) {
      ledger.erase(f);
      changed = true;
    }
  for (auto& d : dirs)
    if (remove_inside(libfd.fd, d.substr(0, d.size() - 1), true) != Removed::Failed) {
      ledger.erase(d);
      changed = true;
    }
  if (changed)
    write_ledger(lib, ledger);
  Fd staging(::openat(libfd.fd, ".staging", O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
  if (staging.fd >= 0) {
    if (DIR* d = ::fdopendir(::dup(staging.fd))) {
      std::vector<std::string> dead;
      while (dirent* e = ::readdir(d)) {
        std::string n = e->d_name;
        if (n != "." && n != ".." && !process_alive(n))
          dead.push_back(n);
      }
      ::closedir(d);
      for (auto& n : dead)
        remove_tree_nofollow(staging.fd, n);
    }
  }
  if (DIR* d = ::fdopendir(::dup(libfd.fd))) {
    std::vector<std::string> dead;
    const std::string tmp_manifest = "manifest.json.tmp.",
                      tmp_ledger = std::string(kLedgerName) + ".tmp.";
    while (dirent* e = ::readdir(d)) {
      std::string n = e->d_name;
      for (const std::string& prefix : {tmp_manifest, tmp_ledger})
        if (n.rfind(prefix, 0) == 0 && !process_alive(n.substr(prefix.size())))
          dead.push_back(n);
    }
    ::closedir(d);
    for (auto& n : dead)
      remove_inside(libfd.fd, n, false);
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
      abi.string(), "-Wl,-z,defs", "-Wl,--as-needed", "-lmvec", "-lm",       "-lpthread"};
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

// Opens the shared object once with the runtime's loader, to catch missing libraries or symbols,
// or an ABI hash that is not the entry's, now.
void check_loads(const fs::path& so, const Entry& e) {
  LoadFailure why;
  const Loader* loader = loader_for(e, &why);
  if (loader && loader->open(e, read_text(so, kMaxObjectBytes), &why))
    return;
  if (why.status == AXON_ERR_CORRUPT)
    internal_error("the linked kernel " + so.string() +
                   " does not carry its ABI hash: " + why.message);
  user_error("the linked kernel " + so.string() + " does not load: " + why.message);
}

template <typename T> T report_field(const json& r, const std::string& ptr, const fs::path& where) {
  try {
    return r.at(json::json_pointer(ptr)).get<T>();
  } catch (const json::exception&) {
    user_error(where.string() + ": " + ptr + ": missing or of the wrong type");
  }
}

// Copies the files of a run worth keeping next to the object; returns them relative to STAGE.
// Only regular files are copied (a symlink in OUT/smt is skipped, not followed). WITH_TARGET: a
// file artifact's, with the target description it needs (isa.json) and its timing.json.
std::vector<std::string> copy_bundle(const fs::path& out, const fs::path& stage, bool with_target) {
  std::vector<std::string> rel;
  std::error_code ec;
  std::vector<const char*> names = {"report.json", "derivation.txt", "kernel.c", "kernel.ll",
                                    "kernel.json"};
  if (with_target)
    names.insert(names.end(), {"isa.json", "timing.json"});
  for (const char* f : names) {
    if (!fs::exists(out / f, ec))
      continue;
    write_synced(stage / f, read_text(out / f, kMaxObjectBytes));
    rel.push_back(f);
  }
  if (fs::is_directory(out / "smt", ec) && !is_link(out / "smt")) {
    fs::recursive_directory_iterator it(out / "smt", ec), end;
    if (ec)
      user_error((out / "smt").string() + ": cannot read (" + ec.message() + ")");
    for (; it != end; it.increment(ec)) {
      if (ec)
        user_error((out / "smt").string() + ": cannot read (" + ec.message() + ")");
      if (it->is_symlink(ec) || !it->is_regular_file(ec))
        continue;
      fs::path r = fs::path("certificates") / fs::relative(it->path(), out / "smt");
      make_dirs((stage / r).parent_path());
      write_synced(stage / r, read_text(it->path(), kMaxObjectBytes));
      rel.push_back(r.generic_string());
    }
  }
  std::sort(rel.begin(), rel.end());
  return rel;
}

// Whether FILE below the library is a regular file (not a link) with sha256 SHA.
bool intact(const fs::path& lib, const std::string& file, const std::string& sha) {
  struct stat st;
  std::string bytes, why;
  return ::lstat((lib / file).c_str(), &st) == 0 && S_ISREG(st.st_mode) &&
         read_regular_file((lib / file).string(), kMaxObjectBytes, &bytes, &why) &&
         sha256_hex(bytes) == sha;
}

// Renames FROM to TO; a failure is a UserError naming TO.
void place(const fs::path& from, const fs::path& to) {
  if (::rename(from.c_str(), to.c_str()) != 0)
    user_error(to.string() + ": cannot install (" + std::strerror(errno) + ")");
}

} // namespace

std::string default_library_dir() {
  if (const char* d = std::getenv("AXON_LIBRARY_DIR"); d && *d)
    return d;
  return "axon-lib";
}

Manifest read_library(const std::string& lib_dir) { return load_manifest(lib_dir, false); }

std::string cannot_run_here(const Entry& e) {
  LoadFailure why;
  const Loader* loader = loader_for(e, &why);
  if (loader)
    if (std::optional<LoadFailure> unmet = loader->unmet_needs(e))
      return unmet->message;
  return loader ? "" : why.message;
}

void check_library_dir(const std::string& lib_dir) {
  fs::path lib(lib_dir);
  struct stat st;
  if (::stat(lib.c_str(), &st) != 0) {
    // A new library: its nearest existing ancestor must be a directory that lets us create it.
    fs::path up = lib.has_parent_path() ? lib.parent_path() : fs::path(".");
    while (::stat(up.c_str(), &st) != 0 && up.has_parent_path() && up != up.parent_path())
      up = up.parent_path();
    if (::stat(up.c_str(), &st) != 0 || !S_ISDIR(st.st_mode))
      user_error(lib_dir + ": cannot create the kernel library here (" + up.string() +
                 " is not a directory)");
    if (::access(up.c_str(), W_OK | X_OK) != 0)
      user_error(lib_dir + ": cannot create the kernel library here (" + up.string() + ": " +
                 std::strerror(errno) + ")");
    return;
  }
  if (!S_ISDIR(st.st_mode))
    user_error(lib_dir + ": not a directory; a kernel library is a directory");
  if (::access(lib.c_str(), W_OK | X_OK) != 0)
    user_error(lib_dir + ": cannot install into this kernel library (" + std::strerror(errno) +
               ")");
  for (const char* sub : {"objects", "kernels", ".staging", ".lock", "manifest.json", kLedgerName})
    if (is_link(lib / sub))
      user_error((lib / sub).string() +
                 " is a symbolic link: a kernel library never writes or deletes through a link; "
                 "replace it by a directory or file of its own, or use another library directory");
  std::error_code ec;
  if (!fs::exists(lib / kLedgerName, ec) && !fs::exists(lib / "manifest.json", ec) &&
      !empty_dir(lib))
    user_error(lib_dir + ": not empty and not a kernel library (no " + kLedgerName +
               "): axon-synth installs kernels only into a new or empty directory, or a library "
               "it created; choose a new directory (e.g. --library=" +
               (lib / "axon-lib").string() + ")");
}

InstallResult install_kernel(const std::string& out_dir, const std::string& lib_dir,
                             const InstallOptions& o) {
  fs::path out(out_dir), lib(lib_dir);
  std::error_code ec;
  if (!fs::is_directory(out, ec))
    user_error(out_dir + ": no such output directory (run axon-synth -o " + out_dir + " first)");
  fs::path report_path = out / "report.json";
  json report = read_json(report_path);
  if (report_field<int>(report, "/schema_version", report_path) != 1)
    user_error(report_path.string() + ": /schema_version: expected 1");
  if (!report.contains("best") || report["best"].is_null())
    user_error(report_path.string() +
               ": /best: this run found no valid kernel; there is nothing to install");
  if (!fs::exists(out / "kernel.json", ec))
    user_error((out / "kernel.json").string() +
               ": missing; the output directory is incomplete or older than kernel.json (run "
               "axon-synth again)");
  KernelInterface ki =
      interface_from_json(read_json(out / "kernel.json"), (out / "kernel.json").string());
  // Installing packages the artifact as the library holds it: an llvm kernel's relocatable object
  // linked into a shared object; an artifact of a kind the caller can check (an NPU program) as it
  // is, with the target description it was compiled for.
  bool linked = ki.backend == "llvm" && ki.object_kind == "shared_object";
  auto check_it = o.checks.find(ki.object_kind);
  if (!linked && check_it == o.checks.end()) {
    std::string kinds = "shared_object (backend llvm)";
    for (auto& [kind, check] : o.checks)
      kinds += ", " + kind;
    user_error((out / "kernel.json").string() + ": no installer for backend " + ki.backend +
               " (artifact kind " + ki.object_kind + "): a kernel library holds " + kinds);
  }
  fs::path object = out / ki.object_path;
  if (!fs::exists(object, ec))
    user_error(object.string() +
               ": missing; the output directory is incomplete (run axon-synth again)");
  {
    // The linker would block on a FIFO or read a device forever.
    struct stat st;
    if (::stat(object.c_str(), &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > kMaxObjectBytes)
      user_error(object.string() + ": not a regular file of at most " +
                 std::to_string(kMaxObjectBytes) + " bytes (run axon-synth again)");
  }

  Entry e;
  fs::path staged_object; // the object as staged, placed into the library under the lock
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
  e.backend = ki.backend;
  e.object_kind = ki.object_kind;
  e.symbol = ki.symbol;
  e.target = ki.target;
  e.cpu_features = ki.cpu_features;
  e.id = e.name + "." + e.target + "." + e.signature_hash;
  e.time_ns = report_field<double>(report, "/best/time_ns/median", report_path);
  if (report.contains("baseline") && report["baseline"].is_object() &&
      report["baseline"].contains("time_ns"))
    e.baseline_time_ns = report_field<double>(report, "/baseline/time_ns/median", report_path);
  e.tool = report_field<std::string>(report, "/tool", report_path);
  e.installed_at = utc_now();
  json& best = report["best"];
  e.derivation = {{"variant", best.value("variant", "as written")},
                  {"fused_temporaries", best.value("fused_temporaries", json::array())},
                  {"steps", best.value("derivation", json::array())},
                  {"schedule", best.value("schedule", json(nullptr))}};

  // A file artifact is checked before anything is written: with the target description it was
  // compiled for (OUT/isa.json), which is installed with it.
  std::string artifact;
  if (!linked) {
    if (!fs::exists(out / "isa.json", ec))
      user_error((out / "isa.json").string() + ": missing; an artifact of kind " + ki.object_kind +
                 " is installed with the target description it was compiled for, which "
                 "axon-synth writes beside it (run axon-synth again)");
    artifact = read_text(object, kMaxObjectBytes);
    std::string bad = check_it->second(e, artifact, read_text(out / "isa.json"));
    if (!bad.empty())
      user_error(object.string() + ": not an installable " + ki.object_kind + ": " + bad);
  }

  claim_library(lib, true);
  make_dirs(lib / ".staging");
  make_dirs(lib / "objects");
  make_dirs(lib / "kernels");
  Staging stage(lib);
  if (linked) {
    fs::path so = stage.dir / "kernel.so", abi_c = stage.dir / "abi.c";
    std::string abi = abi_hash(e);
    write_synced(abi_c, "const char " + e.symbol + "_abi[] = \"" + abi + "\";\n");
    link_shared(find_linker(o.linker), object, abi_c, so, stage.dir / "link.log");
    fsync_path(so, false);
    check_loads(so, e);
    std::string so_sha = file_sha256(so);
    e.object = {"objects/" + e.id + "." + so_sha.substr(0, 16) + ".so", so_sha};
    staged_object = so;
  } else {
    // Named by content like a shared object, keeping the file's extension (".json").
    std::string ext = fs::path(ki.object_path).extension().string();
    if (ext.size() > 16 ||
        ext.find_first_not_of(".abcdefghijklmnopqrstuvwxyz0123456789") != std::string::npos)
      ext = ".bin";
    staged_object = stage.dir / ("artifact" + ext);
    write_synced(staged_object, artifact);
    std::string sha = sha256_hex(artifact);
    e.object = {"objects/" + e.id + "." + sha.substr(0, 16) + ext, sha};
  }

  fs::path bundle = stage.dir / "bundle";
  make_dirs(bundle);
  std::vector<std::string> rel = copy_bundle(out, bundle, !linked);
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
  claim_library(lib, false); // still ours, and no link appeared while we staged
  Manifest m = load_manifest(lib, true);
  // Everything this install may place is listed before it is placed, so that what a crash leaves
  // is deleted by the next change.
  Ledger ledger = read_ledger(lib);
  {
    Manifest mine;
    mine.kernels = {e};
    Ledger add = referenced(mine);
    size_t before = ledger.size();
    ledger.insert(add.begin(), add.end());
    if (ledger.size() != before)
      write_ledger(lib, ledger);
  }
  // Objects and bundles are named by content: one already in place is the same file, unless it
  // was damaged, in which case ours replaces it.
  if (!intact(lib, e.object.path, e.object.sha256))
    place(staged_object, lib / e.object.path);
  fs::path bundle_final = lib / bundle_dir;
  bool bundle_ok = true;
  for (auto& [r, sha] : hashed)
    bundle_ok = bundle_ok && intact(lib, bundle_dir + "/" + r, sha);
  if (!bundle_ok) {
    // A damaged bundle of ours: its files and directories are in the ledger; anything else in it
    // stays, and then the directory cannot be replaced.
    Fd libfd(::open(lib.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    Manifest mine;
    mine.kernels = {e};
    Ledger own = referenced(mine);
    std::vector<std::string> dirs;
    for (auto& p : own) {
      if (p.rfind(bundle_dir + "/", 0) != 0)
        continue;
      if (p.back() == '/')
        dirs.push_back(p.substr(0, p.size() - 1));
      else
        remove_inside(libfd.fd, p, false);
    }
    std::sort(dirs.begin(), dirs.end(),
              [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
    for (auto& d : dirs)
      remove_inside(libfd.fd, d, true);
    place(bundle, bundle_final);
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
  collect_garbage(lib, m, ledger);
  result.entry = e;
  return result;
}

std::vector<std::string> verify_entry(const std::string& lib_dir, const Entry& e,
                                      const ArtifactChecks& checks) {
  std::vector<std::string> problems;
  std::string bytes;
  auto check = [&](const FileRef& f, const char* what) {
    fs::path p = fs::path(lib_dir) / f.path;
    std::string why;
    if (!read_regular_file(p.string(), kMaxObjectBytes, &bytes, &why)) {
      problems.push_back(std::string(what) + " " + f.path +
                         (why == std::strerror(ENOENT) ? " is missing" : ": " + why));
      return false;
    }
    std::string got = sha256_hex(bytes);
    if (got != f.sha256) {
      problems.push_back(std::string(what) + " " + f.path + ": sha256 " + got +
                         " differs from the manifest's " + f.sha256);
      return false;
    }
    return true;
  };
  LoadFailure why;
  // The runtime's loader opens the object as the runtime does, which checks its symbol and the
  // ABI hash it carries against the entry (an edited signature, buffers or CPU features). An
  // entry whose backend has no loader here, or no device (an NPU program), cannot be opened; its
  // files are still checked, and its artifact by the check of its kind when there is one.
  if (check(e.object, "object")) {
    std::string object_bytes = bytes;
    if (const Loader* loader = loader_for(e, &why);
        loader && !loader->open(e, bytes, &why) && why.status != AXON_ERR_NO_DEVICE)
      problems.push_back("object " + e.object.path + ": " + why.message);
    if (auto c = checks.find(e.object_kind); c != checks.end()) {
      auto target = std::find_if(e.files.begin(), e.files.end(), [](const FileRef& f) {
        return fs::path(f.path).filename() == "isa.json";
      });
      std::string text, read_why;
      if (target == e.files.end())
        problems.push_back("object " + e.object.path +
                           ": the entry lists no target description (isa.json) to check it with");
      else if (read_regular_file((fs::path(lib_dir) / target->path).string(), kMaxObjectBytes,
                                 &text, &read_why) &&
               sha256_hex(text) == target->sha256)
        if (std::string bad = c->second(e, object_bytes, text); !bad.empty())
          problems.push_back("object " + e.object.path + ": " + bad);
    }
  }
  for (auto& f : e.files)
    check(f, "file");
  for (auto& f : e.certificates)
    check(f, "certificate");
  return problems;
}

size_t remove_kernels(const std::string& lib_dir, const std::string& key) {
  fs::path lib(lib_dir);
  load_manifest(lib, false); // a clear error before taking the lock of a non-library
  claim_library(lib, false);
  LibraryLock lock(lib);
  claim_library(lib, false);
  Manifest m = load_manifest(lib, false);
  size_t before = m.kernels.size();
  std::erase_if(m.kernels, [&](const Entry& e) { return e.id == key || e.name == key; });
  size_t removed = before - m.kernels.size();
  if (removed == 0)
    user_error(lib_dir + ": no kernel named '" + key + "' (and no entry with that id)");
  write_manifest(lib, m);
  collect_garbage(lib, m, read_ledger(lib));
  return removed;
}

} // namespace axon::rt
