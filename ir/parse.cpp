// Parser for .tp files and spec files: text -> parse tree (ir/ast.h). Grammar in docs/language.md.
// A hand-written recursive-descent parser with limits on nesting depth and operand counts
// (ir/limits.h), so any input gives either a parse tree or a UserError with file:line:col; it never
// crashes or recurses without bound, and every later pass may recurse over the tree it returns.
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <set>

#include "ir/ast.h"
#include "ir/error.h"
#include "ir/limits.h"

namespace axon {

bool AstExpr::is_int() const {
  return kind == Kind::Number && text.find_first_of(".eE") == std::string::npos;
}
double AstExpr::number() const { return std::strtod(text.c_str(), nullptr); }

namespace {

enum class Tok {
  Ident,
  Number,
  String,
  Newline,
  End,
  LParen,
  RParen,
  LBracket,
  RBracket,
  LBrace,
  RBrace,
  Comma,
  Colon,
  Semicolon,
  Assign,
  PlusAssign,
  Arrow,
  Ellipsis,
  Plus,
  Minus,
  Star,
  Slash,
  Percent,
  Pow,
  Lt,
  Le,
  Gt,
  Ge,
  EqEq,
  Ne,
  AndAnd,
  OrOr,
  Bang,
};

struct Token {
  Tok kind;
  std::string text;
  Loc loc;
};

const char* tok_desc(Tok t) {
  switch (t) {
  case Tok::Ident:
    return "a name";
  case Tok::Number:
    return "a number";
  case Tok::String:
    return "a string";
  case Tok::Newline:
    return "end of line";
  case Tok::End:
    return "end of file";
  case Tok::LParen:
    return "'('";
  case Tok::RParen:
    return "')'";
  case Tok::LBracket:
    return "'['";
  case Tok::RBracket:
    return "']'";
  case Tok::LBrace:
    return "'{'";
  case Tok::RBrace:
    return "'}'";
  case Tok::Comma:
    return "','";
  case Tok::Colon:
    return "':'";
  case Tok::Semicolon:
    return "';'";
  case Tok::Assign:
    return "'='";
  case Tok::PlusAssign:
    return "'+='";
  case Tok::Arrow:
    return "'->'";
  case Tok::Ellipsis:
    return "'...'";
  case Tok::Plus:
    return "'+'";
  case Tok::Minus:
    return "'-'";
  case Tok::Star:
    return "'*'";
  case Tok::Slash:
    return "'/'";
  case Tok::Percent:
    return "'%'";
  case Tok::Pow:
    return "'**'";
  case Tok::Lt:
    return "'<'";
  case Tok::Le:
    return "'<='";
  case Tok::Gt:
    return "'>'";
  case Tok::Ge:
    return "'>='";
  case Tok::EqEq:
    return "'=='";
  case Tok::Ne:
    return "'!='";
  case Tok::AndAnd:
    return "'&&'";
  case Tok::OrOr:
    return "'||'";
  case Tok::Bang:
    return "'!'";
  }
  return "?";
}

// Splits text into tokens. Newlines inside () and [] are dropped (a statement may span lines
// there); comments run from '#' to the end of the line and are kept for spec docs.
class Lexer {
public:
  explicit Lexer(const SourceFile& src) : src_(src) {}

