// The main job's fusion variants inline temporaries by substitution (synth/fusion_variants.h), one
// recorded step per temporary; when such a variant wins, the main job proves each step like a
// rewrite step (prove_fusion) and writes its certificates (OUT/smt/inline/step-NN/). Here: that
// proof succeeds on suite kernels whose temporaries are inlined (elementwise ones, and a reduction
// into its elementwise reader), each certificate is a file that z3 re-checks as unsat, and a wrong
// "inlining" is not proven.
#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <map>
#include <ostream>
#include <string>
#include <unistd.h>

#include "ir/hash.h"
#include "synth/canonical_form.h"
#include "synth/fusion_variants.h"
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

// The variant's steps chain from the program to the variant (each an InlineTemporary step whose
// result is the next one's start), each proven on its own with its own certificate directory, and
// recorded as derivation steps like rewrite discovery's.
TEST_P(InlineCertificate, EachInliningIsAProvenStep) {
  IndexProgram p = test::load_small(GetParam().path, GetParam().dims);
  auto variants = fusion_variants(p);
  ASSERT_GE(variants.size(), 2u);
  EXPECT_TRUE(variants[0].steps.empty());
  const ProgramVariant& v = variants.back();
  ASSERT_EQ(v.steps.size(), v.inlined.size());
  for (size_t i = 0; i < v.steps.size(); ++i) {
    EXPECT_EQ(v.steps[i].kind, StepKind::InlineTemporary);
    EXPECT_EQ(v.steps[i].description.rfind("inline " + v.inlined[i] + " into ", 0), 0u)
        << v.steps[i].description;
  }
  EXPECT_EQ(to_string(v.steps.back().result.program), to_string(v.program));
  fs::path dir = fs::temp_directory_path() / ("axon_fusion_steps_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  smt::ProveOptions opts;
  opts.use_cache = false;
  std::vector<DerivationStep> proven;
  EXPECT_EQ(prove_fusion({p, {}}, v, opts, dir.string(), &proven), "");
  ASSERT_EQ(proven.size(), v.steps.size());
  for (size_t i = 0; i < proven.size(); ++i) {
    EXPECT_FALSE(proven[i].prover.empty());
    EXPECT_EQ(proven[i].canonical, hash_hex(canonical_form(v.steps[i].result)));
    char step[32];
    std::snprintf(step, sizeof step, "step-%02zu", i + 1);
    EXPECT_TRUE(fs::is_directory(dir / step)) << dir / step;
  }
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
  // A recorded step whose result is wrong fails prove_fusion, which names it.
  ProgramVariant bad = variants[1];
  bad.steps.back().result.program = wrong;
  std::string why = prove_fusion({p, {}}, bad, opts);
  EXPECT_NE(why.find("step " + std::to_string(bad.steps.size()) + " ("), std::string::npos) << why;
}

} // namespace
} // namespace axon::synth
