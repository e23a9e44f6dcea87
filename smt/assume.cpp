// A small recursive-descent parser for --assume (see assume.h). Grammar:
//   or := and {"||" and};  and := cmp {"&&" cmp};  cmp := add [op add];  add := mul {(+|-) mul};
//   mul := unary {(*|/|%) unary};  unary := "-" unary | "!" unary | primary;
//   primary := NUMBER | NAME ["[" "]"] | "(" or ")"
#include "smt/assume.h"

#include <cctype>
#include <unordered_map>

#include "ir/error.h"
#include "ir/limits.h"
#include "ir/source.h"

namespace axon::smt {

namespace {

class Parser {
public:
  Parser(const std::string& text, const IndexProgram& a, const IndexProgram& b)
      : src_(source_from_string(text, "--assume")), t_(src_->text), a_(a), b_(b) {}

  Expr parse() {
    Expr e = parse_or();
    skip();
    if (i_ != t_.size())
      fail("unexpected '" + std::string(1, t_[i_]) + "'");
    if (e->sort() != Sort::Bool)
      fail("an assumption must be a condition (e.g. 'eps > 0')", 0);
    return e;
  }

private:
  [[noreturn]] void fail(const std::string& msg, size_t at = std::string::npos) {
    if (at == std::string::npos)
      at = i_;
    user_error_at(*src_, Loc{1, static_cast<int>(at) + 1}, msg,
                  "assumptions use dims and rank-0 inputs of the programs, numbers, + - * / %, "
                  "comparisons, && and ||");
  }
  void skip() {
    while (i_ < t_.size() && std::isspace(static_cast<unsigned char>(t_[i_])))
      ++i_;
  }
  bool eat(const std::string& s) {
    skip();
    if (t_.compare(i_, s.size(), s) == 0) {
      i_ += s.size();
      return true;
    }
    return false;
  }
  static Expr to_real(const Expr& e) {
    if (e->sort() != Sort::Int)
      return e;
    if (e->kind() == ExprKind::IntConst)
      return ExprNode::real_const(static_cast<double>(e->int_value()));
    return ExprNode::unary(ExprKind::ToReal, e);
  }
  Expr bin(ExprKind k, Expr x, Expr y, size_t at) {
    if (x->sort() == Sort::Bool || y->sort() == Sort::Bool) {
      if (k != ExprKind::And && k != ExprKind::Or)
        fail("a condition used as a number", at);
    } else if (x->sort() != y->sort()) {
      x = to_real(x);
      y = to_real(y);
    }
    if (k == ExprKind::Mod && x->sort() != Sort::Int)
      fail("% needs integers", at);
    return node(ExprNode::binary(k, x, y), 1 + std::max(depth(x), depth(y)), at);
  }
  // Nesting depth of the expression built (operators and parentheses each add one level): deeper
  // than limits::kMaxExprDepth is refused at the position where it is exceeded.
  int depth(const Expr& e) const {
    auto it = depth_.find(e.get());
    return it == depth_.end() ? 1 : it->second;
  }
  Expr node(Expr e, int d, size_t at) {
    if (d > limits::kMaxExprDepth)
      fail("expression nested deeper than " + std::to_string(limits::kMaxExprDepth) +
               " levels (operators and parentheses each add one)",
           at);
    int& slot = depth_[e.get()];
    slot = std::max(slot, d);
    keep_.push_back(e);
    return e;
  }
  struct Nest {
    Parser& p;
    Nest(Parser& parser, size_t at) : p(parser) {
      if (++p.nest_ > limits::kMaxExprDepth)
        p.fail("expression nested deeper than " + std::to_string(limits::kMaxExprDepth) +
                   " levels (operators and parentheses each add one)",
               at);
    }
    ~Nest() { --p.nest_; }
  };
  Expr parse_or() {
    Expr e = parse_and();
    while (true) {
      size_t at = i_;
      if (!eat("||"))
        return e;
      e = bin(ExprKind::Or, e, parse_and(), at);
    }
  }
  Expr parse_and() {
    Expr e = parse_cmp();
    while (true) {
      size_t at = i_;
      if (!eat("&&"))
        return e;
      e = bin(ExprKind::And, e, parse_cmp(), at);
    }
  }
  Expr parse_cmp() {
    Expr e = parse_add();
    static const std::pair<const char*, ExprKind> ops[] = {
        {"<=", ExprKind::Le}, {">=", ExprKind::Ge}, {"==", ExprKind::Eq},
        {"!=", ExprKind::Ne}, {"<", ExprKind::Lt},  {">", ExprKind::Gt}};
    size_t at = i_;
    for (auto& [s, k] : ops)
      if (eat(s))
        return bin(k, e, parse_add(), at);
    return e;
  }
  Expr parse_add() {
    Expr e = parse_mul();
    while (true) {
      size_t at = i_;
      if (eat("+"))
        e = bin(ExprKind::Add, e, parse_mul(), at);
      else if (eat("-"))
        e = bin(ExprKind::Sub, e, parse_mul(), at);
      else
        return e;
    }
  }
  Expr parse_mul() {
    Expr e = parse_unary();
    while (true) {
      size_t at = i_;
      if (eat("*"))
        e = bin(ExprKind::Mul, e, parse_unary(), at);
      else if (eat("/"))
        e = bin(ExprKind::Div, e, parse_unary(), at);
      else if (eat("%"))
        e = bin(ExprKind::Mod, e, parse_unary(), at);
      else
        return e;
    }
  }
  Expr parse_unary() {
    size_t at = i_;
    if (eat("-")) {
      Nest nest(*this, at);
      Expr x = parse_unary();
      if (x->sort() == Sort::Bool)
        fail("'-' of a condition", at);
      return node(ExprNode::unary(ExprKind::Neg, x), 1 + depth(x), at);
    }
    if (t_.compare(i_, 2, "!=") != 0 && eat("!")) {
      Nest nest(*this, at);
      Expr x = parse_unary();
      if (x->sort() != Sort::Bool)
        fail("'!' of a number", at);
      return node(ExprNode::unary(ExprKind::Not, x), 1 + depth(x), at);
    }
    return parse_primary();
  }
  Expr parse_primary() {
    skip();
    size_t at = i_;
    if (i_ >= t_.size())
      fail("expected a name, a number or '('");
    if (eat("(")) {
      Nest nest(*this, at);
      Expr e = parse_or();
      if (!eat(")"))
        fail("expected ')'");
      return node(e, 1 + depth(e), at);
    }
    char c = t_[i_];
    if (std::isdigit(static_cast<unsigned char>(c)) || c == '.') {
      size_t j = i_;
      bool real = false;
      while (j < t_.size() &&
             (std::isalnum(static_cast<unsigned char>(t_[j])) || t_[j] == '.' ||
              ((t_[j] == '-' || t_[j] == '+') && (t_[j - 1] == 'e' || t_[j - 1] == 'E')))) {
        real = real || t_[j] == '.' || t_[j] == 'e' || t_[j] == 'E';
        ++j;
      }
      std::string num = t_.substr(i_, j - i_);
      i_ = j;
      try {
        if (real)
          return ExprNode::real_const(std::stod(num));
        return ExprNode::int_const(std::stoll(num));
      } catch (const std::exception&) {
        fail("bad number '" + num + "'", at);
      }
    }
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      size_t j = i_;
      while (j < t_.size() && (std::isalnum(static_cast<unsigned char>(t_[j])) || t_[j] == '_'))
        ++j;
      std::string name = t_.substr(i_, j - i_);
      i_ = j;
      if (eat("[")) {
        if (!eat("]"))
          fail("only rank-0 inputs (name or name[]) can appear in an assumption");
      }
      if (a_.dims().count(name) || b_.dims().count(name))
        return ExprNode::dim_var(name);
      for (auto* p : {&a_, &b_}) {
        const TensorDecl* d = p->find_tensor(name);
        if (d && d->role == TensorRole::Input) {
          if (d->rank() != 0)
            fail("'" + name + "' has rank " + std::to_string(d->rank()) +
                     "; only rank-0 inputs can appear in an assumption",
                 at);
          return ExprNode::access(name, {});
        }
      }
      fail("unknown name '" + name + "': not a dim or a rank-0 input of either program", at);
    }
    fail("unexpected '" + std::string(1, c) + "'");
  }

  SourceRef src_;
  const std::string& t_;
  const IndexProgram& a_;
  const IndexProgram& b_;
  size_t i_ = 0;
  int nest_ = 0;
  std::unordered_map<const ExprNode*, int> depth_;
  std::vector<Expr> keep_; // keeps the nodes depth_ names alive (no address is reused)
};

} // namespace

Expr parse_assumption(const std::string& text, const IndexProgram& a, const IndexProgram& b) {
  Parser p(text, a, b);
  return p.parse();
}

} // namespace axon::smt
