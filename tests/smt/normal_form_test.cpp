// The normalizer: each rewrite it performs, canonical bound names, and ordering that does not
// depend on tensor or dim names.
#include <gtest/gtest.h>

#include "ir/frontend.h"
#include "smt/normal_form.h"
#include "smt/proof_cache.h"
#include "smt/prove.h"

namespace axon::smt {
namespace {

Expr idx(const char* n) { return ExprNode::index_var(n); }
Expr dim(const char* n) { return ExprNode::dim_var(n); }
Expr acc(const char* t, std::vector<Expr> i) { return ExprNode::access(t, std::move(i)); }
Expr real(double v) { return ExprNode::real_const(v); }
Expr sum(const char* v, Expr ext, Expr body) {
  return ExprNode::reduce(ExprKind::Sum, v, std::move(ext), std::move(body));
}
Expr rmax(const char* v, Expr ext, Expr body) {
  return ExprNode::reduce(ExprKind::RMax, v, std::move(ext), std::move(body));
}
Expr un(ExprKind k, Expr a) { return ExprNode::unary(k, std::move(a)); }

void expect_same(const Expr& a, const Expr& b) {
  EXPECT_EQ(normalize(a)->key, normalize(b)->key) << to_string(a) << "  vs  " << to_string(b);
}
void expect_differ(const Expr& a, const Expr& b) {
  EXPECT_NE(normalize(a)->key, normalize(b)->key) << to_string(a) << "  vs  " << to_string(b);
}

TEST(NormalForm, Linearity) {
  Expr x = acc("x", {idx("k")}), y = acc("y", {idx("k")});
  expect_same(sum("k", dim("N"), x + y), sum("k", dim("N"), x) + sum("k", dim("N"), y));
  expect_same(sum("k", dim("N"), real(2) * x), real(2) * sum("k", dim("N"), x));
  expect_differ(sum("k", dim("N"), real(2) * x), sum("k", dim("N"), x));
}

TEST(NormalForm, IndexFreeFactorsLeaveTheSum) {
  Expr s = acc("s", {idx("i")});
  Expr x = acc("x", {idx("i"), idx("k")});
  expect_same(sum("k", dim("N"), x * s), s * sum("k", dim("N"), x));
  expect_same(sum("k", dim("N"), x / s), sum("k", dim("N"), x) / s);
}

TEST(NormalForm, SumOfConstantIsCountTimesConstant) {
  Expr c = acc("c", {});
  expect_same(sum("k", dim("N"), c), un(ExprKind::ToReal, dim("N")) * c);
}

TEST(NormalForm, BoundNamesAreCanonical) {
  Expr a = sum("k", dim("N"), acc("x", {idx("k")}));
  Expr b = sum("j", dim("N"), acc("x", {idx("j")}));
  expect_same(a, b);
  EXPECT_NE(normalize(a)->key.find("k1_0"), std::string::npos);
}

TEST(NormalForm, FubiniMergesIndependentSums) {
  Expr x = acc("x", {idx("i"), idx("j")});
  expect_same(sum("i", dim("I"), sum("j", dim("J"), x)), sum("j", dim("J"), sum("i", dim("I"), x)));
}

TEST(NormalForm, TileFlattenNeedsTheTilePattern) {
  Expr B = dim("B");
  Expr tiled = sum("t", dim("T"), sum("j", B, acc("x", {idx("t") * B + idx("j")})));
  Expr flat = sum("k", dim("T") * B, acc("x", {idx("k")}));
  expect_same(tiled, flat);
  Expr swapped = sum("t", dim("T"), sum("j", B, acc("x", {idx("j") * dim("T") + idx("t")})));
  expect_differ(swapped, flat);
}

TEST(NormalForm, MaskFoldsIntoTheExtent) {
  Expr k = idx("k");
  Expr masked =
      sum("k", dim("E"),
          ExprNode::select(ExprNode::binary(ExprKind::Lt, k, dim("N")), acc("x", {k}), real(0)));
  Expr le =
      sum("k", dim("E"),
          ExprNode::select(ExprNode::binary(ExprKind::Le, k, dim("N")), acc("x", {k}), real(0)));
  std::string key = normalize(masked)->key;
  EXPECT_EQ(key.find("ite"), std::string::npos) << key; // the select is gone
  EXPECT_NE(key.find("imin"), std::string::npos) << key;
  expect_differ(masked, le);
}

TEST(NormalForm, MaxShift) {
  Expr x = acc("x", {idx("k")}), c = acc("c", {});
  expect_same(rmax("k", dim("N"), x + c), rmax("k", dim("N"), x) + c);
  expect_same(rmax("k", dim("N"), real(-1) * x),
              real(-1) * ExprNode::reduce(ExprKind::RMin, "k", dim("N"), x));
}

TEST(NormalForm, ExpAndInv) {
  Expr a = acc("a", {}), b = acc("b", {});
  expect_same(un(ExprKind::Exp, a + b), un(ExprKind::Exp, a) * un(ExprKind::Exp, b));
  expect_same(un(ExprKind::Exp, real(0) - a), real(1) / un(ExprKind::Exp, a));
  expect_same(real(1) / (a * b), (real(1) / a) * (real(1) / b));
  expect_same(real(1) / (real(1) / a), a);
  expect_same(un(ExprKind::Sigmoid, a), real(1) / (real(1) + un(ExprKind::Exp, real(0) - a)));
  expect_same(un(ExprKind::Log, un(ExprKind::Exp, a)), a);
  // a * inv(a) is not 1 when a = 0: it must not cancel.
  expect_differ(a / a, real(1));
  // exp(a) is never 0, so it cancels.
  expect_same(un(ExprKind::Exp, a) / un(ExprKind::Exp, a), real(1));
}

TEST(NormalForm, ComparisonsAreCanonical) {
  Expr i = idx("i"), j = idx("j");
  expect_same(ExprNode::select(ExprNode::binary(ExprKind::Le, j, i), acc("p", {i}), real(0)),
              ExprNode::select(ExprNode::binary(ExprKind::Lt, j, i + ExprNode::int_const(1)),
                               acc("p", {i}), real(0)));
  expect_same(ExprNode::select(ExprNode::binary(ExprKind::Gt, i, j), acc("p", {i}), real(0)),
              ExprNode::select(ExprNode::binary(ExprKind::Lt, j, i), acc("p", {i}), real(0)));
}

TEST(NormalForm, DecimalConstantsAreExact) {
  EXPECT_EQ(Rational::from_double(1e-5), Rational(1, 100000));
  EXPECT_EQ(Rational::from_double(0.25), Rational(1, 4));
  EXPECT_EQ(Rational::from_double(-3.0), Rational(-3));
  EXPECT_THROW(Rational::from_double(1.0 / 0.0), RationalOverflow);
}

// Renaming tensors and dims and reordering commutative operands give the same cache key.
TEST(NormalForm, CacheKeyIgnoresNamesAndOperandOrder) {
  auto query = [](const std::string& text) {
    IndexProgram a = load_index_program(source_from_string(text));
    std::string copy = text;
    IndexProgram b = load_index_program(source_from_string(copy));
    return obligation_query(make_obligations(a, b, {}).at(0));
  };
  std::string p1 =
      "where M, K\ninput x: f32[M, K]\ninput w: f32[K]\noutput y[m] = sum(k) x[m, k] * w[k]\n";
  std::string p2 =
      "where R, C\ninput a: f32[R, C]\ninput v: f32[C]\noutput y[r] = sum(c) v[c] * a[r, c]\n";
  std::string p3 = "where M, K\ninput x: f32[M, K]\ninput w: f32[K]\noutput y[m] = sum(k) x[m, k] "
                   "* w[k] * 2.0\n";
  EXPECT_EQ(cache_key(query(p1), true), cache_key(query(p2), true));
  EXPECT_NE(cache_key(query(p1), true), cache_key(query(p3), true));
  EXPECT_NE(cache_key(query(p1), false), cache_key(query(p2), false));
}

} // namespace
} // namespace axon::smt
