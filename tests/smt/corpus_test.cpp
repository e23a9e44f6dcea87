// The equivalence corpus (tests/smt/corpus): every pair proven with Z3; no mutant proven, at
// least 95% refuted with a replayed counterexample, the rest listed; and random float64 trials
// at random small sizes agree with every verdict.
#include <gtest/gtest.h>

#include <iostream>
#include <random>

#include "smt/bench/corpus.h"
#include "smt/prove.h"

namespace axon::smt {
namespace {

const char* kDir = "tests/smt/corpus";

ProveOptions opts() {
  ProveOptions o;
  o.use_cache = false;
  return o;
}

// Random trials independent of the prover's own search: other seeds, random sizes.
bool trials_agree(const LoadedCase& l, uint64_t seed, std::string* detail) {
  auto sizes = small_dim_assignments(l.a, l.b, l.assumptions, 64);
  std::mt19937_64 rng(seed);
  for (int t = 0; t < 6; ++t) {
    const auto& d = sizes[rng() % sizes.size()];
    auto shapes = input_shapes(l.a, l.b, d);
    TensorMap in = random_tensor_inputs(shapes, rng());
    bool holds = true;
    for (auto& as : l.assumptions) {
      auto v = eval_assumption(as, d, in);
      holds = holds && (!v || *v);
    }
    if (!holds)
      continue;
    if (auto c = replay(l.a, l.b, d, in)) {
      *detail = format_counterexample(*c);
      return false;
    }
  }
  return true;
}

TEST(Corpus, HasEnoughCases) {
  auto pairs = load_corpus_pairs(kDir);
  EXPECT_GE(pairs.size(), 40u);
  EXPECT_GE(load_corpus_mutants(kDir, pairs).size(), 120u);
}

TEST(Corpus, EveryPairIsProven) {
  for (auto& c : load_corpus_pairs(kDir)) {
    LoadedCase l = load_case(c);
    ProveResult r = prove_programs(l.a, l.b, l.assumptions, opts());
    std::string why;
    for (auto& o : r.obligations)
      why += o.name + ": " + verdict_name(o.verdict) + " " + o.reason + "; ";
    EXPECT_EQ(r.verdict, Verdict::Proven) << c.name << ": " << why;
    std::string detail;
    EXPECT_TRUE(trials_agree(l, 7, &detail))
        << c.name << " is proven but a random trial disagrees:\n"
        << detail;
  }
}

TEST(Corpus, NoMutantIsProvenAndMostAreRefuted) {
  auto pairs = load_corpus_pairs(kDir);
  auto mutants = load_corpus_mutants(kDir, pairs);
  size_t refuted = 0;
  std::vector<std::string> unknown;
  for (auto& c : mutants) {
    auto pair = std::find_if(pairs.begin(), pairs.end(), [&](const CorpusCase& p) {
      return c.name.rfind(p.name + ": ", 0) == 0;
    });
    ASSERT_NE(pair, pairs.end()) << c.name;
    EXPECT_TRUE(c.b_text != pair->b_text || c.assumptions != pair->assumptions)
        << "mutant changes nothing: " << c.name;
    LoadedCase l = load_case(c);
    ProveResult r = prove_programs(l.a, l.b, l.assumptions, opts());
    EXPECT_NE(r.verdict, Verdict::Proven) << "mutant proven: " << c.name;
    if (r.verdict == Verdict::Refuted) {
      ++refuted;
      for (auto& o : r.obligations)
        if (o.counterexample) {
          // The reported counterexample replays.
          EXPECT_TRUE(
              replay(l.a, l.b, o.counterexample->dims, o.counterexample->inputs).has_value())
              << c.name;
        }
    } else {
      std::string why;
      for (auto& o : r.obligations)
        if (o.verdict != Verdict::Proven)
          why = o.reason;
      unknown.push_back(c.name + " (" + why + ")");
    }
  }
  std::cout << "mutants: " << refuted << " of " << mutants.size()
            << " refuted with a confirmed counterexample\n";
  for (auto& u : unknown)
    std::cout << "  unknown: " << u << "\n";
  EXPECT_GE(static_cast<double>(refuted), 0.95 * static_cast<double>(mutants.size()));
}

} // namespace
} // namespace axon::smt
