// Covers as data (synth/isel_cover.h) and per tile (synth/isel_tile.h): the structure selection
// returns for statements of the npu and CPU targets, each cover instantiated for tiles (ragged
// last tiles, reduction chunks) and run with the instructions' JSON semantics against the
// reference interpreter; bounds refused with their place in the target file; the cache reloads
// covers and ignores files of another format.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "ir/error.h"
#include "ir/frontend.h"
#include "isa/isa.h"
#include "synth/isel_accumulate.h"
#include "synth/isel_cover.h"
#include "synth/isel_tile.h"
#include "synth/select_instructions.h"

namespace axon {
namespace {

const Isa& target(const std::string& name) {
  static std::map<std::string, Isa> isas;
  auto it = isas.find(name);
  if (it == isas.end())
    it = isas.emplace(name, load_isa(std::string(AXON_SOURCE_DIR) + "/targets/" + name)).first;
  return it->second;
}

nlohmann::json target_json(const std::string& name) {
  std::ifstream f(std::string(AXON_SOURCE_DIR) + "/targets/" + name);
  return nlohmann::json::parse(f);
}

SelectOptions options() {
  SelectOptions o;
  o.prove.use_cache = false;
  return o;
}

struct Selected {
  IndexProgram program;
  size_t stmt = 0;
  Selection sel;
  const Cover& cover() const { return *sel.cover; }
};

// Selects the statement writing `tensor` of `text` on `isa`.
Selected select(const std::string& text, const std::string& tensor, const Isa& isa,
                const SelectOptions& o = options()) {
  IndexProgram p = load_index_program(source_from_string(text, "test.tp"));
  for (size_t i = 0; i < p.stmts().size(); ++i)
    if (p.stmts()[i].out == tensor) {
      Selection s = select_instructions(p, i, isa, o);
      return {p, i, s};
    }
  throw std::runtime_error("no statement writes " + tensor);
}

std::string dump(const Selected& s) {
  return to_string(s.sel) + (s.sel.cover ? cover_to_json(s.cover()).dump(1) : "(no cover)");
}

const CoverInstr& last(const Cover& c) { return c.instrs.back(); }

const CoverOperand& operand(const CoverInstr& i, const std::string& slot) {
  for (auto& o : i.operands)
    if (o.slot == slot)
      return o;
  throw std::runtime_error("no operand " + slot + " of " + i.name);
}

const CoverDim& dim(const CoverInstr& i, const std::string& d) {
  for (auto& x : i.dims)
    if (x.dim == d)
      return x;
  throw std::runtime_error("no dim " + d + " of " + i.name);
}

std::string check_text(const TileCheck& r) {
  return "elements " + std::to_string(r.elements) + ", calls " + std::to_string(r.calls) +
         ", max error " + std::to_string(r.max_error) + ": " + r.mismatch;
}

Tile tile(std::map<std::string, TileRange> ranges, std::map<std::string, int64_t> dims = {}) {
  return {std::move(dims), std::move(ranges)};
}

// A tile of `s` whose dims are its program's sizes (instantiate_tile takes them from the tile).
Tile tile(const Selected& s, std::map<std::string, TileRange> ranges) {
  Tile t{{}, std::move(ranges)};
  for (auto& [d, v] : s.program.dims())
    if (v)
      t.dims[d] = *v;
  return t;
}

std::string user_error_of(const std::function<void()>& f) {
  try {
    f();
  } catch (const UserError& e) {
    return e.what();
  }
  return "(no error)";
}

const char* kScaleBiasExp = "where B = 300, N = 70\ninput x: f32[B, N]\ninput sc: f32[B]\n"
                            "input bi: f32[B]\n"
                            "output y[b: B, n: N] = exp(x[b, n] * sc[b] + bi[b])\n";

TEST(IselCover, NpuElementwiseIsOneActivationOverBothAxes) {
  Selected s = select(kScaleBiasExp, "y", target("npu.json"));
  ASSERT_TRUE(s.sel.found) << s.sel.reason;
  ASSERT_TRUE(s.sel.cover) << to_string(s.sel);
  const Cover& c = s.cover();
  ASSERT_EQ(c.instrs.size(), s.sel.instrs.size());
  EXPECT_EQ(c.out, "y");
  ASSERT_EQ(c.vars.size(), 2u) << dump(s);
  EXPECT_EQ(c.vars[0].name, "b");
  EXPECT_EQ(to_string(c.vars[0].extent), "B");
  const CoverInstr& a = last(c);
  EXPECT_EQ(a.name, "activation");
  EXPECT_EQ(target("npu.json").instructions[a.instr].name, "activation");
  EXPECT_EQ(a.params.at("func"), "exp");
  EXPECT_EQ(a.out_axes, (std::vector<std::string>{"b", "n"})) << dump(s);
  EXPECT_TRUE(a.loops.empty()) << dump(s);
  const CoverOperand& in = operand(a, "in");
  ASSERT_EQ(in.term.kind, TermKind::Tensor);
  EXPECT_EQ(in.term.tensor, "x");
  EXPECT_EQ(to_string(in.term.index[0]) + "," + to_string(in.term.index[1]), "b,n");
  EXPECT_EQ(in.term.axes, (std::vector<std::string>{"b", "n"}));
  EXPECT_EQ(operand(a, "scale").term.tensor, "sc");
  EXPECT_EQ(operand(a, "bias").term.tensor, "bi");
  // P is bounded by 128 partitions: the bound, and where it is written in npu.json.
  const CoverDim& p = dim(a, "P");
  EXPECT_EQ(p.var, "b");
  ASSERT_TRUE(p.max.has_value());
  EXPECT_EQ(*p.max, 128);
  nlohmann::json npu = target_json("npu.json");
  EXPECT_EQ(npu.at(nlohmann::json::json_pointer(p.max_source)).get<int64_t>(), 128) << p.max_source;
  EXPECT_FALSE(p.min.has_value());
  EXPECT_EQ(
      npu.at(nlohmann::json::json_pointer("/instructions/" + std::to_string(a.instr) + "/name")),
      "activation");
  EXPECT_EQ(dim(a, "F").var, "n");
  EXPECT_FALSE(dim(a, "F").max.has_value());
}

TEST(IselCover, NpuElementwiseRaggedLastTileMatchesTheStatement) {
  Selected s = select(kScaleBiasExp, "y", target("npu.json"));
  ASSERT_TRUE(s.sel.found) << s.sel.reason;
  // B = 300 in tiles of 128: the last one has 44 rows; N = 70 in tiles of 32: the last has 6.
  Tile t = tile(s, {{"b", {256, 44}}, {"n", {64, 6}}});
  TileCover tc = instantiate_tile(s.cover(), target("npu.json"), t);
  ASSERT_EQ(tc.instrs.size(), s.cover().instrs.size());
  const TileInstr& a = tc.instrs.back();
  ASSERT_EQ(a.calls.size(), 1u);
  const TileCall& call = a.calls[0];
  EXPECT_EQ(call.dims.at("P"), 44);
  EXPECT_EQ(call.dims.at("F"), 6);
  const TileAccess& in = call.operands[0];
  EXPECT_EQ(in.slot, "in");
  EXPECT_EQ(in.tensor, "x");
  EXPECT_EQ(in.origin, (std::vector<int64_t>{256, 64}));
  EXPECT_EQ(in.strides, (std::vector<std::vector<int64_t>>{{1, 0}, {0, 1}}));
  EXPECT_EQ(in.extents, (std::vector<int64_t>{44, 6}));
  EXPECT_EQ(call.out.tensor, "y");
  EXPECT_EQ(call.out.origin, (std::vector<int64_t>{256, 64}));
  TileCheck r = check_tile(s.program, s.stmt, target("npu.json"), s.cover(), t);
  EXPECT_TRUE(r.ok) << check_text(r) << "\n" << dump(s);
  EXPECT_EQ(r.elements, 44u * 6u);
  // A full tile too.
  TileCheck full = check_tile(s.program, s.stmt, target("npu.json"), s.cover(),
                              tile({{"b", {128, 128}}, {"n", {0, 64}}}));
  EXPECT_TRUE(full.ok) << check_text(full);
  // 129 rows exceed the 128 partitions: refused, naming the bound's place in the JSON.
  std::string e = user_error_of([&] {
    instantiate_tile(s.cover(), target("npu.json"), tile(s, {{"b", {0, 129}}}));
  });
  EXPECT_NE(e.find("variable 'b' has extent 129"), std::string::npos) << e;
  EXPECT_NE(e.find("at most 128"), std::string::npos) << e;
  EXPECT_NE(e.find(dim(last(s.cover()), "P").max_source), std::string::npos) << e;
  // Ranges outside the statement and unknown variables are refused too.
  e = user_error_of([&] {
    instantiate_tile(s.cover(), target("npu.json"), tile(s, {{"b", {256, 64}}}));
  });
  EXPECT_NE(e.find("outside its extent [0, 300)"), std::string::npos) << e;
  e = user_error_of([&] {
    instantiate_tile(s.cover(), target("npu.json"), tile(s, {{"q", {0, 1}}}));
  });
  EXPECT_NE(e.find("no variable 'q'"), std::string::npos) << e;
}

const char* kRowSumOfSquares = "where B = 200, N = 40\ninput x: f32[B, N]\n"
                               "output ss[b: B] = sum(j) x[b, j] * x[b, j]\n";

TEST(IselCover, NpuRowReductionTilesAndChunks) {
  Selected s = select(kRowSumOfSquares, "ss", target("npu.json"));
  ASSERT_TRUE(s.sel.found) << s.sel.reason;
  const Cover& c = s.cover();
  ASSERT_EQ(c.vars.size(), 2u) << dump(s);
  EXPECT_FALSE(c.vars[0].reduction);
  EXPECT_TRUE(c.vars[1].reduction);
  EXPECT_EQ(c.vars[1].name, "j");
  EXPECT_EQ(to_string(c.vars[1].extent), "N");
  const CoverInstr& a = last(c);
  EXPECT_EQ(a.name, "activation");
  EXPECT_EQ(a.result, "acc");
  EXPECT_EQ(a.out_axes, std::vector<std::string>{"b"}) << dump(s);
  EXPECT_EQ(dim(a, "F").var, "j"); // the instruction's free axis is the statement's reduction
  EXPECT_EQ(operand(a, "in").term.axes, (std::vector<std::string>{"b", "j"}));
  // The zero bias is a hoisted constant tile written by an earlier instruction.
  const CoverOperand& bias = operand(a, "bias");
  if (bias.term.kind == TermKind::Temp) {
    const CoverInstr& z = c.instrs[bias.term.temp];
    EXPECT_TRUE(z.hoisted) << dump(s);
    EXPECT_EQ(z.operands.at(0).term.kind, TermKind::Constant) << dump(s);
  } else {
    EXPECT_EQ(bias.term.kind, TermKind::Constant) << dump(s);
  }
  // A ragged last tile of rows, whole rows.
  TileCheck r = check_tile(s.program, s.stmt, target("npu.json"), c, tile({{"b", {128, 72}}}));
  EXPECT_TRUE(r.ok) << check_text(r) << "\n" << dump(s);
  EXPECT_EQ(r.elements, 72u);
  // One chunk of the reduction: the cover computes the partial sums over j in [16, 40).
  TileCheck chunk = check_tile(s.program, s.stmt, target("npu.json"), c,
                               tile({{"b", {0, 128}}, {"j", {16, 24}}}));
  EXPECT_TRUE(chunk.ok) << check_text(chunk);
}

const char* kMatmul = "where M = 20, K = 200, N = 40\ninput a: f32[M, K]\ninput w: f32[K, N]\n"
                      "output y[m: M, n: N] = sum(k) a[m, k] * w[k, n]\n";

TEST(IselCover, NpuMatmulChunkOfTheContraction) {
  Selected s = select(kMatmul, "y", target("npu.json"));
  ASSERT_TRUE(s.sel.found) << s.sel.reason;
  const Cover& c = s.cover();
  ASSERT_EQ(c.instrs.size(), 1u) << dump(s);
  const CoverInstr& mm = c.instrs[0];
  EXPECT_EQ(mm.name, "matmul");
  EXPECT_EQ(mm.params.at("accumulate"), "false");
  const CoverOperand& st = operand(mm, "st");
  EXPECT_EQ(st.term.tensor, "a");
  EXPECT_EQ(st.term.axes, (std::vector<std::string>{"k", "m"})); // transposed: st[K, M] <- a[m, k]
  EXPECT_EQ(operand(mm, "mv").term.axes, (std::vector<std::string>{"k", "n"}));
  EXPECT_EQ(dim(mm, "K").var, "k");
  EXPECT_EQ(*dim(mm, "K").max, 128);
  EXPECT_EQ(*dim(mm, "N").max, 512);
  // The second chunk of K = 200 (72 of it, ragged), the whole of M and N.
  Tile t = tile(s, {{"k", {128, 72}}});
  TileCover tc = instantiate_tile(c, target("npu.json"), t);
  const TileCall& call = tc.instrs[0].calls.at(0);
  const TileAccess& sa = call.operands[0];
  EXPECT_EQ(sa.slot, "st");
  EXPECT_EQ(sa.origin, (std::vector<int64_t>{0, 128})); // a[m = 0, k = 128]
  // Operand axis 0 (K) walks a's axis 1; operand axis 1 (M) walks a's axis 0.
  EXPECT_EQ(sa.strides, (std::vector<std::vector<int64_t>>{{0, 1}, {1, 0}}));
  EXPECT_EQ(sa.extents, (std::vector<int64_t>{72, 20}));
  TileCheck r = check_tile(s.program, s.stmt, target("npu.json"), c, t);
  EXPECT_TRUE(r.ok) << check_text(r);
  EXPECT_EQ(r.elements, 20u * 40u);
  // A chunk of 130 exceeds K <= 128.
  std::string e = user_error_of([&] {
    instantiate_tile(c, target("npu.json"), tile(s, {{"k", {0, 130}}}));
  });
  EXPECT_NE(e.find("dim K of instruction 'matmul' is at most 128"), std::string::npos) << e;
}

TEST(IselCover, NpuRmsnormLastStepBroadcastsAlongThePartitions) {
  Selected s = select("where M = 140, K = 64\ninput x: f32[M, K]\ninput r: f32[M]\n"
                      "input g: f32[K]\noutput y[m: M, k: K] = x[m, k] * r[m] * g[k]\n",
                      "y", target("npu.json"));
  ASSERT_TRUE(s.sel.found) << s.sel.reason;
  const Cover& c = s.cover();
  const CoverInstr* bc = nullptr;
  size_t bc_index = 0;
  for (size_t i = 0; i < c.instrs.size(); ++i)
    if (c.instrs[i].name == "dma_broadcast") {
      bc = &c.instrs[i];
      bc_index = i;
    }
  ASSERT_TRUE(bc) << dump(s);
  // It reads a row vector (r[m] or g[k]: the selection picks the layout) along its free axis and
  // writes it to every partition: its output's partition axis carries the other variable.
  const CoverOperand& src = operand(*bc, "src");
  ASSERT_EQ(src.term.kind, TermKind::Tensor);
  EXPECT_TRUE(src.term.tensor == "r" || src.term.tensor == "g") << dump(s);
  ASSERT_EQ(src.term.axes.size(), 1u);
  const std::string row = src.term.axes[0];
  ASSERT_EQ(bc->out_axes.size(), 2u);
  EXPECT_EQ(bc->out_axes[1], row) << dump(s);
  EXPECT_NE(bc->out_axes[0], row) << dump(s);
  // Some later instruction reads what the broadcast wrote, as a temp.
  bool read = false;
  for (size_t i = bc_index + 1; i < c.instrs.size(); ++i)
    for (auto& o : c.instrs[i].operands)
      read = read || (o.term.kind == TermKind::Temp && o.term.temp == bc_index);
  EXPECT_TRUE(read) << dump(s);
  // The ragged last tile of rows (m in [128, 140)).
  Tile t = tile(s, {{"m", {128, 12}}});
  TileCover tc = instantiate_tile(c, target("npu.json"), t);
  const TileAccess& ga = tc.instrs[bc_index].calls.at(0).operands.at(0);
  EXPECT_EQ(ga.origin, std::vector<int64_t>{row == "m" ? 128 : 0});
  EXPECT_EQ(ga.extents, std::vector<int64_t>{row == "m" ? 12 : 64});
  EXPECT_EQ(ga.strides, std::vector<std::vector<int64_t>>{{1}});
  // Its buffer: one axis per variable, the tile's extents.
  EXPECT_EQ(tc.instrs[bc_index].temp_vars, bc->out_axes);
  EXPECT_EQ(tc.instrs[bc_index].temp_shape,
            (std::vector<int64_t>{row == "m" ? 64 : 12, row == "m" ? 12 : 64}));
  TileCheck r = check_tile(s.program, s.stmt, target("npu.json"), c, t);
  EXPECT_TRUE(r.ok) << check_text(r) << "\n" << dump(s);
  EXPECT_EQ(r.elements, 12u * 64u);
}

TEST(IselCover, Avx512FmaTilesOfSixteenLanesAndNoRaggedTail) {
  Selected s = select("where N = 37\ninput a: f32[N]\ninput b: f32[N]\ninput c: f32[N]\n"
                      "output y[i: N] = a[i] * b[i] + c[i]\n",
                      "y", target("avx512.json"));
  ASSERT_TRUE(s.sel.found) << s.sel.reason;
  const Cover& c = s.cover();
  EXPECT_EQ(last(c).name, "fma");
  size_t loads = 0;
  for (auto& i : c.instrs)
    if (i.name == "load") {
      ++loads;
      EXPECT_EQ(i.operands.at(0).term.kind, TermKind::Tensor) << dump(s);
    }
  EXPECT_EQ(loads, 3u);
  for (auto& o : last(c).operands)
    EXPECT_EQ(o.term.kind, TermKind::Temp) << dump(s); // registers: written by the loads
  TileCheck r = check_tile(s.program, s.stmt, target("avx512.json"), c, tile({{"i", {16, 16}}}));
  EXPECT_TRUE(r.ok) << check_text(r) << "\n" << dump(s);
  EXPECT_EQ(r.elements, 16u);
  // The tail [32, 37) is 5 lanes; the vector instructions take exactly 16 (L >= 16).
  std::string e = user_error_of([&] {
    instantiate_tile(c, target("avx512.json"), tile(s, {{"i", {32, 5}}}));
  });
  EXPECT_NE(e.find("at least 16"), std::string::npos) << e;
  EXPECT_NE(e.find("/min"), std::string::npos) << e;
}

TEST(IselCover, Avx512PerRowScaleLoopsOverRows) {
  Selected s = select("where R = 6, N = 48\ninput x: f32[R, N]\ninput sc: f32[R]\n"
                      "output y[r: R, n: N] = x[r, n] * sc[r]\n",
                      "y", target("avx512.json"));
  ASSERT_TRUE(s.sel.found) << s.sel.reason;
  const Cover& c = s.cover();
  EXPECT_EQ(last(c).out_axes, std::vector<std::string>{"n"}) << dump(s);
  EXPECT_EQ(last(c).loops, std::vector<std::string>{"r"}) << dump(s);
  const CoverInstr* bc = nullptr;
  for (auto& i : c.instrs)
    if (i.name == "broadcast")
      bc = &i;
  ASSERT_TRUE(bc) << dump(s);
  EXPECT_EQ(bc->operands.at(0).term.tensor, "sc");
  Tile t = tile(s, {{"r", {2, 3}}, {"n", {16, 16}}});
  TileCover tc = instantiate_tile(c, target("avx512.json"), t);
  ASSERT_EQ(tc.instrs.back().calls.size(), 3u); // one per row of the tile
  EXPECT_EQ(tc.instrs.back().calls[1].loops.at("r"), 3);
  EXPECT_EQ(tc.instrs.back().calls[1].out.origin, (std::vector<int64_t>{3, 16}));
  TileCheck r = check_tile(s.program, s.stmt, target("avx512.json"), c, t);
  EXPECT_TRUE(r.ok) << check_text(r) << "\n" << dump(s);
  EXPECT_EQ(r.elements, 48u);
}

TEST(IselCover, Avx2RowSumChunkOfEightLanes) {
  Selected s = select("where B = 3, N = 24\ninput x: f32[B, N]\n"
                      "output t[b: B] = sum(j) x[b, j]\n",
                      "t", target("avx2.json"));
  ASSERT_TRUE(s.sel.found) << s.sel.reason;
  const Cover& c = s.cover();
  EXPECT_EQ(last(c).name, "reduce") << dump(s);
  EXPECT_EQ(dim(last(c), "L").var, "j");
  EXPECT_EQ(*dim(last(c), "L").max, 8);
  TileCheck r =
      check_tile(s.program, s.stmt, target("avx2.json"), c, tile({{"b", {1, 2}}, {"j", {8, 8}}}));
  EXPECT_TRUE(r.ok) << check_text(r) << "\n" << dump(s);
  EXPECT_EQ(r.elements, 2u);
  // The whole row is three chunks: one call cannot take it.
  std::string e = user_error_of([&] {
    instantiate_tile(c, target("avx2.json"), tile(s, {{"b", {0, 1}}}));
  });
  EXPECT_NE(e.find("variable 'j' has extent 24"), std::string::npos) << e;
}

TEST(IselCover, RankZeroTensorOperand) {
  // npu: memset's real immediate `value` takes e[] (a scalar term); avx512: broadcast reads it
  // from memory (a tensor term of rank 0).
  for (const char* t : {"npu.json", "avx512.json"}) {
    Selected s = select("where B = 5, N = 32\ninput x: f32[B, N]\ninput e: f32[]\n"
                        "output y[b: B, n: N] = x[b, n] * e[]\n",
                        "y", target(t));
    ASSERT_TRUE(s.sel.found) << s.sel.reason;
    const CoverOperand* e = nullptr;
    for (auto& i : s.cover().instrs)
      for (auto& o : i.operands)
        if (o.term.tensor == "e")
          e = &o;
    ASSERT_TRUE(e) << dump(s);
    EXPECT_TRUE(e->term.index.empty()) << dump(s);
    EXPECT_EQ(e->term.kind, std::string(t) == "npu.json" ? TermKind::Scalar : TermKind::Tensor)
        << dump(s);
    TileCheck r = check_tile(s.program, s.stmt, target(t), s.cover(), tile({{"n", {16, 16}}}));
    EXPECT_TRUE(r.ok) << check_text(r) << "\n" << dump(s);
  }
}

TEST(IselCover, CheckFailsWhenTheCoverIsWrong) {
  // The same cover with its bias read from the scale: the check must see it.
  Selected s = select(kScaleBiasExp, "y", target("npu.json"));
  ASSERT_TRUE(s.sel.found) << s.sel.reason;
  Cover bad = s.cover();
  for (auto& o : bad.instrs.back().operands)
    if (o.slot == "bias")
      o.term.tensor = "sc";
  TileCheck r = check_tile(s.program, s.stmt, target("npu.json"), bad, tile({{"b", {0, 8}}}));
  EXPECT_FALSE(r.ok);
  EXPECT_NE(r.mismatch.find("y["), std::string::npos) << r.mismatch;
}

TEST(IselCover, JsonRoundTripAndErrors) {
  Selected s = select(kMatmul, "y", target("npu.json"));
  ASSERT_TRUE(s.sel.found) << s.sel.reason;
  nlohmann::json j = cover_to_json(s.cover());
  Cover back = cover_from_json(nlohmann::json::parse(j.dump()), target("npu.json"));
  EXPECT_EQ(cover_to_json(back), j);
  EXPECT_EQ(j["instrs"][0]["operands"][0]["term"]["text"], "a[m, k]");
  // Reloaded against another target whose instruction 0 is not matmul: refused with the pointer.
  std::string e = user_error_of([&] { cover_from_json(j, target("avx512.json")); });
  EXPECT_NE(e.find("/instrs/0/instr"), std::string::npos) << e;
  nlohmann::json broken = j;
  broken["instrs"][0]["operands"][1]["term"]["kind"] = "register";
  e = user_error_of([&] { cover_from_json(broken, target("npu.json")); });
  EXPECT_NE(e.find("/instrs/0/operands/1/term/kind"), std::string::npos) << e;
  broken = j;
  broken["instrs"][0]["operands"][0]["term"]["index"][0] = {{"kind", "real"}, {"value", "1"}};
  e = user_error_of([&] { cover_from_json(broken, target("npu.json")); });
  EXPECT_NE(e.find("/instrs/0/operands/0/term/index/0"), std::string::npos) << e;
  // Exprs: every kind survives, reals as text ("inf" too).
  Expr x = ExprNode::reduce(
      ExprKind::RMax, "j", ExprNode::dim_var("N"),
      ExprNode::select(
          ExprNode::binary(ExprKind::Lt, ExprNode::index_var("j"), ExprNode::int_const(3)),
          ExprNode::access("t", {ExprNode::index_var("j")}),
          ExprNode::real_const(-std::numeric_limits<double>::infinity())));
  EXPECT_TRUE(structurally_equal(expr_from_json(expr_to_json(x)), x));
}

TEST(IselCover, CacheReloadsCoversAndIgnoresOtherFormats) {
  std::string dir = ::testing::TempDir() + "/isel_cover_cache_test";
  std::filesystem::remove_all(dir);
  SelectOptions o = options();
  o.cache_dir = dir;
  Selected first = select(kRowSumOfSquares, "ss", target("npu.json"), o);
  ASSERT_TRUE(first.sel.found) << first.sel.reason;
  EXPECT_FALSE(first.sel.stats.cached);
  // The same pattern in other names: the cached cover comes back in these names.
  Selected again = select("where R = 9, C = 5\ninput z: f32[R, C]\n"
                          "output n2[r: R] = sum(c) z[r, c] * z[r, c]\n",
                          "n2", target("npu.json"), o);
  ASSERT_TRUE(again.sel.found) << again.sel.reason;
  EXPECT_TRUE(again.sel.stats.cached);
  ASSERT_TRUE(again.sel.cover);
  EXPECT_EQ(again.cover().out, "n2");
  EXPECT_EQ(operand(last(again.cover()), "in").term.tensor, "z");
  EXPECT_EQ(operand(last(again.cover()), "in").term.axes, (std::vector<std::string>{"r", "c"}));
  TileCheck r = check_tile(again.program, again.stmt, target("npu.json"), again.cover(), {});
  EXPECT_TRUE(r.ok) << check_text(r);
  Selected same = select(kRowSumOfSquares, "ss", target("npu.json"), o);
  EXPECT_TRUE(same.sel.stats.cached);
  EXPECT_EQ(cover_to_json(same.cover()), cover_to_json(first.cover()));
  // A file of another format (an older build's) is a miss, and is rewritten.
  size_t files = 0;
  for (auto& f : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(f.path());
    nlohmann::json j = nlohmann::json::parse(in);
    in.close();
    j["format"] = 2;
    j.erase("cover");
    std::ofstream(f.path()) << j.dump();
    ++files;
  }
  ASSERT_EQ(files, 1u);
  Selected old = select(kRowSumOfSquares, "ss", target("npu.json"), o);
  ASSERT_TRUE(old.sel.found);
  EXPECT_FALSE(old.sel.stats.cached);
  ASSERT_TRUE(old.sel.cover);
  std::filesystem::remove_all(dir);
}

// --- Accumulating forms (isel_accumulate.h) ---------------------------------------------------

TEST(IselAccumulate, MatmulHasAProvenAccumulatingForm) {
  Selected s = select(kMatmul, "y", target("npu.json"));
  ASSERT_TRUE(s.sel.found) << s.sel.reason;
  const CoverInstr& mm = last(s.cover());
  ASSERT_EQ(mm.name, "matmul");
  EXPECT_EQ(mm.params.at("accumulate"), "false");
  ASSERT_TRUE(mm.accumulate) << dump(s);
  EXPECT_EQ(*mm.accumulate, (ParamChoice{{"accumulate", "true"}}));
  EXPECT_NE(to_string(s.sel).find("accumulating form: matmul(accumulate=true) adds into out"),
            std::string::npos)
      << to_string(s.sel);
  // The proof itself, and the JSON round trip of the field.
  const Isa& npu = target("npu.json");
  std::string why;
  EXPECT_EQ(isel::check_accumulating_form(npu, mm.instr, mm.params, *mm.accumulate, "out",
                                          options().prove, &why),
            smt::Verdict::Proven)
      << why;
  nlohmann::json j = cover_to_json(s.cover());
  EXPECT_EQ(j["instrs"][0]["accumulate"], (nlohmann::json{{"accumulate", "true"}}));
  Cover back = cover_from_json(j, npu);
  ASSERT_TRUE(back.instrs[0].accumulate);
  EXPECT_EQ(*back.instrs[0].accumulate, *mm.accumulate);
  j["instrs"][0]["accumulate"] = {{"accumulate", 1}};
  std::string e = user_error_of([&] { cover_from_json(j, npu); });
  EXPECT_NE(e.find("/instrs/0/accumulate/accumulate"), std::string::npos) << e;
}

TEST(IselAccumulate, InstructionsWithoutSuchAFormHaveNone) {
  // A row sum on npu is activation(square) with add-reduce: no choice of its parameters adds
  // into its output. An elementwise cover reduces over nothing and is not asked.
  Selected s = select(kRowSumOfSquares, "ss", target("npu.json"));
  ASSERT_TRUE(s.sel.found) << s.sel.reason;
  EXPECT_EQ(last(s.cover()).name, "activation");
  EXPECT_FALSE(last(s.cover()).accumulate) << dump(s);
  EXPECT_FALSE(cover_to_json(s.cover())["instrs"].back().contains("accumulate"));
  Selected e = select(kScaleBiasExp, "y", target("npu.json"));
  ASSERT_TRUE(e.sel.found) << e.sel.reason;
  for (const auto& i : e.cover().instrs)
    EXPECT_FALSE(i.accumulate) << i.name;
  // The flag that writes afresh is no accumulating form of itself.
  const Isa& npu = target("npu.json");
  EXPECT_EQ(isel::check_accumulating_form(npu, 0, {{"accumulate", "false"}},
                                          {{"accumulate", "false"}}, "out", options().prove),
            smt::Verdict::Refuted);
}

TEST(IselAccumulate, AWrongCandidateIsRefuted) {
  // A copy of npu.json whose matmul doubles the product when it accumulates: the flag's form
  // reads the old value but adds 2x the value, so it is refuted and the cover has none.
  nlohmann::json j = target_json("npu.json");
  ASSERT_EQ(j["instructions"][0]["name"], "matmul");
  j["instructions"][0]["semantics"][0] =
      "out[m, n] = sum(k) st[k, m] * mv[k, n] * @accumulate(2.0, 1.0)";
  Isa edited = load_isa_from_string(j.dump(), "doubled-matmul.json");
  std::string why;
  EXPECT_EQ(isel::check_accumulating_form(edited, 0, {{"accumulate", "false"}},
                                          {{"accumulate", "true"}}, "out", options().prove, &why),
            smt::Verdict::Refuted)
      << why;
  EXPECT_FALSE(
      isel::accumulating_form(edited, 0, {{"accumulate", "false"}}, "out", options().prove));
  Selected s = select(kMatmul, "y", edited);
  ASSERT_TRUE(s.sel.found) << s.sel.reason;
  ASSERT_EQ(last(s.cover()).name, "matmul");
  EXPECT_FALSE(last(s.cover()).accumulate) << dump(s);
}

// --- Alternatives: covers with other partition layouts (Selection::alternatives) -----------------

const char* kRmsnormLastStep = "where M = 140, K = 64\ninput x: f32[M, K]\ninput r: f32[M]\n"
                               "input g: f32[K]\noutput y[m: M, k: K] = x[m, k] * r[m] * g[k]\n";

double per_tile_ns(const Cover& c) {
  double ns = 0;
  for (auto& i : c.instrs)
    if (!i.hoisted)
      ns += i.cost_ns;
  return ns;
}

// The Var the cover's result puts on the partitions, and which Var each tensor read in place of
// a partitioned operand (axis 0) puts there.
std::string partition_layout(const Cover& c, const Isa& isa) {
  std::string s = "out@" + c.instrs.back().out_axes.at(0);
  for (auto& i : c.instrs)
    for (auto& o : i.operands) {
      const OperandSpec* op = isa.instructions[i.instr].find_operand(o.slot);
      if (o.term.kind == TermKind::Tensor && op && !o.term.axes.empty())
        s += " " + o.term.tensor + "@" +
             (isa.find_memory(op->memories.front())->partitions > 1 ? o.term.axes[0] : "-");
    }
  return s;
}

TEST(IselAlternatives, RmsnormLastStepHasARowsOnPartitionsCover) {
  const Isa& npu = target("npu.json");
  Selected s = select(kRmsnormLastStep, "y", npu);
  ASSERT_TRUE(s.sel.found) << s.sel.reason;
  const auto& alts = s.sel.alternatives;
  ASSERT_GE(alts.size(), 2u) << dump(s);
  EXPECT_LE(alts.size(), 4u);
  EXPECT_EQ(alts[0], s.sel.cover);
  // Today's cover puts k on the partitions (the broadcast row is r[m]).
  EXPECT_EQ(s.cover().instrs.back().out_axes[0], "k") << dump(s);
  // Cheapest first, each within 2x of the cover, layouts distinct.
  std::set<std::string> layouts;
  for (size_t a = 0; a < alts.size(); ++a) {
    if (a > 0) {
      EXPECT_LE(per_tile_ns(*alts[a - 1]), per_tile_ns(*alts[a]) + 1e-9);
    }
    EXPECT_LE(per_tile_ns(*alts[a]), 2 * s.sel.cost_ns + 1e-9);
    EXPECT_TRUE(layouts.insert(partition_layout(*alts[a], npu)).second)
        << partition_layout(*alts[a], npu);
  }
  // One alternative puts m on the partitions for x and the result, and reads g through a
  // broadcast from an unpartitioned memory (HBM) into every partition.
  const Cover* rows = nullptr;
  for (auto& a : alts)
    if (a->instrs.back().out_axes[0] == "m")
      rows = a.get();
  ASSERT_TRUE(rows) << to_string(s.sel);
  bool x_rows = false, g_broadcast = false;
  for (auto& i : rows->instrs)
    for (auto& o : i.operands) {
      if (o.term.kind != TermKind::Tensor)
        continue;
      const OperandSpec* op = npu.instructions[i.instr].find_operand(o.slot);
      if (!op)
        continue; // a per-partition parameter (r[m])
      bool partitioned = npu.find_memory(op->memories.front())->partitions > 1;
      if (o.term.tensor == "x")
        x_rows = partitioned && o.term.axes[0] == "m";
      if (o.term.tensor == "g")
        g_broadcast = !partitioned && i.out_axes.size() == 2 && i.out_axes[0] == "m" &&
                      i.out_axes[1] == "k" && o.term.axes == std::vector<std::string>{"k"};
    }
  EXPECT_TRUE(x_rows) << to_string(s.sel);
  EXPECT_TRUE(g_broadcast) << to_string(s.sel);
  // It computes the statement: the ragged last tile of rows and a chunk of columns.
  TileCheck r = check_tile(s.program, s.stmt, npu, *rows, tile(s, {{"m", {128, 12}}}));
  EXPECT_TRUE(r.ok) << check_text(r) << "\n" << to_string(s.sel);
  r = check_tile(s.program, s.stmt, npu, *rows, tile(s, {{"m", {0, 128}}, {"k", {32, 32}}}));
  EXPECT_TRUE(r.ok) << check_text(r);
  EXPECT_NE(to_string(s.sel).find("alternative layout 1"), std::string::npos);
}

TEST(IselAlternatives, MatmulAndSoftmaxKeepTheirCovers) {
  const Isa& npu = target("npu.json");
  Selected mm = select(kMatmul, "y", npu);
  ASSERT_TRUE(mm.sel.found) << mm.sel.reason;
  EXPECT_EQ(mm.sel.alternatives.at(0), mm.sel.cover);
  EXPECT_EQ(last(mm.cover()).name, "matmul");
  EXPECT_EQ(last(mm.cover()).out_axes, (std::vector<std::string>{"m", "n"}));
  // Its alternative computes the transposed product (n on the partitions), and still has the
  // accumulating form; every alternative computes the statement on a chunk of k.
  for (auto& a : mm.sel.alternatives) {
    TileCheck r = check_tile(mm.program, mm.stmt, npu, *a, tile(mm, {{"k", {128, 72}}}));
    EXPECT_TRUE(r.ok) << check_text(r) << "\n" << to_string(mm.sel);
  }
  ASSERT_GE(mm.sel.alternatives.size(), 2u) << to_string(mm.sel);
  EXPECT_EQ(mm.sel.alternatives[1]->instrs.back().out_axes, (std::vector<std::string>{"n", "m"}));
  EXPECT_TRUE(mm.sel.alternatives[1]->instrs.back().accumulate);
  const char* softmax = "where B = 130, N = 70\ninput x: f32[B, N]\n"
                        "output mx[b: B] = max(j) x[b, j]\n"
                        "output e[b: B, n: N] = exp(x[b, n] - mx[b])\n"
                        "output s[b: B] = sum(j) e[b, j]\n"
                        "output y[b: B, n: N] = e[b, n] / s[b]\n";
  for (const char* t : {"mx", "e", "s", "y"}) {
    Selected sm = select(softmax, t, npu);
    ASSERT_TRUE(sm.sel.found) << sm.sel.reason;
    EXPECT_EQ(sm.sel.alternatives.at(0), sm.sel.cover);
    EXPECT_EQ(sm.cover().instrs.back().out_axes.at(0), "b") << t << "\n" << dump(sm);
  }
}

TEST(IselAlternatives, CacheKeepsThem) {
  std::string dir = ::testing::TempDir() + "/isel_alternatives_cache_test";
  std::filesystem::remove_all(dir);
  SelectOptions o = options();
  o.cache_dir = dir;
  Selected first = select(kRmsnormLastStep, "y", target("npu.json"), o);
  ASSERT_TRUE(first.sel.found);
  EXPECT_FALSE(first.sel.stats.cached);
  Selected again = select(kRmsnormLastStep, "y", target("npu.json"), o);
  EXPECT_TRUE(again.sel.stats.cached);
  ASSERT_EQ(again.sel.alternatives.size(), first.sel.alternatives.size());
  EXPECT_EQ(again.sel.alternatives[0], again.sel.cover);
  for (size_t a = 0; a < first.sel.alternatives.size(); ++a)
    EXPECT_EQ(cover_to_json(*again.sel.alternatives[a]), cover_to_json(*first.sel.alternatives[a]));
  std::filesystem::remove_all(dir);
}

} // namespace
} // namespace axon
