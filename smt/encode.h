// The unbounded (all sizes) encoding of one normalized equivalence goal as an SmtQuery.
// Dims are Int constants >= 1, output indices Int constants in range, tensors uninterpreted
// functions Int^r -> Real, reductions opaque Real constants, inv/exp/sqrt/... uninterpreted
// functions with ground facts. Lemmas are ground instances for the reductions at hand:
//   * range extensionality of sum/max/min with Skolem witnesses (two reductions over equal ranges
//     are equal unless their bodies differ at a witness in range);
//   * range split of a reduction whose extent is a sum a + b (both orders);
//   * max/min: a witness in range attains the value, and bodies at other witnesses are bounded.
// unsat of the query means lhs == rhs for every size, index and tensor content.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "smt/normal_form.h"
#include "smt/smt_query.h"

namespace axon::smt {

// Bumped whenever the encoding or the lemma library changes meaning; part of every cache key.
inline constexpr const char* kEncodingVersion = "enc-3";
inline constexpr const char* kLemmaLibraryVersion = "lemmas-3";

struct Goal {
  N lhs, rhs;                                          // Real polys
  std::vector<N> assumptions;                          // Bool
  std::vector<std::pair<std::string, N>> index_ranges; // output index -> extent (Int poly)
  std::string name;                                    // for comments
};

SmtQuery encode_goal(const Goal& g);

// The symbol a dim, index or tensor gets in the query (sanitized, prefixed by class).
std::string smt_symbol(const std::string& prefix, const std::string& name);

} // namespace axon::smt
