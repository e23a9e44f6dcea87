// Whole-tile evaluation (sim/tile_eval.h) against the reference interpreter in F32 mode: for every
// instruction of the NPU target and every choice of its parameters, the same bits.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>

#include "ir/frontend.h"
#include "sim/tile_eval.h"
#include "sim_test_util.h"

namespace axon {
namespace {

using namespace simtest;

bool same_bits(double a, double b) {
  if (std::isnan(a) || std::isnan(b))
    return std::isnan(a) && std::isnan(b);
  return std::memcmp(&a, &b, sizeof a) == 0;
}

void expect_same(const IndexProgram& sem, const TensorMap& in, const std::string& what) {
  TensorMap want = interpret(sem, in, EvalMode::F32);
  TensorMap got = eval_tile_semantics(sem, in);
  ASSERT_EQ(got.size(), want.size()) << what;
  for (const auto& [name, w] : want) {
    const TensorValue& g = got.at(name);
    ASSERT_EQ(g.shape, w.shape) << what << " " << name;
    size_t bad = 0;
    for (size_t i = 0; i < w.data.size(); ++i)
      bad += !same_bits(g.data[i], w.data[i]);
    EXPECT_EQ(bad, 0u) << what << ": " << bad << " elements of '" << name << "' differ";
  }
}

TEST(SimTileEval, EveryNpuInstructionMatchesTheInterpreterBitForBit) {
  int checked = 0;
  for (const auto& in : npu().instructions) {
    for (const ParamChoice& choice : all_param_choices(in)) {
      IndexProgram generic = instruction_semantics(in, choice);
      for (int64_t size : {1, 3, 17}) {
        std::map<std::string, int64_t> dims;
        for (const auto& [d, v] : generic.dims()) {
          DimSpec b = in.dim_bounds(d);
          int64_t x = size;
          if (b.max)
            x = std::min(x, *b.max);
          if (b.min)
            x = std::max(x, *b.min);
          dims[d] = x;
        }
        IndexProgram sem = generic.with_dims(dims);
        std::string what = in.name + " size " + std::to_string(size);
        for (const auto& [k, v] : choice)
          what += " " + k + "=" + v;
        for (uint64_t seed : {1u, 2u})
          expect_same(sem, random_inputs(sem, seed, 3.0), what);
        ++checked;
      }
    }
  }
  EXPECT_GT(checked, 50);
}

TEST(SimTileEval, GuardedReadsAndVaryingExtentsGoToTheInterpreter) {
  // A read in a select branch that is out of range where the branch is not taken, and a
  // triangular reduction: both must equal the interpreter (which the tile form defers to).
  IndexProgram p = load_index_program(source_from_string(
      "where N = 6\ninput x: f32[N]\n"
      "output y[i] = select(i > 0, x[i - 1], 0.0) + x[i]\n"
      "output z[i] = (sum(k: i + 1) x[k]) + x[i]\n",
      "guarded.tp"));
  expect_same(p, random_inputs(p, 3), "guarded");
}

} // namespace
} // namespace axon
