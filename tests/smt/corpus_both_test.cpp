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
        std::cout << "  cvc5 did not confirm " << c.name << "/" << ob.name << ": " << both.reason << "\n";
      }
    }
  }
  std::cout << z3_only << " obligations proven by z3 but not confirmed by cvc5\n";
}

}  // namespace
}  // namespace axon::smt
