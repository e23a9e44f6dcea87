// Step kinds by name, split assumptions, and the dispatch from a kind to its propagation pass.
#include "synth/rewrite_step.h"

#include <iterator>

#include "ir/enum_table.h"
#include "ir/error.h"
#include "synth/combine_exponentials.h"
#include "synth/distribute_reduction.h"
#include "synth/exchange_reductions.h"
#include "synth/extract_reduction.h"
#include "synth/hoist_factor.h"
#include "synth/inline_temporary.h"
#include "synth/merge_shared_reductions.h"
#include "synth/rescale_running_reduction.h"
#include "synth/share_common_temporary.h"
#include "synth/sink_factor.h"
#include "synth/split_reduction.h"

namespace axon::synth {

namespace {

// The names of the step kinds, in kAllStepKinds order (derivations and reports name steps so).
constexpr EnumName<StepKind> kStepKindNames[] = {
    {StepKind::InlineTemporary, "inline_temporary"},
    {StepKind::HoistFactor, "hoist_factor"},
    {StepKind::SinkFactor, "sink_factor"},
    {StepKind::ExchangeReductions, "exchange_reductions"},
    {StepKind::ExtractReduction, "extract_reduction"},
    {StepKind::DistributeReduction, "distribute_reduction"},
    {StepKind::SplitReduction, "split_reduction"},
    {StepKind::RescaleRunningReduction, "rescale_running_reduction"},
    {StepKind::MergeSharedReductions, "merge_shared_reductions"},
    {StepKind::ShareCommonTemporary, "share_common_temporary"},
    {StepKind::CombineExponentials, "combine_exponentials"},
};
static_assert(std::size(kStepKindNames) == std::size(kAllStepKinds), "a step kind has no name");

} // namespace

const char* step_kind_name(StepKind k) {
  const char* n = enum_name(kStepKindNames, k);
  if (!n)
    internal_error("unknown step kind");
  return n;
}

std::optional<StepKind> step_kind_from_name(const std::string& name) {
  return enum_value(kStepKindNames, name);
}

std::vector<Expr> split_assumptions(const std::vector<DimSplit>& splits) {
  std::vector<Expr> out;
  for (auto& s : splits)
    out.push_back(ExprNode::binary(ExprKind::Eq, ExprNode::dim_var(s.dim),
                                   s.tiles
                                       ? ExprNode::dim_var(s.head) * ExprNode::dim_var(s.tail)
                                       : ExprNode::dim_var(s.head) + ExprNode::dim_var(s.tail)));
  return out;
}

std::vector<Rewrite> propose_rewrites(StepKind kind, const VariantState& s) {
  switch (kind) {
  case StepKind::InlineTemporary:
    return inline_temporary(s);
  case StepKind::HoistFactor:
    return hoist_factor(s);
  case StepKind::SinkFactor:
    return sink_factor(s);
  case StepKind::ExchangeReductions:
    return exchange_reductions(s);
  case StepKind::ExtractReduction:
    return extract_reduction(s);
  case StepKind::DistributeReduction:
    return distribute_reduction(s);
  case StepKind::SplitReduction:
    return split_reduction(s);
  case StepKind::RescaleRunningReduction:
    return rescale_running_reduction(s);
  case StepKind::MergeSharedReductions:
    return merge_shared_reductions(s);
  case StepKind::ShareCommonTemporary:
    return share_common_temporary(s);
  case StepKind::CombineExponentials:
    return combine_exponentials(s);
  }
  internal_error("unknown step kind");
}

} // namespace axon::synth
