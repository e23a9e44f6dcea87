// A second backend for tests, with a schedule space of its own and no CPU in it: a candidate is a
// row chunk (how many output elements one step of the "kernel" computes: 1, 2, 4, ... 64) and an
// order (forward or backward over the steps); it "compiles" into the reference interpreter, and
// its clock is simulated: a fixed cost per step plus one per element, so the time is exact.
// Registered as "fake" by the tests that use it; search/ is not touched to run it.
#pragma once

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <random>
#include <string>
#include <unistd.h>
#include <vector>

#include "ir/error.h"
#include "ir/interp.h"
#include "search/backend.h"

namespace axon::fake {

class ChunkPlan : public PlanData {
public:
  ChunkPlan(int64_t chunk, bool backward) : chunk(chunk), backward(backward) {}
  int64_t chunk;
  bool backward;
};

inline const ChunkPlan& chunk_of(const Plan& p) {
  auto* c = dynamic_cast<const ChunkPlan*>(p.get());
  if (!c)
    internal_error("not a fake backend's plan");
  return *c;
}

inline int64_t elements(const IndexProgram& p) {
  int64_t n = 0;
  for (auto* t : p.outputs())
    n += p.numel(t->name);
  return n;
}

// The simulated time: 40 ns per step, 1 ns per element, and backward order 5% slower.
inline double simulated_ns(const IndexProgram& p, const ChunkPlan& c) {
  int64_t n = elements(p);
  double steps = std::ceil(static_cast<double>(n) / static_cast<double>(c.chunk));
  return (40 * steps + static_cast<double>(n)) * (c.backward ? 1.05 : 1.0);
}

// What the search asked of the artifacts it timed (a simulated clock: no warm-up, one run, no
// early stopping): a file, since the search times each candidate in a child process.
struct TimingLog {
  std::string path;
  TimingLog() {
    char name[] = "/tmp/axon-fake-timing-XXXXXX";
    int fd = ::mkstemp(name);
    if (fd < 0)
      internal_error("cannot create a temporary file");
    ::close(fd);
    path = name;
  }
  ~TimingLog() { std::remove(path.c_str()); }
  // One line per timed run: warmup, repeats, stop_above_ns.
  void add(int warmup, int repeats, double stop_above_ns) const {
    std::ofstream(path, std::ios::app) << warmup << " " << repeats << " " << stop_above_ns << "\n";
  }
  struct Entry {
    int warmup = 0, repeats = 0;
    double stop_above_ns = 0;
  };
  std::vector<Entry> entries() const {
    std::ifstream in(path);
    std::vector<Entry> out;
    Entry e;
    while (in >> e.warmup >> e.repeats >> e.stop_above_ns)
      out.push_back(e);
    return out;
  }
};

class ChunkArtifact : public Artifact {
public:
  ChunkArtifact(const IndexProgram& p, ChunkPlan c, std::shared_ptr<TimingLog> log, bool wrong)
      : p_(p), c_(c), log_(std::move(log)), wrong_(wrong) {}
  TensorMap run(const TensorMap& inputs) const override {
    TensorMap out = interpret(p_, inputs);
    if (wrong_) // a miscompiled candidate: its first output's last element off by one
      for (auto* t : p_.outputs()) {
        out.at(t->name).data.back() += 1.0;
        break;
      }
    return out;
  }
  Timing time(int warmup, int repeats, double stop_above_ns) const override {
    log_->add(warmup, repeats, stop_above_ns);
    Timing t;
    t.median_ns = t.min_ns = t.max_ns = simulated_ns(p_, c_);
    t.repeats = repeats;
    t.clock = "simulated";
    return t;
  }
  std::map<std::string, std::string> files() const override {
    return {{"plan.txt", std::to_string(c_.chunk) + (c_.backward ? " backward\n" : " forward\n")}};
  }

private:
  IndexProgram p_;
  ChunkPlan c_;
  std::shared_ptr<TimingLog> log_;
  bool wrong_;
};

class ChunkBackend : public Backend {
public:
  std::shared_ptr<TimingLog> log = std::make_shared<TimingLog>();
  // > 0: the candidate with this chunk is miscompiled (the conformance test must catch it).
  int64_t miscompile_chunk = 0;
  // Also miscompiled: the plans for which this says so, at the program's sizes.
  std::function<bool(const IndexProgram&, const ChunkPlan&)> miscompile_when;
  // Backend::check_dims: the sizes the search checks every plan at (empty: full size).
  std::vector<std::map<std::string, int64_t>> check_shapes;

