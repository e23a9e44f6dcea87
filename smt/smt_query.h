// The solver-independent form of one SMT query: declarations and assertions as S-expressions over
// a fixed vocabulary (SMT-LIB2 core + ints/reals + uninterpreted functions). Both backends consume
// it, and its SMT-LIB2 text is the certificate that the z3 and cvc5 command-line tools re-check.
#pragma once

#include <string>
#include <vector>

#include "ir/expr.h"
#include "smt/rational.h"

namespace axon::smt {

struct SExpr {
  enum class Kind { Sym, IntLit, RealLit, List };
  Kind kind = Kind::Sym;
  std::string sym;         // Sym: the symbol; List: the head symbol
  Rational val;            // IntLit / RealLit
  std::vector<SExpr> args; // List: operands
};

SExpr s_sym(std::string name);
SExpr s_int(Rational v);
SExpr s_real(Rational v);
SExpr s_app(std::string head, std::vector<SExpr> args);
std::string to_string(const SExpr& e);

struct SmtDecl {
  std::string name;
  std::vector<Sort> args;
  Sort result = Sort::Real;
};

struct SmtQuery {
  std::vector<std::string> comments; // printed as `; ...` at the top of the text
  std::vector<SmtDecl> decls;
  std::vector<SExpr> asserts;
  // Constants whose model values a sat answer must report (bounded queries).
  std::vector<std::string> model_symbols;
};

// Full SMT-LIB2 script: set-logic ALL, declarations, assertions, (check-sat).
std::string to_smtlib2(const SmtQuery& q);
// Declarations and assertions only (what Z3's solver.from_string takes).
std::string to_smtlib2_body(const SmtQuery& q);

} // namespace axon::smt
