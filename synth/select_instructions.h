// Instruction synthesis: covers one granular computation of an IndexProgram (one statement
// `out[i..] = expr`) with a short sequence of the target's instructions, found by enumerating the
// instructions of the ISA JSON with their parameters instantiated and their operands bound to
// pieces of the computation, and proving each survivor equal to the computation with smt/.
// There is no table of op-to-instruction mappings: the search space comes from the JSON only.
// Takes the program, the statement's index, the target and options; returns the cheapest proven
// cover (a Selection) or, when none exists within the bounds, why not. Algorithm and limits:
// docs/isa.md, "Instruction synthesis".
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "ir/index_program.h"
#include "isa/isa.h"
#include "smt/prove.h"
#include "synth/isel_cover.h"

namespace axon {

struct SelectOptions {
  size_t max_instructions = 4; // longest sequence searched (loads into registers count)
  int64_t free_tile = 512;     // size given to an instruction dim without a max when costing
  smt::ProveOptions prove;     // the prover's options (its proof cache included)
  // On-disk cache of selections keyed by (canonical pattern, ISA hash, options); empty: only the
  // in-process memo.
  std::string cache_dir;
  // Past this time the search stops: the selection is not found, with `stopped` set and a reason
  // that says so (nothing about the statement is cached then).
  std::chrono::steady_clock::time_point deadline = std::chrono::steady_clock::time_point::max();
  // When set and true (SIGINT), the search stops as at the deadline.
  const std::atomic<bool>* interrupted = nullptr;
};

// One operand or parameter of a selected instruction and what it is bound to.
struct SlotBinding {
  std::string slot;   // operand or parameter name in the ISA JSON
  std::string kind;   // "tensor" (read in place), "temp" (written by an earlier instruction),
                      // "constant" (an immediate)
  std::string value;  // the tensor access, temp or constant, in the statement's names
  std::string layout; // tensor bindings: "transposed", "partition axis = 1", ... (may be empty)
};

struct SelectedInstr {
  std::string instruction;
  std::string engine;   // the cheapest engine that can run it
  ParamChoice params;   // enum and flag values
  std::string result;   // the out operand that carries the value
  std::string writes;   // the statement's tensor, or a temp "%1" read by a later instruction
  std::string computes; // "%1[i] = -mx[i]": the value written, in the statement's names
  std::vector<SlotBinding> bindings;
  std::vector<std::string> notes; // dims the instruction bounds, e.g. "K <= 128 (axis k)"
  double cost_ns = 0;             // one call at the costing tile
  // Computes a constant (a zero bias tile, a broadcast 0.5): loop-invariant, run once per
  // kernel outside the tile loops, so not part of the selection's per-tile cost.
  bool hoisted = false;
};

struct SelectStats {
  size_t goals = 0;            // the statement and the sub-computations searched
  size_t candidates = 0;       // instruction instances with operands bound, enumerated
  size_t numeric_rejected = 0; // refuted by float64 trials before any proof
  size_t proofs = 0;           // prover calls
  size_t proven = 0, refuted = 0, unknown = 0;
  bool cached = false;  // the whole selection came from the cache
  bool stopped = false; // the deadline stopped the search before it finished
};

struct Selection {
  bool found = false;
  std::string statement;             // the covered statement, as text
  std::vector<SelectedInstr> instrs; // execution order; the last writes the statement's tensor
  double cost_ns = 0;                // sum over instrs that are not hoisted: the cost per tile
  // The statement's output elements one tile's sequence writes (the last instruction's output
  // axes tied to the statement's variables, at the costing tile): cost_ns / tile_elements is the
  // cost per element. A reduction covered chunk by chunk (a note bounds its axis) writes one
  // element per chunk of the reduction, not per whole reduction.
  int64_t tile_elements = 1;
  // When found: the same instructions as data (isel_cover.h), for a backend to instantiate per
  // tile (isel_tile.h); instrs[i] and cover->instrs[i] are the same instruction.
  std::shared_ptr<const Cover> cover;
  // When found: proven covers with distinct layouts (which Var the result and each tensor read
  // in place put on the partition axis), cheapest first; alternatives[0] == cover. At most
  // isel::kMaxAlternatives (4), each costing at most isel::kAlternativeCostFactor (2x) the
  // cover's per tile (isel_search.h). A backend fusing statements picks the one whose layout
  // matches its neighbours'.
  std::vector<std::shared_ptr<const Cover>> alternatives;
  std::string reason; // when !found: why nothing covers it
  SelectStats stats;
  double seconds = 0;
};

Selection select_instructions(const IndexProgram& program, size_t stmt, const Isa& isa,
                              const SelectOptions& opts = {});

// A readable multi-line rendering (for `axon-synth isa table` and test failures).
std::string to_string(const Selection& s);

} // namespace axon
