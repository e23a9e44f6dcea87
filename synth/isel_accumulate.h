// The accumulating form of a selected instruction: the parameter choice under which the
// instruction's result operand becomes `out = out_before + (the value it computes under the
// cover's choice)`, so that a backend may split a reduction the instruction performs into chunks
// and add each chunk into the same output (a matmul's contraction in chunks of K <= 128 summed in
// PSUM). Found from the instruction's JSON semantics alone: every other choice of its enums and
// flags whose result statement reads the result operand's old value is a candidate, and a
// candidate is accepted only when smt/ proves the equation for all sizes, indices and operand
// contents (Unknown is never accepted). Nothing here knows a parameter by its name.
#pragma once

#include <cstddef>
#include <optional>
#include <string>

#include "isa/isa.h"
#include "smt/prove.h"

namespace axon::isel {

// Whether `candidate` is an accumulating form of (`instr`, `base`) for the out operand `result`:
// Proven when the candidate's result statement equals result_before + the base's value,
// Refuted when it provably does not (or does not read its old value at all), Unknown otherwise.
smt::Verdict check_accumulating_form(const Isa& isa, size_t instr, const ParamChoice& base,
                                     const ParamChoice& candidate, const std::string& result,
                                     const smt::ProveOptions& opts, std::string* reason = nullptr);

// The proven accumulating form of (`instr`, `base`, `result`): among every choice of the
// instruction's enums and flags other than `base` whose result statement reads the old value,
// those differing from `base` in fewest parameters first, the first that
// check_accumulating_form proves; nullopt when none is proven. Memoized per (ISA hash,
// instruction, base, result) within the process; `proofs` counts the prover calls made.
std::optional<ParamChoice> accumulating_form(const Isa& isa, size_t instr, const ParamChoice& base,
                                             const std::string& result,
                                             const smt::ProveOptions& opts,
                                             size_t* proofs = nullptr);

} // namespace axon::isel
