// Program: the typed tensor graph of a .tp file, after parsing and checking. Each node applies one
// op (a named op from specs/, a structural op, an elementwise operator, or an index-notation
// statement) to earlier values and defines one new value. Values are SSA: an in-place update of an
// `inout` tensor defines a new value with the same source name and a higher version.
//
// Grammar:
//   Program  ::= dims: (name [= size])*  inputs: ValueId*  nodes: Node*  outputs: ValueId*
//   Value    ::= name version dtype shape: Int Expr*
//   Node     ::= op attrs operands: (ValueId | literal)* -> ValueId      (op != "index")
//              | "index" vars reduction-free-or-not Expr -> ValueId       (index notation)
//   accumulate: the node's result is added to the previous version of an inout tensor (`+=`).
// Shapes are symbolic: two shapes agree when their dims are the same expressions, not merely the
// same numbers, so a checked program is well-typed for every binding of its dims.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "ir/dtype.h"
#include "ir/expr.h"
#include "ir/source.h"

namespace axon {

using ValueId = int;

struct Value {
  std::string name;
  int version = 0; // > 0 for a new version of an inout tensor
  DType dtype = DType::F32;
  std::vector<Expr> shape;
  bool is_input = false;  // declared with `input` or `inout` (version 0)
  bool is_inout = false;  // the source name was declared `inout`
  bool is_output = false; // declared with `output`, or the last version of an inout
  bool annotated = false; // the defining statement wrote its type explicitly
};

// Attribute values of named ops: numbers, strings, booleans, lists of shape expressions.
using AttrValue = std::variant<double, std::string, bool, std::vector<Expr>>;
std::string attr_to_string(const AttrValue& v);
bool attr_equal(const AttrValue& a, const AttrValue& b);

struct Operand {
  std::optional<ValueId> value; // a tensor, or
  double literal = 0;           // a scalar constant
};

struct Node {
  std::string op; // "matmul", "add", ..., or "index"
  std::vector<Operand> operands;
  std::vector<std::pair<std::string, AttrValue>> attrs; // in source order
  ValueId result = -1;
  bool accumulate = false; // `+=`
  Loc loc;
  // op == "index": out[vars...] = expr; Access names refer to `names` below.
  std::vector<std::string> vars;
  std::vector<std::optional<Expr>> var_extents; // explicit `i: N` extents, as written
  Expr expr;
};

class Program {
public:
  std::map<std::string, std::optional<int64_t>> dims;
  std::vector<std::string> dim_order; // as declared
  std::vector<Value> values;
  std::vector<ValueId> inputs;
  std::vector<Node> nodes;
  std::vector<ValueId> outputs;
  SourceRef src; // the text it was checked from (for positions in later diagnostics); may be null

  const Value& value(ValueId id) const { return values.at(static_cast<size_t>(id)); }
  // The name under which a value is visible in printed text and IndexPrograms:
  // "x" for version 0, "x@1" for a later version of an inout tensor.
  std::string ssa_name(ValueId id) const;
};

// Prints the program as .tp text that parses and checks back to an equal Program.
std::string to_string(const Program& p);
bool programs_equal(const Program& a, const Program& b, std::string* why = nullptr);

} // namespace axon
