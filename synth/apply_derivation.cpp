// Replaying a recorded derivation (no proofs) and its JSON form.
#include "synth/apply_derivation.h"

#include "ir/error.h"
#include "ir/hash.h"
#include "synth/canonical_form.h"

namespace axon::synth {

VariantState apply_derivation(const IndexProgram& original,
                              const std::vector<DerivationStep>& steps) {
  VariantState cur{original, {}};
  for (size_t i = 0; i < steps.size(); ++i) {
    std::optional<VariantState> next;
    for (auto& rw : propose_rewrites(steps[i].kind, cur))
      if (hash_hex(canonical_form(rw.result)) == steps[i].canonical) {
        next = rw.result;
        break;
      }
    if (!next)
      user_error("derivation step " + std::to_string(i + 1) + " (" + step_kind_name(steps[i].kind) +
                 ": " + steps[i].description +
                 ") does not reproduce on this program; was it recorded for another program?");
    cur = *next;
  }
  return cur;
}

nlohmann::json derivation_to_json(const std::vector<DerivationStep>& steps) {
  nlohmann::json j = nlohmann::json::array();
  for (auto& s : steps)
    j.push_back({{"step", step_kind_name(s.kind)},
                 {"description", s.description},
                 {"prover", s.prover},
                 {"canonical", s.canonical}});
  return j;
}

std::vector<DerivationStep> derivation_from_json(const nlohmann::json& j,
                                                 const std::string& where) {
  std::vector<DerivationStep> out;
  if (!j.is_array())
    user_error(where + ": derivation: expected an array of steps");
  for (size_t i = 0; i < j.size(); ++i) {
    const auto& s = j[i];
    std::string at = where + ": derivation/" + std::to_string(i);
    if (!s.is_object() || !s.contains("step") || !s["step"].is_string() ||
        !s.contains("canonical") || !s["canonical"].is_string())
      user_error(at + ": expected {\"step\": NAME, \"canonical\": HASH, ...}");
    auto k = step_kind_from_name(s["step"].get<std::string>());
    if (!k)
      user_error(at + ": unknown step '" + s["step"].get<std::string>() + "'");
    DerivationStep d{*k, s.value("description", ""), s.value("prover", ""),
                     s["canonical"].get<std::string>()};
    out.push_back(d);
  }
  return out;
}

} // namespace axon::synth