  std::vector<Token> run(std::vector<std::pair<int, std::string>>* comments) {
    std::vector<Token> out;
    int depth = 0;
    const std::string& s = src_.text;
    while (pos_ < s.size()) {
      char c = s[pos_];
      Loc loc{line_, col_};
      if (c == '\n') {
        if (depth == 0 && (out.empty() || out.back().kind != Tok::Newline))
          out.push_back({Tok::Newline, "\n", loc});
        advance();
        continue;
      }
      if (c == ' ' || c == '\t' || c == '\r') {
        advance();
        continue;
      }
      if (c == '#') {
        size_t start = pos_;
        while (pos_ < s.size() && s[pos_] != '\n')
          advance();
        if (comments)
          comments->push_back({loc.line, s.substr(start + 1, pos_ - start - 1)});
        continue;
      }
      if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
        size_t start = pos_;
        while (pos_ < s.size() &&
               (std::isalnum(static_cast<unsigned char>(s[pos_])) || s[pos_] == '_'))
          advance();
        out.push_back({Tok::Ident, s.substr(start, pos_ - start), loc});
        continue;
      }
      if (std::isdigit(static_cast<unsigned char>(c)) ||
          (c == '.' && pos_ + 1 < s.size() &&
           std::isdigit(static_cast<unsigned char>(s[pos_ + 1])))) {
        out.push_back({Tok::Number, lex_number(loc), loc});
        continue;
      }
      if (c == '"') {
        out.push_back({Tok::String, lex_string(loc), loc});
        continue;
      }
      Tok t;
      int len = 1;
      auto next = [&](size_t k) { return pos_ + k < s.size() ? s[pos_ + k] : '\0'; };
      switch (c) {
      case '(':
        t = Tok::LParen;
        ++depth;
        break;
      case ')':
        t = Tok::RParen;
        depth = std::max(0, depth - 1);
        break;
      case '[':
        t = Tok::LBracket;
        ++depth;
        break;
      case ']':
        t = Tok::RBracket;
        depth = std::max(0, depth - 1);
        break;
      case '{':
        t = Tok::LBrace;
        break;
      case '}':
        t = Tok::RBrace;
        break;
      case ',':
        t = Tok::Comma;
        break;
      case ':':
        t = Tok::Colon;
        break;
      case ';':
        t = Tok::Semicolon;
        break;
      case '%':
        t = Tok::Percent;
        break;
      case '/':
        t = Tok::Slash;
        break;
      case '=':
        if (next(1) == '=') {
          t = Tok::EqEq;
          len = 2;
        } else {
          t = Tok::Assign;
        }
        break;
      case '+':
        if (next(1) == '=') {
          t = Tok::PlusAssign;
          len = 2;
        } else {
          t = Tok::Plus;
        }
        break;
      case '-':
        if (next(1) == '>') {
          t = Tok::Arrow;
          len = 2;
        } else {
          t = Tok::Minus;
        }
        break;
      case '*':
        if (next(1) == '*') {
          t = Tok::Pow;
          len = 2;
        } else {
          t = Tok::Star;
        }
        break;
      case '<':
        if (next(1) == '=') {
          t = Tok::Le;
          len = 2;
        } else {
          t = Tok::Lt;
        }
        break;
      case '>':
        if (next(1) == '=') {
          t = Tok::Ge;
          len = 2;
        } else {
          t = Tok::Gt;
        }
        break;
      case '!':
        if (next(1) == '=') {
          t = Tok::Ne;
          len = 2;
        } else {
          t = Tok::Bang;
        }
        break;
      case '&':
        if (next(1) != '&')
          error(loc, "unexpected '&'", "use '&&' for a logical and");
        t = Tok::AndAnd;
        len = 2;
        break;
      case '|':
        if (next(1) != '|')
          error(loc, "unexpected '|'", "use '||' for a logical or");
        t = Tok::OrOr;
        len = 2;
        break;
      case '.':
        if (next(1) == '.' && next(2) == '.') {
          t = Tok::Ellipsis;
          len = 3;
          break;
        }
        error(loc, "unexpected '.'", "write '...' for the batch dimensions of a spec");
      default: {
        std::string shown;
        if (std::isprint(static_cast<unsigned char>(c)))
          shown = std::string("'") + c + "'";
        else {
          char buf[8];
          std::snprintf(buf, sizeof buf, "0x%02x", static_cast<unsigned char>(c));
          shown = std::string("byte ") + buf;
        }
        error(loc, "unexpected character " + shown, "");
      }
      }
      out.push_back({t, s.substr(pos_, len), loc});
      for (int i = 0; i < len; ++i)
        advance();
    }
    if (out.empty() || out.back().kind != Tok::Newline)
      out.push_back({Tok::Newline, "\n", {line_, col_}});
    out.push_back({Tok::End, "", {line_, col_}});
    return out;
  }

private:
  void advance() {
    if (src_.text[pos_] == '\n') {
      ++line_;
      col_ = 1;
    } else {
      ++col_;
    }
    ++pos_;
  }
  std::string lex_number(Loc loc) {
    const std::string& s = src_.text;
    size_t start = pos_;
    while (pos_ < s.size() && std::isdigit(static_cast<unsigned char>(s[pos_])))
      advance();
    if (pos_ < s.size() && s[pos_] == '.' && !(pos_ + 1 < s.size() && s[pos_ + 1] == '.')) {
      advance();
      while (pos_ < s.size() && std::isdigit(static_cast<unsigned char>(s[pos_])))
        advance();
    }
    if (pos_ < s.size() && (s[pos_] == 'e' || s[pos_] == 'E')) {
      advance();
      if (pos_ < s.size() && (s[pos_] == '+' || s[pos_] == '-'))
        advance();
      if (pos_ >= s.size() || !std::isdigit(static_cast<unsigned char>(s[pos_])))
        error(loc, "malformed number '" + s.substr(start, pos_ - start) + "'",
              "an exponent needs digits, as in 1e-6");
      while (pos_ < s.size() && std::isdigit(static_cast<unsigned char>(s[pos_])))
        advance();
    }
    std::string text = s.substr(start, pos_ - start);
    if (pos_ < s.size() && (std::isalpha(static_cast<unsigned char>(s[pos_])) || s[pos_] == '_'))
      error(loc, "malformed number '" + text + s[pos_] + "'", "separate numbers from names");
    double v = std::strtod(text.c_str(), nullptr);
    if (!std::isfinite(v))
      error(loc, "number '" + text + "' is out of range", "");
    return text;
  }
  std::string lex_string(Loc loc) {
    const std::string& s = src_.text;
    advance(); // opening quote
    size_t start = pos_;
    while (pos_ < s.size() && s[pos_] != '"' && s[pos_] != '\n')
      advance();
    if (pos_ >= s.size() || s[pos_] != '"')
      error(loc, "unterminated string", "close it with '\"' on the same line");
    std::string v = s.substr(start, pos_ - start);
    advance();
    return v;
  }
  [[noreturn]] void error(Loc loc, const std::string& msg, const std::string& hint) {
    user_error_at(src_, loc, msg, hint);
  }

