// Shared machinery of the propagation steps (private to synth/): enumerating the sites of a
// statement with their binding context, products as factor lists, fresh names, and rebuilding a
// program after an edit (dead temporaries dropped, declarations kept in statement order).
#pragma once

#include <functional>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "ir/index_program.h"
#include "ir/inline.h"

namespace axon::synth {

// The index variables in scope at a site: statement variables and enclosing reduction variables
// (outermost first), each with its extent.
struct Binding {
  std::string var;
  Expr extent;
  bool bound_by_reduction = false;
};
struct SiteContext {
  std::vector<Binding> scope;
  bool parent_is_product = false; // the node is an operand of a Mul or a Div numerator
};

// For every node of `e` where `f` proposes a replacement: `e` with that node replaced.
std::vector<Expr>
rewrite_each(const Expr& e, const SiteContext& top,
             const std::function<std::optional<Expr>(const Expr&, const SiteContext&)>& f);

// The context at the root of a statement: its variables with the output's extents.
SiteContext statement_context(const IndexProgram& p, const IndexStmt& s);

// A product as factors: numerator factors and divisors (a / b * c -> {a, c} / {b}).
struct Factor {
  Expr e;
  bool divisor = false;
};
std::vector<Factor> factors_of(const Expr& e);
Expr product_of(const std::vector<Factor>& fs); // 1.0 for no factors

bool mentions_var(const Expr& e, const std::string& var);
bool mentions_any(const Expr& e, const std::vector<std::string>& vars);
// index_names, fresh_name, rename_bound, replace_reads and the capture-avoiding instantiate:
// ir/inline.h.

// A program rebuilt from new statements: extra temporaries declared, dims added, temporaries no
// statement reads dropped (repeatedly), declarations ordered inputs, then written tensors in
// statement order.
IndexProgram rebuild(const IndexProgram& p, std::vector<IndexStmt> stmts,
                     const std::vector<TensorDecl>& new_temps = {},
                     const std::map<std::string, std::optional<int64_t>>& new_dims = {});

// A site's replacement and how to describe it ("r[m] out of sum(k)").
struct SiteRewrite {
  Expr value;
  std::string label;
};
struct Rewrite;
struct VariantState;
enum class StepKind;
// For every statement of s.program and every node where `site` proposes a replacement: one
// rewrite of kind `kind`, the statement's value with that node replaced, described as
// "in OUT: " + prefix + label.
std::vector<Rewrite> site_rewrites(
    StepKind kind, const VariantState& s, const std::string& prefix,
    const std::function<std::optional<SiteRewrite>(const Expr&, const SiteContext&)>& site);

// A tensor name not used by p.
std::string fresh_tensor_name(const IndexProgram& p, const std::string& base);

// Structural equality up to the names of bound variables.
bool alpha_equal(const Expr& a, const Expr& b);

} // namespace axon::synth
