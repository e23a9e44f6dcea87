// Lowering NPU plans to NPU programs (emit/npu/lower.h): each program is built with the covers
// instruction selection finds on targets/npu.json, run in the simulator's functional mode and
// compared with the reference interpreter, at small dims whose tiles leave ragged tails; plans
// the lowering cannot honour are refused with their reason.
#include <gtest/gtest.h>

#include <cmath>

#include "emit/npu/lower.h"
#include "ir/error.h"
#include "ir/frontend.h"
#include "ir/interp.h"
#include "sim/dtype_guard.h"
#include "sim/functional.h"
#include "sim/timing.h"
#include "synth/select_instructions.h"

namespace axon {
namespace {

const Isa& npu() {
  static Isa isa = load_isa(std::string(AXON_SOURCE_DIR) + "/targets/npu.json");
  return isa;
}

struct Lowered {
  IndexProgram program;
  NpuCovers covers;
};

Lowered select_all(const std::string& text) {
  Lowered l{load_index_program(source_from_string(text, "test.tp")), {}};
  SelectOptions o;
  o.prove.use_cache = false;
  for (size_t s = 0; s < l.program.stmts().size(); ++s) {
    Selection sel = select_instructions(l.program, s, npu(), o);
    EXPECT_TRUE(sel.found) << to_string(l.program.stmts()[s]) << ": " << sel.reason;
    l.covers.push_back(sel.found ? std::vector<std::shared_ptr<const Cover>>{sel.cover}
                                 : std::vector<std::shared_ptr<const Cover>>{});
  }
  return l;
}

// One group per statement, tiles as given (Var -> extent) for every statement that has the Var.
NpuPlan plan_for(const Lowered& l, const std::map<std::string, int64_t>& tiles, int bufs = 2) {
  NpuPlan plan;
  for (size_t s = 0; s < l.program.stmts().size(); ++s) {
    NpuStmtPlan sp;
    if (!l.covers[s].empty())
      for (auto& v : l.covers[s][0]->vars)
        if (auto it = tiles.find(v.name); it != tiles.end())
          sp.tile[v.name] = it->second;
    plan.stmts.push_back(sp);
    plan.groups.push_back({s});
  }
  plan.bufs = bufs;
  return plan;
}

// The program's outputs in the simulator against the interpreter's (f32 evaluation).
double max_error(const Lowered& l, const NpuProgram& prog, uint64_t seed = 7) {
  TensorMap in = random_inputs(l.program, seed);
  TensorMap sim_in;
  for (auto& [name, v] : in) {
    TensorValue x = v;
    if (x.shape.empty())
      x.shape = {1};
    sim_in[name] = x;
  }
  TensorMap want = interpret(l.program, in, EvalMode::F32);
  TensorMap got = run_functional(prog, sim_in);
  double worst = 0;
  for (const TensorDecl* o : l.program.outputs()) {
    const TensorValue& w = want.at(o->name);
    const TensorValue& g = got.at(o->name);
    EXPECT_EQ(w.numel(), g.numel()) << o->name;
    for (size_t i = 0; i < w.numel() && i < g.numel(); ++i)
      worst = std::max(worst, std::abs(w.data[i] - g.data[i]) / std::max(1.0, std::abs(w.data[i])));
  }
  return worst;
}

void expect_lowers(const std::string& text, const std::map<std::string, int64_t>& tiles,
                   int bufs = 2) {
  Lowered l = select_all(text);
  NpuPlan plan = plan_for(l, tiles, bufs);
  ASSERT_EQ(npu_plan_legality(l.program, plan, l.covers, npu()), "");
  NpuProgram prog = lower_npu_plan(l.program, plan, l.covers, npu(), "test");
  EXPECT_LT(max_error(l, prog), 1e-5) << npu_plan_text(l.program, plan);
  EXPECT_TRUE(find_narrowing(prog).empty());
  EXPECT_GT(simulate_timing(prog).report.total_ns, 0);
}

TEST(NpuLower, AddWithRaggedTiles) {
  expect_lowers("where M = 300, N = 200\ninput a: f32[M, N]\ninput b: f32[M, N]\n"
                "output c: f32[M, N] = a + b\n",
                {{"_b0", 128}, {"_b1", 96}});
}

TEST(NpuLower, SiluAndExpHoistTheirBias) {
  expect_lowers("where M = 130, N = 70\ninput x: f32[M, N]\noutput y: f32[M, N] = silu(x)\n",
                {{"_b0", 64}, {"_b1", 32}});
  expect_lowers("where M = 130, N = 70\ninput x: f32[M, N]\noutput y: f32[M, N] = exp(x)\n",
                {{"_b0", 128}}, 3);
}

TEST(NpuLower, SoftmaxStatements) {
  expect_lowers("where M = 200, N = 96\ninput x: f32[M, N]\noutput y: f32[M, N] = softmax(x)\n",
                {{"_b0", 128}, {"n", 40}}, 2);
}

TEST(NpuLower, RmsnormStatements) {
  expect_lowers("where M = 150, N = 136\ninput x: f32[M, N]\ninput g: f32[N]\n"
                "output y: f32[M, N] = rmsnorm(x, g, eps=1e-6)\n",
                {{"_b0", 128}, {"n", 128}}, 2);
}

TEST(NpuLower, MatmulAccumulatesChunksOfK) {
  expect_lowers("where M = 140, K = 300, N = 600\ninput a: f32[M, K]\ninput b: f32[K, N]\n"
                "output c: f32[M, N] = matmul(a, b)\n",
                {{"m", 128}, {"k", 128}, {"n", 512}}, 2);
}

TEST(NpuLower, BmmAtRaggedDims) {
  expect_lowers("where B = 2, M = 70, K = 150, N = 90\ninput a: f32[B, M, K]\n"
                "input b: f32[B, K, N]\noutput c: f32[B, M, N] = bmm(a, b)\n",
                {{"bb", 1}, {"m", 64}, {"k", 128}, {"n", 64}}, 2);
}

} // namespace
} // namespace axon