  const SourceFile& src_;
  size_t pos_ = 0;
  int line_ = 1, col_ = 1;
};

class Parser {
public:
  Parser(const SourceRef& src, std::vector<Token> toks) : src_(src), toks_(std::move(toks)) {}

  AstFile parse_file() {
    AstFile f{src_, {}};
    skip_newlines();
    while (!at(Tok::End)) {
      f.stmts.push_back(parse_stmt(/*in_spec=*/false));
      end_of_stmt();
    }
    return f;
  }

  AstSpecFile parse_specs(const std::vector<std::pair<int, std::string>>& comments) {
    AstSpecFile f{src_, {}};
    skip_newlines();
    while (!at(Tok::End)) {
      const Token& t = peek();
      if (t.kind != Tok::Ident || t.text != "op")
        error(t.loc, "expected 'op' to start a spec, found " + describe(t),
              "a spec file holds `op NAME(params) -> [shape] { statements }` blocks");
      AstSpecOp op = parse_spec_op();
      op.doc = doc_above(comments, op.loc.line);
      f.ops.push_back(std::move(op));
      skip_newlines();
    }
    return f;
  }

private:
  // ---- token helpers ----
  const Token& peek(size_t k = 0) const { return toks_[std::min(pos_ + k, toks_.size() - 1)]; }
  bool at(Tok t) const { return peek().kind == t; }
  bool at_ident(const char* s) const { return at(Tok::Ident) && peek().text == s; }
  const Token& take() {
    const Token& t = toks_[pos_];
    if (pos_ + 1 < toks_.size())
      ++pos_;
    return t;
  }
  const Token& expect(Tok t, const std::string& what) {
    if (!at(t))
      error(here(), "expected " + what + ", found " + describe(peek()), "");
    return take();
  }
  // Where to point for an error at the current token: at a line end (possibly on a later line,
  // as newlines inside brackets are skipped), point just past the previous token instead.
  Loc here() const {
    const Token& t = peek();
    if ((t.kind == Tok::Newline || t.kind == Tok::End) && pos_ > 0) {
      const Token& prev = toks_[pos_ - 1];
      if (prev.kind != Tok::Newline)
        return Loc{prev.loc.line, prev.loc.col + static_cast<int>(prev.text.size()) +
                                      (prev.kind == Tok::String ? 2 : 0)};
    }
    return t.loc;
  }
  bool accept(Tok t) {
    if (at(t)) {
      take();
      return true;
    }
    return false;
  }
  void skip_newlines() {
    while (at(Tok::Newline))
      take();
  }
  void end_of_stmt() {
    if (at(Tok::End))
      return;
    if (!at(Tok::Newline))
      error(here(), "expected end of line after the statement, found " + describe(peek()),
            "put one statement per line");
    skip_newlines();
  }
  std::string describe(const Token& t) const {
    if (t.kind == Tok::Ident)
      return "'" + t.text + "'";
    if (t.kind == Tok::Number)
      return "number " + t.text;
    if (t.kind == Tok::String)
      return "string \"" + t.text + "\"";
    return tok_desc(t.kind);
  }
  [[noreturn]] void error(Loc loc, const std::string& msg, const std::string& hint = "") const {
    user_error_at(*src_, loc, msg, hint);
  }
  [[noreturn]] void too_deep(Loc loc) const {
    error(loc,
          "expression nested too deeply (more than " + std::to_string(limits::kMaxExprDepth) +
              " levels)",
          "each operator, call, index list and pair of parentheses adds a level; split the "
          "expression "
          "into several statements (limits in docs/reliability.md)");
  }
  // Bounds the parser's own recursion: every recursive call is one level of the finished tree, so
  // this trips only on input that finish() would refuse anyway (the +1: the statement's own call).
  struct DepthGuard {
    Parser& p;
    DepthGuard(Parser& p_, Loc loc) : p(p_) {
      if (++p.depth_ > limits::kMaxExprDepth + 1)
        p.too_deep(loc);
    }
    ~DepthGuard() { --p.depth_; }
  };
  // A composite node is finished once its operands are: its depth is one more than its deepest
  // operand's, and the limit is checked where it is exceeded.
  AstPtr finish(std::shared_ptr<AstExpr> e) const {
    int d = 0;
    for (auto& a : e->args)
      d = std::max(d, a->depth);
    for (auto& kv : e->kwargs)
      d = std::max(d, kv.second->depth);
    if (e->extent)
      d = std::max(d, e->extent->depth);
    e->depth = d + 1;
    if (e->depth > limits::kMaxExprDepth)
      too_deep(e->loc);
    return e;
  }
  // Parentheses add a level without a node of their own: the same node, one level deeper.
  AstPtr parenthesized(const AstPtr& inner, Loc open) const {
    auto e = std::make_shared<AstExpr>(*inner);
    e->depth = inner->depth + 1;
    if (e->depth > limits::kMaxExprDepth)
      too_deep(open);
    return e;
  }
  // Counts operands of a call, an index list, a list or a shape as they are parsed.
  void count_operand(size_t n, Loc loc, const std::string& what) const {
    if (n > static_cast<size_t>(limits::kMaxCallOperands))
      error(loc, "more than " + std::to_string(limits::kMaxCallOperands) + " operands in " + what,
            "split it into several statements (limits in docs/reliability.md)");
  }

