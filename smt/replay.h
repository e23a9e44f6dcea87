// Concrete evidence for refutations: run both programs in float64 through the reference
// interpreter (ir/interp.h) at given sizes on given inputs and report the first output element
// that differs. A counterexample is only ever reported after such a replay confirmed it. Also
// the small size assignments and random inputs that bounded queries and numeric trials use.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ir/interp.h"

namespace axon::smt {

struct Counterexample {
  std::map<std::string, int64_t> dims;
  TensorMap inputs;
  std::string output;
  std::vector<int64_t> index; // first differing element (empty when a program failed)
  double a_value = 0, b_value = 0;
  std::string found_by; // "bounded smt (z3)", "random trial (seed 3)"
  std::string note;     // e.g. the interpreter error of the program that failed
};

// nullopt when both programs agree (|a - b| <= 1e-9 + 1e-7 |a| everywhere, NaN = NaN) or when
// both fail; a counterexample when an output differs or exactly one program fails.
std::optional<Counterexample> replay(const IndexProgram& a, const IndexProgram& b,
                                     const std::map<std::string, int64_t>& dims,
                                     const TensorMap& inputs);

// Assignments of every dim of a and b to small values (1..6), that satisfy the assumptions that
// only mention dims: the smallest first, then spread up to the largest; at most max_count.
std::vector<std::map<std::string, int64_t>>
small_dim_assignments(const IndexProgram& a, const IndexProgram& b,
                      const std::vector<Expr>& assumptions, size_t max_count);

// Assignments at larger sizes (up to 17: primes 7, 11, 13, 17 and 8, 9, 12, 16, all dims alike,
// one dim large, distinct primes), dims that an assumption `d == e` defines computed from the
// others, filtered by the dim-only assumptions, and only those whose interpretation costs at most
// max_work body evaluations (interpretation_work); at most max_count.
std::vector<std::map<std::string, int64_t>>
large_dim_assignments(const IndexProgram& a, const IndexProgram& b,
                      const std::vector<Expr>& assumptions, size_t max_count, double max_work);

// Estimated body evaluations of interpreting both programs at these dims (inf when unknown).
double interpretation_work(const IndexProgram& a, const IndexProgram& b,
                           const std::map<std::string, int64_t>& dims);

// Every element one of 0, +-1, +-2, +-0.5, +-3 (0 twice as often), deterministic in the seed:
// differences at exactly 0, at +-1 or between signs that uniform random values never hit.
TensorMap special_tensor_inputs(const std::map<std::string, std::vector<int64_t>>& shapes,
                                uint64_t seed);

// Concrete shapes of every input of a and b at these dims.
std::map<std::string, std::vector<int64_t>>
input_shapes(const IndexProgram& a, const IndexProgram& b,
             const std::map<std::string, int64_t>& dims);

// Uniform values in [-2, 2] for every input of a and b, deterministic in the seed.
TensorMap random_tensor_inputs(const std::map<std::string, std::vector<int64_t>>& shapes,
                               uint64_t seed);

// Value of an assumption at concrete dims and inputs (rank-0 inputs and element reads); nullopt
// when it reads something absent.
std::optional<bool> eval_assumption(const Expr& e, const std::map<std::string, int64_t>& dims,
                                    const TensorMap& inputs);

std::string format_counterexample(const Counterexample& c);

} // namespace axon::smt