  std::string name() const override { return "fake"; }
  std::string target_name() const override { return "fake target"; }
  std::string unsupported(const IndexProgram& p) const override {
    for (auto& [d, v] : p.dims())
      if (!v)
        return "dim '" + d + "' has no size";
    return "";
  }
  static std::vector<int64_t> chunks() { return {1, 2, 4, 8, 16, 32, 64}; }
  Proposals propose(const IndexProgram& p, const SpaceOptions&, SearchMemory*) const override {
    Proposals out;
    for (int64_t c : chunks())
      for (bool back : {false, true}) {
        Plan plan = std::make_shared<const ChunkPlan>(c, back);
        out.ranked.push_back({estimate_ns(p, plan), plan});
        ++out.enumerated;
      }
    // The refinement: the fastest candidate's chunk doubled, in both orders.
    out.refinements.push_back(
        [](const std::vector<Plan>& fastest,
           const std::function<bool(const Plan&)>& measured) -> std::optional<std::vector<Plan>> {
          if (fastest.empty())
            return std::nullopt;
          std::vector<Plan> more;
          for (bool back : {false, true}) {
            Plan plan =
                std::make_shared<const ChunkPlan>(chunk_of(fastest.front()).chunk * 2, back);
            if (!measured(plan))
              more.push_back(plan);
          }
          return more;
        });
    return out;
  }
  std::vector<Plan> sample(const IndexProgram&, uint64_t seed, size_t count) const override {
    std::mt19937_64 rng(seed);
    std::vector<Plan> out;
    for (size_t i = 0; i < count; ++i)
      out.push_back(
          std::make_shared<const ChunkPlan>(chunks()[rng() % chunks().size()], rng() % 2 == 1));
    return out;
  }
  Proposal baseline(const IndexProgram& p) const override {
    Plan plan = std::make_shared<const ChunkPlan>(1, false);
    return {estimate_ns(p, plan), plan};
  }
  double best_estimate_ns(const IndexProgram& p) const override {
    return estimate_ns(p, std::make_shared<const ChunkPlan>(64, false));
  }
  // The estimate does not know the order costs anything.
  double estimate_ns(const IndexProgram& p, const Plan& plan) const override {
    return simulated_ns(p, ChunkPlan(chunk_of(plan).chunk, false));
  }
  std::string legality(const IndexProgram&, const Plan& plan) const override {
    return chunk_of(plan).chunk >= 1 ? "" : "chunk must be at least 1";
  }
  std::unique_ptr<SearchMemory> new_memory() const override {
    return std::make_unique<SearchMemory>();
  }
  void remember(const IndexProgram&, const Plan&, SearchMemory&) const override {}
  std::unique_ptr<Artifact> compile(const IndexProgram& p, const Plan& plan) const override {
    const ChunkPlan& c = chunk_of(plan);
    bool wrong = c.chunk == miscompile_chunk || (miscompile_when && miscompile_when(p, c));
    return std::make_unique<ChunkArtifact>(p, c, log, wrong);
  }
  std::vector<std::map<std::string, int64_t>> check_dims(const IndexProgram&,
                                                         const Plan&) const override {
    return check_shapes;
  }
  BackendClock clock() const override { return BackendClock::Simulated; }
  std::string plan_text(const IndexProgram&, const Plan& plan) const override {
    return "chunk " + std::to_string(chunk_of(plan).chunk) +
           (chunk_of(plan).backward ? " backward" : " forward");
  }
  nlohmann::json plan_to_json(const Plan& plan) const override {
    return {{"chunk", chunk_of(plan).chunk}, {"backward", chunk_of(plan).backward}};
  }
  Plan plan_from_json(const nlohmann::json& j, const std::string& where) const override {
    if (!j.is_object() || !j.contains("chunk") || !j["chunk"].is_number_integer())
      user_error(where + "/chunk: expected an integer");
    return std::make_shared<const ChunkPlan>(j["chunk"].get<int64_t>(), j.value("backward", false));
  }
  SelectionSummary select_instructions(const std::vector<const IndexProgram*>& programs, const Isa&,
                                       const SelectOptions&, const SourceFile*) override {
    return {programs.size(), false};
  }
  nlohmann::json selection_report(const IndexProgram&) const override {
    return nlohmann::json::object();
  }
  nlohmann::json fingerprint() const override { return {{"fake", "simulated"}}; }
  nlohmann::json device_report() const override { return {{"target", target_name()}}; }
  std::string kernel_json(const IndexProgram&, const Plan& plan) const override {
    return plan_to_json(plan).dump() + "\n";
  }
  std::string artifact_kind() const override { return "simulated program"; }
};

} // namespace axon::fake
