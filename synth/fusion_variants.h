// Fusion by inlining: variants of an IndexProgram whose temporaries are inlined into their
// consumers. Each variant carries the steps that produce it, one rewrite step
// (StepKind::InlineTemporary) per temporary inlined into every statement that reads it, and
// prove_fusion proves them one by one with prove_step, as rewrite discovery proves its steps, so a
// winning variant's certificates come from the same machinery. The variants:
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
#include "smt/prove.h"
#include "synth/discover.h"
#include "synth/rewrite_step.h"

namespace axon {

struct ProgramVariant {
  std::string name;                 // "as written", "elementwise temporaries inlined", ...
  std::vector<std::string> inlined; // temporaries that no longer exist
  IndexProgram program;
  // The variant that fuses everything this one does and more (the search measures that one
  // only; a report naming this one still replays it). Empty when none does.
  std::string superseded_by;
  // The inlinings that turn the program given to fusion_variants into `program`, in order; each
  // step's result is the program after it (the last one's is `program`). Empty "as written".
  std::vector<synth::Rewrite> steps;
};

std::vector<ProgramVariant> fusion_variants(const IndexProgram& p);

// Proves each of v's steps equal to the program before it (prove_step, under the dim splits of
// `start`, the state fusion_variants was given), step N's certificates written into
// certificate_root/step-NN/ when a root is given. Returns "" when every step is proven, else a
// message naming the first step that is not and why. `proven` receives the steps as derivation
// steps (prover and canonical form), as rewrite discovery records its own.
std::string prove_fusion(const synth::VariantState& start, const ProgramVariant& v,
                         const smt::ProveOptions& opts, const std::string& certificate_root = "",
                         std::vector<synth::DerivationStep>* proven = nullptr);

} // namespace axon
