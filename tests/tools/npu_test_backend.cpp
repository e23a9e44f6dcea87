// A stand-in for the NPU backend, registered under "sim" (the backend name of targets/npu.json)
// in the test build of the CLI (axon-synth-npu-test), so that the outputs, the kernel library,
// `sim --library` and `replay` are tested on NPU programs before and independently of the real
// backend (emit/npu/). Its one candidate compiles into a fixed NPU program read from a file
// ($AXON_TEST_NPU_PROGRAM, default sim/programs/example_exp_plus_x.json, which computes
// tests/tools/exp_plus_x.tp), loaded with the target: the check runs it in the functional
// simulator against the reference interpreter, the timed path in the timing simulator (clock
// "simulated"), and its files are what the real backend writes: program.json (the program as
// sim/program_write.h writes it), timing.json and trace.json; kernel.json names backend "sim"
// and an artifact of kind "npu_program". A test changes the program between a run and its replay
// by pointing $AXON_TEST_NPU_PROGRAM at another file.
#include <cstdlib>
#include <memory>
#include <string>

#include "emit/registry.h"
#include "ir/error.h"
#include "runtime/kernel_interface.h"
#include "search/backend.h"
#include "sim/functional.h"
#include "sim/program.h"
#include "sim/program_write.h"
#include "sim/timing.h"

namespace axon {
namespace {

std::string program_file() {
  const char* e = std::getenv("AXON_TEST_NPU_PROGRAM");
  return e && *e ? e : "sim/programs/example_exp_plus_x.json";
}

// The one plan: the program in the file.
class FilePlan : public PlanData {};

class ProgramArtifact : public Artifact {
public:
  ProgramArtifact(const Isa& isa, const std::string& path)
      : isa_(isa), prog_(load_npu_program(path, isa_)) {}
  TensorMap run(const TensorMap& inputs) const override { return run_functional(prog_, inputs); }
  Timing time(int, int, double) const override {
    Timing t;
    t.median_ns = t.min_ns = t.max_ns = simulate_timing(prog_).report.total_ns;
    t.repeats = 1;
    t.clock = "simulated";
    return t;
  }
  std::map<std::string, std::string> files() const override {
    TimingResult t = simulate_timing(prog_);
    return {{"program.json", write_npu_program(prog_)},
            {"timing.json", timing_report_json(t.report).dump(2) + "\n"},
            {"trace.json", chrome_trace(prog_, t).dump() + "\n"}};
  }

private:
  Isa isa_; // the program points into it
  NpuProgram prog_;
};

class NpuTestBackend : public Backend {
public:
  explicit NpuTestBackend(const Isa& isa) : isa_(isa) {}
  std::string name() const override { return "sim"; }
  std::string target_name() const override { return isa_.name; }
  std::string unsupported(const IndexProgram&) const override { return ""; }
  Proposals propose(const IndexProgram& p, const SpaceOptions&, SearchMemory*) const override {
    Proposals out;
    out.ranked.push_back(baseline(p));
    out.enumerated = 1;
    return out;
  }
  std::vector<Plan> sample(const IndexProgram&, uint64_t, size_t count) const override {
    return std::vector<Plan>(count, plan_);
  }
  Proposal baseline(const IndexProgram& p) const override { return {estimate_ns(p, plan_), plan_}; }
  double best_estimate_ns(const IndexProgram& p) const override { return estimate_ns(p, plan_); }
  double estimate_ns(const IndexProgram&, const Plan&) const override { return 1000; }
  std::string legality(const IndexProgram&, const Plan&) const override { return ""; }
  std::unique_ptr<SearchMemory> new_memory() const override {
    return std::make_unique<SearchMemory>();
  }
  void remember(const IndexProgram&, const Plan&, SearchMemory&) const override {}
  std::unique_ptr<Artifact> compile(const IndexProgram&, const Plan&) const override {
    return std::make_unique<ProgramArtifact>(isa_, program_file());
  }
  BackendClock clock() const override { return BackendClock::Simulated; }
  std::string plan_text(const IndexProgram&, const Plan&) const override {
    return "the NPU program of the test backend\n";
  }
  nlohmann::json plan_to_json(const Plan&) const override { return {{"program", "file"}}; }
  Plan plan_from_json(const nlohmann::json& j, const std::string& where) const override {
    if (!j.is_object() || j.value("program", "") != "file")
      user_error(where + ": expected {\"program\": \"file\"}");
    return plan_;
  }
  SelectionSummary select_instructions(const std::vector<const IndexProgram*>& programs, const Isa&,
                                       const SelectOptions&, const SourceFile*) override {
    return {programs.size(), false};
  }
  nlohmann::json selection_report(const IndexProgram&) const override {
    return nlohmann::json::object();
  }
  nlohmann::json fingerprint() const override { return {{"npu_test_backend", program_file()}}; }
  nlohmann::json device_report() const override {
    return {{"target", "npu"}, {"clock", "simulated"}, {"isa", isa_.name}};
  }
  std::string kernel_json(const IndexProgram& p, const Plan&) const override {
    rt::KernelInterface k = rt::kernel_interface(p, isa_.name, {});
    k.backend = "sim";
    k.object_kind = artifact_kind();
    k.object_path = "program.json";
    k.symbol = ""; // a program has no entry point (as the NPU backend writes it)
    return rt::interface_to_json(k).dump(2) + "\n";
  }
  std::string artifact_kind() const override { return "npu_program"; }

private:
  Isa isa_;
  Plan plan_ = std::make_shared<const FilePlan>();
};

// Registered before main() runs: replaces a real "sim" backend (the registry's built-ins are
// added on its first use, which this is).
const bool registered = [] {
  register_backend("sim", [](const Isa& isa) { return std::make_unique<NpuTestBackend>(isa); });
  return true;
}();

} // namespace
} // namespace axon
