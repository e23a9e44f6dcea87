// The reference interpreter: evaluates an IndexProgram on concrete inputs. Every generated kernel
// is checked against it. Modes: F64 (the reference), F32 (every operation rounded to float) and
// Storage (values rounded to each tensor's dtype when stored, arithmetic in float).
#pragma once

#include <chrono>
#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

#include "ir/index_program.h"

namespace axon {

struct TensorValue {
  std::vector<int64_t> shape;
  std::vector<double> data; // row-major
  size_t numel() const { return data.size(); }
  double& at(const std::vector<int64_t>& idx);
  double at(const std::vector<int64_t>& idx) const;
};
using TensorMap = std::map<std::string, TensorValue>;

enum class EvalMode { F64, F32, Storage };

// A deadline for interpretation on this thread: past it, interpret() and interpret_points() throw
// InterpreterStopped. Stages with a time limit (rewrite discovery, instruction selection) set it
// around work that interprets programs (the numerical trials of proofs, numerics checks), so one
// large trial cannot run past the limit (docs/reliability.md).
class InterpreterStopped : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};
class ScopedInterpreterDeadline {
public:
  explicit ScopedInterpreterDeadline(std::chrono::steady_clock::time_point deadline);
  ~ScopedInterpreterDeadline();
  ScopedInterpreterDeadline(const ScopedInterpreterDeadline&) = delete;
  ScopedInterpreterDeadline& operator=(const ScopedInterpreterDeadline&) = delete;

private:
  std::chrono::steady_clock::time_point saved_;
};

// Returns every tensor written (outputs and temporaries). Inputs must be given with their
// concrete shapes; a missing input, a wrong shape, an unbound dim or an out-of-range access
// (outside a select branch not taken) is a UserError naming the tensor and the statement.
TensorMap interpret(const IndexProgram& p, const TensorMap& inputs, EvalMode mode = EvalMode::F64);

// Demand-driven evaluation of selected output elements: each requested index of each named
// tensor is computed, with elements of temporaries computed on first read and memoized (and, in
// the F32 and Storage modes, rounded as `interpret` rounds every element it stores). Checks a
// full-size kernel without interpreting the whole program.
std::map<std::string, std::vector<double>>
interpret_points(const IndexProgram& p, const TensorMap& inputs,
                 const std::map<std::string, std::vector<std::vector<int64_t>>>& points,
                 EvalMode mode = EvalMode::F64);

// Random inputs: uniform in [-scale, scale], bool tensors 0/1, deterministic for a seed.
TensorMap random_inputs(const IndexProgram& p, uint64_t seed, double scale = 1.0);
// The same values in `m`, reusing the memory of its tensors of the same names (a search checks
// dozens of candidates on fresh inputs of the same shapes; new memory is page faults).
void random_inputs_into(const IndexProgram& p, uint64_t seed, TensorMap& m, double scale = 1.0);

// max |a - b| / (atol + rtol * |b|) over elements; > 1 means out of tolerance. Shapes must agree.
double max_scaled_error(const TensorValue& a, const TensorValue& b, double atol, double rtol);

} // namespace axon
