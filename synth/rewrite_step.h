// The vocabulary of rewrite discovery: a variant state (an IndexProgram plus the dims that steps
// split, which become proof assumptions), the kinds of propagation step, and a proposed step
// (kind, readable description, resulting state). Every step kind is a general propagation of an
// operator through the graph (docs/rewrites.md); none names a kernel.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "ir/index_program.h"

namespace axon::synth {

enum class StepKind {
  InlineTemporary,         // a temporary's definition replaces its reads in one consumer
  HoistFactor,             // factors independent of a sum's variable move out of the sum
  SinkFactor,              // factors multiplying a sum move into it
  ExchangeReductions,      // nested sums swap order; factors then leave the inner one
  ExtractReduction,        // a nested reduction becomes its own temporary
  DistributeReduction,     // a sum of a polynomial body splits into one sum per term
  SplitReduction,          // every reduction over a dim splits into head + tail chunks, or tiles
  RescaleRunningReduction, // a chunk's exp-sum is rebased to the chunk's own max and rescaled
  MergeSharedReductions,   // two reductions sharing an operand become one stacked reduction
  ShareCommonTemporary,    // two temporaries with one definition become one
  CombineExponentials,     // exp(a) * exp(b) / exp(c) becomes exp(a + b - c)
};
inline constexpr StepKind kAllStepKinds[] = {StepKind::InlineTemporary,
                                             StepKind::HoistFactor,
                                             StepKind::SinkFactor,
                                             StepKind::ExchangeReductions,
                                             StepKind::ExtractReduction,
                                             StepKind::DistributeReduction,
                                             StepKind::SplitReduction,
                                             StepKind::RescaleRunningReduction,
                                             StepKind::MergeSharedReductions,
                                             StepKind::ShareCommonTemporary,
                                             StepKind::CombineExponentials};

const char* step_kind_name(StepKind k); // "inline_temporary", ...
std::optional<StepKind> step_kind_from_name(const std::string& name);

// A dim split by SplitReduction: dim == head + tail, or for tiles dim == head * tail (head the
// tile count, tail the tile size); an assumption of every later proof.
struct DimSplit {
  std::string dim, head, tail;
  bool tiles = false;
};

struct VariantState {
  IndexProgram program;
  std::vector<DimSplit> splits;
};

// The assumptions `dim == head + tail` (`dim == head * tail` for tiles) of a state's splits.
std::vector<Expr> split_assumptions(const std::vector<DimSplit>& splits);

struct Rewrite {
  StepKind kind;
  std::string description; // "hoist r[m] out of sum(k) in y"
  VariantState result;
};

// Every rewrite of one kind that applies to `s` (unproven proposals; the runner proves them).
std::vector<Rewrite> propose_rewrites(StepKind kind, const VariantState& s);

} // namespace axon::synth
