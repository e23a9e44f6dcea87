// Backend conformance: every backend's own candidates compute what the reference interpreter
// computes. For each program (elementwise, a matrix product with ragged dims, a reduction under
// an epilogue, fused multi-statement programs), random legal candidates are drawn from the
// backend's schedule space (Backend::sample, seeded; the CPU's include fused, threaded, streamed
// and prefetched ones), compiled, run on random inputs and compared with the interpreter
// (check_artifact, in a child process). Parameterised over the backends: the registry's and the
// fake one of tests/search/fake_backend.h, so that a new backend runs it as it is.
#include <gtest/gtest.h>

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "emit/cpu/cpu_jit.h"
#include "emit/cpu/schedule_plan.h"
#include "emit/registry.h"
#include "ir/frontend.h"
#include "isa/isa.h"
#include "search/search.h"
#include "tests/search/fake_backend.h"

namespace axon {
namespace {

struct ConformanceProgram {
  std::string name;
  IndexProgram program;
};

IndexProgram from_text(const std::string& text) {
  return load_index_program(source_from_string(text));
}

IndexProgram from_file(const std::string& path, std::map<std::string, int64_t> dims) {
  return load_index_program(read_source(path)).with_dims(dims);
}

std::vector<ConformanceProgram> programs() {
  return {
      {"elementwise", from_text("where M = 7, N = 13\ninput x: f32[M, N]\ninput z: f32[M, N]\n"
                                "output y[m, n] = exp(x[m, n]) * 0.5 + z[m, n]\n")},
      {"matmul (ragged)", from_text("where M = 13, K = 19, N = 21\ninput a: f32[M, K]\n"
                                    "input b: f32[K, N]\noutput c = matmul(a, b)\n")},
      {"reduction with an epilogue",
       from_text("where M = 9, K = 37, N = 18\ninput a: f32[M, K]\ninput b: f32[K, N]\n"
                 "input r: f32[M]\noutput c[m, n] = (sum(k) a[m, k] * b[k, n]) * r[m]\n")},
      {"softmax (fused)", from_file("experiments/suites/ops/softmax.tp", {{"M", 6}, {"N", 35}})},
      {"rmsnorm_matmul (fused)", from_file("experiments/suites/nkibench/rmsnorm_matmul.tp",
                                           {{"M", 10}, {"K", 24}, {"N", 17}})},
  };
}

// A backend under test, by its name.
struct BackendCase {
  std::string name;
  std::function<std::unique_ptr<Backend>()> make;
};

// The target each registered backend is tested on (a backend registered without one here fails
// TargetForEveryRegisteredBackend), plus the fake backend.
std::map<std::string, std::string> conformance_targets() {
  return {{"llvm", host_has("avx512f") ? "targets/avx512.json" : "targets/avx2.json"},
          {"sim", "targets/npu.json"}};
}

std::vector<BackendCase> backends() {
  std::vector<BackendCase> out;
  for (auto& [name, target] : conformance_targets())
    out.push_back({name, [target] { return backend_for(load_isa(target)); }});
  out.push_back({"fake", [] { return std::make_unique<fake::ChunkBackend>(); }});
  return out;
}

TEST(BackendConformanceTargets, TargetForEveryRegisteredBackend) {
  for (const std::string& name : registered_backends()) {
    auto t = conformance_targets();
    ASSERT_TRUE(t.count(name)) << "backend " << name << " has no target in this test";
    EXPECT_EQ(backend_for(load_isa(t.at(name)))->name(), name);
  }
}

class BackendConformance : public ::testing::TestWithParam<BackendCase> {};

TEST_P(BackendConformance, RandomCandidatesAgreeWithTheInterpreter) {
  std::unique_ptr<Backend> b = GetParam().make();
  for (auto& [name, p] : programs()) {
    ASSERT_EQ(b->unsupported(p), "") << name;
    std::vector<Plan> cands = b->sample(p, 17, 20);
    ASSERT_EQ(cands.size(), 20u) << name;
    // A candidate the backend refuses to compile is what the search records as a compile error,
    // not a miscompile; a few are tolerated (the CPU lowering refuses streaming stores on a
    // ragged vector loop that the schedule's legality check lets through), most must compile.
    size_t refused = 0;
    for (size_t c = 0; c < cands.size(); ++c) {
      const Plan& plan = cands[c];
      ASSERT_EQ(b->legality(p, plan), "") << name << "\n" << b->plan_text(p, plan);
      std::unique_ptr<Artifact> art;
      try {
        art = b->compile(p, plan);
      } catch (const std::exception& e) {
        ++refused;
        continue;
      }
      std::string detail;
      double err = check_artifact(*art, p, 100 + c, 48, 1e-3, 60, &detail);
      EXPECT_LE(err, 1.0) << GetParam().name << ", " << name << ", candidate " << c << ": "
                          << detail << "\n"
                          << b->plan_text(p, plan);
    }
    EXPECT_LE(refused, cands.size() / 4) << name << ": candidates refused by the compiler";
  }
}

INSTANTIATE_TEST_SUITE_P(Backends, BackendConformance, ::testing::ValuesIn(backends()),
                         [](const auto& info) { return info.param.name; });

// The CPU backend's samples include what its refinements and fusion make.
TEST(CpuSample, IncludesFusedThreadedStreamedAndPrefetchedCandidates) {
  std::unique_ptr<Backend> b = backend_for(load_isa(conformance_targets().at("llvm")));
  IndexProgram p = programs()[3].program; // softmax: four statements
  size_t fused = 0, threaded = 0, streamed = 0, prefetching = 0;
  for (const Plan& plan : b->sample(p, 17, 40))
    for (auto& ss : schedule_of(plan).stmts) {
      fused += ss.fuse_prev;
      threaded += ss.threads > 1;
      streamed += ss.stream;
      prefetching += !ss.prefetch.empty();
    }
  EXPECT_GE(fused, 5u);
  EXPECT_GE(streamed, 1u);
  EXPECT_GE(prefetching, 1u);
  if (std::thread::hardware_concurrency() > 1) {
    EXPECT_GE(threaded, 1u);
  }
}

} // namespace
} // namespace axon
