// Goals of instruction synthesis: one computation `out[v...] = value` in canonical form, so that
// equal patterns from different programs (or different statements) share one search and one
// cache entry. Canonicalization renames tensors, free index variables, bound variables and dims
// by first occurrence to names that no ISA identifier can spell ("t$0", "v$0", "r$0", "d$0") and
// returns the renaming so results can be shown in the program's own names.
#pragma once

#include <map>
#include <string>
#include <vector>

#include "ir/index_program.h"

namespace axon::isel {

struct Goal {
  std::vector<std::string> vars;            // free index variables of the value (v$i)
  std::vector<Expr> extents;                // their extents
  Expr value;                               // Real or Bool; bound variables unique (r$i)
  std::map<std::string, Expr> bound_extent; // bound variable -> extent
  std::vector<TensorDecl> tensors;          // tensors read (t$i), role Input
  std::vector<std::string> dims;            // dims named anywhere (d$i)
  // A temp read by a later instruction: its first `outer` variables are loops around the
  // producing instruction, and the producer's output axes must map, in order, onto the rest
  // (the consumer reads the temp in that layout: the same vector lanes, the same partitions).
  size_t outer = 0;
  bool ordered = false;
  // ordered: for each axis of the reading operand, the goal variable it carries (an index into
  // vars) or -1 for a size-1 axis; the producer's output axis i must match entry i.
  std::vector<int> layout;
  std::string key; // canonical text: equal keys, equal goals
};

// Canonical goal for `out[vars] = value` whose tensors are declared in `decls` (a tensor the value
// reads must be there). `display` receives canonical name -> original name.
Goal make_goal(const std::vector<std::string>& vars, const std::vector<Expr>& extents,
               const Expr& value, const std::map<std::string, TensorDecl>& decls,
               std::map<std::string, std::string>& display, size_t outer = 0, bool ordered = false,
               std::vector<int> layout = {});

// Replaces every identifier token of `text` found in `names` (tokens may hold '$' and '\'').
std::string rename_tokens(const std::string& text, const std::map<std::string, std::string>& names);

} // namespace axon::isel
