// On-disk cache of selections: one JSON file per key (the canonical pattern, the ISA hash and the
// search options), written atomically (temp file + rename). The file holds the key itself and
// the format (kCacheFormat), so a hash collision or a file an older build wrote reads as a miss.
// Selections, their cover included, are stored in canonical names (isel_goal.h).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "synth/select_instructions.h"

namespace axon::isel {

// One selected instruction as JSON, every field (the cache entries, `isa table --json` and the
// main job's report.json use it): instruction, engine, params, result, writes, computes,
// bindings, notes, cost_ns, hoisted.
nlohmann::json instr_to_json(const SelectedInstr& i);

// 3: selections carry their cover (isel_cover.h); 4: cover instructions carry their proven
// accumulating form (CoverInstr::accumulate); 5: selections carry their alternatives
// (Selection::alternatives). Files of another format are misses.
inline constexpr int kCacheFormat = 5;

// A miss (nullopt) when there is no entry, it is damaged, of another format or key, or its cover
// does not fit `isa`.
std::optional<Selection> cache_load(const std::string& dir, const std::string& key, const Isa& isa);
// Best effort: a cache that cannot be written is skipped, never an error.
void cache_store(const std::string& dir, const std::string& key, const Selection& s);

} // namespace axon::isel
