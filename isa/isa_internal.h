// Helpers shared by the loader (load_isa.cpp), the semantics instantiation (semantics.cpp) and
// the cost binding (cost.cpp). Not part of the isa/ interface.
#pragma once

#include <cstddef>
#include <string>

#include "ir/error.h"
#include "isa/isa.h"

namespace axon {

// [A-Za-z_][A-Za-z0-9_]*: names that appear in cost formulas and in .tp text.
bool is_identifier(const std::string& s);

// "" when every `$i` in an enum value template has i < arity (and the template has no nested
// `@` placeholder); else what is wrong.
std::string check_template_args(const std::string& templ, int arity);
// "" when every `{name}` in an emit template names an operand or parameter; else what is wrong.
std::string check_emit_template(const std::string& templ, const Instruction& instr);

// A semantics problem located at statement `stmt` (SIZE_MAX: not tied to one statement).
class SemanticsError : public UserError {
public:
  SemanticsError(size_t s, const std::string& msg) : UserError(msg), stmt(s) {}
  size_t stmt;
};

// Builds and parses the instantiation `choice`, and checks that every present out operand is
// written exactly once; throws SemanticsError.
void validate_semantics(const Instruction& instr, const ParamChoice& choice);

// The cost of a use in ns as its formula gives it, NaN and negative numbers included (the loader
// checks them; instruction_cost_ns() refuses them). UserError for a missing variable.
double unchecked_cost_ns(const Isa& isa, const Instruction& instr, const InstrUse& use);

} // namespace axon
