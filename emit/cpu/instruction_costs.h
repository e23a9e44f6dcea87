// Instruction selection for the search (the main job's "instruction selection" stage): takes the
// program variants the search will run and the target; covers every distinct statement with the
// target's instructions (synth/select_instructions.h, cached on disk), and returns the covers,
// the compute costs of the covered statements without reductions for the cost model
// (SelectedCosts), and the report's "selection" section. It fails with a user error naming the
// statement and the target when a statement applies an element function (exp, log, sqrt, ...)
// that no instruction of the target computes: the backends may only emit what the ISA provides.
#pragma once

#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "emit/cpu/cost_model.h"
#include "ir/index_program.h"
#include "ir/source.h"
#include "isa/isa.h"
#include "synth/select_instructions.h"

namespace axon {

struct StmtSelection {
  Selection selection;
  // A statement with a reduction: its body (the element computation summed or maxed) as a
  // computation of its own, over the statement's variables and the reduction's.
  std::optional<Selection> body;
  bool costed = false;   // the cost model takes its compute cost from the selection
  std::string cost_note; // why it does not, when !costed
};

struct InstructionSelection {
  std::map<std::string, StmtSelection> stmts; // by stmt_cost_key
  SelectedCosts costs;
  size_t statements = 0, covered = 0, costed = 0, cached = 0, functions_checked = 0;
  double seconds = 0;
  // opts.deadline stopped the selection: the statements not selected keep the operation weights.
  bool stopped = false;
};

// `src` (may be null) locates statements in error messages.
InstructionSelection select_for_search(const std::vector<const IndexProgram*>& programs,
                                       const Isa& isa, const SelectOptions& opts,
                                       const SourceFile* src = nullptr);

// The report's "selection" section for program `p` (one of those selected for): per statement,
// the instructions chosen and their cost per tile, or why there are none, and whether the cost
// model used the selection.
nlohmann::json selection_report(const InstructionSelection& s, const IndexProgram& p);

} // namespace axon
