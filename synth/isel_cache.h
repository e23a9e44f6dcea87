// On-disk cache of selections: one JSON file per key (the canonical pattern, the ISA hash and the
// search options), written atomically (temp file + rename). The file holds the key itself, so a
// hash collision reads as a miss. Selections are stored in canonical names (isel_goal.h).
#pragma once

#include <optional>
#include <string>

#include "synth/select_instructions.h"

namespace axon::isel {

std::optional<Selection> cache_load(const std::string& dir, const std::string& key);
// Best effort: a cache that cannot be written is skipped, never an error.
void cache_store(const std::string& dir, const std::string& key, const Selection& s);

} // namespace axon::isel
