// Float64 trials for instruction synthesis: evaluates a goal and a candidate (an instruction's
// semantics with its operands bound to pieces of the goal) at a few random points, without
// building the candidate's expression. Cheap rejection before any proof; never a proof itself.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "synth/isel_goal.h"

namespace axon::isel {

// One random point: sizes of the goal's dims, values of its free variables, tensor contents
// drawn from [lo, hi] by hashing (tensor, indices, seed), so no buffer is allocated.
struct Trial {
  std::map<std::string, int64_t> dims;
  std::vector<std::pair<std::string, int64_t>> vars;
  std::map<std::string, int64_t> bound_extent; // goal bound variable -> extent at this point
  uint64_t seed = 0;
  double lo = -1, hi = 1;
  double target = 0; // the goal's value here (bool: 0/1)
};

// What an instruction operand or parameter reads: `term` (goal names) with the goal variable
// axis_vars[k] standing for the operand's k-th index ("" for an axis of size 1).
struct SlotTerm {
  Expr term;
  std::vector<std::string> axis_vars;
};

// Instruction-side context of one candidate.
struct CandidateView {
  const Expr* expr = nullptr; // the instruction output's value
  std::vector<std::pair<const std::string*, const SlotTerm*>> slots; // operand / param -> binding
  std::vector<std::pair<std::string, std::string>> out_vars; // instr var -> goal var ("": 0)
  std::map<std::string, std::string> dim_vars;               // instr dim -> goal var ("": size 1)
};

// `count` trials of `g` (deterministic); trials whose goal value is not finite are dropped.
std::vector<Trial> make_trials(const Goal& g, size_t count);
// Whether the candidate agrees with the goal at every trial (NaN where the goal is NaN counts as
// agreement; a NaN on one side only does not).
bool agrees(const Goal& g, const std::vector<Trial>& trials, const CandidateView& c);

// The value of an expression that reads no tensor, with dims and index variables bound: the
// index arithmetic and constants of a cover's tile (isel_tile.h). std::runtime_error when a
// variable or dim is unbound.
int64_t evaluate_int(const Expr& e, const std::map<std::string, int64_t>& dims,
                     const std::vector<std::pair<std::string, int64_t>>& vars);
double evaluate_real(const Expr& e, const std::map<std::string, int64_t>& dims,
                     const std::vector<std::pair<std::string, int64_t>>& vars);

} // namespace axon::isel
