// Instruction synthesis finds the fused instructions of NPU.md and the AVX-512 idioms from the
// target JSON alone, falls back to longer sequences or "no lowering" when an instruction is
// removed, and rejects an instruction whose semantics were written wrong.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "ir/error.h"
#include "ir/frontend.h"
#include "isa/isa.h"
#include "synth/select_instructions.h"

namespace axon {
namespace {

std::string read_text(const std::string& rel) {
  std::ifstream f(std::string(AXON_SOURCE_DIR) + "/" + rel);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

const Isa& npu() {
  static const Isa isa = load_isa(std::string(AXON_SOURCE_DIR) + "/targets/npu.json");
  return isa;
}
const Isa& avx512() {
  static const Isa isa = load_isa(std::string(AXON_SOURCE_DIR) + "/targets/avx512.json");
  return isa;
}

// A copy of a target with `edit` applied to its JSON.
Isa edited(const std::string& target, const std::function<void(nlohmann::json&)>& edit) {
  nlohmann::json j = nlohmann::json::parse(read_text("targets/" + target));
  edit(j);
  return load_isa_from_string(j.dump(), "edited-" + target);
}

nlohmann::json& instruction(nlohmann::json& j, const std::string& name) {
  for (auto& i : j["instructions"])
    if (i["name"] == name)
      return i;
  throw std::runtime_error("no instruction " + name);
}

void remove_instruction(nlohmann::json& j, const std::string& name) {
  auto& a = j["instructions"];
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i]["name"] == name) {
      a.erase(i);
      return;
    }
  throw std::runtime_error("no instruction " + name);
}

SelectOptions options() {
  SelectOptions o;
  o.prove.use_cache = false; // every selection here is proven afresh
  return o;
}

// Selects the statement that writes `tensor` in the program `text`.
Selection select(const std::string& text, const std::string& tensor, const Isa& isa) {
  IndexProgram p = load_index_program(source_from_string(text, "test.tp"));
  for (size_t i = 0; i < p.stmts().size(); ++i)
    if (p.stmts()[i].out == tensor)
      return select_instructions(p, i, isa, options());
  throw std::runtime_error("no statement writes " + tensor);
}

// The instructions run per tile (constants such as a zero bias tile are hoisted out).
std::vector<std::string> names(const Selection& s) {
  std::vector<std::string> out;
  for (auto& i : s.instrs)
    if (!i.hoisted)
      out.push_back(i.instruction);
  return out;
}

const SelectedInstr& last(const Selection& s) { return s.instrs.back(); }

const SlotBinding& binding(const SelectedInstr& i, const std::string& slot) {
  for (auto& b : i.bindings)
    if (b.slot == slot)
      return b;
  throw std::runtime_error("no binding " + slot);
}

const char* kRowSumOfSquares =
    "where B, N\ninput x: f32[B, N]\noutput ss[b: B] = sum(j) x[b, j] * x[b, j]\n";

TEST(Isel, NpuSquareThenRowSumIsOneActivationWithReduce) {
  Selection s = select(kRowSumOfSquares, "ss", npu());
  ASSERT_TRUE(s.found) << s.reason;
  ASSERT_EQ(names(s), std::vector<std::string>{"activation"}) << to_string(s);
  const SelectedInstr& a = last(s);
  EXPECT_EQ(a.params.at("func"), "square");
  EXPECT_EQ(a.params.at("reduce"), "true");
  EXPECT_EQ(a.result, "acc");
  EXPECT_EQ(binding(a, "in").value, "x[b, j]");
  EXPECT_GE(s.stats.proven, 1u);
}

TEST(Isel, NpuScaleBiasExpIsOneActivation) {
  Selection s = select("where B, N\ninput x: f32[B, N]\ninput sc: f32[B]\ninput bi: f32[B]\n"
                       "output y[b: B, n: N] = exp(x[b, n] * sc[b] + bi[b])\n",
                       "y", npu());
  ASSERT_TRUE(s.found) << s.reason;
  ASSERT_EQ(names(s), std::vector<std::string>{"activation"}) << to_string(s);
  EXPECT_EQ(last(s).params.at("func"), "exp");
  EXPECT_EQ(last(s).params.at("reduce"), "false");
  EXPECT_EQ(binding(last(s), "scale").value, "sc[b]");
  EXPECT_EQ(binding(last(s), "bias").value, "bi[b]");
}

TEST(Isel, NpuPerRowScaleIsOneTensorScalar) {
  Selection s = select("where B, N\ninput x: f32[B, N]\ninput sc: f32[B]\n"
                       "output y[b: B, n: N] = x[b, n] * sc[b]\n",
                       "y", npu());
  ASSERT_TRUE(s.found) << s.reason;
  ASSERT_EQ(names(s), std::vector<std::string>{"tensor_scalar"}) << to_string(s);
  EXPECT_EQ(s.instrs[0].params.at("op0"), "multiply");
  EXPECT_EQ(binding(s.instrs[0], "s0").value, "sc[b]");
}

TEST(Isel, NpuMatmulTransposesTheStationaryOperand) {
  Selection s = select("where M, K, N\ninput a: f32[M, K]\ninput w: f32[K, N]\n"
                       "output y[m: M, n: N] = sum(k) a[m, k] * w[k, n]\n",
                       "y", npu());
  ASSERT_TRUE(s.found) << s.reason;
  ASSERT_EQ(names(s), std::vector<std::string>{"matmul"}) << to_string(s);
  const SlotBinding& st = binding(s.instrs[0], "st");
  EXPECT_EQ(st.value, "a[m, k]");
  EXPECT_NE(st.layout.find("transposed"), std::string::npos) << to_string(s);
  EXPECT_EQ(binding(s.instrs[0], "mv").value, "w[k, n]");
}

TEST(Isel, Avx512MulThenAddIsOneFma) {
  Selection s = select("where N\ninput a: f32[N]\ninput b: f32[N]\ninput c: f32[N]\n"
                       "output y[i: N] = a[i] * b[i] + c[i]\n",
                       "y", avx512());
  ASSERT_TRUE(s.found) << s.reason;
  std::vector<std::string> n = names(s);
  EXPECT_EQ(n.back(), "fma") << to_string(s);
  EXPECT_EQ(std::count(n.begin(), n.end(), "binary"), 0) << to_string(s);
  EXPECT_EQ(std::count(n.begin(), n.end(), "load"), 3) << to_string(s);
}

TEST(Isel, Avx512PerRowScalarIsABroadcast) {
  Selection s = select("where R, N\ninput x: f32[R, N]\ninput sc: f32[R]\n"
                       "output y[r: R, n: N] = x[r, n] * sc[r]\n",
                       "y", avx512());
  ASSERT_TRUE(s.found) << s.reason;
  std::vector<std::string> n = names(s);
  EXPECT_EQ(std::count(n.begin(), n.end(), "broadcast"), 1) << to_string(s);
  EXPECT_EQ(n.back(), "binary") << to_string(s);
  EXPECT_EQ(s.instrs.back().params.at("op"), "mul");
}

TEST(Isel, RemovingAnInstructionGivesALongerSequence) {
  Isa no_act = edited("npu.json", [](nlohmann::json& j) { remove_instruction(j, "activation"); });
  Selection s = select(kRowSumOfSquares, "ss", no_act);
  ASSERT_TRUE(s.found) << s.reason;
  // Without activation: square with tensor_tensor, then a separate add-reduce of the rows.
  ASSERT_EQ(names(s).size(), 2u) << to_string(s);
  EXPECT_EQ(names(s)[0], "tensor_tensor") << to_string(s);
  EXPECT_EQ(s.instrs[s.instrs.size() - 2].params.at("op"), "multiply");
  EXPECT_EQ(last(s).result, last(s).instruction == "tensor_reduce" ? "out" : "acc");
}

TEST(Isel, RemovingTheOnlyCoverGivesNoLowering) {
  // Without matmul, a partition broadcast of w (dma_broadcast) would still give an elementwise
  // product and a row sum; both go, so nothing covers the matrix product.
  Isa no_mm = edited("npu.json", [](nlohmann::json& j) {
    remove_instruction(j, "matmul");
    remove_instruction(j, "dma_broadcast");
  });
  Selection s = select("where M, K, N\ninput a: f32[M, K]\ninput w: f32[K, N]\n"
                       "output y[m: M, n: N] = sum(k) a[m, k] * w[k, n]\n",
                       "y", no_mm);
  EXPECT_FALSE(s.found) << to_string(s);
  EXPECT_NE(s.reason.find("no lowering for `y[m, n] = "), std::string::npos) << s.reason;
  EXPECT_NE(s.reason.find("on target 'npu'"), std::string::npos) << s.reason;
}

TEST(Isel, WrongSemanticsRejectsTheInstruction) {
  // matmul adding instead of multiplying: it no longer covers a matrix product (nor does a
  // partition broadcast of w, removed here, with an elementwise product and a row sum).
  Isa bad = edited("npu.json", [](nlohmann::json& j) {
    instruction(j, "matmul")["semantics"] = {"out[m, n] = sum(k) st[k, m] + mv[k, n]"};
    remove_instruction(j, "dma_broadcast");
  });
  Selection s = select("where M, K, N\ninput a: f32[M, K]\ninput w: f32[K, N]\n"
                       "output y[m: M, n: N] = sum(k) a[m, k] * w[k, n]\n",
                       "y", bad);
  EXPECT_FALSE(s.found) << to_string(s);
  EXPECT_GT(s.stats.numeric_rejected, 0u);
  // tensor_scalar's multiply written as an add: the per-row scale moves to another instruction.
  Isa bad_ts = edited("npu.json", [](nlohmann::json& j) {
    for (auto& p : instruction(j, "tensor_scalar")["params"])
      if (p["name"] == "op0")
        p["values"]["multiply"] = "$0 + $1";
  });
  Selection r = select("where B, N\ninput x: f32[B, N]\ninput sc: f32[B]\n"
                       "output y[b: B, n: N] = x[b, n] * sc[b]\n",
                       "y", bad_ts);
  ASSERT_TRUE(r.found) << r.reason;
  for (auto& i : r.instrs) {
    if (i.instruction == "tensor_scalar") {
      EXPECT_NE(i.params.at("op0"), "multiply") << to_string(r);
    }
  }
}

TEST(Isel, SelectionsAreCachedPerPatternAndTarget) {
  std::string dir = ::testing::TempDir() + "/isel_cache_test";
  std::filesystem::remove_all(dir);
  SelectOptions o = options();
  o.cache_dir = dir;
  // The same pattern under other names: one cache entry, shown in each program's names.
  IndexProgram p = load_index_program(source_from_string(kRowSumOfSquares, "a.tp"));
  IndexProgram q = load_index_program(source_from_string(
      "where R, C\ninput z: f32[R, C]\noutput n2[r: R] = sum(c) z[r, c] * z[r, c]\n", "b.tp"));
  Selection first = select_instructions(p, 0, npu(), o);
  ASSERT_TRUE(first.found) << first.reason;
  EXPECT_FALSE(first.stats.cached);
  Selection again = select_instructions(q, 0, npu(), o);
  ASSERT_TRUE(again.found) << again.reason;
  EXPECT_TRUE(again.stats.cached);
  EXPECT_EQ(again.instrs.size(), first.instrs.size());
  EXPECT_EQ(binding(last(again), "in").value, "z[r, c]");
  EXPECT_EQ(again.cost_ns, first.cost_ns);
  // Another target (here: one instruction fewer) is another key.
  Isa no_act = edited("npu.json", [](nlohmann::json& j) { remove_instruction(j, "activation"); });
  Selection other = select_instructions(q, 0, no_act, o);
  EXPECT_FALSE(other.stats.cached);
  std::filesystem::remove_all(dir);
}

} // namespace
} // namespace axon
