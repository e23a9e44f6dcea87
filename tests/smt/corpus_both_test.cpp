// The corpus pairs again in the other modes: cvc5 alone and both solvers (which must agree),
// asked on every pair's query even when normalization decided it. Slow (cvc5 is slower on
// softmax-like goals), so labelled slow.
#include <gtest/gtest.h>

#include <iostream>

#include "smt/bench/corpus.h"
#include "smt/prove.h"

namespace axon::smt {
namespace {

TEST(CorpusBoth, SolversAgreeOnEveryPair) {
  int z3_only = 0;
  for (auto& c : load_corpus_pairs("tests/smt/corpus")) {
    LoadedCase l = load_case(c);
    for (auto& ob : make_obligations(l.a, l.b, l.assumptions)) {
      SmtQuery q = obligation_query(ob);
      SolverAnswer both = check(q, SolverMode::Both, {}, false);
      EXPECT_FALSE(both.disagreement) << c.name << ": " << both.reason;
      SolverAnswer z3 = check(q, SolverMode::Z3, {}, false);
      EXPECT_EQ(z3.status, SatStatus::Unsat) << c.name << ": " << z3.reason;
      if (both.status != SatStatus::Unsat) {
        ++z3_only;
        std::cout << "  cvc5 did not confirm " << c.name << "/" << ob.name << ": " << both.reason
                  << "\n";
      }
    }
  }
  std::cout << z3_only << " obligations proven by z3 but not confirmed by cvc5\n";
}

} // namespace
} // namespace axon::smt

namespace axon::smt {
namespace {

// The mutants again without the quick numeric trials, so that the solver path (unbounded query,
// bounded query with replay, then trials) has to refute them.
TEST(CorpusBoth, MutantsRefutedThroughTheBoundedQuery) {
  auto pairs = load_corpus_pairs("tests/smt/corpus");
  auto mutants = load_corpus_mutants("tests/smt/corpus", pairs);
  ProveOptions o;
  o.use_cache = false;
  o.quick_trials = 0;
  size_t refuted = 0, by_bounded = 0;
  for (auto& c : mutants) {
    LoadedCase l = load_case(c);
    ProveResult r = prove_programs(l.a, l.b, l.assumptions, o);
    EXPECT_NE(r.verdict, Verdict::Proven) << "mutant proven: " << c.name;
    if (r.verdict != Verdict::Refuted) {
      std::cout << "  unknown: " << c.name << "\n";
      continue;
    }
    ++refuted;
    for (auto& ob : r.obligations)
      if (ob.counterexample &&
          ob.counterexample->found_by.find("bounded smt") != std::string::npos) {
        ++by_bounded;
        break;
      }
  }
  std::cout << refuted << " of " << mutants.size() << " refuted, " << by_bounded
            << " by the bounded query\n";
  EXPECT_GE(static_cast<double>(refuted), 0.95 * static_cast<double>(mutants.size()));
  EXPECT_GE(by_bounded, mutants.size() / 2);
}

} // namespace
} // namespace axon::smt
