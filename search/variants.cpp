// The variant policy (see variants.h).
#include "search/variants.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <map>
#include <memory>

namespace axon {

VariantSearchResult
search_variants(const std::vector<ProgramVariant>& variants, const std::set<std::string>& rewrites,
                const IndexProgram& reference, const Backend& b, const SearchOptions& so,
                const std::function<void(size_t, const CandidateRecord&)>& on_record,
                const std::function<bool()>& interrupted) {
  using Clock = std::chrono::steady_clock;
  auto t_search = Clock::now();
  VariantSearchResult out;
  SearchStats& st = out.stats;
  st.stop_reason = "measured all";
  // Variants are ranked against each other by the cost model: a candidate estimated at more than
  // twice the best estimate of any variant is not worth measuring.
  double best_estimate = INFINITY;
  // What the searches of the variants share (an earlier variant's winner, what it measured).
  std::unique_ptr<SearchMemory> memory = b.new_memory();
  std::vector<double> variant_estimate;
  for (auto& v : variants) {
    variant_estimate.push_back(b.best_estimate_ns(v.program));
    best_estimate = std::min(best_estimate, variant_estimate.back());
  }
  std::map<std::string, std::string> variant_by_text; // a program already searched, by its text
  for (size_t vi = 0; vi < variants.size(); ++vi) {
    // A rewrite can reach a program a fusion variant already is (inlining a temporary that
    // fusion_variants inlines too): the same candidates would be measured twice.
    auto [seen, fresh] =
        variant_by_text.emplace(to_string(variants[vi].program), variants[vi].name);
    if (!fresh) {
      std::fprintf(stderr, "[search] %s: the same program as %s; not searched again\n",
                   variants[vi].name.c_str(), seen->second.c_str());
      continue;
    }
    if (!variants[vi].superseded_by.empty()) {
      std::fprintf(stderr, "[search] %s: not searched; %s fuses the same and more\n",
                   variants[vi].name.c_str(), variants[vi].superseded_by.c_str());
      continue;
    }
    // A rewrite is measured unless the cost model puts it beyond twice the program as written
    // (the bound every candidate gets): pick_variants passes on only rewrites that do at most
    // 1.25x the arithmetic, and the cost model alone does not see what moving work out of a
    // reduction changes (the post-scaled RMSNorm + MatMul, issue 19): measurement decides.
    if (rewrites.count(variants[vi].name) && !(variant_estimate[vi] < 2 * variant_estimate[0])) {
      std::fprintf(stderr, "[search] %s: skipped, estimated %.3f ms against %.3f ms as written\n",
                   variants[vi].name.c_str(), variant_estimate[vi] / 1e6,
                   variant_estimate[0] / 1e6);
      continue;
    }
    SearchOptions sv = so;
    sv.budget_spent_s = std::chrono::duration<double>(Clock::now() - t_search).count();
    sv.searched_measured = std::any_of(out.measured.begin(), out.measured.end(),
                                       [](auto& m) { return m.second.kind != "baseline"; });
    sv.memory = memory.get();
    sv.include_baseline = vi == 0;
    sv.max_estimate_ns = 2 * best_estimate;
    SearchResult r = search_schedules(
        variants[vi].program, b, sv,
        [&](const CandidateRecord& c) {
          if (c.status == CandidateStatus::Ok)
            out.measured.push_back({vi, c});
          if (on_record)
            on_record(vi, c);
        },
        interrupted, &reference);
    st.enumerated += r.stats.enumerated;
    st.combined += r.stats.combined;
    st.compiled += r.stats.compiled;
    st.compile_failures += r.stats.compile_failures;
    st.numerics_failures += r.stats.numerics_failures;
    st.crashes += r.stats.crashes;
    st.measured += r.stats.measured;
    st.seconds_enumerate += r.stats.seconds_enumerate;
    st.seconds_compile += r.stats.seconds_compile;
    st.seconds_check += r.stats.seconds_check;
    st.seconds_measure += r.stats.seconds_measure;
    for (auto& c : r.candidates)
      if (c.kind == "baseline")
        out.baseline = c; // measured or not (a time budget can stop it)
    if (r.best >= 0 && (!out.winner || r.candidates[static_cast<size_t>(r.best)].timing.median_ns <
                                           out.winner->second.timing.median_ns)) {
      out.winner = std::make_pair(vi, r.candidates[static_cast<size_t>(r.best)]);
      // The winner seeds the searches of the later variants.
      b.remember(variants[vi].program, out.winner->second.plan, *memory);
    }
    if (r.stats.stop_reason != "measured all") {
      st.stop_reason = r.stats.stop_reason;
      break;
    }
  }
  return out;
}

} // namespace axon
