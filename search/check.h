// The numerical check of a compiled candidate against the reference interpreter.
#pragma once

#include <cstdint>
#include <string>

#include "search/backend.h"

namespace axon {

// The relative tolerance a program's storage dtypes imply on top of f32 arithmetic: 0 when every
// tensor is f32 (or bool), 1e-2 with f16 tensors (11-bit significands, rounded at every store),
// 5e-2 with bf16 tensors (8-bit significands).
double storage_tolerance(const IndexProgram& p);

// Runs an artifact on fresh random inputs (in a child process) and compares sampled outputs with
// the interpreter. Returns the max scaled error (inf if the run failed; detail says why, and
// *timed_out whether it ran past timeout_s). With f16/bf16 tensors, the smaller of the errors
// against the exact (f64) result and against the storage-rounded one (every stored element
// rounded to its dtype, EvalMode::Storage); rtol is raised to storage_tolerance(p) when that is
// larger. `reference` is the program the artifact must agree with (default: p itself);
// `input_buffers`, when given, holds the inputs' memory from one check to the next.
double check_artifact(const Artifact& a, const IndexProgram& p, uint64_t seed, int points,
                      double rtol, double timeout_s, std::string* detail, bool* crashed = nullptr,
                      const IndexProgram* reference = nullptr, TensorMap* input_buffers = nullptr,
                      bool* timed_out = nullptr);

// The check a search gives a plan, for a plan checked outside a search (a cached winner, a
// replay): at each of the backend's check sizes (Backend::check_dims, the plan compiled again at
// each), else at full size on `full`, the artifact compiled for p. Returns the largest error;
// `detail` names the sizes of a failing check.
double check_plan(const Backend& b, const IndexProgram& p, const Plan& plan, const Artifact& full,
                  uint64_t seed, int points, double rtol, double timeout_s, std::string* detail,
                  const IndexProgram* reference = nullptr);

} // namespace axon
