// The variant policy: which of a program's variants (fusion variants and rewrites, each checked
// against the program as written) are searched, in order, under one time budget. A variant that
// is the same program as an earlier one, or that another variant supersedes (fuses the same and
// more), is not searched; a rewrite is skipped when the backend's best estimate for it is not
// below twice the program as written's; every candidate estimated beyond twice the best estimate
// of any variant is left unmeasured. The op-by-op baseline is measured once, with the first
// variant (the program as written). Each variant's winner, when it is the fastest so far, seeds
// the searches of the later ones (Backend::remember).
#pragma once

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "search/search.h"
#include "synth/fusion_variants.h"

namespace axon {

struct VariantSearchResult {
  std::optional<std::pair<size_t, CandidateRecord>> winner; // variant index, record
  std::optional<CandidateRecord> baseline; // measured or not (a time budget can stop it)
  std::vector<std::pair<size_t, CandidateRecord>> measured; // every candidate timed, by variant
  SearchStats stats;                                        // summed over the variants searched
};

// `rewrites`: the names of the variants rewrite discovery derived; `reference`: the program as
// written. on_record(variant index, record) sees every candidate as it is recorded.
VariantSearchResult
search_variants(const std::vector<ProgramVariant>& variants, const std::set<std::string>& rewrites,
                const IndexProgram& reference, const Backend& b, const SearchOptions& so,
                const std::function<void(size_t, const CandidateRecord&)>& on_record,
                const std::function<bool()>& interrupted);

} // namespace axon
