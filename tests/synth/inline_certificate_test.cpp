// The main job's fusion variants inline temporaries by substitution (search/fuse.cpp); when such
// a variant wins, the main job proves that inlining like a rewrite step and writes its
// certificates (OUT/smt/inline/). Here: that proof succeeds on suite kernels whose temporaries are
// inlined (elementwise ones, and a reduction into its elementwise reader), each certificate is a
// file that z3 re-checks as unsat, and a wrong "inlining" is not proven.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <map>
#include <ostream>
#include <string>
#include <unistd.h>

#include "search/fuse.h"
#include "synth/prove_step.h"
#include "tests/common/run_command.h"
#include "tests/synth/synth_test_util.h"

namespace axon::synth {
namespace {

namespace fs = std::filesystem;

struct Kernel {
  const char* path;
  std::map<std::string, int64_t> dims;
};

void PrintTo(const Kernel& k, std::ostream* os) { *os << k.path; }

class InlineCertificate : public ::testing::TestWithParam<Kernel> {};

TEST_P(InlineCertificate, InliningIsProvenWithCertificates) {
  IndexProgram p = test::load_small(GetParam().path, GetParam().dims);
  auto variants = fusion_variants(p);
  ASSERT_GE(variants.size(), 2u) << "the kernel has temporaries to inline";
  fs::path dir = fs::temp_directory_path() / ("axon_inline_cert_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  smt::ProveOptions opts;
  opts.use_cache = false;
  opts.certificate_dir = dir.string();
  // The last variant inlines the most (SwiGLU's: its up projection, a reduction, too).
  StepProof pr = prove_step(p, variants.back().program, {}, opts);
  ASSERT_EQ(pr.verdict, smt::Verdict::Proven) << pr.reason;
  int files = 0;
  bool have_z3 = std::system("command -v z3 >/dev/null 2>&1") == 0;
  for (auto& e : fs::directory_iterator(dir)) {
    ++files;
    if (!have_z3)
      continue;
    auto z = axon::test::run_command("z3 " + e.path().string() + " 2>&1");
    EXPECT_EQ(z.out.substr(0, 5), "unsat") << e.path() << ": " << z.out;
  }
  EXPECT_GT(files, 0);
  fs::remove_all(dir);
}

INSTANTIATE_TEST_SUITE_P(Suites, InlineCertificate,
                         ::testing::Values(Kernel{"experiments/suites/ops/softmax.tp",
                                                  {{"M", 8}, {"N", 16}}},
                                           Kernel{"experiments/suites/nkibench/rmsnorm_matmul.tp",
                                                  {{"M", 8}, {"N", 16}, {"K", 8}}},
                                           Kernel{"experiments/suites/nkibench/swiglu.tp",
                                                  {{"M", 8}, {"N", 16}, {"K", 8}}}),
                         [](const ::testing::TestParamInfo<Kernel>& info) {
                           return fs::path(info.param.path).stem().string();
                         });

// An inlining that changes the value is not proven: the proof compares, it does not trust.
TEST(InlineCertificate, AWrongInliningIsNotProven) {
  IndexProgram p = test::load_small("experiments/suites/ops/softmax.tp", {{"M", 8}, {"N", 16}});
  auto variants = fusion_variants(p);
  ASSERT_EQ(variants.size(), 2u);
  IndexProgram wrong = test::load_small("experiments/suites/ops/silu.tp", {{"M", 8}, {"N", 16}});
  smt::ProveOptions opts;
  opts.use_cache = false;
  EXPECT_NE(prove_step(variants[1].program, wrong, {}, opts).verdict, smt::Verdict::Proven);
}

} // namespace
} // namespace axon::synth
