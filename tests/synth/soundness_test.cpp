// Issue 19's findings on the rewrite side: the numerics check offsets each input on its own (a
// one-pass variance before a matmul is unstable only when the activations alone are offset), and
// pick_variants counts the arithmetic a kernel executes, so that the post-scaled RMSNorm + MatMul
// (the matmul of x * g with w, its rows scaled after) reaches the search.
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <iostream>

#include "ir/inline.h"
#include "synth/pick_variants.h"
#include "tests/common/run_command.h"
#include "tests/synth/synth_test_util.h"

namespace axon::synth::test {
namespace {

IndexProgram prog(const std::string& text) { return load_index_program(source_from_string(text)); }

// A one-pass variance: some sum's body is x[...] * x[...] (the sum of squares of the input read
// directly, next to the sum of x), instead of the squares of x - mean.
bool one_pass_variance(const IndexProgram& p) {
  for (auto* o : p.outputs()) {
    Expr y = inline_tensor(p, o->name);
    if (contains(y, [](const Expr& e) {
          if (e->kind() != ExprKind::Sum || e->body()->kind() != ExprKind::Mul)
            return false;
          const Expr& a = e->body()->arg(0);
          const Expr& b = e->body()->arg(1);
          return a->kind() == ExprKind::Access && a->name() == "x" && structurally_equal(a, b);
        }))
      return true;
  }
  return false;
}

const char* kLayernormMatmul = "where M = 3, N = 5, P = 4\n"
                               "input x: f32[M, N]\ninput g: f32[N]\ninput b: f32[N]\n"
                               "input w: f32[N, P]\n"
                               "h = layernorm(x, g, b, eps=1e-5)\n"
                               "output y: f32[M, P] = matmul(h, w)\n";

// Before: the offset trial shifted every input (w too), every one-pass variant passed as stable
// and pick_variants passed two of them on.
TEST(Soundness, OnePassVarianceBeforeMatmulIsUnstable) {
  FrontendOptions f;
  IndexProgram p = load_index_program(source_from_string(kLayernormMatmul), f);
  DiscoveryReport r = discover(p, nullptr, 600, 20);
  size_t one_pass = 0;
  for (auto& v : r.variants)
    if (one_pass_variance(v.state.program)) {
      ++one_pass;
      EXPECT_FALSE(v.numerics.stable) << "variant " << v.id << ": " << v.numerics.note;
    }
  EXPECT_GT(one_pass, 0u) << r.to_text();
  for (const Variant* v : pick_variants(r, 2))
    EXPECT_FALSE(one_pass_variance(v->state.program)) << "variant " << v->id;
}

// Before: (sum x*g*w) * r[m] counted as 1.5x the arithmetic of h @ w and dropped.
TEST(Soundness, PostScaledRmsnormMatmulIsPicked) {
  IndexProgram p = load_index_program(read_source("experiments/suites/nkibench/rmsnorm_matmul.tp"));
  auto post_scaled = [](const IndexProgram& q) {
    Expr y = inline_tensor(q, "y");
    for (auto& f : factors_of(y))
      if (f.e->kind() == ExprKind::Sum && reads(f.e, "w") && reads(f.e, "g") &&
          !contains(f.e, [](const Expr& e) { return e->kind() == ExprKind::Rsqrt; }))
        return true;
    return false;
  };
  DiscoveryReport r = discover(p, nullptr, 300, 10);
  ASSERT_NE(find_variant(r, post_scaled), nullptr) << r.to_text();
  bool picked = false;
  for (const Variant* v : pick_variants(r, 2))
    picked = picked || post_scaled(v->state.program);
  std::string why;
  for (auto& v : r.variants)
    if (post_scaled(v.state.program) || v.id == 0)
      why += "variant " + std::to_string(v.id) + (v.numerics.stable ? " stable" : " unstable") +
             ", work " + std::to_string(estimated_work(v.state.program)) + ":\n" +
             to_string(v.state.program) + "\n";
  for (const Variant* v : pick_variants(r, 2)) {
    why += "picked " + std::to_string(v->id) + ", work " +
           std::to_string(estimated_work(v->state.program)) + ":";
    for (auto& st : v->derivation)
      why += " " + st.description;
    why += "\n" + to_string(v->state.program) + "\n";
  }
  EXPECT_TRUE(picked) << "the post-scaled variant is not among those passed to the search\n" << why;
}

// The count follows what a kernel executes: loop-invariant products once per combination of the
// variables they read, a per-row scale once per output element.
TEST(Soundness, EstimatedWorkHoistsLoopInvariants) {
  IndexProgram post = prog("where M = 8, K = 16, N = 4\ninput x: f32[M, K]\ninput g: f32[K]\n"
                           "input w: f32[K, N]\ninput r: f32[M]\n"
                           "output y[m, n] = (sum(k) x[m, k] * g[k] * w[k, n]) * r[m]\n");
  // g*w: K*N; times x: M*N*K; accumulation: M*N*K; the row scale: M*N.
  EXPECT_DOUBLE_EQ(estimated_work(post), 16.0 * 4 + 2 * 8 * 4 * 16 + 8 * 4);
  IndexProgram pre = prog("where M = 8, K = 16, N = 4\ninput x: f32[M, K]\ninput g: f32[K]\n"
                          "input w: f32[K, N]\ninput r: f32[M]\n"
                          "h[m, k] = x[m, k] * g[k] * r[m]\n"
                          "output y[m, n] = sum(k) h[m, k] * w[k, n]\n");
  // h: 2*M*K; the matmul: 2*M*N*K.
  EXPECT_DOUBLE_EQ(estimated_work(pre), 2.0 * 8 * 16 + 2 * 8 * 4 * 16);
  // A copy still costs one per element.
  EXPECT_DOUBLE_EQ(estimated_work(prog("where N = 5\ninput x: f32[N]\noutput y[i] = x[i]\n")), 5);
}

// The certificates the main job writes for rmsnorm_matmul's post-scaled winner (each step of its
// derivation re-proven into a directory, as write_certificates does): every one re-checks with
// both solver command-line tools, or says normalizer-only; none is a tautology. Before, a step
// the normalizer proved got (not (= E E)).
TEST(Soundness, RmsnormMatmulCertificatesCheckSomething) {
  namespace fs = std::filesystem;
  IndexProgram p = load_index_program(read_source("experiments/suites/nkibench/rmsnorm_matmul.tp"));
  DiscoveryReport r = discover(p, nullptr, 300, 10);
  auto picked = pick_variants(r, 2);
  ASSERT_FALSE(picked.empty());
  std::string tmpl = (fs::temp_directory_path() / "axon-cert-XXXXXX").string();
  ASSERT_NE(mkdtemp(tmpl.data()), nullptr);
  smt::ProveOptions opts;
  opts.use_cache = false;
  size_t files = 0, checked = 0;
  for (const Variant* v : picked) {
    std::string dir = tmpl + "/v" + std::to_string(v->id);
    ASSERT_EQ(replay_derivation(p, *v, opts, dir), "");
    for (auto& e : fs::recursive_directory_iterator(dir)) {
      if (!e.is_regular_file())
        continue;
      ++files;
      std::ifstream in(e.path());
      std::string first, line, last_assert;
      std::getline(in, first);
      while (std::getline(in, line))
        if (line.rfind("(assert (not (= ", 0) == 0)
          last_assert = line;
      // (assert (not (= A B))) with A and B the same text is a tautology.
      ASSERT_FALSE(last_assert.empty()) << e.path();
      std::string inner = last_assert.substr(std::string("(assert (not (= ").size());
      inner = inner.substr(0, inner.size() - 3);
      bool tautology = inner.size() % 2 == 1 &&
                       inner.substr(0, inner.size() / 2) == inner.substr(inner.size() / 2 + 1);
      EXPECT_FALSE(tautology) << e.path();
      if (first.find("normalizer-only") != std::string::npos)
        continue;
      ++checked;
      std::string f = e.path().string();
      EXPECT_EQ(axon::test::run_command("z3 -T:60 " + f).out, "unsat\n") << f;
      EXPECT_EQ(axon::test::run_command("cvc5 --tlimit=60000 " + f).out, "unsat\n") << f;
    }
  }
  EXPECT_GT(files, 0u);
  std::cout << files << " certificates, " << checked << " re-checked by z3 and cvc5, "
            << files - checked << " normalizer-only\n";
  if (getenv("AXON_KEEP_CERTS"))
    std::cout << "kept in " << tmpl << "\n";
  else
    fs::remove_all(tmpl);
}

} // namespace
} // namespace axon::synth::test
