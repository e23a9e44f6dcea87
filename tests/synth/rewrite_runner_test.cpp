// The discovery runner: every kept variant's derivation replays, the checker rejects a tampered
// derivation, deduplication, limits and stop reasons, the report's counts and JSON, step proofs
// that refute a wrong rewrite, canonical forms, and the float32 numerics flag.
#include <set>

#include "synth/canonical_form.h"
#include "synth/numerics.h"
#include "synth/prove_step.h"
#include "tests/synth/synth_test_util.h"

namespace axon::synth::test {
namespace {

IndexProgram from_text(const std::string& text) {
  return load_index_program(source_from_string(text, "<test>"));
}

IndexProgram rmsnorm_small() {
  return load_small("experiments/suites/nkibench/rmsnorm_matmul.tp",
                    {{"M", 2}, {"K", 4}, {"N", 3}});
}

TEST(RewriteRunner, EveryKeptVariantReplaysAndAgrees) {
  IndexProgram p = rmsnorm_small();
  auto r = RewriteRunner().with_variant_limit(40).with_time_limit(30).run(p);
  ASSERT_EQ(r.variants.size(), 40u);
  EXPECT_EQ(r.stop, StopReason::VariantLimit);
  for (auto& v : r.variants)
    expect_checked(p, v);
}

TEST(RewriteRunner, CheckerRejectsTamperedDerivations) {
  IndexProgram p = rmsnorm_small();
  auto r = RewriteRunner().with_variant_limit(30).run(p);
  const Variant* deep = nullptr;
  for (auto& v : r.variants)
    if (v.derivation.size() >= 2)
      deep = &v;
  ASSERT_NE(deep, nullptr);
  smt::ProveOptions o;
  ASSERT_EQ(replay_derivation(p, *deep, o), "");
  Variant wrong_kind = *deep;
  wrong_kind.derivation[0].kind = wrong_kind.derivation[0].kind == StepKind::HoistFactor
                                      ? StepKind::SinkFactor
                                      : StepKind::HoistFactor;
  EXPECT_NE(replay_derivation(p, wrong_kind, o).find("step 1"), std::string::npos);
  Variant wrong_result = *deep;
  wrong_result.derivation.back().canonical = "0000000000000000";
  EXPECT_NE(replay_derivation(p, wrong_result, o).find("no "), std::string::npos);
  Variant wrong_end = *deep;
  wrong_end.derivation.pop_back();
  EXPECT_NE(replay_derivation(p, wrong_end, o), "");
}

TEST(RewriteRunner, DeduplicatesByCanonicalForm) {
  IndexProgram p = rmsnorm_small();
  auto r = RewriteRunner().with_variant_limit(200).with_time_limit(30).run(p);
  std::set<std::string> seen;
  for (auto& v : r.variants) {
    EXPECT_TRUE(seen.insert(v.canonical).second) << "variant " << v.id;
    EXPECT_EQ(v.derivation.size(), v.depth);
  }
  size_t dup = 0;
  for (auto& [k, s] : r.steps)
    dup += s.duplicate;
  EXPECT_GT(dup, 0u); // commuting steps reach the same programs
}

TEST(RewriteRunner, LimitsAndStopReasons) {
  IndexProgram p = rmsnorm_small();
  auto d1 = RewriteRunner().with_depth_limit(1).run(p);
  EXPECT_EQ(d1.stop, StopReason::DepthLimit);
  for (auto& v : d1.variants)
    EXPECT_LE(v.depth, 1u);
  ASSERT_EQ(d1.depths.size(), 1u);
  EXPECT_EQ(d1.depths[0].added + 1, d1.variants.size());
  auto t = RewriteRunner().with_time_limit(1e-9).run(p);
  EXPECT_EQ(t.stop, StopReason::TimeLimit);
  EXPECT_EQ(t.variants.size(), 1u);
  // A program with nothing to propagate saturates.
  auto s =
      RewriteRunner().run(from_text("where N = 4\ninput x: f32[N]\noutput y[i] = x[i] * 2.0\n"));
  EXPECT_EQ(s.stop, StopReason::Saturated);
  EXPECT_EQ(s.variants.size(), 1u);
}

TEST(RewriteRunner, ReportCountsAndJson) {
  IndexProgram p =
      load_small("experiments/suites/mirage/gated_mlp.tp", {{"M", 2}, {"K", 3}, {"N", 4}});
  auto r = RewriteRunner().with_time_limit(30).run(p);
  size_t proven = 0;
  for (auto& [k, s] : r.steps) {
    EXPECT_EQ(s.attempted, s.proven + s.refuted + s.unknown) << step_kind_name(k);
    if (r.stop == StopReason::Saturated || r.stop == StopReason::DepthLimit) {
      EXPECT_EQ(s.proposed, s.duplicate + s.attempted) << step_kind_name(k);
    }
    proven += s.proven;
  }
  EXPECT_EQ(proven + 1, r.variants.size());
  auto j = r.to_json();
  EXPECT_EQ(j["schema_version"], 1);
  EXPECT_EQ(j["stop_reason"], stop_reason_name(r.stop));
  EXPECT_EQ(j["variants"].size(), r.variants.size());
  EXPECT_EQ(j["steps"]["merge_shared_reductions"]["proven"],
            r.steps[StepKind::MergeSharedReductions].proven);
  EXPECT_NE(r.to_text().find("merge_shared_reductions"), std::string::npos);
  for (StepKind k : kAllStepKinds)
    EXPECT_EQ(step_kind_from_name(step_kind_name(k)), k);
  EXPECT_FALSE(step_kind_from_name("no_such_step"));
}

TEST(RewriteRunner, StepProofRefutesAWrongRewrite) {
  IndexProgram a = from_text(
      "where M, K\ninput x: f32[M, K]\ninput r: f32[K]\noutput y[m] = sum(k) x[m, k] * r[k]\n");
  // Hoisting r[k] out of the sum over k is wrong: r depends on k.
  IndexProgram b = from_text(
      "where M, K\ninput x: f32[M, K]\ninput r: f32[K]\noutput y[m] = r[0] * sum(k) x[m, k]\n");
  EXPECT_EQ(prove_step(a, b, {}, {}).verdict, smt::Verdict::Refuted);
  IndexProgram c = from_text(
      "where M, K\ninput x: f32[M, K]\ninput r: f32[M]\noutput y[m] = sum(k) x[m, k] * r[m]\n");
  IndexProgram d = from_text(
      "where M, K\ninput x: f32[M, K]\ninput r: f32[M]\noutput y[m] = r[m] * sum(k) x[m, k]\n");
  EXPECT_EQ(prove_step(c, d, {}, {}).verdict, smt::Verdict::Proven);
  // A structural step (a temporary inlined) is proven on the changed region alone; a wrong one
  // is refuted.
  IndexProgram e =
      from_text("where M = 3, K = 4\ninput x: f32[M, K]\ninput w: f32[K]\nt[m, k] = x[m, k] * 2.0\n"
                "u[m] = sum(k) t[m, k] * w[k]\noutput y[m] = u[m] + 1.0\n");
  IndexProgram f = from_text("where M = 3, K = 4\ninput x: f32[M, K]\ninput w: f32[K]\n"
                             "u[m] = sum(k) x[m, k] * 2.0 * w[k]\noutput y[m] = u[m] + 1.0\n");
  IndexProgram g = from_text("where M = 3, K = 4\ninput x: f32[M, K]\ninput w: f32[K]\n"
                             "u[m] = sum(k) x[m, k] * 3.0 * w[k]\noutput y[m] = u[m] + 1.0\n");
  auto ok = prove_step(e, f, {}, {});
  EXPECT_EQ(ok.verdict, smt::Verdict::Proven);
  EXPECT_EQ(ok.prover.rfind("region", 0), 0u) << ok.prover;
  EXPECT_EQ(prove_step(e, g, {}, {}).verdict, smt::Verdict::Refuted);
}

TEST(RewriteRunner, TilingGivesPerTilePartialSums) {
  // With tiling on, a row sum is tiled (N == Nt * Nb) and the per-tile partial sums are named
  // (split-K); without it no tiled variant is proposed.
  IndexProgram p = load_small("experiments/suites/ops/sum.tp", {{"M", 2}, {"N", 6}});
  auto partial = [](const IndexProgram& q) {
    for (auto& s : q.stmts())
      if (q.tensor(s.out).role == TensorRole::Temp && s.value->kind() == ExprKind::Sum &&
          s.vars.size() == 2)
        return true;
    return false;
  };
  auto r = RewriteRunner().with_tiling(true).with_stop_when(partial).run(p);
  ASSERT_EQ(r.stop, StopReason::GoalReached) << r.to_text();
  const Variant& v = r.variants.back();
  ASSERT_EQ(v.state.splits.size(), 1u);
  EXPECT_TRUE(v.state.splits[0].tiles);
  expect_checked(p, v);
  auto off = RewriteRunner().run(p);
  for (auto& w : off.variants)
    for (auto& sp : w.state.splits)
      EXPECT_FALSE(sp.tiles);
}

TEST(RewriteRunner, CanonicalFormErasesNames) {
  auto a = from_text(
      "where N = 4\ninput x: f32[N]\nt[i] = x[i] * 2.0\noutput y[j] = sum(k) t[k] * x[j]\n");
  auto b = from_text(
      "where N = 4\ninput x: f32[N]\nu[q] = x[q] * 2.0\noutput y[i] = sum(z) u[z] * x[i]\n");
  auto c = from_text(
      "where N = 4\ninput x: f32[N]\nu[q] = x[q] * 3.0\noutput y[i] = sum(z) u[z] * x[i]\n");
  EXPECT_EQ(canonical_form({a, {}}), canonical_form({b, {}}));
  EXPECT_NE(canonical_form({a, {}}), canonical_form({c, {}}));
}

TEST(RewriteRunner, NumericsFlagsUnshiftedSoftmax) {
  const char* shifted = "where M = 3, N = 5\ninput x: f32[M, N]\nmx[m] = max(j) x[m, j]\ns[m] = "
                        "sum(j) exp(x[m, j] - mx[m])\n"
                        "output y[m, n] = exp(x[m, n] - mx[m]) / s[m]\n";
  const char* unshifted = "where M = 3, N = 5\ninput x: f32[M, N]\ns[m] = sum(j) exp(x[m, "
                          "j])\noutput y[m, n] = exp(x[m, n]) / s[m]\n";
  auto a = from_text(shifted), b = from_text(unshifted);
  Numerics good = check_numerics(a, {a, {}});
  Numerics bad = check_numerics(a, {b, {}});
  EXPECT_TRUE(good.stable) << good.note;
  EXPECT_LT(good.error_large, 1.0);
  EXPECT_FALSE(bad.stable);
  EXPECT_GT(bad.error_large, 1.0);
  EXPECT_NE(bad.note.find("large-magnitude"), std::string::npos);
}

TEST(RewriteRunner, DiscoveryFlagsOnePassLayernorm) {
  // One-pass variance cancels catastrophically at a large offset in float32: found, flagged.
  IndexProgram p = load_small("experiments/suites/ops/layernorm.tp", {{"M", 2}, {"N", 5}});
  auto r = RewriteRunner().with_depth_limit(1).run(p);
  EXPECT_TRUE(r.variants[0].numerics.stable) << r.variants[0].numerics.note;
  bool flagged = false;
  for (auto& v : r.variants)
    if (!v.derivation.empty() && v.derivation.back().kind == StepKind::DistributeReduction)
      flagged = flagged || (!v.numerics.stable && v.numerics.error_offset > 1.0);
  EXPECT_TRUE(flagged);
}

} // namespace
} // namespace axon::synth::test
