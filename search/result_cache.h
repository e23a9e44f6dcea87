// The on-disk cache of search results: one JSON document per key, in
// $AXON_CACHE_DIR/results, else $XDG_CACHE_HOME/axon-synth/results, else
// ~/.cache/axon-synth/results. Keys hash everything a result depends on (tool version, canonical
// program, ISA, device, search flags); entries are written atomically (temp file + rename), so
// concurrent runs never see a partial entry.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace axon {

std::string default_cache_dir();
std::optional<nlohmann::json> cache_lookup(const std::string& dir, const std::string& key);
void cache_store(const std::string& dir, const std::string& key, const nlohmann::json& value);

}  // namespace axon
