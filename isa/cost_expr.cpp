// Recursive-descent parser and tree evaluator for cost formulas (grammar in cost_expr.h).
// Formulas come from user JSON, so the parser bounds their depth by axon::limits::kMaxExprDepth:
// each operator, parenthesis, unary minus and call adds one level, so that neither the parser's
// recursion nor the tree's height (which evaluation and destruction recurse over) can exhaust the
// stack; a fuzzed "((((..." or a sum of 200,000 terms gives an error naming the column.
#include "isa/cost_expr.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <set>

#include "ir/error.h"
#include "ir/limits.h"

namespace axon {

struct CostExpr::Node {
  enum class Kind {
    Num,
    Var,
    Neg,
    Add,
    Sub,
    Mul,
    Div,
    Lt,
    Le,
    Gt,
    Ge,
    Eq,
    Ne,
    And,
    Or,
    Min,
    Max,
    Ceil,
    Floor,
    If
  };
  Kind kind;
  int level = 0; // operators, parentheses and calls from here down (atoms: 0)
  double num = 0;
  std::string var;
  std::vector<std::shared_ptr<const Node>> args;
};

namespace {

// Nodes are built mutable (a parenthesis raises its expression's level) and frozen as const.
using NodePtr = std::shared_ptr<CostExpr::Node>;
using Kind = CostExpr::Node::Kind;
using limits::kMaxExprDepth;

class Parser {
public:
  explicit Parser(const std::string& text) : s_(text) {}

  NodePtr parse_all() {
    skip_ws();
    if (pos_ >= s_.size())
      fail("expected an expression, got an empty formula");
    NodePtr e = parse_or();
    skip_ws();
    if (pos_ < s_.size())
      fail(std::string("unexpected '") + s_[pos_] + "' after the expression");
    return e;
  }
  std::set<std::string> vars;

private:
  [[noreturn]] void fail(const std::string& what) const { fail_at(pos_, what); }
  [[noreturn]] void fail_at(size_t pos, const std::string& what) const {
    user_error("column " + std::to_string(pos + 1) + ": " + what);
  }
  [[noreturn]] void too_deep(size_t pos) const {
    fail_at(pos, "formula nested deeper than " + std::to_string(kMaxExprDepth) +
                     " levels (each operator, parenthesis and call adds one)");
  }
  // A node of kind K over ARGS, for the operator or call at column POS.
  NodePtr make(Kind k, std::vector<NodePtr> args, size_t pos) const {
    auto n = std::make_shared<CostExpr::Node>();
    n->kind = k;
    for (auto& a : args)
      n->level = std::max(n->level, a->level);
    if (++n->level > kMaxExprDepth)
      too_deep(pos);
    n->args.assign(args.begin(), args.end());
    return n;
  }
  // The column of the next token.
  size_t here() {
    skip_ws();
    return pos_;
  }
  void skip_ws() {
    while (pos_ < s_.size() && std::isspace(static_cast<unsigned char>(s_[pos_])))
      ++pos_;
  }
  bool eat(const char* tok) {
    skip_ws();
    size_t n = std::char_traits<char>::length(tok);
    if (s_.compare(pos_, n, tok) == 0) {
      pos_ += n;
      return true;
    }
    return false;
  }
  void expect(const char* tok) {
    if (!eat(tok)) {
      std::string got = pos_ < s_.size() ? std::string("'") + s_[pos_] + "'" : "end of formula";
      fail(std::string("expected '") + tok + "', got " + got);
    }
  }
  // Bounds the parser's recursion, which only a parenthesis, a unary minus or a call enters;
  // each of them adds a level to the tree too, so the guard never refuses what make() accepts.
  struct DepthGuard {
    Parser& p;
    DepthGuard(Parser& parser, size_t pos) : p(parser) {
      if (++p.depth_ > kMaxExprDepth)
        p.too_deep(pos);
    }
    ~DepthGuard() { --p.depth_; }
  };