  static std::shared_ptr<AstExpr> node(AstExpr::Kind k, Loc loc, std::string text = "") {
    auto e = std::make_shared<AstExpr>();
    e->kind = k;
    e->loc = loc;
    e->text = std::move(text);
    return e;
  }

  // ---- statements ----
  AstStmt parse_stmt(bool in_spec) {
    const Token& t = peek();
    if (t.kind != Tok::Ident)
      error(t.loc, "expected a statement, found " + describe(t),
            "statements are `where`, `input`, `inout`, `output`, or `name = expression`");
    AstStmt s;
    s.loc = t.loc;
    if (!in_spec && t.text == "where" && peek(1).kind == Tok::Ident) {
      take();
      s.kind = AstStmt::Kind::Where;
      do {
        const Token& n = expect(Tok::Ident, "a dimension name");
        std::optional<int64_t> size;
        if (accept(Tok::Assign)) {
          const Token& v = peek();
          if (v.kind != Tok::Number || v.text.find_first_of(".eE") != std::string::npos)
            error(v.loc,
                  "expected an integer size for dimension '" + n.text + "', found " + describe(v));
          errno = 0;
          long long val = std::strtoll(v.text.c_str(), nullptr, 10);
          if (errno == ERANGE || val < 1 || val > (int64_t(1) << 40))
            error(v.loc, "dimension '" + n.text + "' = " + v.text + " is out of range",
                  "sizes are integers from 1 to 2^40");
          take();
          size = val;
        }
        s.dims.push_back({n.text, size});
        s.dim_locs.push_back(n.loc);
      } while (accept(Tok::Comma));
      return s;
    }
    if (!in_spec && (t.text == "input" || t.text == "inout")) {
      take();
      s.kind = t.text == "input" ? AstStmt::Kind::Input : AstStmt::Kind::Inout;
      const Token& n = expect(Tok::Ident, "the tensor's name after '" + t.text + "'");
      s.name = n.text;
      s.name_loc = n.loc;
      expect(Tok::Colon, "':' and a type, as in `" + t.text + " x: f32[M, K]`");
      s.type = parse_type(/*dtype_required=*/true);
      return s;
    }
    s.kind = AstStmt::Kind::Assign;
    if (!in_spec && t.text == "output" && peek(1).kind == Tok::Ident) {
      take();
      s.is_output = true;
    }
    const Token& n = expect(Tok::Ident, "the name of the tensor being defined");
    s.name = n.text;
    s.name_loc = n.loc;
    if (accept(Tok::LBracket)) {
      std::vector<AstIndexVar> vars;
      if (!at(Tok::RBracket)) {
        do {
          count_operand(vars.size() + 1, peek().loc, "the index variables of '" + s.name + "'");
          AstIndexVar v;
          v.loc = peek().loc;
          if (accept(Tok::Ellipsis)) {
            v.name = "...";
          } else {
            v.name = expect(Tok::Ident, "an index variable").text;
            if (accept(Tok::Colon))
              v.extent = parse_expr();
          }
          vars.push_back(std::move(v));
        } while (accept(Tok::Comma));
      }
      expect(Tok::RBracket, "']' after the index variables");
      s.index_vars = std::move(vars);
    }
    if (accept(Tok::Colon))
      s.type = parse_type(/*dtype_required=*/true);
    if (accept(Tok::PlusAssign)) {
      s.accumulate = true;
    } else if (!accept(Tok::Assign)) {
      error(here(), "expected '=' or '+=' after '" + s.name + "', found " + describe(peek()),
            "define a tensor with `name = expression` or `name[i, j] = expression`");
    }
    if (at(Tok::Newline) || at(Tok::End))
      error(here(), "expected an expression after '='");
    s.rhs = parse_expr();
    return s;
  }

