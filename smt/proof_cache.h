// The on-disk proof cache. Keys are hashes of a canonical form of the query (symbols renamed by
// first occurrence, so renaming tensors and dims gives the same key; commutative operands are
// already sorted by the normalizer on name-erased keys) together with the encoding, lemma-library
// and solver versions. Only proven results and confirmed counterexamples are stored, one JSON
// file per key, written atomically (temporary file + rename).
#pragma once

#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "smt/smt_query.h"

namespace axon::smt {

// $AXON_CACHE_DIR, else $XDG_CACHE_HOME/axon-synth, else ~/.cache/axon-synth.
std::string default_cache_dir();

// Hex key of a query. With rename, symbols are renamed by first occurrence (for proofs); without,
// names are kept (for counterexamples, which name the tensors).
std::string cache_key(const SmtQuery& q, bool rename);

class ProofCache {
public:
  explicit ProofCache(std::string dir) : dir_(std::move(dir)) {}
  std::optional<nlohmann::json> get(const std::string& key) const;
  // Creates the directory if needed; a failure to write is ignored (the cache is an optimisation).
  void put(const std::string& key, const nlohmann::json& value) const;
  const std::string& dir() const { return dir_; }

private:
  std::string dir_;
};

} // namespace axon::smt