  NodePtr parse_or() {
    NodePtr l = parse_and();
    for (size_t at = here(); eat("||"); at = here())
      l = make(Kind::Or, {l, parse_and()}, at);
    return l;
  }
  NodePtr parse_and() {
    NodePtr l = parse_cmp();
    for (size_t at = here(); eat("&&"); at = here())
      l = make(Kind::And, {l, parse_cmp()}, at);
    return l;
  }
  NodePtr parse_cmp() {
    NodePtr l = parse_sum();
    // Longest operators first so "<=" is not read as "<" followed by "=".
    static const std::pair<const char*, Kind> ops[] = {{"<=", Kind::Le}, {">=", Kind::Ge},
                                                       {"==", Kind::Eq}, {"!=", Kind::Ne},
                                                       {"<", Kind::Lt},  {">", Kind::Gt}};
    size_t at = here();
    for (const auto& [tok, k] : ops)
      if (eat(tok))
        return make(k, {l, parse_sum()}, at);
    return l;
  }
  NodePtr parse_sum() {
    NodePtr l = parse_product();
    for (;;) {
      size_t at = here();
      if (eat("+"))
        l = make(Kind::Add, {l, parse_product()}, at);
      else if (eat("-"))
        l = make(Kind::Sub, {l, parse_product()}, at);
      else
        return l;
    }
  }
  NodePtr parse_product() {
    NodePtr l = parse_unary();
    for (;;) {
      size_t at = here();
      if (eat("*"))
        l = make(Kind::Mul, {l, parse_unary()}, at);
      else if (eat("/"))
        l = make(Kind::Div, {l, parse_unary()}, at);
      else
        return l;
    }
  }
  NodePtr parse_unary() {
    size_t at = here();
    if (eat("-")) {
      DepthGuard g(*this, at);
      return make(Kind::Neg, {parse_unary()}, at);
    }
    return parse_atom();
  }
  static bool ident_start(char c) {
    return std::isalpha(static_cast<unsigned char>(c)) || c == '_';
  }
  static bool ident_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

  NodePtr parse_atom() {
    skip_ws();
    if (pos_ >= s_.size())
      fail("expected a number, a variable or '(', got end of formula");
    char c = s_[pos_];
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '.')
      return parse_number();
    if (eat("(")) {
      DepthGuard g(*this, pos_ - 1);
      NodePtr e = parse_or();
      expect(")");
      if (++e->level > kMaxExprDepth)
        too_deep(pos_ - 1);
      return e;
    }
    if (!ident_start(c))
      fail(std::string("expected a number, a variable or '(', got '") + c + "'");
    size_t start = pos_;
    while (pos_ < s_.size() && ident_char(s_[pos_]))
      ++pos_;
    std::string name = s_.substr(start, pos_ - start);
    skip_ws();
    if (pos_ < s_.size() && s_[pos_] == '(')
      return parse_call(name, start);
    // Dotted names (operand or parameter attributes) are one variable.
    while (pos_ < s_.size() && s_[pos_] == '.') {
      ++pos_;
      if (pos_ >= s_.size() || !ident_start(s_[pos_]))
        fail("expected a name after '.'");
      size_t part = pos_;
      while (pos_ < s_.size() && ident_char(s_[pos_]))
        ++pos_;
      name += "." + s_.substr(part, pos_ - part);
    }
    auto n = std::make_shared<CostExpr::Node>();
    n->kind = Kind::Var;
    n->var = name;
    vars.insert(name);
    return n;
  }
  NodePtr parse_number() {
    size_t start = pos_;
    while (pos_ < s_.size() &&
           (std::isdigit(static_cast<unsigned char>(s_[pos_])) || s_[pos_] == '.'))
      ++pos_;
    if (pos_ < s_.size() && (s_[pos_] == 'e' || s_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < s_.size() && (s_[pos_] == '+' || s_[pos_] == '-'))
        ++pos_;
      while (pos_ < s_.size() && std::isdigit(static_cast<unsigned char>(s_[pos_])))
        ++pos_;
    }
    std::string lit = s_.substr(start, pos_ - start);
    char* end = nullptr;
    double v = std::strtod(lit.c_str(), &end);
    if (end != lit.c_str() + lit.size() || lit == ".") {
      pos_ = start;
      fail("malformed number '" + lit + "'");
    }
    auto n = std::make_shared<CostExpr::Node>();
    n->kind = Kind::Num;
    n->num = v;
    return n;
  }
  NodePtr parse_call(const std::string& name, size_t name_pos) {
    DepthGuard g(*this, name_pos);
    expect("(");
    std::vector<NodePtr> args{parse_or()};
    while (eat(",")) {
      if (args.size() >= static_cast<size_t>(limits::kMaxCallOperands))
        fail(name + "() takes at most " + std::to_string(limits::kMaxCallOperands) + " arguments");
      args.push_back(parse_or());
    }
    expect(")");
    auto arity_error = [&](const char* want) {
      pos_ = name_pos;
      fail(name + "() takes " + want + ", got " + std::to_string(args.size()));
    };
    if (name == "min" || name == "max") {
      if (args.size() < 2)
        arity_error("at least 2 arguments");
      return make(name == "min" ? Kind::Min : Kind::Max, std::move(args), name_pos);
    }
    if (name == "ceil" || name == "floor") {
      if (args.size() != 1)
        arity_error("1 argument");
      return make(name == "ceil" ? Kind::Ceil : Kind::Floor, std::move(args), name_pos);
    }
    if (name == "if") {
      if (args.size() != 3)
        arity_error("3 arguments (condition, then, else)");
      return make(Kind::If, std::move(args), name_pos);
    }
    pos_ = name_pos;
    fail("unknown function '" + name + "'; expected min, max, ceil, floor or if");
  }

