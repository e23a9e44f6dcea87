// Helpers the normal form's files share (normal_form.cpp, normal_form_subst.cpp,
// normal_form_reduce.cpp, normalize.cpp); not part of the smt/ interface.
#pragma once

#include <string>
#include <vector>

#include "smt/normal_form.h"

namespace axon::smt {

// A variable name no other call returns: prefix + a counter.
std::string fresh_name(const char* prefix);
// Finishes a node: computes key, erased key, free variables and height from its fields.
N finish(NNode n);
// Multiplies factor lists (both sorted); exponents of invertible atoms may cancel to zero.
std::vector<Factor> mul_factors(const std::vector<Factor>& a, const std::vector<Factor>& b);
// The polynomial atom^exp.
N atom_poly(const N& atom, int exp = 1);
// An atom node of kind k (not a polynomial).
N mk_atom(NKind k, Sort s, std::vector<N> args, std::string name = "");
// p^e for e >= 0, multiplied out.
N pow_poly(const N& p, int e);
// The value of one factor as a polynomial (only invertible atoms have negative exponents).
N factor_poly(const Factor& f);

} // namespace axon::smt
