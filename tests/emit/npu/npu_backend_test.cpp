// The NPU backend (emit/npu/npu_backend.h) through the generic search: found by the registry for
// targets/npu.json, its candidates checked at reduced sizes and timed by the simulator, and the
// anti-gaming checks of issue 22: a winner passes the cost audit, scaling one instruction's cost
// in a copy of the target moves the time, a transposing DMA is priced above the PE-transpose
// route, and a statement the target cannot compute is refused with "no lowering for".
#include "emit/npu/npu_backend.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "emit/npu/space.h"
#include "emit/registry.h"
#include "ir/error.h"
#include "ir/frontend.h"
#include "search/search.h"
#include "sim/audit.h"
#include "sim/program.h"
#include "sim/program_write.h"
#include "sim/timing.h"

namespace axon {
namespace {

namespace fs = std::filesystem;

std::string src(const std::string& rel) { return std::string(AXON_SOURCE_DIR) + "/" + rel; }

const Isa& npu() {
  static const Isa isa = load_isa(src("targets/npu.json"));
  return isa;
}

IndexProgram program(const std::string& rel, const std::map<std::string, int64_t>& dims) {
  return load_index_program(read_source(src(rel))).with_dims(dims);
}

// A copy of npu.json with `edit` applied, loaded.
Isa edited_npu(const std::function<void(nlohmann::json&)>& edit) {
  std::ifstream in(src("targets/npu.json"));
  nlohmann::json j = nlohmann::json::parse(in);
  edit(j);
  fs::path dir = fs::temp_directory_path() / ("axon-npu-backend-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  fs::path f = dir / "npu.json";
  std::ofstream(f) << j.dump(2);
  return load_isa(f.string());
}

SearchResult search(const IndexProgram& p, const Backend& b) {
  SearchOptions o;
  o.measure = 4;
  o.candidate_timeout_s = 120;
  return search_schedules(p, b, o);
}

const CandidateRecord& best(const SearchResult& r) {
  EXPECT_GE(r.best, 0);
  return r.candidates.at(static_cast<size_t>(r.best));
}

TEST(NpuBackend, TheRegistryServesNpuJson) {
  std::unique_ptr<Backend> b = backend_for(npu());
  EXPECT_EQ(b->name(), "sim");
  EXPECT_EQ(b->clock(), BackendClock::Simulated);
  EXPECT_EQ(b->device_report().at("clock"), "simulated");
  EXPECT_EQ(b->artifact_kind(), "npu_program");
}

// An elementwise op with ragged tiles: searched, every candidate checked at reduced sizes (a
// simulated clock: timed once), the winner also at a second size; the winner's program passes
// the cost audit and its text loads back to the same time.
TEST(NpuBackend, SearchesAnElementwiseOpAndTheWinnerPassesTheAudit) {
  IndexProgram p = program("experiments/suites/ops/silu.tp", {{"M", 700}, {"N", 1300}});
  NpuBackend b(npu());
  SearchResult r = search(p, b);
  ASSERT_GE(r.baseline, 0) << r.candidates.front().detail;
  const CandidateRecord& w = best(r);
  ASSERT_EQ(w.status, CandidateStatus::Ok) << w.detail;
  EXPECT_EQ(w.timing.clock, "simulated");
  ASSERT_EQ(w.check_dims.size(), 2u);
  for (auto& c : r.candidates)
    if (c.status == CandidateStatus::Ok) {
      EXPECT_EQ(c.timing.repeats, 1);
      EXPECT_FALSE(c.check_dims.empty());
    }
  auto art = b.compile(p, w.plan);
  auto files = art->files();
  NpuProgram prog = load_npu_program_from_string(files.at("program.json"), b.isa());
  TimingResult t = simulate_timing(prog);
  EXPECT_DOUBLE_EQ(t.report.total_ns, w.timing.median_ns); // re-derived from the written program
  AuditReport a = audit_timing(prog, t, chrome_trace(prog, t));
  EXPECT_TRUE(a.ok()) << format_audit_report(a);
}

// Scaling one instruction's cost formula in a copy of the target: the same plan's simulated time
// and estimate move with it.
TEST(NpuBackend, ScalingOneInstructionsCostMovesTheTime) {
  IndexProgram p = program("experiments/suites/ops/silu.tp", {{"M", 512}, {"N", 2048}});
  NpuBackend base(npu());
  Isa slow_isa = edited_npu([](nlohmann::json& j) {
    for (auto& in : j["instructions"])
      if (in["name"] == "activation")
        in["cost"] = "(" + in["cost"].get<std::string>() + ") * 20";
  });
  NpuBackend slow(slow_isa);
  Plan plan = base.propose(p, SpaceOptions{}, nullptr).ranked.front().plan;
  double t0 = base.compile(p, plan)->time(0, 1).median_ns;
  double t1 = slow.compile(p, plan)->time(0, 1).median_ns;
  EXPECT_GT(t1, 2 * t0) << t0 << " -> " << t1;
  EXPECT_GT(slow.estimate_ns(p, plan), 2 * base.estimate_ns(p, plan));
}

// A matmul whose stationary operand is read transposed: the transposing DMA (4-byte runs) is
// priced above loading rows and transposing them on the PE, as the sources say.
TEST(NpuBackend, ATransposingDmaIsPricedAboveThePeRoute) {
  IndexProgram p = program("experiments/suites/ops/matmul.tp", {{"M", 512}, {"K", 512}, {"N", 512}});
  NpuBackend b(npu());
  NpuCovers cv = b.covers(p);
  NpuPlan plan = npu_default_plan(p, cv, b.isa());
  ASSERT_FALSE(plan.route.empty()) << "matmul reads an operand transposed";
  plan.bufs = 2;
  plan.queues = 8;
  NpuPlan pe = plan;
  for (auto& [t, r] : pe.route)
    r = "pe";
  double dma_ns = b.compile(p, std::make_shared<const NpuPlan>(plan))->time(0, 1).median_ns;
  double pe_ns = b.compile(p, std::make_shared<const NpuPlan>(pe))->time(0, 1).median_ns;
  EXPECT_GT(dma_ns, pe_ns) << "transposing DMA " << dma_ns << " ns, PE route " << pe_ns << " ns";
}

// A statement no instruction sequence of the target computes: the job is refused before any
// search with the exact "no lowering for" message.
TEST(NpuBackend, AStatementTheTargetCannotComputeIsRefused) {
  fs::path f = fs::temp_directory_path() / ("axon-npu-eq-" + std::to_string(::getpid()) + ".tp");
  std::ofstream(f) << "where M = 64, N = 64\ninput a: f32[M, N]\ninput b: f32[M, N]\n"
                      "output y: bool[M, N] = eq(a, b)\n";
  IndexProgram p = load_index_program(read_source(f.string()));
  NpuBackend b(npu());
  try {
    b.select_instructions({&p}, npu(), SelectOptions{}, nullptr);
    FAIL() << "no error";
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("no lowering for"), std::string::npos) << e.what();
  }
  fs::remove(f);
}

} // namespace
} // namespace axon
