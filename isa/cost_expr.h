// The cost formula language of ISA descriptions: a small arithmetic expression over named
// variables (operand sizes, parameter choices, engine attributes, target constants), parsed once
// when a target loads and evaluated many times by search/ and sim/.
//
// Grammar (one screen):
//   expr    ::= or
//   or      ::= and ("||" and)*
//   and     ::= cmp ("&&" cmp)*
//   cmp     ::= sum (("<" | "<=" | ">" | ">=" | "==" | "!=") sum)?
//   sum     ::= product (("+" | "-") product)*
//   product ::= unary (("*" | "/") unary)*
//   unary   ::= "-" unary | atom
//   atom    ::= number | variable | "(" expr ")" | call
//   call    ::= ("min" | "max") "(" expr ("," expr)+ ")" | ("ceil" | "floor") "(" expr ")"
//             | "if" "(" expr "," expr "," expr ")"
//   variable ::= identifier ("." identifier)*      e.g. N, a.bytes, a.in_PSUM, func.exp
// Values are doubles. Comparisons and && || give 0 or 1; `if(c, a, b)` is a when c != 0, else b.
// x / 0 gives +-inf (or NaN for 0/0): the loader cannot know sizes, and a cost model must not
// crash on a degenerate tile; callers that care check std::isfinite.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace axon {

class CostExpr {
public:
  struct Node;

  // Parses `text`; a syntax error is a UserError "column C: <what was expected>".
  static CostExpr parse(const std::string& text);

  // Every variable the formula mentions, sorted and without duplicates.
  const std::vector<std::string>& variables() const { return vars_; }
  const std::string& text() const { return text_; }

  // Evaluates with `lookup` giving each variable's value; a variable for which lookup returns
  // nullopt is a UserError naming it (the loader rules this out for shipped variables).
  double eval(const std::function<std::optional<double>(const std::string&)>& lookup) const;

private:
  std::shared_ptr<const Node> root_;
  std::vector<std::string> vars_;
  std::string text_;
};

} // namespace axon
