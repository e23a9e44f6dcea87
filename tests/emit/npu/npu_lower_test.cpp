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

Lowered select_uncached(const std::string& text) {
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

// Selections are the same for the same program: select once per text.
Lowered select_all(const std::string& text) {
  static std::map<std::string, Lowered> memo;
  auto it = memo.find(text);
  if (it == memo.end())
    it = memo.emplace(text, select_uncached(text)).first;
  return it->second;
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

// Instructions that touch HBM tensor `name`.
size_t hbm_uses(const NpuProgram& prog, const std::string& name) {
  size_t n = 0;
  for (const NpuInstr& x : prog.instrs)
    for (auto& [slot, t] : x.operands)
      n += t.in_hbm && prog.tensors.at(t.object).name == name;
  return n;
}

NpuProgram lower_checked(const Lowered& l, const NpuPlan& plan) {
  EXPECT_EQ(npu_plan_legality(l.program, plan, l.covers, npu()), "");
  NpuProgram prog = lower_npu_plan(l.program, plan, l.covers, npu(), "test");
  EXPECT_LT(max_error(l, prog), 1e-5) << npu_plan_text(l.program, plan);
  EXPECT_TRUE(find_narrowing(prog).empty());
  EXPECT_GT(simulate_timing(prog).report.total_ns, 0);
  return prog;
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

// Every statement in one group: the intermediates stay on chip (no HBM access).
NpuPlan fused(const Lowered& l, const std::map<std::string, int64_t>& tiles) {
  NpuPlan plan = plan_for(l, tiles);
  plan.groups = {{}};
  for (size_t s = 0; s < l.program.stmts().size(); ++s)
    plan.groups[0].push_back(s);
  return plan;
}

TEST(NpuLower, SoftmaxFusedKeepsIntermediatesOnChip) {
  Lowered l =
      select_all("where M = 200, N = 96\ninput x: f32[M, N]\noutput y: f32[M, N] = softmax(x)\n");
  NpuProgram prog = lower_checked(l, fused(l, {{"_b0", 128}, {"n", 40}}));
  for (auto& s : l.program.stmts()) {
    if (s.out != "y") {
      EXPECT_EQ(hbm_uses(prog, s.out), 0u) << s.out;
    }
  }
  // Statement by statement, the intermediates go through HBM.
  NpuProgram apart = lower_checked(l, plan_for(l, {{"_b0", 128}, {"n", 40}}));
  EXPECT_GT(hbm_uses(apart, "y.e"), 0u);
}

TEST(NpuLower, RmsnormMatmulFused) {
  Lowered l = select_all("where M = 150, N = 200, K = 136\ninput x: f32[M, K]\n"
                         "input g: f32[K]\ninput w: f32[K, N]\n"
                         "h = rmsnorm(x, g, eps=1e-6)\noutput y: f32[M, N] = matmul(h, w)\n");
  NpuProgram prog = lower_checked(l, fused(l, {{"_b0", 128}, {"m", 128}, {"k", 128}, {"n", 128}}));
  // The row sums never leave the chip.
  EXPECT_EQ(hbm_uses(prog, "h.ss"), 0u);
}

TEST(NpuLower, GroupsMustShareTheirRowTile) {
  Lowered l =
      select_all("where M = 200, N = 96\ninput x: f32[M, N]\noutput y: f32[M, N] = softmax(x)\n");
  NpuPlan plan = fused(l, {{"_b0", 128}});
  plan.stmts[2].tile["_b0"] = 64;
  EXPECT_NE(npu_plan_legality(l.program, plan, l.covers, npu()).find("tiles its rows"),
            std::string::npos);
}

// The reason npu_plan_legality gives, and that lower_npu_plan refuses the plan with it.
std::string refusal(const Lowered& l, const NpuPlan& plan) {
  std::string why = npu_plan_legality(l.program, plan, l.covers, npu());
  EXPECT_NE(why, "");
  try {
    lower_npu_plan(l.program, plan, l.covers, npu(), "test");
    ADD_FAILURE() << "lowered a plan that is illegal: " << why;
  } catch (const UserError& e) {
    EXPECT_EQ(std::string(e.what()), why);
  }
  return why;
}

TEST(NpuLower, IllegalPlansAreRefusedWithTheirReason) {
  Lowered add = select_all("where M = 300, N = 200\ninput a: f32[M, N]\ninput b: f32[M, N]\n"
                           "output c: f32[M, N] = a + b\n");
  std::string why = refusal(add, plan_for(add, {{"_b0", 256}}));
  EXPECT_NE(why.find("exceeds the 128 partitions of SBUF"), std::string::npos) << why;
  NpuPlan bad_cover = plan_for(add, {});
  bad_cover.stmts[0].cover = 3;
  why = refusal(add, bad_cover);
  EXPECT_NE(why.find("asks for cover 3 of 1"), std::string::npos) << why;
  NpuPlan bad_var = plan_for(add, {});
  bad_var.stmts[0].tile["zz"] = 4;
  why = refusal(add, bad_var);
  EXPECT_NE(why.find("tile names 'zz'"), std::string::npos) << why;

  Lowered mm = select_all("where M = 140, K = 300, N = 600\ninput a: f32[M, K]\n"
                          "input b: f32[K, N]\noutput c: f32[M, N] = matmul(a, b)\n");
  why = refusal(mm, plan_for(mm, {{"m", 128}, {"k", 128}}));
  EXPECT_NE(why.find("exceeds dim N <= 512 of matmul"), std::string::npos) << why;
  EXPECT_NE(why.find("targets/npu.json: /instructions/0/operands/1/shape/1/max"), std::string::npos)
      << why;

  Lowered sm =
      select_all("where M = 200, N = 96\ninput x: f32[M, N]\noutput y: f32[M, N] = softmax(x)\n");
  why = refusal(sm, plan_for(sm, {{"_b0", 128}, {"j", 32}}));
  EXPECT_NE(why.find("has no accumulating form"), std::string::npos) << why;

  Lowered wide = select_all("where M = 128, N = 60000\ninput a: f32[M, N]\n"
                            "input b: f32[M, N]\noutput c: f32[M, N] = a + b\n");
  why = refusal(wide, plan_for(wide, {{"_b0", 128}}));
  EXPECT_NE(why.find("SBUF bytes per partition exceeded"), std::string::npos) << why;
  EXPECT_NE(why.find("/memories/1/capacity_bytes"), std::string::npos) << why;
}

TEST(NpuLower, MatmulRoutesAndPreload) {
  Lowered l = select_all("where M = 140, K = 300, N = 600\ninput a: f32[M, K]\n"
                         "input b: f32[K, N]\noutput c: f32[M, N] = matmul(a, b)\n");
  NpuPlan plan = plan_for(l, {{"m", 128}, {"k", 128}, {"n", 512}});
  NpuProgram dma = lower_checked(l, plan);
  plan.route["a"] = "pe";
  NpuProgram pe = lower_checked(l, plan);
  auto count = [](const NpuProgram& p, const std::string& instr) {
    size_t n = 0;
    for (auto& x : p.instrs)
      n += x.instr->name == instr;
    return n;
  };
  EXPECT_EQ(count(dma, "transpose_pe"), 0u);
  // Loop-invariant tiles are kept: a's 2 x 3 row/K tiles are transposed once, not once per tile
  // of n; b's 3 x 2 K/column tiles are loaded once, not once per tile of m.
  EXPECT_EQ(count(pe, "transpose_pe"), 6u);
  EXPECT_EQ(hbm_uses(pe, "b"), 6u);
  plan.preload = {"b"};
  NpuProgram pre = lower_checked(l, plan);
  // b is read from HBM by its preload only: one DMA per 128 rows and per chunk of 512 f32
  // columns (targets/npu.json dma_recommended_partition_bytes 2048): 3 x 2.
  EXPECT_EQ(hbm_uses(pre, "b"), 6u);
  std::vector<int64_t> offsets; // the first columns of every row block come first
  for (const NpuInstr& x : pre.instrs)
    if (x.name == "preload.b")
      offsets.push_back(x.operands.at("dst").offset);
  ASSERT_EQ(offsets.size(), 6u);
  EXPECT_EQ(std::vector<int64_t>(offsets.begin(), offsets.begin() + 3),
            (std::vector<int64_t>{0, 600, 1200}));
  // K tiles of 40 rows start at partitions 40 and 80, where a tile of 40 partitions may not
  // start (targets/npu.json partition_rules): those are loaded from HBM instead.
  plan.stmts[0].tile["k"] = 40;
  NpuProgram odd = lower_checked(l, plan);
  EXPECT_GT(hbm_uses(odd, "b"), 6u);
}

// Every engine queue runs in program order: the PE must not wait for the copy-out of each
// transpose before it issues the next. With h on chip (fused) and w preloaded, the issue order puts
// h's next transposes ahead of the matmul that waits for the first copy-out (the loops emit
// transpose, copy-out, matmul per K tile), and the program still computes the same y.
TEST(NpuLower, PeTransposesAreIssuedAheadOfTheirMatmuls) {
  Lowered l = select_all("where M = 150, N = 200, K = 300\ninput x: f32[M, K]\n"
                         "input g: f32[K]\ninput w: f32[K, N]\n"
                         "h = rmsnorm(x, g, eps=1e-6)\noutput y: f32[M, N] = matmul(h, w)\n");
  NpuPlan plan = fused(l, {{"_b0", 128}, {"m", 128}, {"k", 128}, {"n", 128}});
  plan.route["h"] = "pe";
  plan.preload = {"w"};
  NpuProgram prog = lower_checked(l, plan);
  std::vector<std::string> pe;
  for (const NpuInstr& x : prog.instrs)
    if (x.engine->name == "PE")
      pe.push_back(x.instr->name);
  ASSERT_GE(pe.size(), 3u);
  EXPECT_EQ(pe[0], "transpose_pe");
  EXPECT_EQ(pe[1], "transpose_pe");
}

// A group of elementwise statements over the same rows and columns shares its column loop too:
// every intermediate is one [rows, columns] tile on chip (the whole chain fits SBUF), and an input
// several statements read (g, p) is loaded once per tile. Ragged tiles on both axes.
TEST(NpuLower, ElementwiseGroupSharesColumnTilesAndLoads) {
  Lowered l = select_all("where P = 300, Q = 200\ninput p: f32[P, Q]\ninput g: f32[P, Q]\n"
                         "input m: f32[P, Q]\ninput v: f32[P, Q]\n"
                         "mt = 0.9 * m + 0.1 * g\nvt = 0.999 * v + 0.001 * g * g\n"
                         "output q: f32[P, Q] = (p - 1e-5 * p) - 0.01 * mt / "
                         "(sqrt(vt * 1000.0) + 1e-08)\n");
  NpuPlan plan = fused(l, {{"_b0", 128}, {"_b1", 64}});
  NpuProgram prog = lower_checked(l, plan);
  size_t tiles = 3 * 4; // rows 128 + 128 + 44, columns 64 x 3 + 8
  EXPECT_EQ(hbm_uses(prog, "g"), tiles);
  EXPECT_EQ(hbm_uses(prog, "p"), tiles);
  EXPECT_EQ(hbm_uses(prog, "q"), tiles);
  EXPECT_EQ(hbm_uses(prog, "mt"), 0u);
}

// The PE-transpose ring and the accumulating result ring share the accumulator's 8 banks: with 3
// rotating buffers a route-pe matmul still fits (the transpose ring is capped at half the banks).
TEST(NpuLower, PeRouteWithThreeBuffersFitsTheAccumulatorBanks) {
  Lowered l = select_all("where M = 140, K = 300, N = 600\ninput a: f32[M, K]\n"
                         "input b: f32[K, N]\noutput c: f32[M, N] = matmul(a, b)\n");
  NpuPlan plan = plan_for(l, {{"m", 128}, {"k", 128}, {"n", 512}}, 3);
  plan.route["a"] = "pe";
  lower_checked(l, plan);
}

TEST(NpuLower, RmsnormMatmulFusedTransposesOnChip) {
  Lowered l = select_all("where M = 150, N = 200, K = 136\ninput x: f32[M, K]\n"
                         "input g: f32[K]\ninput w: f32[K, N]\n"
                         "h = rmsnorm(x, g, eps=1e-6)\noutput y: f32[M, N] = matmul(h, w)\n");
  NpuPlan plan = fused(l, {{"_b0", 128}, {"m", 128}, {"k", 128}, {"n", 128}});
  plan.route["h"] = "pe";
  plan.preload = {"w"};
  NpuProgram prog = lower_checked(l, plan);
  EXPECT_EQ(hbm_uses(prog, "h.ss"), 0u);
  EXPECT_EQ(hbm_uses(prog, "w"), 2u); // its preload, 136 rows in two blocks
}

TEST(NpuLower, BadRoutesAndPreloadsAreRefused) {
  Lowered l = select_all("where M = 140, K = 300, N = 600\ninput a: f32[M, K]\n"
                         "input b: f32[K, N]\noutput c: f32[M, N] = matmul(a, b)\n");
  NpuPlan plan = plan_for(l, {{"m", 128}, {"k", 128}, {"n", 512}});
  plan.preload = {"c"};
  EXPECT_NE(refusal(l, plan).find("preload names 'c', not an input"), std::string::npos);
  plan.preload = {};
  plan.route["q"] = "pe";
  EXPECT_NE(refusal(l, plan).find("route names 'q'"), std::string::npos);
}

TEST(NpuLower, Bf16ProgramsStayInBf16WithoutNarrowing) {
  Lowered l = select_all("where M = 140, K = 200, N = 96\ninput a: bf16[M, K]\n"
                         "input b: bf16[K, N]\noutput c: bf16[M, N] = matmul(a, b)\n");
  NpuPlan plan = plan_for(l, {{"m", 128}, {"k", 128}});
  plan.route["a"] = "pe";
  NpuProgram prog = lower_npu_plan(l.program, plan, l.covers, npu(), "bf16");
  EXPECT_TRUE(find_narrowing(prog).empty());
  TensorMap in = random_inputs(l.program, 5);
  TensorMap want = interpret(l.program, in, EvalMode::Storage);
  TensorMap got = run_functional(prog, in);
  EXPECT_LT(max_scaled_error(got.at("c"), want.at("c"), 0.05, 0.02), 1.0);
  for (auto& t : prog.tensors)
    EXPECT_EQ(t.dtype, DType::BF16) << t.name;
}

// Instructions of `instr` on the program.
size_t count_instr(const NpuProgram& p, const std::string& instr) {
  size_t n = 0;
  for (auto& x : p.instrs)
    n += x.instr->name == instr;
  return n;
}

TEST(NpuLower, MatmulEpilogueReadsTheAccumulator) {
  Lowered l = select_all("where M = 200, K = 150, N = 96\ninput a: f32[M, K]\n"
                         "input b: f32[K, N]\ninput r: f32[M, N]\n"
                         "t = matmul(a, b)\noutput y: f32[M, N] = t + r\n");
  NpuProgram apart = lower_checked(l, plan_for(l, {{"m", 128}, {"k", 128}, {"_b0", 128}}));
  NpuProgram prog = lower_checked(l, fused(l, {{"m", 128}, {"k", 128}, {"_b0", 128}}));
  // Fused, the matmul's result is never copied out of PSUM nor stored: the add reads it there.
  EXPECT_EQ(hbm_uses(prog, "t"), 0u);
  EXPECT_EQ(count_instr(prog, "tensor_copy"), 0u);
  EXPECT_GT(count_instr(apart, "tensor_copy"), 0u);
}

TEST(NpuLower, TwoAccumulatorOperandsAreCopiedOutByTheConstraint) {
  Lowered l = select_all("where M = 130, K = 140, N = 64\ninput a: f32[M, K]\n"
                         "input b: f32[K, N]\ninput c: f32[K, N]\n"
                         "t = matmul(a, b)\nu = matmul(a, c)\noutput y: f32[M, N] = t * u\n");
  NpuProgram prog = lower_checked(l, fused(l, {{"m", 128}, {"k", 128}, {"_b0", 128}}));
  // tensor_tensor takes at most one PSUM input (targets/npu.json constraints): one is copied.
  EXPECT_EQ(count_instr(prog, "tensor_copy"), 2u); // one per row tile
}

} // namespace
} // namespace axon
