// Rebuilding a variant from its recorded derivation without searching or proving (the main job's
// replay and result cache): each step's kind proposes its rewrites again and the one with the
// recorded canonical form is taken; a step that does not reproduce is a UserError naming it.
// Derivations serialize to JSON as [{step, description, prover, canonical}, ...].
#pragma once
#include "synth/discover.h"
namespace axon::synth {
VariantState apply_derivation(const IndexProgram& original,
                              const std::vector<DerivationStep>& steps);
nlohmann::json derivation_to_json(const std::vector<DerivationStep>& steps);
std::vector<DerivationStep> derivation_from_json(const nlohmann::json& j, const std::string& where);
} // namespace axon::synth
