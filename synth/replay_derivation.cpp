// Replaying and re-proving a derivation.
#include "synth/replay_derivation.h"

#include <cstdio>

#include "ir/hash.h"
#include "synth/canonical_form.h"
#include "synth/prove_step.h"

namespace axon::synth {

std::string replay_derivation(const IndexProgram& original, const Variant& v,
                              const smt::ProveOptions& opts, const std::string& certificate_root,
                              VariantState* end) {
  VariantState cur{original, {}};
  for (size_t i = 0; i < v.derivation.size(); ++i) {
    const DerivationStep& s = v.derivation[i];
    std::string where = "step " + std::to_string(i + 1) + " (" + step_kind_name(s.kind) + ": " +
                        s.description + ")";
    std::optional<VariantState> next;
    for (auto& rw : propose_rewrites(s.kind, cur))
      if (hash_hex(canonical_form(rw.result)) == s.canonical) {
        next = rw.result;
        break;
      }
    if (!next)
      return where + ": no " + step_kind_name(s.kind) +
             " rewrite of the program reproduces the recorded result";
    smt::ProveOptions step_opts = opts;
    if (!certificate_root.empty()) {
      char dir[32];
      std::snprintf(dir, sizeof dir, "/step-%02zu", i + 1);
      step_opts.certificate_dir = certificate_root + dir;
    }
    auto pr = prove_step(cur.program, next->program, split_assumptions(next->splits), step_opts);
    if (pr.verdict != smt::Verdict::Proven)
      return where + ": " + smt::verdict_name(pr.verdict) + " on re-proof: " + pr.reason;
    cur = *next;
  }
  if (hash_hex(canonical_form(cur)) != v.canonical)
    return "the replayed derivation ends at a different program";
  if (end)
    *end = std::move(cur);
  return "";
}

} // namespace axon::synth
