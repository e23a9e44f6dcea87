// The parse tree of .tp files and spec files, before names are resolved. The checker (check.cpp)
// turns it into a Program; spec bodies stay as parse trees until expansion fixes their batch rank.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "ir/source.h"

namespace axon {

struct AstExpr;
using AstPtr = std::shared_ptr<const AstExpr>;

struct AstExpr {
  enum class Kind {
    Number,   // 2, 1e-6 (text kept to tell ints from reals)
    String,   // "tanh"
    Name,     // x, M, k, true/false
    Ellipsis, // ... inside an index list or a shape
    Index,    // name[args]
    Call,     // name(args, key=value)
    List,     // [a, b] (attribute values)
    Unary,    // op in {"-", "!"}
    Binary,   // op in {"+","-","*","/","%","**","<","<=",">",">=","==","!=","&&","||"}
    Reduce,   // name in {sum, max, min}: name(var [: extent]) body
  };
  Kind kind;
  Loc loc;
  std::string text;         // Number: literal text; String: value; Name/Index/Call/Reduce: name;
                            // Unary/Binary: operator; Reduce: reduction name
  std::string var;          // Reduce: bound variable
  std::vector<AstPtr> args; // operands / indices / call args / list items; Reduce: {body}
  std::vector<std::pair<std::string, AstPtr>> kwargs; // Call: key=value
  AstPtr extent;                                      // Reduce: optional explicit extent
  int depth = 0;       // nesting depth: 0 for a leaf; operators, calls, indexing and parentheses
                       // add one level each (at most limits::kMaxExprDepth, checked by the parser)
  bool is_int() const; // Number without '.', 'e' or 'E'
  double number() const;
};

struct AstType {
  std::string dtype; // as written; may be empty in spec parameter patterns
  Loc dtype_loc;
  std::vector<AstPtr> shape; // may contain one Ellipsis (specs)
  Loc loc;
};

struct AstIndexVar {
  std::string name; // "..." for an ellipsis
  AstPtr extent;    // optional `i: N`
  Loc loc;
};

struct AstStmt {
  enum class Kind { Where, Input, Inout, Assign };
  Kind kind;
  Loc loc;
  // Where
  std::vector<std::pair<std::string, std::optional<int64_t>>> dims;
  std::vector<Loc> dim_locs;
  // Input / Inout / Assign
  std::string name;
  Loc name_loc;
  std::optional<AstType> type;
  // Assign
  bool is_output = false;
  bool accumulate = false;                            // +=
  std::optional<std::vector<AstIndexVar>> index_vars; // index statement: name[vars] = ...
  AstPtr rhs;
};

struct AstFile {
  SourceRef src;
  std::vector<AstStmt> stmts;
};

// One op of a spec file:
//   op NAME(p: [..., N], q: [N]; attr = default, ...) -> [..., N] [when key = "value", ...] {
//     stmts (index statements; the result is `out`)
//   }
struct AstSpecParam {
  std::string name;
  AstType pattern;
  Loc loc;
};
struct AstSpecAttr {
  std::string name;
  AstPtr default_value; // may be null: the attribute is required
  Loc loc;
};
struct AstSpecOp {
  std::string name;
  Loc loc;
  std::string doc; // the comment lines right above `op`
  std::vector<AstSpecParam> params;
  std::vector<AstSpecAttr> attrs;
  AstType result;
  std::vector<std::pair<std::string, std::string>> when;
  std::vector<AstStmt> body;
};
struct AstSpecFile {
  SourceRef src;
  std::vector<AstSpecOp> ops;
};

// Parsers: UserError with file:line:col on any malformed input; never crash or hang. An
// expression deeper than limits::kMaxExprDepth or a call, index or list of more than
// limits::kMaxCallOperands operands is malformed input (ir/limits.h).
AstFile parse_tp(const SourceRef& src);
AstSpecFile parse_spec_file(const SourceRef& src);

// Prints an expression back in .tp syntax (used by the Program printer and diagnostics).
std::string to_string(const AstExpr& e);

} // namespace axon