  AstType parse_type(bool dtype_required) {
    AstType ty;
    ty.loc = peek().loc;
    if (at(Tok::Ident)) {
      ty.dtype_loc = peek().loc;
      ty.dtype = take().text;
    } else if (dtype_required) {
      error(peek().loc, "expected a type such as f32[M, K], found " + describe(peek()));
    }
    expect(Tok::LBracket, "'[' and the shape after the dtype (use [] for a scalar)");
    if (!at(Tok::RBracket)) {
      do {
        count_operand(ty.shape.size() + 1, peek().loc, "a shape");
        if (at(Tok::Ellipsis))
          ty.shape.push_back(node(AstExpr::Kind::Ellipsis, take().loc, "..."));
        else
          ty.shape.push_back(parse_expr());
      } while (accept(Tok::Comma));
    }
    expect(Tok::RBracket, "']' to close the shape");
    return ty;
  }

  AstSpecOp parse_spec_op() {
    AstSpecOp op;
    op.loc = take().loc; // 'op'
    op.name = expect(Tok::Ident, "the op's name").text;
    expect(Tok::LParen, "'(' and the op's parameters");
    if (!at(Tok::RParen) && !at(Tok::Semicolon)) {
      do {
        AstSpecParam p;
        p.loc = peek().loc;
        p.name = expect(Tok::Ident, "a parameter name").text;
        expect(Tok::Colon, "':' and a shape pattern such as [..., N]");
        p.pattern = parse_type(false);
        op.params.push_back(std::move(p));
      } while (accept(Tok::Comma));
    }
    if (accept(Tok::Semicolon)) {
      do {
        AstSpecAttr a;
        a.loc = peek().loc;
        a.name = expect(Tok::Ident, "an attribute name").text;
        if (accept(Tok::Assign))
          a.default_value = parse_expr();
        op.attrs.push_back(std::move(a));
      } while (accept(Tok::Comma));
    }
    expect(Tok::RParen, "')' after the parameters");
    expect(Tok::Arrow, "'->' and the result's shape pattern");
    op.result = parse_type(false);
    if (at_ident("when")) {
      take();
      do {
        std::string key = expect(Tok::Ident, "an attribute name").text;
        expect(Tok::Assign, "'='");
        std::string val = expect(Tok::String, "a string value").text;
        op.when.push_back({key, val});
      } while (accept(Tok::Comma));
    }
    expect(Tok::LBrace, "'{' to open the op's body");
    skip_newlines();
    while (!at(Tok::RBrace)) {
      if (at(Tok::End))
        error(peek().loc, "unterminated op body: expected '}'");
      op.body.push_back(parse_stmt(/*in_spec=*/true));
      if (at(Tok::RBrace))
        break;
      end_of_stmt();
    }
    take(); // '}'
    if (!at(Tok::End))
      end_of_stmt();
    return op;
  }

