// Helpers of the rewrite discovery tests: load a suite kernel at small sizes, run discovery, and
// check a found variant (its derivation replays and re-proves; the interpreter agrees with the
// input program at random inputs).
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <string>

#include "ir/frontend.h"
#include "ir/interp.h"
#include "synth/discover.h"
#include "synth/expr_edit.h"
#include "synth/replay_derivation.h"

namespace axon::synth::test {

inline IndexProgram load_small(const std::string& path, std::map<std::string, int64_t> dims) {
  FrontendOptions f;
  f.dim_overrides = std::move(dims);
  return load_index_program(read_source(path), f);
}

inline DiscoveryReport discover(const IndexProgram& p,
                                std::function<bool(const IndexProgram&)> goal = nullptr,
                                size_t variants = 2000, double seconds = 20) {
  auto r = RewriteRunner().with_variant_limit(variants).with_time_limit(seconds);
  if (goal)
    r.with_stop_when(std::move(goal));
  return r.run(p);
}

// The first variant satisfying `pred`, or nullptr.
inline const Variant* find_variant(const DiscoveryReport& r,
                                   const std::function<bool(const IndexProgram&)>& pred) {
  for (auto& v : r.variants)
    if (pred(v.state.program))
      return &v;
  return nullptr;
}

// The derivation replays with every step re-proven (no cache), and the variant computes what the
// input program computes at random inputs (float64 interpreter).
inline void expect_checked(const IndexProgram& original, const Variant& v) {
  smt::ProveOptions fresh;
  fresh.use_cache = false;
  EXPECT_EQ(replay_derivation(original, v, fresh), "") << "variant " << v.id;
  for (uint64_t seed : {1u, 2u}) {
    TensorMap in = random_inputs(original, seed);
    TensorMap a = interpret(original, in), b = interpret(v.state.program, in);
    for (auto* o : original.outputs())
      EXPECT_LT(max_scaled_error(b.at(o->name), a.at(o->name), 1e-9, 1e-9), 1.0)
          << "variant " << v.id << " output " << o->name;
  }
}

inline bool contains(const Expr& e, const std::function<bool(const Expr&)>& pred) {
  if (pred(e))
    return true;
  for (auto& a : e->args())
    if (contains(a, pred))
      return true;
  return false;
}

inline bool reads(const Expr& e, const std::string& t) {
  auto r = tensors_read(e);
  return std::find(r.begin(), r.end(), t) != r.end();
}

inline const IndexStmt* writer(const IndexProgram& p, const std::string& t) {
  for (auto& s : p.stmts())
    if (s.out == t)
      return &s;
  return nullptr;
}

} // namespace axon::synth::test
