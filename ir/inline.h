// Capture-avoiding instantiation of a statement's definition at a read's indices, the one copy
// every inliner uses (smt/'s obligations, synth/'s rewrite steps and fusion variants), and on it
// the inlining of an IndexProgram's intermediate tensors: the value of one written tensor as a
// single expression over the program's inputs, every read of a tensor written by an earlier
// statement replaced by that statement's (recursively inlined) expression at the read's indices.
// Used by smt/ to state one equivalence per output.
#pragma once

#include <functional>
#include <set>
#include <string>
#include <vector>

#include "ir/index_program.h"

namespace axon {

// The definition `value` over the index variables `vars`, read at the indices `idx`: `value` with
// vars := idx. A reduction variable of `value` whose name is in `avoid`, among the index names of
// `idx` (free or bound) or in `vars` is renamed first (the name plus the first number that makes
// it unused), and so is a second binder of one name, so no variable of `idx` is captured; every
// other bound variable keeps its name (the result prints alike wherever it is computed).
Expr instantiate(const std::vector<std::string>& vars, const Expr& value,
                 const std::vector<Expr>& idx, std::set<std::string> avoid = {});
// The definition of statement s read at idx (instantiate(s.vars, s.value, idx, avoid)).
Expr instantiate(const IndexStmt& s, const std::vector<Expr>& idx,
                 std::set<std::string> avoid = {});

// Replaces reads of `tensor` by f(indices) everywhere in e. A read without indices (rank 0) is
// left as it is.
Expr replace_reads(const Expr& e, const std::string& tensor,
                   const std::function<Expr(const std::vector<Expr>&)>& f);

// Every index-variable name in e, free or bound.
std::set<std::string> index_names(const Expr& e);
// `base` when it is not in `used`, else base1, base2, ...: the first one not in `used`.
std::string fresh_name(const std::string& base, const std::set<std::string>& used);
// Bound variables of e renamed to names not in `avoid` (and distinct from each other); every
// name given out is added to `avoid`.
Expr rename_bound(const Expr& e, std::set<std::string>& avoid);

// The defining expression of `tensor` (written by some statement of p) over p's inputs, with the
// statement's own index variables free.
Expr inline_tensor(const IndexProgram& p, const std::string& tensor);

// The same expression with bound reduction variables renamed to fresh unique names.
Expr rename_bound_apart(const Expr& e);

} // namespace axon
