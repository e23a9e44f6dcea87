// The search of instruction synthesis: for a canonical goal (isel_goal.h), a target and a length
// budget, the cheapest cover whose every instruction is proven equal to what it must compute, or
// null. A cover is a tree: an instruction instance with its operands bound to tensors, constants
// or temps, each temp covered in turn. How the search works: docs/isa.md, "Instruction
// synthesis", and the header comment of isel_search.cpp.
#pragma once

#include <cstddef>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "synth/isel_eval.h"
#include "synth/isel_goal.h"
#include "synth/select_instructions.h"

namespace axon::isel {

struct Cover;
using CoverPtr = std::shared_ptr<const Cover>;

struct SlotUse {
  std::string name;
  std::string kind; // tensor | temp | constant
  SlotTerm term;
  std::string layout;
  CoverPtr sub;                                 // temp: how it is computed
  std::map<std::string, std::string> sub_names; // sub-goal canonical -> this goal's names
  std::vector<std::string> sub_vars;            // temp's index variables (this goal's names)
};

struct Cover {
  size_t instr = 0;            // index into Isa::instructions
  ParamChoice choice;          // its enum and flag values
  std::string operand, engine; // the out operand carrying the value; the cheapest engine
  double own_ns = 0;           // this instruction at the costing tile
  double total_ns = 0;         // with its temps' covers, hoisted constants excluded
  int64_t tile_elements = 1;   // elements of the goal one call writes at the costing tile
  size_t length = 1;           // instructions, hoisted constants excluded
  std::vector<SlotUse> slots;
  std::vector<std::string> notes; // bounded dims ("K <= 128 (axis r$0)"), size-1 dims
  bool hoisted = false;           // the goal reads no tensor: a constant, computed once per kernel
  std::vector<std::string> goal_vars; // the goal's variables and value, in canonical names
  std::string value_text;
  // The structure behind `notes` (isel_cover.h): per axis of the out operand the goal variable
  // it carries ("": size 1), each instruction dim's goal variable ("": size 1), and the goal
  // variables no output axis carries (loops around the instruction).
  std::vector<std::string> out_axes;
  std::map<std::string, std::string> dim_vars;
  std::vector<std::string> outer;
};

// One search: the target, the options and the counters of what it did.
struct Ctx {
  const Isa& isa;
  const SelectOptions& opts;
  std::string isa_key;
  SelectStats stats;
  // Whether opts.deadline has passed (then stats.stopped is set and nothing more is memoized).
  bool expired() {
    if (!stats.stopped && ((opts.interrupted && opts.interrupted->load()) ||
                           std::chrono::steady_clock::now() > opts.deadline))
      stats.stopped = true;
    return stats.stopped;
  }
};

// The cheapest proven cover of `g` with at most `budget` instructions (memoized per goal, budget
// and ISA hash within the process), or null.
CoverPtr solve(Ctx& ctx, const Goal& g, size_t budget);

// Alternatives: proven covers of `g` with distinct layouts, best first (element 0 is solve's
// cover). A layout is which Var the result and each tensor read in place put on the partition
// axis of a partitioned memory (an operand's axis 0, a per-partition vector parameter's axis;
// tensors read from an unpartitioned memory, such as a DMA's HBM source, count as "-"); temps are
// read in the layout their reader asks for, so sub-goals keep their single best cover. At most
// kMaxAlternatives covers, each at most kAlternativeCostFactor times the best's per-tile cost.
// Memoized like solve.
inline constexpr size_t kMaxAlternatives = 4;
inline constexpr double kAlternativeCostFactor = 2.0;
std::vector<CoverPtr> solve_alternatives(Ctx& ctx, const Goal& g, size_t budget);

// Whether some instruction of `isa` writes a value of `sort` (for "no lowering" reasons).
bool writes_sort(const Isa& isa, Sort sort);

} // namespace axon::isel
