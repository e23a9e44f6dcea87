// The search-result cache (search/result_cache.h) is an optimisation, never a reason for a run to
// fail (issue 18): an entry that is a directory, a FIFO or malformed is a miss; an entry that
// cannot be written is a warning; a full disk leaves no short entry under the final name.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "search/result_cache.h"

namespace {

namespace fs = std::filesystem;

fs::path fresh_dir(const std::string& tag) {
  fs::path d =
      fs::temp_directory_path() / ("axon-cache-test-" + tag + "-" + std::to_string(::getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

TEST(ResultCache, StoresAndFindsAnEntry) {
  fs::path d = fresh_dir("ok");
  nlohmann::json v = {{"report", {{"x", 1}}}};
  EXPECT_TRUE(axon::cache_store(d.string(), "k", v));
  auto got = axon::cache_lookup(d.string(), "k");
  ASSERT_TRUE(got.has_value());
  EXPECT_EQ(*got, v);
  EXPECT_FALSE(axon::cache_lookup(d.string(), "other").has_value());
  fs::remove_all(d);
}

TEST(ResultCache, AnEntryThatIsNotARegularFileIsAMissAndIsNotReplaced) {
  fs::path d = fresh_dir("dir");
  fs::create_directories(d / "k.json" / "inside");
  testing::internal::CaptureStderr();
  EXPECT_FALSE(axon::cache_lookup(d.string(), "k").has_value());
  EXPECT_FALSE(axon::cache_store(d.string(), "k", {{"a", 1}}));
  std::string err = testing::internal::GetCapturedStderr();
  EXPECT_NE(err.find("warning: the cache entry"), std::string::npos) << err;
  EXPECT_TRUE(fs::is_directory(d / "k.json" / "inside"));
  ASSERT_EQ(::mkfifo((d / "f.json").c_str(), 0644), 0);
  testing::internal::CaptureStderr();
  EXPECT_FALSE(axon::cache_lookup(d.string(), "f").has_value()); // does not block
  testing::internal::GetCapturedStderr();
  fs::remove_all(d);
}

TEST(ResultCache, AnUnwritableCacheIsAWarningNotAnError) {
  fs::path d = fresh_dir("file");
  { std::ofstream(d / "plain") << "x"; }
  testing::internal::CaptureStderr();
  bool stored = true;
  EXPECT_NO_THROW(stored = axon::cache_store((d / "plain" / "results").string(), "k", {{"a", 1}}));
  std::string err = testing::internal::GetCapturedStderr();
  EXPECT_FALSE(stored);
  EXPECT_NE(err.find("cannot create the cache directory"), std::string::npos) << err;
  fs::remove_all(d);
}

// A full disk, provoked deterministically with RLIMIT_FSIZE (writes past it fail with EFBIG while
// SIGXFSZ is ignored): no entry under the final name, no temporary file left, a warning.
TEST(ResultCache, AFullDiskLeavesNoShortEntry) {
  fs::path d = fresh_dir("full");
  nlohmann::json big = {{"report", std::string(200000, 'x')}};
  struct rlimit old;
  ASSERT_EQ(::getrlimit(RLIMIT_FSIZE, &old), 0);
  auto old_handler = ::signal(SIGXFSZ, SIG_IGN);
  struct rlimit small = old;
  small.rlim_cur = 4096;
  ASSERT_EQ(::setrlimit(RLIMIT_FSIZE, &small), 0);
  testing::internal::CaptureStderr();
  bool stored = axon::cache_store(d.string(), "k", big);
  std::string err = testing::internal::GetCapturedStderr();
  ::setrlimit(RLIMIT_FSIZE, &old);
  ::signal(SIGXFSZ, old_handler);
  EXPECT_FALSE(stored);
  EXPECT_NE(err.find("cannot write the cache entry"), std::string::npos) << err;
  EXPECT_FALSE(fs::exists(d / "k.json"));
  EXPECT_TRUE(fs::is_empty(d)) << "a temporary file was left behind";
  EXPECT_FALSE(axon::cache_lookup(d.string(), "k").has_value());
  // With room again, the same store works.
  EXPECT_TRUE(axon::cache_store(d.string(), "k", big));
  EXPECT_EQ(fs::file_size(d / "k.json"), big.dump(1).size());
  fs::remove_all(d);
}

} // namespace
