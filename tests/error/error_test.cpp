// Bad programs and the exact diagnostics they must give. Each tests/error/cases/NAME.tp has a
// NAME.expected with the full message (file:line:col, the line, the caret, the hint). Regenerate
// with AXON_UPDATE_GOLDEN=1 after reviewing every changed message.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "ir/error.h"
#include "ir/frontend.h"

namespace axon {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> cases() {
  std::vector<std::string> out;
  for (auto& e : fs::directory_iterator("tests/error/cases"))
    if (e.path().extension() == ".tp")
      out.push_back(e.path().stem().string());
  std::sort(out.begin(), out.end());
  return out;
}

std::string read_all(const fs::path& p) {
  std::ifstream in(p);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

class ErrorCase : public ::testing::TestWithParam<std::string> {};

TEST_P(ErrorCase, GivesItsDiagnostic) {
  fs::path tp = fs::path("tests/error/cases") / (GetParam() + ".tp");
  fs::path expected = fs::path("tests/error/cases") / (GetParam() + ".expected");
  std::string got;
  try {
    load_index_program(read_source(tp.string()));
    FAIL() << tp << " was accepted; it must be rejected";
  } catch (const UserError& e) {
    got = std::string(e.what()) + "\n";
  }
  const char* update = std::getenv("AXON_UPDATE_GOLDEN");
  if (update && std::string(update) == "1") {
    std::ofstream(expected) << got;
    return;
  }
  ASSERT_TRUE(fs::exists(expected))
      << "missing " << expected << "; run with AXON_UPDATE_GOLDEN=1 to create it, then review it";
  EXPECT_EQ(read_all(expected), got);
}

INSTANTIATE_TEST_SUITE_P(Cases, ErrorCase, ::testing::ValuesIn(cases()),
                         [](const auto& info) { return info.param; });

TEST(ErrorCases, AtLeastThirty) { EXPECT_GE(cases().size(), 30u); }

} // namespace
} // namespace axon
