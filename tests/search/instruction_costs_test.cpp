// Instruction selection for the search (emit/cpu/instruction_costs.h): covered statements get their
// compute cost from the selection, not from the operation weights; reductions keep the weights;
// an element function the target lacks is a user error naming the statement and the target.
#include <gtest/gtest.h>

#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "emit/cpu/cost_model.h"
#include "emit/cpu/instruction_costs.h"
#include "emit/cpu/machine_model.h"
#include "ir/error.h"
#include "ir/frontend.h"
#include "isa/isa.h"

namespace axon {
namespace {

const Isa& avx512() {
  static const Isa isa = load_isa(std::string(AXON_SOURCE_DIR) + "/targets/avx512.json");
  return isa;
}

SelectOptions options() {
  SelectOptions o;
  o.prove.use_cache = false;
  return o;
}

IndexProgram program(const std::string& text) {
  return load_index_program(source_from_string(text, "test.tp"));
}

// A row-major loop nest vectorized along its innermost variable.
StmtSchedule vectorized(const std::string& outer, const std::string& inner) {
  StmtSchedule s;
  s.order = {outer, inner};
  s.vectorize = inner;
  s.vector_width = 16;
  return s;
}

TEST(InstructionCosts, CoveredStatementTakesItsComputeCostFromTheSelection) {
  IndexProgram p =
      program("where M = 64, N = 256\ninput x: f32[M, N]\noutput y[m, n] = exp(x[m, n]) * 2.0\n");
  ASSERT_EQ(p.stmts().size(), 1u);
  InstructionSelection sel = select_for_search({&p}, avx512(), options());
  std::string key = stmt_cost_key(p, 0);
  ASSERT_EQ(sel.costed, 1u);
  ASSERT_TRUE(sel.costs.stmts.count(key));
  const Selection& s = sel.stmts.at(key).selection;
  ASSERT_TRUE(s.found) << s.reason;
  bool has_exp = false;
  for (auto& i : s.instrs)
    has_exp = has_exp || i.instruction == "exp";
  EXPECT_TRUE(has_exp) << to_string(s);
  EXPECT_EQ(s.tile_elements, 16); // one zmm of the output per tile
  EXPECT_DOUBLE_EQ(sel.costs.stmts.at(key).ns_per_tile, s.cost_ns);

  // The compute term is the selection's: scale its cost so compute dominates memory, and the
  // estimate is exactly elements x cost per element (the operation weights give another number).
  MachineModel m = cpu_machine_model(avx512());
  StmtSchedule ss = vectorized("m", "n");
  SelectedCosts heavy = sel.costs;
  heavy.stmts[key].ns_per_tile *= 1000;
  double expect = 64.0 * 256.0 * heavy.stmts[key].ns_per_tile / heavy.stmts[key].tile_elements;
  EXPECT_DOUBLE_EQ(estimate_stmt_ns(p, 0, ss, m, nullptr, &heavy), expect);
  EXPECT_NE(estimate_stmt_ns(p, 0, ss, m), expect);
  // Two cores halve it; an unvectorized loop runs the tile's sequence per element.
  EXPECT_DOUBLE_EQ(estimate_stmt_ns(p, 0, ss, parallel_model(m, 2), nullptr, &heavy), expect / 2);
  StmtSchedule scalar;
  scalar.order = {"m", "n"};
  EXPECT_DOUBLE_EQ(estimate_stmt_ns(p, 0, scalar, m, nullptr, &heavy), expect * m.lanes);
  // Whole schedules see it too.
  Schedule whole;
  whole.stmts = {ss};
  EXPECT_DOUBLE_EQ(estimate_ns(p, whole, m, &heavy), expect);
}

TEST(InstructionCosts, ReductionsKeepTheOperationWeights) {
  IndexProgram p =
      program("where M = 64, N = 256\ninput x: f32[M, N]\noutput y[m] = sum(n) x[m, n]\n");
  InstructionSelection sel = select_for_search({&p}, avx512(), options());
  std::string key = stmt_cost_key(p, 0);
  const StmtSelection& s = sel.stmts.at(key);
  EXPECT_FALSE(s.costed);
  EXPECT_FALSE(sel.costs.stmts.count(key));
  EXPECT_NE(s.cost_note.find("reduction"), std::string::npos) << s.cost_note;
  ASSERT_TRUE(s.body.has_value());
  EXPECT_TRUE(s.body->found) << s.body->reason;
  // Even a table entry for it is not used.
  SelectedCosts forced;
  forced.stmts[key] = {1e6, 1};
  StmtSchedule ss;
  ss.order = {"m"};
  MachineModel m = cpu_machine_model(avx512());
  EXPECT_DOUBLE_EQ(estimate_stmt_ns(p, 0, ss, m, nullptr, &forced), estimate_stmt_ns(p, 0, ss, m));
  nlohmann::json r = selection_report(sel, p);
  EXPECT_EQ(r["winner"][0]["cost_model"], "operation weights");
  EXPECT_TRUE(r["winner"][0].contains("reduction_body"));
}

// A statement with no cover of its own (more than four instructions) keeps the operation weights,
// but its element functions weigh what their selected instructions cost.
TEST(InstructionCosts, UncoveredStatementsWeighFunctionsByTheirSelection) {
  IndexProgram p = program("where M = 64, N = 256\ninput x: f32[M, N]\ninput z: f32[M, N]\n"
                           "output y[m, n] = exp(x[m, n]) * z[m, n] + x[m, n] / (z[m, n] + 3.0)\n");
  InstructionSelection sel = select_for_search({&p}, avx512(), options());
  std::string key = stmt_cost_key(p, 0);
  ASSERT_FALSE(sel.stmts.at(key).selection.found);
  EXPECT_FALSE(sel.costs.stmts.count(key));
  ASSERT_TRUE(sel.costs.functions.count(ExprKind::Exp));
  // exp alone is its load and its exp instruction; the load is not the function's.
  const SelectedCost& e = sel.costs.functions.at(ExprKind::Exp);
  EXPECT_GT(e.ns_per_tile / e.tile_elements, 0.0);
  MachineModel m = cpu_machine_model(avx512());
  StmtSchedule ss = vectorized("m", "n");
  SelectedCosts heavy = sel.costs;
  heavy.functions[ExprKind::Exp].ns_per_tile *= 1000;
  double with_selected = estimate_stmt_ns(p, 0, ss, m, nullptr, &sel.costs);
  double with_heavy = estimate_stmt_ns(p, 0, ss, m, nullptr, &heavy);
  // Compute-bound with the heavy exp: elements x (exp's ns per element) bounds it from below.
  EXPECT_GE(with_heavy, 64.0 * 256.0 * 1000 * e.ns_per_tile / e.tile_elements);
  EXPECT_GT(with_heavy, 100 * with_selected);
  EXPECT_EQ(selection_report(sel, p)["winner"][0]["cost_model"], "operation weights");
}

TEST(InstructionCosts, AFunctionTheTargetLacksIsAnErrorNamingStatementAndTarget) {
  std::ifstream f(std::string(AXON_SOURCE_DIR) + "/targets/avx512.json");
  nlohmann::json j = nlohmann::json::parse(f);
  auto& a = j["instructions"];
  for (size_t i = 0; i < a.size(); ++i)
    if (a[i]["name"] == "exp")
      a.erase(i--);
  j["name"] = "avx512_without_exp";
  Isa isa = load_isa_from_string(j.dump(), "avx512_without_exp.json");
  auto src = source_from_string(
      "where M = 8, N = 32\ninput x: f32[M, N]\noutput y[m, n] = exp(x[m, n]) + x[m, n]\n",
      "noexp.tp");
  IndexProgram p = load_index_program(src);
  try {
    select_for_search({&p}, isa, options(), src.get());
    FAIL() << "expected a user error";
  } catch (const UserError& e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("noexp.tp:3:"), std::string::npos) << msg;
    EXPECT_NE(msg.find("y[m, n] = exp(x[m, n]) + x[m, n]"), std::string::npos) << msg;
    EXPECT_NE(msg.find("avx512_without_exp"), std::string::npos) << msg;
    EXPECT_NE(msg.find("applies exp"), std::string::npos) << msg;
  }
  // The same program on the full target passes.
  EXPECT_NO_THROW(select_for_search({&p}, avx512(), options(), src.get()));
}

} // namespace
} // namespace axon
