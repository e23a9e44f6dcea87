// Fusion variants of an IndexProgram, each checked against the original program by the search
// and proven like a rewrite step when it wins:
// - "elementwise temporaries inlined": temporaries computed without a reduction (elementwise
//   maps, broadcasts, index remappings) are inlined into every statement that reads them, so the
//   consumer computes them in its own loop nest and they never go through memory;
// - "reductions inlined into their elementwise consumers": then, a reduction's temporary read by
//   one elementwise statement only, once per element of it (`y[m, n] = silu(g[m, n]) * u[m, n]`
//   with `u[m, n] = sum(k) ...`), becomes that statement's reduction with the rest as its epilogue
//   (`y[m, n] = silu(g[m, n]) * sum(k) ...`): a register tile applies the epilogue to its
//   accumulators and the temporary never goes through memory. Nothing is recomputed. A consumer
//   takes one reduction (the one defined last); one that has a reduction of its own takes none.
// Other reductions are kept (inlining one where it is read more than once per element would
// recompute it).
#pragma once

#include <string>
#include <vector>

#include "ir/index_program.h"

namespace axon {

struct ProgramVariant {
  std::string name;                 // "as written", "elementwise temporaries inlined", ...
  std::vector<std::string> inlined; // temporaries that no longer exist
  IndexProgram program;
  // The variant that fuses everything this one does and more (the search measures that one
  // only; a report naming this one still replays it). Empty when none does.
  std::string superseded_by;
};

std::vector<ProgramVariant> fusion_variants(const IndexProgram& p);

} // namespace axon
