// The solver interface: each mode answers, models come back for sat, resource limits give
// unknown deterministically, and a solver that runs past the hard limit is killed.
#include <gtest/gtest.h>

#include <chrono>

#include "smt/solver.h"

namespace axon::smt {
namespace {

SmtQuery simple(bool satisfiable) {
  SmtQuery q;
  q.decls.push_back(SmtDecl{"x", {}, Sort::Real});
  q.decls.push_back(SmtDecl{"f", {Sort::Int}, Sort::Real});
  q.asserts.push_back(s_app(">", {s_sym("x"), s_real(Rational(1, 2))}));
  q.asserts.push_back(s_app("=", {s_app("f", {s_int(3)}), s_app("*", {s_real(2), s_sym("x")})}));
  if (!satisfiable)
    q.asserts.push_back(s_app("<", {s_app("f", {s_int(3)}), s_real(1)}));
  q.model_symbols.push_back("x");
  return q;
}

// x^3 + y^3 = z^3 over positive integers: no solver decides it quickly.
SmtQuery hard() {
  SmtQuery q;
  for (const char* v : {"a", "b", "c"}) {
    q.decls.push_back(SmtDecl{v, {}, Sort::Int});
    q.asserts.push_back(s_app(">", {s_sym(v), s_int(0)}));
  }
  auto cube = [](const char* v) { return s_app("*", {s_sym(v), s_sym(v), s_sym(v)}); };
  q.asserts.push_back(s_app("=", {s_app("+", {cube("a"), cube("b")}), cube("c")}));
  return q;
}

TEST(Solver, EveryModeAnswers) {
  for (SolverMode m : {SolverMode::Z3, SolverMode::Cvc5, SolverMode::Portfolio, SolverMode::Both}) {
    SolverAnswer u = check(simple(false), m, {}, false);
    EXPECT_EQ(u.status, SatStatus::Unsat) << solver_mode_name(m) << ": " << u.reason;
    SolverAnswer s = check(simple(true), m, {}, true);
    EXPECT_EQ(s.status, SatStatus::Sat) << solver_mode_name(m) << ": " << s.reason;
    ASSERT_TRUE(s.model.count("x")) << solver_mode_name(m);
    EXPECT_GT(s.model.at("x"), 0.5);
  }
}

TEST(Solver, ModeNamesRoundTrip) {
  for (SolverMode m : {SolverMode::Z3, SolverMode::Cvc5, SolverMode::Portfolio, SolverMode::Both}) {
    SolverMode back;
    ASSERT_TRUE(parse_solver_mode(solver_mode_name(m), &back));
    EXPECT_EQ(back, m);
  }
  SolverMode dummy;
  EXPECT_FALSE(parse_solver_mode("yices", &dummy));
}

TEST(Solver, ResourceLimitGivesUnknown) {
  SolverLimits lim;
  lim.z3_rlimit = 20000;
  lim.cvc5_rlimit = 2000;
  for (SolverMode m : {SolverMode::Z3, SolverMode::Cvc5}) {
    SolverAnswer a = check(hard(), m, lim, false);
    EXPECT_EQ(a.status, SatStatus::Unknown) << solver_mode_name(m);
    EXPECT_FALSE(a.reason.empty());
  }
}

TEST(Solver, HardTimeoutKillsTheChild) {
  SolverLimits lim;
  lim.z3_rlimit = 4'000'000'000u;
  lim.cvc5_rlimit = 4'000'000'000u;
  lim.hard_timeout_s = 1.0;
  auto t0 = std::chrono::steady_clock::now();
  SolverAnswer a = check(hard(), SolverMode::Portfolio, lim, false);
  double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  EXPECT_EQ(a.status, SatStatus::Unknown);
  EXPECT_NE(a.reason.find("killed"), std::string::npos) << a.reason;
  EXPECT_LT(s, 3.0);
}

TEST(Solver, SmtLib2TextIsComplete) {
  std::string t = to_smtlib2(simple(false));
  EXPECT_NE(t.find("(set-logic ALL)"), std::string::npos);
  EXPECT_NE(t.find("(declare-fun f (Int) Real)"), std::string::npos);
  EXPECT_NE(t.find("(check-sat)"), std::string::npos);
  EXPECT_NE(t.find("(/ 1.0 2.0)"), std::string::npos);
}

} // namespace
} // namespace axon::smt
