// Helpers the emit tests share: the host's CPU target, programs shrunk to small dims, and running
// a lowered kernel (JIT) against the reference interpreter.
#pragma once

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <string>

#include "emit/cpu/cpu_jit.h"
#include "emit/cpu/schedule.h"
#include "ir/frontend.h"
#include "ir/interp.h"
#include "isa/isa.h"
#include "search/search.h" // storage_tolerance

namespace axon {

inline const Isa& target_isa(const std::string& name) {
  static std::map<std::string, Isa> loaded;
  auto it = loaded.find(name);
  if (it == loaded.end())
    it = loaded.emplace(name, load_isa("targets/" + name + ".json"))
             .first; // ctest runs in the source dir
  return it->second;
}
inline CpuTarget host_target() {
  return cpu_target(target_isa(host_has("avx512f") ? "avx512" : "avx2"));
}

// Max scaled error of every output vs the f64 interpreter; f32 tolerance scaled by magnitude.
inline void expect_matches_reference(const IndexProgram& p, const Schedule& s,
                                     const std::string& what, uint64_t seed = 1) {
  std::string why = validate_schedule(p, s);
  ASSERT_EQ(why, "") << what;
  auto k = jit_compile(p, s, host_target());
  TensorMap in = random_inputs(p, seed);
  TensorMap ref = interpret(p, in);
  TensorMap got = run_on_tensors(*k, p, in);
  double tol = std::max(1e-4, storage_tolerance(p));
  for (auto* t : p.outputs()) {
    double err = max_scaled_error(got.at(t->name), ref.at(t->name), tol, tol);
    EXPECT_LE(err, 1.0) << what << ": output " << t->name << "\nschedule:\n" << to_string(s, p);
  }
}

// The program at `path` with every dim at most `size`.
inline IndexProgram small(const std::string& path, int64_t size) {
  IndexProgram p = load_index_program(read_source(path));
  std::map<std::string, int64_t> d;
  for (auto& [k, v] : p.dims())
    d[k] = std::min<int64_t>(v.value_or(size), size);
  return p.with_dims(d);
}

} // namespace axon
