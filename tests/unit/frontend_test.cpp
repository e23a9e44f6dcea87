// Parser, checker, printer and expansion: round trips, symbolic shapes, specs as data.
#include <gtest/gtest.h>

#include <filesystem>

#include "ir/error.h"
#include "ir/frontend.h"
#include "ir/interp.h"
#include "ir/shape.h"

namespace axon {
namespace {

Program load(const std::string& text, FrontendOptions opts = {}) {
  return load_program(source_from_string(text, "t.tp"), opts);
}

void expect_round_trip(const std::string& text, const std::string& what) {
  Program a = load(text);
  std::string printed = to_string(a);
  Program b = load(printed);
  std::string why;
  EXPECT_TRUE(programs_equal(a, b, &why)) << what << ": " << why << "\n--- printed ---\n"
                                          << printed;
  // Printing is a fixed point after one round.
  EXPECT_EQ(printed, to_string(b)) << what;
}

const char* kPrograms[] = {
    "where M = 4, K = 8, N = 3\ninput x: f32[M, K]\ninput g: f32[K]\ninput w: f32[K, N]\n"
    "output y: f32[M, N] = matmul(rmsnorm(x, g, eps=1e-6), w)\n",
    "where M = 4, K = 8\ninput x: f32[M, K]\noutput z[m] = sum(k) x[m, k] * x[m, k] / real(K)\n",
    "where N = 5\ninput a: f32[N]\ninput b: f32[N]\noutput y = where(a > b, a, -b) * 0.5 + 1\n",
    "where R = 3, C = 4\ninput g: f32[R, C]\ninout p: f32[R, C]\ninout m: f32[R, C]\ninput lr: "
    "f32[]\n"
    "m = 0.9 * m + 0.1 * g\np[r, c] = p[r, c] - lr * m[r, c]\n",
    "where A = 2, B = 3, C = 5\ninput x: f32[A, B, C]\noutput t = transpose(x, perm=[2, 0, 1])\n"
    "output r = reshape(x, shape=[B, A * C])\noutput s = sum(x, axis=-1, keepdims=true)\n"
    "output c = concat(x, x, axis=2)\noutput sl = slice(x, axis=2, start=1, end=4)\n",
    "where M = 3, K = 13, B = 4\ninput x: f32[M, K]\n"
    "output y[m] = sum(t: (K + B - 1) / B) sum(j: B) select(t * B + j < K, x[m, t * B + j], 0.0)\n",
    "where N = 8\ninput x: bf16[N]\noutput y = gelu(x, approximate=\"tanh\")\noutput z = cast(y, "
    "dtype=\"f32\")\n",
    "where M = 2, N = 6\ninput x: f32[M, N]\nz = x\noutput c = -x\noutput k[] = real(N)\noutput e "
    "= x ** 2.0\n"
    "output mx[i] = max(j) x[i, j]\noutput mm = max(x, z)\n",
    "where P, F\ninput a: f32[P, F]\ninput s: f32[P]\noutput o[p, f] = exp(a[p, f] * s[p])\n",
    "where H = 4, S = 5, D = 8\ninput q: f32[H, S, D]\ninput k: f32[2, S, D]\n"
    "output sc[h, i, j] = (sum(d) q[h, i, d] * k[h / 2, j, d]) / sqrt(real(D))\n",
};

TEST(Frontend, RoundTripPrograms) {
  int i = 0;
  for (const char* p : kPrograms)
    expect_round_trip(p, "program " + std::to_string(i++));
}

TEST(Frontend, RoundTripSuites) {
  namespace fs = std::filesystem;
  int n = 0;
  for (const char* dir :
       {"experiments/suites/ops", "experiments/suites/nkibench", "experiments/suites/mirage"}) {
    if (!fs::exists(dir))
      continue;
    for (auto& e : fs::directory_iterator(dir)) {
      if (e.path().extension() != ".tp")
        continue;
      SourceRef src = read_source(e.path().string());
      expect_round_trip(src->text, e.path().string());
      ++n;
    }
  }
  std::cout << "round-tripped " << n << " suite files\n";
}

TEST(Frontend, ExpressionPrinterRoundTrips) {
  // Every printed index expression parses back to the same expression.
  std::string tp =
      "where M = 3, N = 4\ninput x: f32[M, N]\n"
      "output y[i, j] = -x[i, j] * (x[i, j] - 2.5) / (1.0 + x[i, (j + 1) % N]) ** 2.0\n"
      "output z[i] = max(j) select(!(j < 2) || j == 3 && i != 1, x[i, j], -inf)\n"
      "output w[i] = min(a: 2) x[i, a * 2 + 1] - (sum(b) x[i, b]) * real(M * N)\n";
  Program a = load(tp);
  for (auto& n : a.nodes) {
    if (n.op != "index")
      continue;
    std::string text = to_string(n.expr);
    std::string tp2 = "where M = 3, N = 4\ninput x: f32[M, N]\noutput y[i, j] = " + text + "\n";
    if (n.vars.size() == 1)
      tp2 = "where M = 3, N = 4\ninput x: f32[M, N]\noutput y[i: M] = " + text + "\n";
    Program b = load(tp2);
    EXPECT_TRUE(structurally_equal(n.expr, b.nodes.back().expr))
        << text << " vs " << to_string(b.nodes.back().expr);
  }
}

TEST(Frontend, SymbolicShapes) {
  auto K = ExprNode::dim_var("K"), N = ExprNode::dim_var("N"), two = ExprNode::int_const(2);
  EXPECT_TRUE(
      dim_equal(ExprNode::binary(ExprKind::Mul, two, K), ExprNode::binary(ExprKind::Mul, K, two)));
  EXPECT_TRUE(
      dim_equal(ExprNode::binary(ExprKind::Add, K, K), ExprNode::binary(ExprKind::Mul, two, K)));
  EXPECT_FALSE(dim_equal(K, N));
  EXPECT_TRUE(
      dim_equal(ExprNode::binary(ExprKind::Div, ExprNode::binary(ExprKind::Mul, two, K), two), K));
  // Same sizes, different dims: rejected, because the program must be well-typed for all sizes.
  EXPECT_THROW(load("where K = 4, N = 4\ninput a: f32[K]\ninput b: f32[N]\noutput c = a + b\n"),
               UserError);
  // Literal 1 broadcasts; a dim bound to 1 does not.
  EXPECT_NO_THROW(load("where K = 4\ninput a: f32[K]\ninput b: f32[1]\noutput c = a + b\n"));
  EXPECT_THROW(load("where K = 4, O = 1\ninput a: f32[K]\ninput b: f32[O]\noutput c = a + b\n"),
               UserError);
}

TEST(Frontend, DimOverrides) {
  FrontendOptions o;
  o.dim_overrides["M"] = 64;
  Program p = load("where M = 4096, K = 16\ninput x: f32[M, K]\noutput y = exp(x)\n", o);
  EXPECT_EQ(*p.dims.at("M"), 64);
  IndexProgram ip = expand(p, SpecLibrary::builtin());
  EXPECT_EQ(ip.concrete_shape("y"), (std::vector<int64_t>{64, 16}));
  o.dim_overrides["Q"] = 3;
  EXPECT_THROW(load("where M = 4096\ninput x: f32[M]\noutput y = exp(x)\n", o), UserError);
}

TEST(Frontend, SymbolicDimsNeedSizesToRun) {
  IndexProgram p = load_index_program(
      source_from_string("where P, F = 3\ninput a: f32[P, F]\noutput b = exp(a)\n"));
  EXPECT_FALSE(p.dims().at("P").has_value());
  EXPECT_THROW(random_inputs(p, 1), UserError);
  IndexProgram q = p.with_dims({{"P", 2}});
  EXPECT_EQ(interpret(q, random_inputs(q, 1)).at("b").numel(), 6u);
}

// Adding an op is adding a spec: a new op defined only in spec text, used end to end.
TEST(Frontend, NewOpFromSpecOnly) {
  SpecLibrary lib = SpecLibrary::builtin();
  lib.add_file(source_from_string("# Squared distance of each row to a centre vector.\n"
                                  "op row_dist2(x: [..., N], c: [N]; scale = 1.0) -> [...] {\n"
                                  "  d[..., n] = x[..., n] - c[n]\n"
                                  "  out[...] = scale * sum(j) d[..., j] * d[..., j]\n"
                                  "}\n",
                                  "extra.spec"));
  FrontendOptions o;
  o.specs = &lib;
  std::string tp = "where M = 3, N = 5\ninput x: f32[M, N]\ninput c: f32[N]\noutput y = "
                   "row_dist2(x, c, scale=2)\n";
  IndexProgram ip = load_index_program(source_from_string(tp), o);
  TensorMap in = random_inputs(ip, 4);
  TensorMap out = interpret(ip, in);
  for (size_t m = 0; m < 3; ++m) {
    double s = 0;
    for (size_t n = 0; n < 5; ++n) {
      double d = in["x"].data[m * 5 + n] - in["c"].data[n];
      s += d * d;
    }
    EXPECT_NEAR(out["y"].data[m], 2 * s, 1e-12);
  }
  // Without the spec the op is unknown.
  EXPECT_THROW(load_index_program(source_from_string(tp)), UserError);
}

TEST(Frontend, SpecErrorsPointIntoTheSpecFile) {
  SpecLibrary lib;
  try {
    lib.add_file(source_from_string(
        "op bad(x: [..., N]) -> [..., N] {\n  out[..., n] = x[..., n] * nope\n}\n", "bad.spec"));
    FAIL() << "expected an error";
  } catch (const UserError& e) {
    EXPECT_EQ(std::string(e.what()).rfind(
                  "bad.spec:2:29: error: unknown name 'nope' in index notation", 0),
              0u)
        << e.what();
  }
  EXPECT_THROW(
      lib.add_file(source_from_string("op dup(x: [...]) -> [...] {\n  out[...] = x[...]\n}\n"
                                      "op dup(x: [...]) -> [...] {\n  out[...] = x[...]\n}\n",
                                      "d.spec")),
      UserError);
}

TEST(Frontend, BuiltinSpecsAllLoadAndExpand) {
  const SpecLibrary& lib = SpecLibrary::builtin();
  for (const char* name :
       {"add", "matmul", "softmax", "rmsnorm", "layernorm", "gelu", "silu", "rope", "where", "bmm"})
    EXPECT_TRUE(lib.has(name)) << name;
  EXPECT_EQ(lib.overloads("gelu").size(), 2u);
}

TEST(Frontend, IndexProgramIsSsaAndChecked) {
  IndexProgram p = load_index_program(source_from_string(kPrograms[0]));
  std::set<std::string> written;
  for (auto& s : p.stmts())
    EXPECT_TRUE(written.insert(s.out).second) << s.out;
  EXPECT_EQ(p.outputs().size(), 1u);
  EXPECT_EQ(p.inputs().size(), 3u);
  // make() rejects a statement reading a tensor before it is written.
  auto x = ExprNode::access("t", {ExprNode::index_var("i")});
  TensorDecl t{"t", DType::F32, {ExprNode::int_const(2)}, TensorRole::Temp};
  TensorDecl y{"y", DType::F32, {ExprNode::int_const(2)}, TensorRole::Output};
  EXPECT_THROW(IndexProgram::make({}, {t, y}, {IndexStmt{"y", {"i"}, x, {}, ""}}), InternalError);
}

} // namespace
} // namespace axon
