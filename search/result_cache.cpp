// The search-result cache (see result_cache.h).
#include "search/result_cache.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>

#include "ir/limits.h"

namespace axon {

namespace fs = std::filesystem;

namespace {

void warn(const std::string& msg) {
  std::fprintf(stderr, "axon-synth: warning: %s\n", msg.c_str());
}

} // namespace

std::string default_cache_dir() {
  if (const char* d = std::getenv("AXON_CACHE_DIR"); d && *d)
    return std::string(d) + "/results";
  if (const char* x = std::getenv("XDG_CACHE_HOME"); x && *x)
    return std::string(x) + "/axon-synth/results";
  if (const char* h = std::getenv("HOME"); h && *h)
    return std::string(h) + "/.cache/axon-synth/results";
  return ".axon-cache/results";
}

std::optional<nlohmann::json> cache_lookup(const std::string& dir, const std::string& key) {
  fs::path p = fs::path(dir) / (key + ".json");
  // O_NONBLOCK: a FIFO under the entry's name must not block the run.
  int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
  if (fd < 0) {
    if (errno != ENOENT)
      warn("cannot read the cache entry " + p.string() + " (" + std::strerror(errno) +
           "); searching again");
    return std::nullopt;
  }
  struct stat st;
  if (::fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size > limits::kMaxInputFileBytes) {
    ::close(fd);
    warn("the cache entry " + p.string() + " is not a regular file of at most " +
         std::to_string(limits::kMaxInputFileBytes) +
         " bytes; searching again (delete it to cache this result)");
    return std::nullopt;
  }
  std::string text(static_cast<size_t>(st.st_size), '\0');
  size_t done = 0;
  while (done < text.size()) {
    ssize_t r = ::read(fd, text.data() + done, text.size() - done);
    if (r < 0 && errno == EINTR)
      continue;
    if (r <= 0)
      break;
    done += static_cast<size_t>(r);
  }
  ::close(fd);
  text.resize(done);
  try {
    return nlohmann::json::parse(text);
  } catch (const nlohmann::json::exception&) {
    return std::nullopt; // an unreadable entry is a miss; the next store replaces it
  }
}

bool cache_store(const std::string& dir, const std::string& key, const nlohmann::json& value) {
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) {
    warn("cannot create the cache directory " + dir + " (" + ec.message() +
         "); the result is not cached (set AXON_CACHE_DIR, or use --no-cache)");
    return false;
  }
  fs::path final_path = fs::path(dir) / (key + ".json");
  struct stat st;
  if (::lstat(final_path.c_str(), &st) == 0 && !S_ISREG(st.st_mode)) {
    warn("the cache entry " + final_path.string() +
         " exists and is not a regular file; the result is not cached");
    return false;
  }
  static std::atomic<unsigned> counter{0};
  fs::path tmp = final_path;
  char host[256] = "";
  ::gethostname(host, sizeof host -
                          1); // writers on several hosts of a shared cache never share a temporary
  tmp += ".tmp." + std::string(host) + "." + std::to_string(::getpid()) + "." +
         std::to_string(counter++);
  // Written in full and flushed before it gets the entry's name: a full disk or a crash leaves
  // at most a temporary file, never a short entry under the final name.
  std::string data = value.dump(1);
  int fd = ::open(tmp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0644);
  auto fail = [&](const std::string& why) {
    if (fd >= 0)
      ::close(fd);
    ::unlink(tmp.c_str());
    warn("cannot write the cache entry " + final_path.string() + " (" + why +
         "); the result is not cached");
    return false;
  };
  if (fd < 0)
    return fail(std::strerror(errno));
  size_t done = 0;
  while (done < data.size()) {
    ssize_t w = ::write(fd, data.data() + done, data.size() - done);
    if (w < 0 && errno == EINTR)
      continue;
    if (w <= 0)
      return fail(std::strerror(w == 0 ? EIO : errno));
    done += static_cast<size_t>(w);
  }
  if (::fsync(fd) != 0)
    return fail(std::strerror(errno));
  int rc = ::close(fd);
  fd = -1;
  if (rc != 0)
    return fail(std::strerror(errno));
  if (::rename(tmp.c_str(), final_path.c_str()) != 0)
    return fail(std::strerror(errno));
  return true;
}

} // namespace axon
