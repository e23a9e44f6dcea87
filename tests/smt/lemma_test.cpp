// Every lemma the normalizer and the encoder trust, stated as a pair of programs: proven by both
// solvers (mode both: they must agree), and checked exhaustively in float64 at every size
// assignment in 1..4 (several random inputs each). The lemma library version is part of every
// certificate.
#include <gtest/gtest.h>

#include <functional>

#include "ir/frontend.h"
#include "smt/assume.h"
#include "smt/prove.h"

namespace axon::smt {
namespace {

struct Lemma {
  const char* name;
  const char* a;
  const char* b;
  std::vector<std::string> assume;
};

const Lemma kLemmas[] = {
    {"range split (sum)",
     "where A, B\ninput x: f32[A + B]\noutput y[i: 1] = sum(k) x[k]\n",
     "where A, B\ninput x: f32[A + B]\noutput y[i: 1] = (sum(k: A) x[k]) + (sum(k: B) x[A + k])\n",
     {}},
    {"range split (max)",
     "where A, B\ninput x: f32[A + B]\noutput y[i: 1] = max(k) x[k]\n",
     "where A, B\ninput x: f32[A + B]\noutput y[i: 1] = max(max(k: A) x[k], max(k: B) x[A + k])\n",
     {}},
    {"tile flatten (sum)",
     "where T, B\ninput x: f32[T * B]\noutput y[i: 1] = sum(k) x[k]\n",
     "where T, B\ninput x: f32[T * B]\noutput y[i: 1] = sum(t: T) sum(j: B) x[t * B + j]\n",
     {}},
    {"tile flatten (max)",
     "where T, B\ninput x: f32[T * B]\noutput y[i: 1] = max(k) x[k]\n",
     "where T, B\ninput x: f32[T * B]\noutput y[i: 1] = max(t: T) max(j: B) x[t * B + j]\n",
     {}},
    {"masked ragged tile (upper bound)",
     "where E, C\ninput x: f32[E]\noutput y[i: 1] = sum(k: E) select(k < C, x[k], 0.0)\n",
     "where E, C\ninput x: f32[E]\noutput y[i: 1] = sum(k: min(E, C)) x[k]\n",
     {}},
    {"masked ragged tile (lower bound)",
     "where E, C\ninput x: f32[E]\noutput y[i: 1] = sum(k: E) select(k >= C, x[k], 0.0)\n",
     "where E, C\ninput x: f32[E]\noutput y[i: 1] = sum(k: E - min(E, C)) x[k + min(E, C)]\n",
     {}},
    {"max shift",
     "where N\ninput x: f32[N]\ninput c: f32[]\noutput y[i: 1] = max(k) x[k] + c[]\n",
     "where N\ninput x: f32[N]\ninput c: f32[]\noutput y[i: 1] = (max(k) x[k]) + c[]\n",
     {}},
    {"max of a negation",
     "where N\ninput x: f32[N]\noutput y[i: 1] = max(k) (-x[k])\n",
     "where N\ninput x: f32[N]\noutput y[i: 1] = -(min(k) x[k])\n",
     {}},
    {"div/mod fuse",
     "where T, B\ninput x: f32[T * B]\noutput y[k: T * B] = x[(k / B) * B + k % B]\n",
     "where T, B\ninput x: f32[T * B]\noutput y[k: T * B] = x[k]\n",
     {}},
    {"Fubini",
     "where I, J\ninput x: f32[I, J]\noutput y[z: 1] = sum(i) sum(j) x[i, j]\n",
     "where I, J\ninput x: f32[I, J]\noutput y[z: 1] = sum(j: J) sum(i: I) x[i, j]\n",
     {}},
    {"sum of a constant",
     "where N\ninput c: f32[]\noutput y[i: 1] = sum(k: N) c[]\n",
     "where N\ninput c: f32[]\noutput y[i: 1] = real(N) * c[]\n",
     {}},
    {"exp of a sum",
     "where N\ninput a: f32[N]\ninput b: f32[N]\noutput y[i] = exp(a[i] + b[i])\n",
     "where N\ninput a: f32[N]\ninput b: f32[N]\noutput y[i] = exp(a[i]) * exp(b[i])\n",
     {}},
    {"exp of a negation",
     "where N\ninput a: f32[N]\noutput y[i] = exp(-a[i])\n",
     "where N\ninput a: f32[N]\noutput y[i] = 1.0 / exp(a[i])\n",
     {}},
    {"inverse of a product",
     "where N\ninput a: f32[N]\ninput b: f32[N]\noutput y[i] = 1.0 / (a[i] * b[i])\n",
     "where N\ninput a: f32[N]\ninput b: f32[N]\noutput y[i] = (1.0 / a[i]) * (1.0 / b[i])\n",
     {}},
    {"log of exp times y",
     "where N\ninput a: f32[N]\ninput b: f32[N]\noutput y[i] = log(exp(a[i]) * b[i])\n",
     "where N\ninput a: f32[N]\ninput b: f32[N]\noutput y[i] = select(b[i] > 0.0, a[i] + "
     "log(b[i]), log(exp(a[i]) * b[i]))\n",
     {}},
    {"sigmoid",
     "where N\ninput a: f32[N]\noutput y[i] = sigmoid(a[i])\n",
     "where N\ninput a: f32[N]\noutput y[i] = 1.0 / (1.0 + exp(-a[i]))\n",
     {}},
    {"sqrt squared",
     "where N\ninput a: f32[N]\noutput y[i] = sqrt(a[i] * a[i] + 0.5) * sqrt(a[i] * a[i] + 0.5)\n",
     "where N\ninput a: f32[N]\noutput y[i] = a[i] * a[i] + 0.5\n",
     {}},
    {"rsqrt is 1/sqrt for positive",
     "where N\ninput a: f32[N]\noutput y[i] = rsqrt(a[i] * a[i] + 1.0)\n",
     "where N\ninput a: f32[N]\noutput y[i] = 1.0 / sqrt(a[i] * a[i] + 1.0)\n",
     {}},
    {"sum of squares is nonnegative (inv of positive)",
     "where N\ninput x: f32[N]\noutput y[i: 1] = (sum(k) x[k] * x[k] + 1.0) / (sum(k) x[k] * x[k] "
     "+ 1.0)\n",
     "where N\ninput x: f32[N]\noutput y[i: 1] = 1.0\n",
     {}},
};

class LemmaTest : public ::testing::TestWithParam<Lemma> {};

TEST_P(LemmaTest, ProvenByBothSolversAndExhaustivelyAtSmallSizes) {
  const Lemma& l = GetParam();
  IndexProgram a = load_index_program(source_from_string(l.a, "lemma.a.tp"));
  IndexProgram b = load_index_program(source_from_string(l.b, "lemma.b.tp"));
  std::vector<Expr> as;
  for (auto& s : l.assume)
    as.push_back(parse_assumption(s, a, b));
  ProveOptions opts;
  opts.mode = SolverMode::Both;
  opts.use_cache = false;
  for (auto& ob : make_obligations(a, b, as)) {
    // The solvers must prove the lemma's query themselves: ask them even when normalization
    // already made both sides equal.
    SmtQuery q = obligation_query(ob);
    SolverAnswer ans = check(q, SolverMode::Both, opts.limits, false);
    EXPECT_EQ(ans.status, SatStatus::Unsat) << l.name << ": " << ans.reason;
    EXPECT_NE(to_smtlib2(q).find(kLemmaLibraryVersion), std::string::npos);
  }
  // Exhaustive float64 check: every dim in 1..4.
  std::vector<std::string> dims;
  for (auto* p : {&a, &b})
    for (auto& [k, v] : p->dims())
      if (std::find(dims.begin(), dims.end(), k) == dims.end())
        dims.push_back(k);
  std::map<std::string, int64_t> d;
  int checked = 0;
  std::function<void(size_t)> rec = [&](size_t i) {
    if (i == dims.size()) {
      auto shapes = input_shapes(a, b, d);
      for (uint64_t seed = 0; seed < 3; ++seed) {
        auto c = replay(a, b, d, random_tensor_inputs(shapes, seed));
        EXPECT_FALSE(c.has_value()) << l.name << "\n" << (c ? format_counterexample(*c) : "");
        ++checked;
      }
      return;
    }
    for (int64_t v = 1; v <= 4; ++v) {
      d[dims[i]] = v;
      rec(i + 1);
    }
  };
  rec(0);
  EXPECT_GT(checked, 0);
}

INSTANTIATE_TEST_SUITE_P(Lemmas, LemmaTest, ::testing::ValuesIn(kLemmas),
                         [](const ::testing::TestParamInfo<Lemma>& info) {
                           std::string s;
                           for (const char* c = info.param.name; *c; ++c)
                             s += std::isalnum(static_cast<unsigned char>(*c)) ? *c : '_';
                           return s;
                         });

} // namespace
} // namespace axon::smt
