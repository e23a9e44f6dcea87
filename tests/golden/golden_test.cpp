// Golden IR dumps: each tests/golden/inputs/NAME.tp is printed at the graph level (as .tp) and at
// the index level, and compared with tests/golden/expected/NAME.{graph,index}.txt.
// Regenerate with AXON_UPDATE_GOLDEN=1, then review the diff before committing it.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "ir/frontend.h"

namespace axon {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> inputs() {
  std::vector<std::string> out;
  for (auto& e : fs::directory_iterator("tests/golden/inputs"))
    if (e.path().extension() == ".tp")
      out.push_back(e.path().stem().string());
  std::sort(out.begin(), out.end());
  return out;
}

void check_golden(const fs::path& path, const std::string& got) {
  const char* update = std::getenv("AXON_UPDATE_GOLDEN");
  if (update && std::string(update) == "1") {
    std::ofstream(path) << got;
    return;
  }
  ASSERT_TRUE(fs::exists(path)) << "missing golden file " << path
                                << "; run with AXON_UPDATE_GOLDEN=1 to create it, then review it";
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  EXPECT_EQ(ss.str(), got) << "golden mismatch for " << path
                           << " (if the change is intended, regenerate with AXON_UPDATE_GOLDEN=1)";
}

class Golden : public ::testing::TestWithParam<std::string> {};

TEST_P(Golden, GraphAndIndexDumps) {
  SourceRef src = read_source("tests/golden/inputs/" + GetParam() + ".tp");
  Program p = load_program(src);
  check_golden("tests/golden/expected/" + GetParam() + ".graph.txt", to_string(p));
  check_golden("tests/golden/expected/" + GetParam() + ".index.txt",
               to_string(expand(p, SpecLibrary::builtin())));
}

INSTANTIATE_TEST_SUITE_P(Inputs, Golden, ::testing::ValuesIn(inputs()),
                         [](const auto& i) { return i.param; });

} // namespace
} // namespace axon
