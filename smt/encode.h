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

#include <map>
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

// A certificate for a goal that normalization alone decided (both sides have one normal form):
// the sides as written, their Real arithmetic kept so that the solver has to do it, and every
// other subterm a constant asserted equal to its normal form (the instances of the normalizer's
// rules the proof uses). `tautology` is true when the two sides are the same term once those
// constants are replaced by their definitions: re-checking it would verify nothing the
// instances do not already state.
struct CertificateQuery {
  SmtQuery query;
  size_t instances = 0;
  bool tautology = false;
};
CertificateQuery encode_certificate(const Goal& g, const Expr& lhs, const Expr& rhs,
                                    const std::map<std::string, Expr>& dim_defs,
                                    const std::vector<std::pair<std::string, Expr>>& ranges);

// The symbol a dim, index or tensor gets in the query (sanitized, prefixed by class).
std::string smt_symbol(const std::string& prefix, const std::string& name);

} // namespace axon::smt
