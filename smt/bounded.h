// The bounded (concrete-size) query used to refute: every dim fixed to a small value, every sum
// unrolled, every input element its own Real constant (bounded to [-4, 4]); sat means some output
// element differs by more than 1/1024 on some input. exp/log/... stay uninterpreted and sqrt is
// defined by its algebraic facts, so a model is only a candidate until it is replayed in float64.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "smt/obligation.h"
#include "smt/smt_query.h"

namespace axon::smt {

struct ElementRef {
  std::string tensor;
  std::vector<int64_t> index;
};

struct BoundedQuery {
  SmtQuery query;
  std::map<std::string, ElementRef> elements; // model symbol -> input element
};

// nullopt (with *why) when the obligation cannot be unrolled at these sizes (too large, an empty
// max, an index that depends on a real value).
std::optional<BoundedQuery>
encode_bounded(const Obligation& ob, const std::map<std::string, int64_t>& dims,
               const std::map<std::string, std::vector<int64_t>>& input_shapes, std::string* why);

} // namespace axon::smt
