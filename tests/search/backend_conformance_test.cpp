// Backend conformance: every backend's own candidates compute what the reference interpreter
// computes. For each program (elementwise, a matrix product with ragged dims, a reduction under
// an epilogue, fused multi-statement programs), random legal candidates are drawn from the
// backend's schedule space (seeded; fused and threaded ones among them), compiled, run on random
// inputs and compared with the interpreter (check_artifact, in a child process). Parameterised
// over the backends, so that a new backend runs it as it is.
#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "emit/cpu/cpu_backend.h"
#include "emit/cpu/machine_model.h"
#include "ir/frontend.h"
#include "isa/isa.h"
#include "search/enumerate.h"
#include "search/search.h"

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

const Isa& host_isa() {
  static const Isa isa =
      load_isa(host_has("avx512f") ? "targets/avx512.json" : "targets/avx2.json");
  return isa;
}

std::vector<BackendCase> backends() {
  return {{"llvm", [] {
             return std::make_unique<CpuBackend>(cpu_target(host_isa()),
                                                 cpu_machine_model(host_isa()));
           }}};
}

// `count` random legal candidates of the backend's space: per statement one of its enumerated
// schedules, then, for some, every legal fusion and threads.
std::vector<Schedule> draw_candidates(const Backend& b, const IndexProgram& p, uint64_t seed,
                                      size_t count) {
  std::mt19937_64 rng(seed);
  EnumerateOptions eo;
  eo.vector_lanes = b.vector_lanes();
  eo.vector_registers = b.vector_registers();
  std::vector<std::vector<std::pair<double, StmtSchedule>>> space(p.stmts().size());
  for (size_t i = 0; i < p.stmts().size(); ++i)
    for (auto& ss : enumerate_stmt_schedules(p, i, eo))
      space[i].push_back({0.0, ss});
  std::vector<Schedule> out;
  for (size_t n = 0; n < count; ++n) {
    Schedule s;
    for (size_t i = 0; i < p.stmts().size(); ++i)
      s.stmts.push_back(space[i][rng() % space[i].size()].second);
    if (rng() % 2)
      s = fuse_groups(p, s, space, b, false);
    if (b.threads() > 1 && rng() % 2)
      s = with_threads(p, s, b.threads());
    out.push_back(s);
  }
  return out;
}

class BackendConformance : public ::testing::TestWithParam<BackendCase> {};

TEST_P(BackendConformance, RandomCandidatesAgreeWithTheInterpreter) {
  std::unique_ptr<Backend> b = GetParam().make();
  size_t fused = 0;
  for (auto& [name, p] : programs()) {
    ASSERT_EQ(b->unsupported(p), "") << name;
    std::vector<Schedule> cands = draw_candidates(*b, p, 17, 20);
    ASSERT_EQ(cands.size(), 20u) << name;
    for (size_t c = 0; c < cands.size(); ++c) {
      const Schedule& s = cands[c];
      ASSERT_EQ(validate_schedule(p, s), "") << name << "\n" << to_string(s, p);
      for (auto& ss : s.stmts)
        fused += ss.fuse_prev;
      std::unique_ptr<Artifact> art = b->compile(p, s);
      std::string detail;
      double err = check_artifact(*art, p, 100 + c, 48, 1e-3, 60, &detail);
      EXPECT_LE(err, 1.0) << name << ", candidate " << c << ": " << detail << "\n"
                          << to_string(s, p);
    }
  }
  EXPECT_GE(fused, 5u) << "too few fused candidates drawn";
}

INSTANTIATE_TEST_SUITE_P(Backends, BackendConformance, ::testing::ValuesIn(backends()),
                         [](const auto& info) { return info.param.name; });

} // namespace
} // namespace axon
