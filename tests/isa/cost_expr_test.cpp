// Cost formula language (isa/cost_expr.h): precedence, functions, variables, and the syntax
// errors a target author sees.
#include <gtest/gtest.h>

#include <cmath>
#include <map>
#include <string>

#include "ir/error.h"
#include "isa/cost_expr.h"

namespace axon {
namespace {

double eval(const std::string& text, std::map<std::string, double> vars = {}) {
  return CostExpr::parse(text).eval([&](const std::string& v) -> std::optional<double> {
    auto it = vars.find(v);
    if (it == vars.end())
      return std::nullopt;
    return it->second;
  });
}

std::string parse_error(const std::string& text) {
  try {
    CostExpr::parse(text);
  } catch (const UserError& e) {
    return e.what();
  }
  return "(no error)";
}

TEST(CostExpr, ArithmeticAndPrecedence) {
  EXPECT_EQ(eval("1 + 2 * 3"), 7);
  EXPECT_EQ(eval("(1 + 2) * 3"), 9);
  EXPECT_EQ(eval("10 - 4 - 3"), 3);
  EXPECT_EQ(eval("12 / 4 / 3"), 1);
  EXPECT_EQ(eval("-3 + 5"), 2);
  EXPECT_EQ(eval("1.5e2"), 150);
}

TEST(CostExpr, Functions) {
  EXPECT_EQ(eval("max(64, N)", {{"N", 512}}), 512);
  EXPECT_EQ(eval("max(64, N)", {{"N", 10}}), 64);
  EXPECT_EQ(eval("min(3, 1, 2)"), 1);
  EXPECT_EQ(eval("ceil(7 / 2)"), 4);
  EXPECT_EQ(eval("floor(7 / 2)"), 3);
  EXPECT_EQ(eval("if(a.is_f32, 4, 1)", {{"a.is_f32", 1}}), 4);
  EXPECT_EQ(eval("if(a.is_f32, 4, 1)", {{"a.is_f32", 0}}), 1);
}

TEST(CostExpr, ComparisonsAndLogic) {
  EXPECT_EQ(eval("2 <= 2"), 1);
  EXPECT_EQ(eval("2 < 2"), 0);
  EXPECT_EQ(eval("1 == 1 && 2 != 3"), 1);
  EXPECT_EQ(eval("0 || 0"), 0);
  EXPECT_EQ(eval("a + b <= 1", {{"a", 1}, {"b", 1}}), 0);
}

TEST(CostExpr, VariablesAreSortedAndDotted) {
  CostExpr e = CostExpr::parse("max(N, a.bytes) + N * op.add");
  EXPECT_EQ(e.variables(), (std::vector<std::string>{"N", "a.bytes", "op.add"}));
  EXPECT_EQ(e.text(), "max(N, a.bytes) + N * op.add");
}

TEST(CostExpr, DivisionByZeroDoesNotThrow) { EXPECT_TRUE(std::isinf(eval("1 / 0"))); }

TEST(CostExpr, MissingVariableAtEvaluation) { EXPECT_THROW(eval("N + 1"), UserError); }

TEST(CostExpr, SyntaxErrors) {
  EXPECT_EQ(parse_error(""), "column 1: expected an expression, got an empty formula");
  EXPECT_EQ(parse_error("1 +"),
            "column 4: expected a number, a variable or '(', got end of formula");
  EXPECT_EQ(parse_error("max(1)"), "column 1: max() takes at least 2 arguments, got 1");
  EXPECT_EQ(parse_error("ceil(1, 2)"), "column 1: ceil() takes 1 argument, got 2");
  EXPECT_EQ(parse_error("exp(2)"),
            "column 1: unknown function 'exp'; expected min, max, ceil, floor or if");
  EXPECT_EQ(parse_error("(1 + 2"), "column 7: expected ')', got end of formula");
  EXPECT_EQ(parse_error("1 2"), "column 3: unexpected '2' after the expression");
  EXPECT_EQ(parse_error("a. + 1"), "column 3: expected a name after '.'");
  EXPECT_EQ(parse_error("1.2.3"), "column 1: malformed number '1.2.3'");
  EXPECT_EQ(parse_error("$"), "column 1: expected a number, a variable or '(', got '$'");
}

TEST(CostExpr, DeepNestingIsAnErrorNotACrash) {
  std::string deep(100000, '(');
  EXPECT_EQ(parse_error(deep), "column 257: formula nested deeper than 256 levels (each operator, "
                               "parenthesis and call adds one)");
  std::string negs(100000, '-');
  EXPECT_NE(parse_error(negs).find("nested deeper than 256 levels"), std::string::npos);
}

// A flat chain is as deep as it is long: 100k-200k terms (issue 18) gave a tree that evaluation
// and destruction overflowed the stack on. Up to the limit every pass works; past it the parser
// names the operator's column.
std::string chain(int terms, const std::string& op, const std::string& term = "x") {
  std::string s = term;
  for (int i = 1; i < terms; ++i)
    s += " " + op + " " + term;
  return s;
}

TEST(CostExpr, LongChainsStopAtTheDepthLimit) {
  auto lookup = [](const std::string&) -> std::optional<double> { return 1.0; };
  // 256 operators: at the limit, parsed and evaluated.
  EXPECT_EQ(CostExpr::parse(chain(257, "+")).eval(lookup), 257);
  EXPECT_EQ(CostExpr::parse(chain(257, "*")).eval(lookup), 1);
  EXPECT_EQ(CostExpr::parse(chain(257, "&&")).eval(lookup), 1);
  EXPECT_EQ(CostExpr::parse(chain(257, "||")).eval(lookup), 1);
  // One more: an error at the 257th operator (column 4 * 256 + 3 of "x + x + ...").
  EXPECT_EQ(parse_error(chain(258, "+")),
            "column 1027: formula nested deeper than 256 levels (each operator, parenthesis and "
            "call adds one)");
  for (const char* op : {"+", "-", "*", "/", "&&", "||"})
    for (int n : {100000, 200000})
      EXPECT_NE(parse_error(chain(n, op)).find("nested deeper than 256 levels"), std::string::npos)
          << op << " " << n;
  // Parentheses and calls count too: 256 of them around a term is the most.
  std::string p256 = std::string(256, '(') + "x" + std::string(256, ')');
  EXPECT_EQ(CostExpr::parse(p256).eval(lookup), 1);
  EXPECT_NE(parse_error("(" + p256 + ")").find("column 257: formula nested deeper"),
            std::string::npos);
  std::string calls = "x";
  for (int i = 0; i < 256; ++i)
    calls = "max(" + calls + ", 0)";
  EXPECT_EQ(CostExpr::parse(calls).eval(lookup), 1);
  EXPECT_NE(parse_error("ceil(" + calls + ")").find("nested deeper"), std::string::npos);
  // Mixed: each "x + (...)" adds an operator and a parenthesis.
  std::string nested = "x";
  for (int i = 0; i < 128; ++i)
    nested = "x + (" + nested + ")";
  EXPECT_EQ(CostExpr::parse(nested).eval(lookup), 129);
  EXPECT_NE(parse_error("x + (" + nested + ")").find("nested deeper"), std::string::npos);
}

TEST(CostExpr, CallOperandsAreBounded) {
  auto lookup = [](const std::string&) -> std::optional<double> { return 2.0; };
  std::string args = "1";
  for (int i = 1; i < 1024; ++i)
    args += ", " + std::to_string(i + 1);
  EXPECT_EQ(CostExpr::parse("max(" + args + ")").eval(lookup), 1024);
  EXPECT_NE(parse_error("max(" + args + ", 0)").find("max() takes at most 1024 arguments"),
            std::string::npos);
}

} // namespace
} // namespace axon
