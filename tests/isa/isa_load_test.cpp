// The shipped targets load; describe_isa names their key facts; cost formulas give NPU.md's
// numbers; semantics instantiate to IndexPrograms that smt/ can compare.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>

#include "ir/error.h"
#include "isa/isa.h"

namespace axon {
namespace {

std::string target(const std::string& name) {
  return std::string(AXON_SOURCE_DIR) + "/targets/" + name + ".json";
}

const Isa& npu() {
  static const Isa isa = load_isa(target("npu"));
  return isa;
}

bool contains(const std::string& s, const std::string& part) {
  return s.find(part) != std::string::npos;
}

double cost(const Isa& isa, const std::string& instr, InstrUse use) {
  return instruction_cost(isa, isa.instruction(instr), use);
}

TEST(IsaLoad, EveryShippedTargetLoads) {
  for (const char* name : {"npu", "avx2", "avx512", "zen4"}) {
    SCOPED_TRACE(name);
    Isa isa = load_isa(target(name));
    EXPECT_EQ(isa.name, name);
    EXPECT_EQ(isa.schema_version, kIsaSchemaVersion);
    EXPECT_FALSE(isa.instructions.empty());
    // Every instance of every instruction instantiates to an IndexProgram with outputs.
    for (const auto& in : isa.instructions)
      for (const auto& c : all_param_choices(in))
        EXPECT_FALSE(instruction_semantics(in, c).outputs().empty()) << in.name;
  }
}

// The fuzzer's small seed uses every schema feature on a made-up machine; it must stay valid.
TEST(IsaLoad, MinimalFuzzSeedLoads) {
  Isa isa = load_isa(std::string(AXON_SOURCE_DIR) + "/isa/fuzz/corpus/minimal.json");
  const Instruction& axpy = isa.instruction("axpy");
  std::string src = semantics_source(axpy, {{"f", "neg"}, {"acc", "true"}, {"k", "2"}});
  EXPECT_TRUE(contains(src, "input a: f32[]\n")) << src;
  EXPECT_TRUE(contains(src, "inout y: f32[L]\n")) << src;
  EXPECT_TRUE(contains(src, "y[l: L] += (-(a * x[l + (2)])) + ((0.0))")) << src;
  InstrUse use;
  use.dims = {{"L", 4}};
  use.params = {{"f", "ex"}, {"acc", "true"}};
  use.memory = {{"y", "mem"}};
  EXPECT_EQ(instruction_cost(isa, axpy, use), 2 + 4 + 2 + 1);
  EXPECT_TRUE(check_use(isa, axpy, use).empty());
  use.dtypes = {{"y", DType::BF16}};
  use.memory = {};
  EXPECT_EQ(check_use(isa, axpy, use),
            (std::vector<std::string>{"constraint \"y.is_f32 || y.in_mem\" fails"}));
  const Instruction& rowsum = isa.instruction("rowsum");
  InstrUse r;
  r.dims = {{"P", 4}, {"F", 300}};
  r.memory = {{"v", "immediate"}};
  EXPECT_EQ(instruction_cost(isa, rowsum, r), 300 + 4 + 1);
  EXPECT_EQ(check_use(isa, rowsum, r),
            (std::vector<std::string>{"m has 300 elements per partition; mem allows 256"}));
  EXPECT_EQ(instruction_semantics(rowsum, {}).outputs().size(), 1u);
  EXPECT_EQ(instruction_semantics(rowsum, {{"keep", "true"}}).outputs().size(), 2u);
}

TEST(IsaLoad, CanonicalJsonRoundTrips) {
  for (const char* name : {"npu", "avx2", "avx512", "zen4"}) {
    SCOPED_TRACE(name);
    Isa a = load_isa(target(name));
    std::string ja = isa_to_json(a);
    Isa b = load_isa_from_string(ja, a.path);
    EXPECT_EQ(isa_to_json(b), ja);
    EXPECT_EQ(describe_isa(b), describe_isa(a));
    EXPECT_EQ(isa_hash(b), isa_hash(a));
    EXPECT_EQ(isa_hash(a).size(), 16u);
  }
  Isa m = load_isa(std::string(AXON_SOURCE_DIR) + "/isa/fuzz/corpus/minimal.json");
  EXPECT_EQ(isa_to_json(load_isa_from_string(isa_to_json(m))), isa_to_json(m));
  // The hash sees content, not layout: a changed number changes it.
  EXPECT_NE(isa_hash(load_isa(target("avx2"))), isa_hash(load_isa(target("avx512"))));
  std::string text = isa_to_json(npu());
  const std::string from = "\"clock_ghz\": 2.8", to = "\"clock_ghz\": 2.9";
  size_t at = text.find(from);
  ASSERT_NE(at, std::string::npos);
  text.replace(at, from.size(), to);
  EXPECT_NE(isa_hash(load_isa_from_string(text)), isa_hash(npu()));
}

TEST(IsaLoad, EmitTextFillsTemplates) {
  const Instruction& act = npu().instruction("activation");
  EXPECT_EQ(
      emit_text(act, "sim", {{"func", "exp"}, {"reduce", "true"}},
                {{"out", "t1"}, {"in", "t0"}, {"acc", "r0"}, {"scale", "0.5"}, {"bias", "b0"}}),
      "activation t1, t0, func=exp, scale=0.5, bias=b0, reduce=true, acc=r0");
  EXPECT_THROW(emit_text(act, "sim", {}, {{"out", "t1"}}), UserError);
  EXPECT_THROW(emit_text(act, "llvm", {}, {}), UserError);
  Isa avx2 = load_isa(target("avx2"));
  // Enum values spell themselves per backend.
  EXPECT_EQ(emit_text(avx2.instruction("compare"), "llvm", {{"pred", "le"}},
                      {{"a", "%x"}, {"b", "%y"}, {"mask", "%m"}}),
            "fcmp ole <8 x float> %x, %y");
  EXPECT_EQ(emit_text(avx2.instruction("fma"), "llvm", {},
                      {{"a", "%a"}, {"b", "%b"}, {"c", "%c"}, {"out", "%o"}}),
            "call <8 x float> @llvm.fma.v8f32(<8 x float> %a, <8 x float> %b, <8 x float> %c)");
  Isa m = load_isa(std::string(AXON_SOURCE_DIR) + "/isa/fuzz/corpus/minimal.json");
  EXPECT_EQ(emit_text(m.instruction("rowsum"), "c", {}, {{"m", "M"}}), "rowsum({s}, M)");
  EXPECT_EQ(emit_text(m.instruction("axpy"), "c", {{"k", "3"}}, {{"y", "Y"}, {"a", "2.0"}}),
            "y = id(2.0 * x[3]) /* false */");
}

TEST(IsaLoad, MissingFileIsAUserError) {
  try {
    load_isa("/nonexistent/t.json");
    FAIL() << "no error";
  } catch (const UserError& e) {
    EXPECT_EQ(std::string(e.what()), "/nonexistent/t.json: cannot open the target file (No such "
                                     "file or directory); check the path (targets/ holds the "
                                     "shipped ones)");
  }
}

TEST(IsaLoad, NpuMachineFacts) {
  const Isa& isa = npu();
  const MemoryLevel* sbuf = isa.find_memory("SBUF");
  ASSERT_NE(sbuf, nullptr);
  EXPECT_EQ(sbuf->capacity_bytes, 24 << 20);
  EXPECT_EQ(sbuf->partitions, 128);
  EXPECT_EQ(sbuf->partition_bytes, 192 << 10);
  EXPECT_EQ(sbuf->max_free_elems, 65536);
  ASSERT_EQ(sbuf->partition_rules.size(), 3u);
  EXPECT_EQ(sbuf->partition_rules[1].starts, (std::vector<int64_t>{0, 64}));
  const MemoryLevel* psum = isa.find_memory("PSUM");
  ASSERT_NE(psum, nullptr);
  EXPECT_EQ(psum->capacity_bytes, 2 << 20);
  EXPECT_EQ(psum->banks, 8);
  EXPECT_EQ(psum->bank_bytes, 2048);
  EXPECT_EQ(psum->max_free_elems, 4096);
  EXPECT_TRUE(isa.can_accumulate("PE", "PSUM"));
  EXPECT_FALSE(isa.can_accumulate("DVE", "PSUM"));
  EXPECT_TRUE(isa.can_read("ACT", "PSUM"));
  EXPECT_FALSE(isa.can_read("POOL", "PSUM"));
  EXPECT_FALSE(isa.can_write("POOL", "PSUM"));
  EXPECT_FALSE(isa.can_read("DMA", "PSUM"));
  const Engine* dma = isa.find_engine("DMA");
  ASSERT_NE(dma, nullptr);
  EXPECT_EQ(dma->queues, 16);
  EXPECT_EQ(dma->cost_unit, CostUnit::Ns);
  EXPECT_EQ(dma->attributes.at("fixed_cost_ns"), 1300);
  EXPECT_EQ(isa.constants.at("dma_engine_gbps"), 27.2);
  EXPECT_EQ(isa.constants.at("dma_engines"), 16);
  EXPECT_EQ(*isa.find_engine("PE")->clock_ghz, 2.8);
  EXPECT_EQ(*isa.find_engine("DVE")->clock_ghz, 1.12);
  EXPECT_EQ(*isa.find_engine("ACT")->clock_ghz, 1.4);
  EXPECT_EQ(*isa.find_engine("POOL")->clock_ghz, 1.4);
  EXPECT_EQ(*isa.find_memory("HBM")->bandwidth_gbps, 410);
  ASSERT_EQ(isa.contention.size(), 2u);
  EXPECT_EQ(isa.contention[0].memory, "SBUF");
  EXPECT_EQ(isa.contention[0].engines, (std::vector<std::string>{"DVE", "POOL"}));
  EXPECT_EQ(isa.contention[1].engines, (std::vector<std::string>{"DVE", "ACT"}));
  // Every instruction of NPU.md's table.
  for (const char* n : {"matmul", "transpose_pe", "transpose_dve", "activation", "tensor_tensor",
                        "tensor_scalar", "tensor_reduce", "tensor_copy", "memset", "iota",
                        "affine_select", "reciprocal", "dma_copy", "dma_broadcast"})
    EXPECT_NE(isa.find_instruction(n), nullptr) << n;
  // Every ACT function.
  const ParamSpec* func = isa.instruction("activation").find_param("func");
  ASSERT_NE(func, nullptr);
  for (const char* f : {"copy", "square", "sigmoid", "relu", "gelu", "silu", "tanh", "softplus",
                        "erf", "exp", "log", "sin", "sqrt", "rsqrt", "reciprocal", "sign", "abs"})
    EXPECT_NE(func->find_value(f), nullptr) << f;
  EXPECT_EQ(func->values.size(), 17u);
  EXPECT_EQ(func->values.front().name, "copy"); // file order, so the first value is the default
}

TEST(IsaLoad, DescribeNamesKeyFacts) {
  std::string d = describe_isa(npu());
  for (const char* fact :
       {"target npu (schema_version 1",
        "SBUF  sram  24 MiB = 128 partitions x 192 KiB",
        "PSUM  accumulator  2 MiB = 128 partitions x 16 KiB, 8 banks x 2 KiB per partition",
        "partition starts: 65-128 at 0; 33-64 at 0/64; 1-32 at 0/32/64/96",
        "accumulate: PE",
        "HBM  dram  16 GiB, per core, 410 GB/s",
        "PE  tensor  128 lanes  2.8 GHz",
        "DVE  vector  128 lanes  1.12 GHz",
        "ACT  scalar  128 lanes  1.4 GHz",
        "DMA  dma  16 queues  costs in ns  fixed_cost_ns=1300",
        "SBUF: one of DVE, POOL at a time",
        "PSUM: one of DVE, ACT at a time",
        "instructions (14):",
        "matmul [PE]",
        "in st: SBUF f32|bf16|f16[K<=128, M<=128]",
        "out out: PSUM f32[M, N], accumulates when accumulate",
        "cost: max(min(64, M), N) * if(mv.is_f32, 4, 1)",
        "semantics: out[p, f] = @func(in[p, f] * scale[p] + bias[p])",
        "param scale: vector [P] in SBUF or an immediate",
        "semantics: acc[p] = sum(f) out[p, f]   (when reduce)",
        "requires: a.in_PSUM + b.in_PSUM <= 1",
        "emit sim: matmul {out}, {st}, {mv}, accumulate={accumulate}"})
    EXPECT_TRUE(contains(d, fact)) << "missing: " << fact << "\n" << d;
}

TEST(IsaLoad, NpuCostsMatchNpuMd) {
  const Isa& isa = npu();
  // matmul: max(min(64, M), N), x4 for fp32 inputs.
  InstrUse mm;
  mm.dims = {{"K", 128}, {"M", 128}, {"N", 512}};
  mm.dtypes = {{"st", DType::F32}, {"mv", DType::F32}};
  EXPECT_EQ(cost(isa, "matmul", mm), 2048);
  mm.dtypes = {{"st", DType::BF16}, {"mv", DType::BF16}};
  EXPECT_EQ(cost(isa, "matmul", mm), 512);
  mm.dims = {{"K", 128}, {"M", 32}, {"N", 16}};
  EXPECT_EQ(cost(isa, "matmul", mm), 32);
  mm.dims = {{"K", 128}, {"M", 128}, {"N", 16}};
  EXPECT_EQ(cost(isa, "matmul", mm), 64);
  // activation: max(64, N), +64 with the reduction.
  InstrUse act;
  act.dims = {{"P", 128}, {"F", 512}};
  EXPECT_EQ(cost(isa, "activation", act), 512);
  act.params = {{"reduce", "true"}};
  EXPECT_EQ(cost(isa, "activation", act), 576);
  act.dims["F"] = 10;
  act.params = {};
  EXPECT_EQ(cost(isa, "activation", act), 64);
  EXPECT_NEAR(instruction_cost_ns(isa, isa.instruction("activation"), act), 64 / 1.4, 1e-9);
  // reciprocal: max(64, 8N).
  InstrUse rc;
  rc.dims = {{"P", 128}, {"F", 100}};
  EXPECT_EQ(cost(isa, "reciprocal", rc), 800);
  // tensor_tensor: max(64, N) with a PSUM input or bf16 add/sub/mul, else max(64, 2N).
  InstrUse tt;
  tt.dims = {{"P", 128}, {"F", 512}};
  EXPECT_EQ(cost(isa, "tensor_tensor", tt), 1024);
  tt.memory = {{"a", "PSUM"}};
  EXPECT_EQ(cost(isa, "tensor_tensor", tt), 512);
  tt.memory = {};
  tt.dtypes = {{"a", DType::BF16}, {"b", DType::BF16}};
  tt.params = {{"op", "multiply"}};
  EXPECT_EQ(cost(isa, "tensor_tensor", tt), 512);
  tt.params = {{"op", "divide"}};
  EXPECT_EQ(cost(isa, "tensor_tensor", tt), 1024);
  // tensor_reduce: N, N/2 for bf16 add/max.
  InstrUse tr;
  tr.dims = {{"P", 128}, {"F", 512}};
  EXPECT_EQ(cost(isa, "tensor_reduce", tr), 512);
  tr.dtypes = {{"a", DType::BF16}};
  EXPECT_EQ(cost(isa, "tensor_reduce", tr), 256);
  tr.params = {{"op", "min"}};
  EXPECT_EQ(cost(isa, "tensor_reduce", tr), 512);
  // transposes, scalar ops, copies, iota.
  InstrUse tp;
  tp.dims = {{"P", 128}, {"F", 128}};
  EXPECT_EQ(cost(isa, "transpose_pe", tp), 4 * 128); // fp32 input: 4x, like matmul
  tp.dtypes = {{"a", DType::BF16}};
  EXPECT_EQ(cost(isa, "transpose_pe", tp), 128);
  tp.dtypes.clear();
  tp.dims = {{"P", 32}, {"F", 32}};
  EXPECT_EQ(cost(isa, "transpose_dve", tp), 64);
  InstrUse ts;
  ts.dims = {{"P", 128}, {"F", 512}};
  ts.params = {{"reduce", "true"}};
  EXPECT_EQ(cost(isa, "tensor_scalar", ts), 576);
  InstrUse io;
  io.dims = {{"P", 128}, {"F", 100}};
  EXPECT_EQ(cost(isa, "iota", io), 250);
  EXPECT_EQ(cost(isa, "memset", io), 100);
  // DMA (docs/npu-calibration.md): on 16 engines, the longest of its bytes at 27.2 GB/s, its
  // elements at the fitted element rate, and its descriptors (one per partition when no tile
  // gives the runs) at a 256-byte run each.
  InstrUse dma;
  dma.dims = {{"P", 128}, {"F", 512}};
  double rate = isa.constants.at("dma_engine_elems_per_ns");
  double want = std::max({128 * 256.0, 128 * 512 * 4.0, 128 * 512 * 27.2 / rate}) / 27.2 / 16;
  EXPECT_DOUBLE_EQ(cost(isa, "dma_copy", dma), want);
  EXPECT_DOUBLE_EQ(instruction_cost_ns(isa, isa.instruction("dma_copy"), dma), want);
  dma.dims["src.runs"] = 128 * 512; // element-granular: one descriptor per element
  EXPECT_DOUBLE_EQ(cost(isa, "dma_copy", dma), 128 * 512 * 256.0 / 27.2 / 16);
}

TEST(IsaLoad, CheckUseFindsIllegalUses) {
  const Isa& isa = npu();
  InstrUse tt;
  tt.dims = {{"P", 128}, {"F", 512}};
  EXPECT_TRUE(check_use(isa, isa.instruction("tensor_tensor"), tt).empty());
  tt.memory = {{"a", "PSUM"}, {"b", "PSUM"}};
  auto bad = check_use(isa, isa.instruction("tensor_tensor"), tt);
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_EQ(bad[0], "constraint \"a.in_PSUM + b.in_PSUM <= 1\" fails");
  tt.memory = {{"a", "PSUM"}};
  tt.engine = "POOL";
  bad = check_use(isa, isa.instruction("tensor_tensor"), tt);
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_EQ(bad[0], "POOL may not read PSUM (a)");
  InstrUse mm;
  mm.dims = {{"K", 128}, {"M", 128}, {"N", 1024}};
  bad = check_use(isa, isa.instruction("matmul"), mm);
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_EQ(bad[0], "N = 1024 is outside [1, 512]");
  InstrUse cp;
  cp.dims = {{"P", 128}, {"F", 8192}};
  cp.memory = {{"out", "PSUM"}};
  bad = check_use(isa, isa.instruction("tensor_copy"), cp);
  ASSERT_EQ(bad.size(), 1u);
  EXPECT_EQ(bad[0], "out has 8192 elements per partition; PSUM allows 4096");
  EXPECT_THROW(cost(isa, "matmul", InstrUse{}), UserError); // no sizes given
}

TEST(IsaLoad, SemanticsSourceOfAnAccumulatingMatmul) {
  const Instruction& mm = npu().instruction("matmul");
  EXPECT_EQ(semantics_source(mm, {}), "# semantics of instruction matmul\n"
                                      "where K, M, N\n"
                                      "input st: f32[K, M]\n"
                                      "input mv: f32[K, N]\n"
                                      "output out[m: M, n: N] = sum(k) st[k, m] * mv[k, n]\n");
  EXPECT_EQ(semantics_source(mm, {{"accumulate", "true"}}),
            "# semantics of instruction matmul\n"
            "where K, M, N\n"
            "input st: f32[K, M]\n"
            "input mv: f32[K, N]\n"
            "inout out: f32[M, N]\n"
            "out[m: M, n: N] += sum(k) st[k, m] * mv[k, n]\n");
  IndexProgram plain = instruction_semantics(mm, {});
  ASSERT_NE(plain.find_tensor("out"), nullptr);
  EXPECT_EQ(plain.find_tensor("out")->role, TensorRole::Output);
  IndexProgram acc = instruction_semantics(mm, {{"accumulate", "true"}});
  ASSERT_NE(acc.find_tensor("out"), nullptr);
  EXPECT_EQ(acc.find_tensor("out")->role, TensorRole::Input);
  EXPECT_EQ(acc.updates().count("out@1"), 1u);
}

TEST(IsaLoad, SemanticsInstantiateEnumsAndFlags) {
  const Instruction& act = npu().instruction("activation");
  std::string src = semantics_source(act, {{"func", "gelu"}, {"reduce", "true"}});
  EXPECT_TRUE(contains(src, "input scale: f32[P]\ninput bias: f32[P]\n")) << src;
  EXPECT_TRUE(contains(src,
                       "output out[p: P, f: F] = (0.5 * (in[p, f] * scale[p] + bias[p]) * (1.0 + "
                       "erf((in[p, f] * scale[p] + bias[p]) * 0.7071067811865476)))"))
      << src;
  EXPECT_TRUE(contains(src, "output acc[p: P] = sum(f) out[p, f]")) << src;
  IndexProgram p = instruction_semantics(act, {{"func", "exp"}, {"reduce", "true"}});
  EXPECT_EQ(p.outputs().size(), 2u);
  EXPECT_EQ(p.stmts().size(), 2u);
  // Without the flag, acc does not exist.
  IndexProgram q = instruction_semantics(act, {{"func", "exp"}});
  EXPECT_EQ(q.find_tensor("acc"), nullptr);

  const Instruction& ts = npu().instruction("tensor_scalar");
  EXPECT_TRUE(contains(semantics_source(ts, {{"op0", "multiply"}, {"op1", "add"}}),
                       "output out[p: P, f: F] = ((((in[p, f]) * (s0[p]))) + (s1[p]))"));
  EXPECT_EQ(all_param_choices(ts).size(), 13u * 14u * 2u);
  EXPECT_EQ(all_param_choices(act).size(), 17u * 2u);
  // Every instantiation of every NPU instruction parses.
  for (const auto& in : npu().instructions)
    for (const auto& c : all_param_choices(in))
      EXPECT_NO_THROW(instruction_semantics(in, c)) << in.name;
}

TEST(IsaLoad, IntImmediatesAndBadChoices) {
  const Instruction& sel = npu().instruction("affine_select");
  std::string src = semantics_source(sel, {{"offset", "-3"}, {"cmp", "lt"}});
  EXPECT_TRUE(contains(src, "input fill: f32[]\n")) << src;
  EXPECT_TRUE(contains(src, "select((((-3) + (1) * p + (-1) * f) < (0)), in[p, f], fill)")) << src;
  EXPECT_NO_THROW(instruction_semantics(sel, {{"offset", "-3"}}));
  EXPECT_THROW(semantics_source(sel, {{"offset", "x"}}), UserError);
  EXPECT_THROW(semantics_source(sel, {{"cmp", "between"}}), UserError);
  EXPECT_THROW(semantics_source(sel, {{"nope", "1"}}), UserError);
  EXPECT_THROW(semantics_source(sel, {{"fill", "1.0"}}),
               UserError); // real immediates stay symbolic
}

TEST(IsaLoad, CpuTargets) {
  Isa avx512 = load_isa(target("avx512"));
  const MemoryLevel* zmm = avx512.find_memory("zmm");
  ASSERT_NE(zmm, nullptr);
  EXPECT_EQ(zmm->registers, 32);
  EXPECT_EQ(zmm->register_bytes, 64);
  EXPECT_EQ(avx512.find_memory("L1D")->capacity_bytes, 48 << 10);
  EXPECT_EQ(avx512.find_memory("L2")->capacity_bytes, 2 << 20);
  EXPECT_EQ(avx512.find_memory("kmask")->registers, 8);
  EXPECT_TRUE(avx512.find_memory("L3")->shared);
  EXPECT_EQ(avx512.engines.front().lanes, 16);
  EXPECT_EQ(avx512.engines.front().count, 2);
  EXPECT_TRUE(contains(avx512.instruction("fma").emit.at("llvm"), "llvm.fma.v16f32"));
  EXPECT_TRUE(avx512.instruction("exp").library);
  EXPECT_TRUE(avx512.instruction("exp").accuracy_ulp.has_value());

  Isa avx2 = load_isa(target("avx2"));
  const MemoryLevel* ymm = avx2.find_memory("ymm");
  ASSERT_NE(ymm, nullptr);
  EXPECT_EQ(ymm->registers, 16);
  EXPECT_EQ(ymm->register_bytes, 32);
  EXPECT_EQ(avx2.find_memory("zmm"), nullptr);
  EXPECT_EQ(avx2.engines.front().lanes, 8);
  EXPECT_TRUE(contains(avx2.instruction("fma").emit.at("llvm"), "llvm.fma.v8f32"));
  // Both CPU targets cover the same operations.
  for (const auto& in : avx512.instructions)
    EXPECT_NE(avx2.find_instruction(in.name), nullptr) << in.name;
  for (const char* n : {"load", "store", "broadcast", "gather", "fma", "binary", "compare", "blend",
                        "reduce", "exp", "log", "tanh", "erf", "rsqrt", "sqrt"})
    EXPECT_NE(avx2.find_instruction(n), nullptr) << n;
  std::string d = describe_isa(avx512);
  EXPECT_TRUE(contains(d, "zmm  register  2 KiB = 32 registers x 64 B")) << d;

  // zen4 is the same code as avx512 on another machine: the same instructions, semantics and
  // emit templates, LLVM settings and registers; its own clock, rates, caches and costs.
  Isa zen4 = load_isa(target("zen4"));
  ASSERT_EQ(zen4.instructions.size(), avx512.instructions.size());
  for (size_t i = 0; i < avx512.instructions.size(); ++i) {
    const Instruction& a = avx512.instructions[i];
    const Instruction* z = zen4.find_instruction(a.name);
    ASSERT_NE(z, nullptr) << a.name;
    EXPECT_EQ(z->emit, a.emit) << a.name;
    ASSERT_EQ(z->semantics.size(), a.semantics.size()) << a.name;
    for (size_t k = 0; k < a.semantics.size(); ++k) {
      EXPECT_EQ(z->semantics[k].text, a.semantics[k].text) << a.name;
      EXPECT_EQ(z->semantics[k].when, a.semantics[k].when) << a.name;
    }
  }
  EXPECT_EQ(zen4.find_memory("zmm")->registers, 32);
  EXPECT_EQ(zen4.find_memory("L1D")->capacity_bytes, 32 << 10);
  EXPECT_EQ(zen4.find_memory("L2")->capacity_bytes, 1 << 20);
  EXPECT_EQ(zen4.engines.front().attributes.at("fma_units"), 1);
  EXPECT_NE(isa_hash(zen4), isa_hash(avx512));
}

} // namespace
} // namespace axon