  static std::string doc_above(const std::vector<std::pair<int, std::string>>& comments, int line) {
    std::vector<std::string> lines;
    int want = line - 1;
    for (auto it = comments.rbegin(); it != comments.rend(); ++it) {
      if (it->first > want)
        continue;
      if (it->first < want)
        break;
      std::string c = it->second;
      if (!c.empty() && c[0] == ' ')
        c.erase(0, 1);
      lines.push_back(c);
      --want;
    }
    std::reverse(lines.begin(), lines.end());
    std::string out;
    for (auto& l : lines)
      out += (out.empty() ? "" : " ") + l;
    return out;
  }

  // ---- expressions ----
  AstPtr parse_expr() {
    DepthGuard g(*this, peek().loc);
    return parse_or();
  }
  AstPtr binary(const Token& op, AstPtr a, AstPtr b) {
    auto e = node(AstExpr::Kind::Binary, op.loc, op.text);
    e->args = {std::move(a), std::move(b)};
    return finish(e);
  }
  AstPtr parse_or() {
    AstPtr a = parse_and();
    while (at(Tok::OrOr)) {
      const Token& op = take();
      a = binary(op, a, parse_and());
    }
    return a;
  }
  AstPtr parse_and() {
    AstPtr a = parse_cmp();
    while (at(Tok::AndAnd)) {
      const Token& op = take();
      a = binary(op, a, parse_cmp());
    }
    return a;
  }
  static bool is_cmp(Tok t) {
    return t == Tok::Lt || t == Tok::Le || t == Tok::Gt || t == Tok::Ge || t == Tok::EqEq ||
           t == Tok::Ne;
  }
  AstPtr parse_cmp() {
    AstPtr a = parse_add();
    if (is_cmp(peek().kind)) {
      const Token& op = take();
      a = binary(op, a, parse_add());
      if (is_cmp(peek().kind))
        error(peek().loc, "comparisons do not chain", "write (a < b) && (b < c)");
    }
    return a;
  }
  AstPtr parse_add() {
    AstPtr a = parse_mul();
    while (at(Tok::Plus) || at(Tok::Minus)) {
      const Token& op = take();
      a = binary(op, a, parse_mul());
    }
    return a;
  }
  AstPtr parse_mul() {
    AstPtr a = parse_unary();
    while (at(Tok::Star) || at(Tok::Slash) || at(Tok::Percent)) {
      const Token& op = take();
      a = binary(op, a, parse_unary());
    }
    return a;
  }
  AstPtr parse_unary() {
    if (at(Tok::Minus) || at(Tok::Bang)) {
      const Token& op = take();
      DepthGuard g(*this, op.loc);
      auto e = node(AstExpr::Kind::Unary, op.loc, op.text);
      e->args = {parse_unary()};
      return finish(e);
    }
    AstPtr base = parse_primary();
    if (at(Tok::Pow)) {
      const Token& op = take();
      DepthGuard g(*this, op.loc);
      AstPtr rhs = parse_unary();
      return binary(op, base, rhs);
    }
    return base;
  }
  // Tokens that can start an operand: after `sum(k)` they begin the reduction's body.
  bool starts_operand() const {
    Tok t = peek().kind;
    return t == Tok::Ident || t == Tok::Number || t == Tok::LParen || t == Tok::Bang;
  }
  AstPtr parse_primary() {
    const Token& t = peek();
    switch (t.kind) {
    case Tok::Number:
      take();
      return node(AstExpr::Kind::Number, t.loc, t.text);
    case Tok::String:
      take();
      return node(AstExpr::Kind::String, t.loc, t.text);
    case Tok::LParen: {
      take();
      AstPtr e = parse_expr();
      expect(Tok::RParen, "')'");
      return parenthesized(e, t.loc);
    }
    case Tok::LBracket: {
      take();
      auto e = node(AstExpr::Kind::List, t.loc);
      if (!at(Tok::RBracket)) {
        do {
          count_operand(e->args.size() + 1, peek().loc, "a list");
          e->args.push_back(parse_expr());
        } while (accept(Tok::Comma));
      }
      expect(Tok::RBracket, "']' to close the list");
      return finish(e);
    }
    case Tok::Ident:
      break;
    default:
      error(here(), "expected an expression, found " + describe(t));
    }
    take();
    // Reduction: sum(k) body, sum(k: N) body, max(k) body, min(k) body.
    if ((t.text == "sum" || t.text == "max" || t.text == "min") && at(Tok::LParen) &&
        peek(1).kind == Tok::Ident &&
        (peek(2).kind == Tok::Colon || (peek(2).kind == Tok::RParen && is_reduction_body(3)))) {
      take(); // (
      auto e = node(AstExpr::Kind::Reduce, t.loc, t.text);
      e->var = take().text;
      if (accept(Tok::Colon))
        e->extent = parse_expr();
      expect(Tok::RParen, "')' after the reduction variable");
      if (!starts_operand())
        error(here(),
              "expected the body of the reduction '" + t.text + "(" + e->var + ")', found " +
                  describe(peek()),
              "write `" + t.text + "(" + e->var + ") body`; the body extends to the right");
      e->args = {parse_expr()};
      return finish(e);
    }
    if (at(Tok::LBracket)) {
      take();
      auto e = node(AstExpr::Kind::Index, t.loc, t.text);
      if (!at(Tok::RBracket)) {
        do {
          count_operand(e->args.size() + 1, peek().loc, "the index list of '" + t.text + "'");
          if (at(Tok::Ellipsis))
            e->args.push_back(node(AstExpr::Kind::Ellipsis, take().loc, "..."));
          else
            e->args.push_back(parse_expr());
        } while (accept(Tok::Comma));
      }
      expect(Tok::RBracket, "']' to close the index list of '" + t.text + "'");
      return finish(e);
    }
    if (at(Tok::LParen)) {
      take();
      auto e = node(AstExpr::Kind::Call, t.loc, t.text);
      if (!at(Tok::RParen)) {
        do {
          count_operand(e->args.size() + e->kwargs.size() + 1, peek().loc,
                        "the call of '" + t.text + "'");
          if (at(Tok::Ident) && peek(1).kind == Tok::Assign) {
            std::string key = take().text;
            take();
            for (auto& kv : e->kwargs)
              if (kv.first == key)
                error(peek().loc, "keyword argument '" + key + "' given twice");
            e->kwargs.push_back({key, parse_expr()});
          } else {
            if (!e->kwargs.empty())
              error(peek().loc,
                    "positional argument after a keyword argument in '" + t.text + "(...)'");
            e->args.push_back(parse_expr());
          }
        } while (accept(Tok::Comma));
      }
      expect(Tok::RParen, "')' to close the call of '" + t.text + "'");
      return finish(e);
    }
    return node(AstExpr::Kind::Name, t.loc, t.text);
  }
  // `sum(x)` followed by an operand starts a reduction over variable x; followed by anything
  // else (an operator, ')', end of line) it is a call of sum on tensor x.
  bool is_reduction_body(size_t k) const {
    Tok t = peek(k).kind;
    return t == Tok::Ident || t == Tok::Number || t == Tok::LParen || t == Tok::Bang;
  }