  const std::string& s_;
  size_t pos_ = 0;
  int depth_ = 0;
};

double eval_node(const CostExpr::Node& n,
                 const std::function<std::optional<double>(const std::string&)>& lookup) {
  auto a = [&](size_t i) { return eval_node(*n.args[i], lookup); };
  switch (n.kind) {
  case Kind::Num:
    return n.num;
  case Kind::Var: {
    std::optional<double> v = lookup(n.var);
    if (!v)
      user_error("cost formula: no value for variable '" + n.var + "'");
    return *v;
  }
  case Kind::Neg:
    return -a(0);
  case Kind::Add:
    return a(0) + a(1);
  case Kind::Sub:
    return a(0) - a(1);
  case Kind::Mul:
    return a(0) * a(1);
  case Kind::Div:
    return a(0) / a(1);
  case Kind::Lt:
    return a(0) < a(1) ? 1 : 0;
  case Kind::Le:
    return a(0) <= a(1) ? 1 : 0;
  case Kind::Gt:
    return a(0) > a(1) ? 1 : 0;
  case Kind::Ge:
    return a(0) >= a(1) ? 1 : 0;
  case Kind::Eq:
    return a(0) == a(1) ? 1 : 0;
  case Kind::Ne:
    return a(0) != a(1) ? 1 : 0;
  case Kind::And:
    return (a(0) != 0 && a(1) != 0) ? 1 : 0;
  case Kind::Or:
    return (a(0) != 0 || a(1) != 0) ? 1 : 0;
  case Kind::Min:
  case Kind::Max: {
    double r = a(0);
    for (size_t i = 1; i < n.args.size(); ++i)
      r = n.kind == Kind::Min ? std::min(r, a(i)) : std::max(r, a(i));
    return r;
  }
  case Kind::Ceil:
    return std::ceil(a(0));
  case Kind::Floor:
    return std::floor(a(0));
  case Kind::If:
    return a(0) != 0 ? a(1) : a(2);
  }
  internal_error("unhandled cost node kind");
}

} // namespace

CostExpr CostExpr::parse(const std::string& text) {
  Parser p(text);
  CostExpr e;
  e.root_ = p.parse_all();
  e.vars_.assign(p.vars.begin(), p.vars.end());
  e.text_ = text;
  return e;
}

double
CostExpr::eval(const std::function<std::optional<double>(const std::string&)>& lookup) const {
  AXON_CHECK(root_ != nullptr, "evaluating an unparsed cost formula");
  return eval_node(*root_, lookup);
}

} // namespace axon
