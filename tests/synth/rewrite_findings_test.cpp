// The rewrites rewrite discovery must find unaided on the suite kernels (issue 5), each at small
// sizes: the variant is in the graph, its derivation replays with every step re-proven, and the
// interpreter agrees with the input program.
#include "ir/inline.h"
#include "tests/synth/synth_test_util.h"

namespace axon::synth::test {
namespace {

// Matmul first, normalisation after: y, inlined, is a product of a sum that has no rsqrt in its
// body (the matmul of x * g with w) and a factor holding the rsqrt of the sum of squares.
bool scales_matmul_output(const IndexProgram& p) {
  Expr y = inline_tensor(p, "y");
  bool plain_matmul = false, scale_after = false;
  auto is_rsqrt = [](const Expr& e) { return e->kind() == ExprKind::Rsqrt; };
  for (auto& f : factors_of(y)) {
    if (f.e->kind() == ExprKind::Sum && reads(f.e, "w") && !contains(f.e, is_rsqrt))
      plain_matmul = true;
    if (!f.divisor && contains(f.e, is_rsqrt) && !reads(f.e, "w"))
      scale_after = true;
  }
  return plain_matmul && scale_after;
}

// Online (rescaled) form: some statement (`in`, or any when empty) holds
// exp(m - c) * sum(k: H) ... exp(g - m) ... where m is a temporary holding max over the same head
// chunk H; `body_reads` (when not empty) must be read by that sum's body.
bool has_rescaled_chunk(const IndexProgram& p, const std::string& in,
                        const std::string& body_reads) {
  auto is_chunk_max = [&](const Expr& m) {
    if (m->kind() != ExprKind::Access)
      return std::optional<Expr>();
    const IndexStmt* d = writer(p, m->name());
    if (!d || d->value->kind() != ExprKind::RMax || p.tensor(d->out).role != TensorRole::Temp)
      return std::optional<Expr>();
    return std::optional<Expr>(d->value->extent());
  };
  for (auto& s : p.stmts()) {
    if (!in.empty() && s.out != in)
      continue;
    bool found = contains(s.value, [&](const Expr& e) {
      if (e->kind() != ExprKind::Mul)
        return false;
      auto fs = factors_of(e);
      for (auto& scale : fs) {
        if (scale.e->kind() != ExprKind::Exp || scale.e->arg(0)->kind() != ExprKind::Sub)
          continue;
        const Expr& m = scale.e->arg(0)->arg(0);
        auto extent = is_chunk_max(m);
        if (!extent)
          continue;
        for (auto& sum : fs) {
          if (sum.e->kind() != ExprKind::Sum || !structurally_equal(sum.e->extent(), *extent))
            continue;
          if (!body_reads.empty() && !reads(sum.e->body(), body_reads))
            continue;
          bool rebased = contains(sum.e->body(), [&](const Expr& x) {
            return x->kind() == ExprKind::Exp && x->arg(0)->kind() == ExprKind::Sub &&
                   structurally_equal(x->arg(0)->arg(1), m);
          });
          if (rebased)
            return true;
        }
      }
      return false;
    });
    if (found)
      return true;
  }
  return false;
}

// One-pass statistics: every reduction reads inputs only (no statistic waits for another), and
// there is more than one sum.
bool one_pass(const IndexProgram& p) {
  size_t sums = 0;
  for (auto& s : p.stmts()) {
    bool ok = !contains(s.value, [&](const Expr& e) {
      if (!is_reduce(e->kind()))
        return false;
      ++sums;
      for (auto& t : tensors_read(e->body()))
        if (p.tensor(t).role != TensorRole::Input)
          return true;
      return false;
    });
    if (!ok)
      return false;
  }
  return sums >= 2;
}

// Two matmuls sharing x as one stacked reduction: a sum whose body reads x and both weights
// through a select.
bool shares_input(const IndexProgram& p, const std::string& w1, const std::string& w2) {
  for (auto& s : p.stmts())
    if (s.value->kind() == ExprKind::Sum && reads(s.value, "x") && reads(s.value, w1) &&
        reads(s.value, w2) &&
        contains(s.value, [](const Expr& e) { return e->kind() == ExprKind::Select; }))
      return true;
  return false;
}

// A temporary computing sum(...) over exactly the inputs {a, b}, and a sum reading it with `with`.
bool contracts(const IndexProgram& p, const std::string& a, const std::string& b,
               const std::string& with) {
  for (auto& s : p.stmts()) {
    if (p.tensor(s.out).role != TensorRole::Temp || s.value->kind() != ExprKind::Sum)
      continue;
    auto r = tensors_read(s.value);
    if (r.size() != 2 || !reads(s.value, a) || !reads(s.value, b))
      continue;
    for (auto& u : p.stmts())
      if (contains(u.value, [&](const Expr& e) {
            return e->kind() == ExprKind::Sum && reads(e->body(), s.out) && reads(e->body(), with);
          }))
        return true;
  }
  return false;
}

// Flash attention: the output accumulation over the head chunk and the running softmax sum are
// both rebased to the chunk max and rescaled (the running max being max(chunk max, tile max)).
bool flash(const IndexProgram& p) {
  if (!has_rescaled_chunk(p, "o", "v"))
    return false;
  for (auto& s : p.stmts())
    if (s.out != "o" && has_rescaled_chunk(p, s.out, ""))
      return true;
  return false;
}

void expect_found(const IndexProgram& p, const std::function<bool(const IndexProgram&)>& pred,
                  const char* what) {
  DiscoveryReport r = discover(p, pred);
  const Variant* v = find_variant(r, pred);
  ASSERT_NE(v, nullptr) << what << " not found; " << r.to_text();
  EXPECT_FALSE(pred(r.variants[0].state.program)) << what << " is already the input program";
  expect_checked(p, *v);
}

TEST(RewriteFindings, RmsnormMatmulScalesOutputRows) {
  auto p =
      load_small("experiments/suites/nkibench/rmsnorm_matmul.tp", {{"M", 3}, {"K", 4}, {"N", 5}});
  expect_found(p, scales_matmul_output, "matmul first, scale after");
}

TEST(RewriteFindings, MirageRmsnormLinearScalesOutputRows) {
  auto p =
      load_small("experiments/suites/mirage/rmsnorm_linear.tp", {{"M", 2}, {"K", 4}, {"N", 3}});
  expect_found(p, scales_matmul_output, "matmul first, scale after");
}

TEST(RewriteFindings, SoftmaxOnlineRescaledSum) {
  auto p = load_small("experiments/suites/ops/softmax.tp", {{"M", 2}, {"N", 6}});
  // The input program is the max-shifted form; discovery keeps it and finds the tiled online form.
  EXPECT_TRUE(
      contains(writer(p, "y.e")->value, [](const Expr& e) { return e->kind() == ExprKind::Exp; }));
  expect_found(
      p, [](const IndexProgram& q) { return has_rescaled_chunk(q, "", ""); }, "online softmax");
}

// Every exponential is shifted by a temporary holding a max: exp(g - m[...]), m = max(...).
bool all_exps_max_shifted(const IndexProgram& p) {
  size_t exps = 0;
  for (auto& s : p.stmts()) {
    bool bad = contains(s.value, [&](const Expr& e) {
      if (e->kind() != ExprKind::Exp)
        return false;
      ++exps;
      const Expr& a = e->arg(0);
      if (a->kind() != ExprKind::Sub || a->arg(1)->kind() != ExprKind::Access)
        return true;
      const IndexStmt* m = writer(p, a->arg(1)->name());
      return !m || m->value->kind() != ExprKind::RMax;
    });
    if (bad)
      return false;
  }
  return exps >= 2;
}

TEST(RewriteFindings, SoftmaxMaxShiftFromUnshifted) {
  // The suite's softmax spec is max-shifted already; starting from the unshifted form, discovery
  // finds the shifted one, and its float32 numerics at large logits are sound where the input's
  // are not.
  IndexProgram p = load_index_program(
      source_from_string("where M = 3, N = 6\ninput x: f32[M, N]\ns[m] = sum(j) exp(x[m, "
                         "j])\noutput y[m, n] = exp(x[m, n]) / s[m]\n"));
  auto r = discover(p, all_exps_max_shifted);
  const Variant* v = find_variant(r, all_exps_max_shifted);
  ASSERT_NE(v, nullptr) << r.to_text();
  EXPECT_FALSE(all_exps_max_shifted(p));
  expect_checked(p, *v);
  EXPECT_GT(r.variants[0].numerics.error_large, 1.0);
  EXPECT_LT(v->numerics.error_large, 1.0);
  EXPECT_TRUE(v->numerics.stable);
}

TEST(RewriteFindings, LayernormOnePassStatistics) {
  auto p = load_small("experiments/suites/ops/layernorm.tp", {{"M", 2}, {"N", 5}});
  expect_found(p, one_pass, "one-pass statistics");
}

TEST(RewriteFindings, GatedMlpSharesInput) {
  auto p = load_small("experiments/suites/mirage/gated_mlp.tp", {{"M", 2}, {"K", 3}, {"N", 4}});
  expect_found(
      p, [](const IndexProgram& q) { return shares_input(q, "w1", "w2"); }, "shared x");
}

TEST(RewriteFindings, SwigluSharesInput) {
  auto p = load_small("experiments/suites/nkibench/swiglu.tp", {{"M", 2}, {"K", 3}, {"N", 4}});
  expect_found(
      p, [](const IndexProgram& q) { return shares_input(q, "wg", "wu"); }, "shared x");
}

TEST(RewriteFindings, LoraBothAssociations) {
  for (const char* path :
       {"experiments/suites/mirage/lora.tp", "experiments/suites/nkibench/lora.tp"}) {
    SCOPED_TRACE(path);
    auto p = load_small(path, {{"M", 3}, {"K", 4}, {"N", 5}, {"R", 2}});
    // (X@A)@B is present (the input program) and X@(A@B) is found.
    EXPECT_TRUE(contracts(p, "x", "a", "b"));
    expect_found(
        p, [](const IndexProgram& q) { return contracts(q, "a", "b", "x"); }, "X@(A@B)");
  }
}

TEST(RewriteFindings, AttentionFlashRescaledOutput) {
  auto p = load_small("experiments/bench/attention.tp", {{"H", 1}, {"S", 5}, {"D", 2}});
  expect_found(p, flash, "flash attention");
}

TEST(RewriteFindings, GqaFlashRescaledOutput) {
  auto p = load_small("experiments/suites/nkibench/gqa.tp", {{"G", 1}, {"S", 5}, {"D", 2}});
  expect_found(p, flash, "flash gqa");
}

TEST(RewriteFindings, MirageGqaFlashRescaledOutput) {
  auto p = load_small("experiments/suites/mirage/gqa.tp", {{"H", 1}, {"L", 2}, {"D", 2}, {"S", 5}});
  expect_found(p, flash, "flash gqa");
}

} // namespace
} // namespace axon::synth::test