  SourceRef src_;
  std::vector<Token> toks_;
  size_t pos_ = 0;
  int depth_ = 0;
};

} // namespace

AstFile parse_tp(const SourceRef& src) {
  Lexer lx(*src);
  auto toks = lx.run(nullptr);
  return Parser(src, std::move(toks)).parse_file();
}

AstSpecFile parse_spec_file(const SourceRef& src) {
  std::vector<std::pair<int, std::string>> comments;
  Lexer lx(*src);
  auto toks = lx.run(&comments);
  return Parser(src, std::move(toks)).parse_specs(comments);
}

std::string to_string(const AstExpr& e) {
  switch (e.kind) {
  case AstExpr::Kind::Number:
    return e.text;
  case AstExpr::Kind::String:
    return "\"" + e.text + "\"";
  case AstExpr::Kind::Name:
    return e.text;
  case AstExpr::Kind::Ellipsis:
    return "...";
  case AstExpr::Kind::Index:
  case AstExpr::Kind::Call:
  case AstExpr::Kind::List: {
    std::string out =
        e.kind == AstExpr::Kind::List ? "[" : e.text + (e.kind == AstExpr::Kind::Index ? "[" : "(");
    bool first = true;
    for (auto& a : e.args) {
      out += (first ? "" : ", ") + to_string(*a);
      first = false;
    }
    for (auto& kv : e.kwargs) {
      out += (first ? "" : ", ") + kv.first + "=" + to_string(*kv.second);
      first = false;
    }
    return out + (e.kind == AstExpr::Kind::Call ? ")" : "]");
  }
  case AstExpr::Kind::Unary:
    return "(" + e.text + to_string(*e.args[0]) + ")";
  case AstExpr::Kind::Binary:
    return "(" + to_string(*e.args[0]) + " " + e.text + " " + to_string(*e.args[1]) + ")";
  case AstExpr::Kind::Reduce:
    return "(" + e.text + "(" + e.var + (e.extent ? ": " + to_string(*e.extent) : "") + ") " +
           to_string(*e.args[0]) + ")";
  }
  return "?";
}

} // namespace axon
