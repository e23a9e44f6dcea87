// The on-disk cache of search results: one JSON document per key, in
// $AXON_CACHE_DIR/results, else $XDG_CACHE_HOME/axon-synth/results, else
// ~/.cache/axon-synth/results. Keys hash everything a result depends on (tool version, canonical
// program, ISA, device, search flags); entries are written atomically (temp file, fsync, rename),
// so concurrent runs never see a partial entry and a full disk leaves no short entry. The cache is
// an optimisation: an entry that cannot be read (not a regular file, malformed) is a miss, and one
// that cannot be written is a warning on stderr, never an error of the run.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

namespace axon {

std::string default_cache_dir();
std::optional<nlohmann::json> cache_lookup(const std::string& dir, const std::string& key);
// False (after a warning on stderr) when the entry could not be written.
bool cache_store(const std::string& dir, const std::string& key, const nlohmann::json& value);

} // namespace axon
