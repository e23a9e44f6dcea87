// Capture-avoiding instantiation (ir/inline.h), the one copy that smt/'s obligations, synth/'s
// rewrite steps and fusion variants use: a definition read at a consumer's indices keeps its
// meaning when its bound reduction variables share names with the consumer's indices, through
// nested reductions and repeated instantiation. Each case is checked by structure (no free
// variable of the definition is left, none of the consumer's is captured) and by value (the
// interpreter agrees with the program that reads the temporary from memory).
#include <gtest/gtest.h>

#include <algorithm>

#include "ir/frontend.h"
#include "ir/inline.h"
#include "ir/interp.h"

namespace axon {
namespace {

IndexProgram prog(const std::string& text) {
  return load_index_program(source_from_string(text, "t.tp"));
}

const IndexStmt& stmt(const IndexProgram& p, const std::string& out) {
  for (auto& s : p.stmts())
    if (s.out == out)
      return s;
  throw std::runtime_error("no statement writes " + out);
}

// `p` with the statement writing `out` given the value `v`.
IndexProgram with_value(const IndexProgram& p, const std::string& out, const Expr& v) {
  std::vector<IndexStmt> stmts = p.stmts();
  for (auto& s : stmts)
    if (s.out == out)
      s.value = v;
  return IndexProgram::make(p.dims(), p.tensors(), stmts, p.updates());
}

void expect_same_output(const IndexProgram& a, const IndexProgram& b, const std::string& out) {
  TensorMap in = random_inputs(a, 7);
  EXPECT_LE(max_scaled_error(interpret(b, in).at(out), interpret(a, in).at(out), 1e-12, 1e-12), 1.0)
      << to_string(b);
}

std::vector<std::string> sorted_free(const Expr& e) {
  auto v = free_index_vars(e);
  std::sort(v.begin(), v.end());
  return v;
}

// t's bound k meets y's own index k: k is renamed in the copy, so y[k] sums over x[k, .] instead
// of capturing it (sum(k) x[k, k], the diagonal).
TEST(Instantiate, ABoundVariableNamedLikeAConsumerIndexIsRenamed) {
  IndexProgram p = prog("where M = 5, N = 5\ninput x: f32[M, N]\nt[i] = sum(k) x[i, k]\n"
                        "output y[k] = t[k] * 2.0\n");
  const IndexStmt& y = stmt(p, "y");
  Expr v = instantiate(stmt(p, "t"), {ExprNode::index_var("k")});
  ASSERT_TRUE(is_reduce(v->kind())) << to_string(v);
  EXPECT_NE(v->name(), "k") << to_string(v);
  EXPECT_EQ(sorted_free(v), std::vector<std::string>{"k"}) << to_string(v);
  Expr inlined = replace_reads(y.value, "t", [&](const std::vector<Expr>&) { return v; });
  expect_same_output(p, with_value(p, "y", inlined), "y");
}

// Where nothing would be captured, bound variables keep their names: the same inlining prints
// alike wherever it is done.
TEST(Instantiate, NamesAreKeptWhereNothingIsCaptured) {
  IndexProgram p = prog("where M = 5, N = 5\ninput x: f32[M, N]\nt[i] = sum(k) x[i, k]\n"
                        "output y[m] = t[m]\n");
  Expr v = instantiate(stmt(p, "t"), {ExprNode::index_var("m")});
  EXPECT_EQ(to_string(v), to_string(instantiate(stmt(p, "t"), {ExprNode::index_var("m")})));
  ASSERT_TRUE(is_reduce(v->kind()));
  EXPECT_EQ(v->name(), "k");
  // A name the caller reserves is avoided too.
  Expr w = instantiate(stmt(p, "t"), {ExprNode::index_var("m")}, {"k"});
  EXPECT_NE(w->name(), "k") << to_string(w);
}

// Nested reductions: the outer binder j clashes with one read, the inner k with the other; each
// copy renames only the binder that would capture, and the sum keeps its value.
TEST(Instantiate, NestedReductionsAreRenamedWhereTheyClash) {
  IndexProgram p = prog("where N = 4\ninput x: f32[N, N]\n"
                        "t[i] = sum(j) sum(k) x[i, j] * x[j, k]\n"
                        "output y[j, k] = t[j] - t[k]\n");
  const IndexStmt& t = stmt(p, "t");
  Expr at_j = instantiate(t, {ExprNode::index_var("j")});
  Expr at_k = instantiate(t, {ExprNode::index_var("k")});
  EXPECT_EQ(sorted_free(at_j), std::vector<std::string>{"j"}) << to_string(at_j);
  EXPECT_EQ(sorted_free(at_k), std::vector<std::string>{"k"}) << to_string(at_k);
  EXPECT_NE(at_j->name(), "j");
  EXPECT_EQ(at_j->body()->name(), "k"); // no clash: kept
  EXPECT_EQ(at_k->name(), "j");         // no clash: kept
  EXPECT_NE(at_k->body()->name(), "k");
  const IndexStmt& y = stmt(p, "y");
  Expr inlined = replace_reads(y.value, "t",
                               [&](const std::vector<Expr>& idx) { return instantiate(t, idx); });
  expect_same_output(p, with_value(p, "y", inlined), "y");
}

// Repeated instantiation: t inlined into u, then u (now holding t's reduction under a renamed
// binder) inlined into y at an index named like that renamed binder. Each round renames again.
TEST(Instantiate, RepeatedInstantiationStaysCaptureFree) {
  IndexProgram p = prog("where N = 4\ninput x: f32[N, N]\nt[i] = sum(k) x[i, k]\n"
                        "u[k] = t[k] + 1.0\noutput y[k1, k] = u[k1] * u[k]\n");
  const IndexStmt& u = stmt(p, "u");
  Expr u_value = replace_reads(
      u.value, "t", [&](const std::vector<Expr>& idx) { return instantiate(stmt(p, "t"), idx); });
  EXPECT_EQ(sorted_free(u_value), std::vector<std::string>{"k"}) << to_string(u_value);
  IndexStmt u2 = u;
  u2.value = u_value;
  const IndexStmt& y = stmt(p, "y");
  Expr inlined = replace_reads(y.value, "u",
                               [&](const std::vector<Expr>& idx) { return instantiate(u2, idx); });
  EXPECT_EQ(sorted_free(inlined), (std::vector<std::string>{"k", "k1"})) << to_string(inlined);
  expect_same_output(p, with_value(p, "y", inlined), "y");
  // inline_tensor, built on the same instantiation, agrees.
  expect_same_output(p, with_value(p, "y", inline_tensor(p, "y")), "y");
}

TEST(Instantiate, AWrongNumberOfIndicesIsAnInternalError) {
  IndexProgram p = prog("where N = 4\ninput x: f32[N, N]\nt[i] = sum(k) x[i, k]\n"
                        "output y[m] = t[m]\n");
  EXPECT_ANY_THROW(instantiate(stmt(p, "t"), {}));
}

} // namespace
} // namespace axon
