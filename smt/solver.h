// Z3 and cvc5 behind one interface. Every check runs in a forked child process with a hard kill
// (a solver may ignore its own limits), deterministic resource limits (rlimit) and fixed seeds.
// Modes: one solver, a portfolio race (first decisive answer wins, the loser is killed), or both
// (they must agree; a sat/unsat disagreement is reported as a bug, never as an answer).
#pragma once

#include <map>
#include <string>

#include "smt/smt_query.h"

namespace axon::smt {

enum class SolverMode { Z3, Cvc5, Portfolio, Both };
const char* solver_mode_name(SolverMode m); // "z3", "cvc5", "portfolio", "both"
bool parse_solver_mode(const std::string& s, SolverMode* out);

enum class SatStatus { Sat, Unsat, Unknown };
const char* sat_status_name(SatStatus s);

struct SolverLimits {
  uint64_t z3_rlimit = 20'000'000;  // Z3 resource units (deterministic)
  uint64_t cvc5_rlimit = 3'000'000; // cvc5 resource units (deterministic)
  unsigned seed = 0;
  double hard_timeout_s = 10; // wall clock; the child is killed (SIGKILL) after it
};

struct SolverAnswer {
  SatStatus status = SatStatus::Unknown;
  std::string solver;        // who answered ("z3", "cvc5", or "z3+cvc5")
  std::string reason;        // for Unknown: why (resource limit, timeout, disagreement, error)
  bool disagreement = false; // Both mode: one said sat, the other unsat (a bug)
  std::map<std::string, double> model; // values of query.model_symbols when sat and asked
  double seconds = 0;
};

// Checks satisfiability of the query's assertions.
SolverAnswer check(const SmtQuery& q, SolverMode mode, const SolverLimits& lim, bool want_model);

// Version string of each solver library (part of proof-cache keys).
std::string solver_versions();

} // namespace axon::smt
