// SMT-LIB2 printing of SmtQuery. Literals carry their sort so that Int and Real never mix
// (cvc5 is strict about it).
#include "smt/smt_query.h"

namespace axon::smt {

SExpr s_sym(std::string name) {
  SExpr e;
  e.kind = SExpr::Kind::Sym;
  e.sym = std::move(name);
  return e;
}
SExpr s_int(Rational v) {
  SExpr e;
  e.kind = SExpr::Kind::IntLit;
  e.val = v;
  return e;
}
SExpr s_real(Rational v) {
  SExpr e;
  e.kind = SExpr::Kind::RealLit;
  e.val = v;
  return e;
}
SExpr s_app(std::string head, std::vector<SExpr> args) {
  SExpr e;
  e.kind = SExpr::Kind::List;
  e.sym = std::move(head);
  e.args = std::move(args);
  return e;
}

static void print(const SExpr& e, std::string& out) {
  switch (e.kind) {
  case SExpr::Kind::Sym:
    out += e.sym;
    return;
  case SExpr::Kind::IntLit: {
    int64_t n = e.val.num();
    if (n < 0)
      out += "(- " + std::to_string(-n) + ")";
    else
      out += std::to_string(n);
    return;
  }
  case SExpr::Kind::RealLit: {
    int64_t n = e.val.num(), d = e.val.den();
    std::string a = std::to_string(n < 0 ? -n : n) + ".0";
    std::string s = d == 1 ? a : "(/ " + a + " " + std::to_string(d) + ".0)";
    out += n < 0 ? "(- " + s + ")" : s;
    return;
  }
  case SExpr::Kind::List:
    out += "(" + e.sym;
    for (auto& a : e.args) {
      out += ' ';
      print(a, out);
    }
    out += ')';
    return;
  }
}

std::string to_string(const SExpr& e) {
  std::string s;
  print(e, s);
  return s;
}

static const char* sort_text(Sort s) {
  return s == Sort::Int ? "Int" : s == Sort::Real ? "Real" : "Bool";
}

std::string to_smtlib2_body(const SmtQuery& q) {
  std::string out;
  for (auto& d : q.decls) {
    out += "(declare-fun " + d.name + " (";
    for (size_t i = 0; i < d.args.size(); ++i)
      out += (i ? " " : "") + std::string(sort_text(d.args[i]));
    out += ") " + std::string(sort_text(d.result)) + ")\n";
  }
  for (auto& a : q.asserts)
    out += "(assert " + to_string(a) + ")\n";
  return out;
}

std::string to_smtlib2(const SmtQuery& q) {
  std::string out;
  for (auto& c : q.comments)
    out += "; " + c + "\n";
  out += "(set-logic ALL)\n";
  out += to_smtlib2_body(q);
  out += "(check-sat)\n";
  return out;
}

} // namespace axon::smt
