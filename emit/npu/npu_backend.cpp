// The NPU backend (see npu_backend.h).
#include "emit/npu/npu_backend.h"

#include <algorithm>
#include <random>
#include <tbb/parallel_for.h>

#include "emit/npu/estimate.h"
#include "emit/npu/space.h"
#include "ir/error.h"
#include "runtime/kernel_interface.h"
#include "sim/dtype_guard.h"
#include "sim/functional.h"
#include "sim/program_write.h"
#include "sim/timing.h"

namespace axon {

namespace {

const NpuPlan& npu_plan_of(const Plan& p) {
  auto* n = dynamic_cast<const NpuPlan*>(p.get());
  if (!n)
    internal_error("the NPU backend was handed another backend's plan");
  return *n;
}

Plan make_plan(NpuPlan p) { return std::make_shared<const NpuPlan>(std::move(p)); }

// A compiled candidate: the lowered program, run by the simulator's functional mode (the check)
// and timed by its timing model.
class NpuArtifact : public Artifact {
public:
  NpuArtifact(std::shared_ptr<const Isa> isa, NpuProgram prog, const IndexProgram& p)
      : isa_(std::move(isa)), prog_(std::move(prog)) {
    for (auto* t : p.inputs())
      shapes_[t->name] = p.concrete_shape(t->name);
    for (auto* t : p.outputs()) {
      shapes_[t->name] = p.concrete_shape(t->name);
      outputs_.push_back(t->name);
    }
  }
  TensorMap run(const TensorMap& inputs) const override {
    TensorMap in;
    for (auto& t : prog_.tensors) {
      if (t.kind != HbmKind::Input)
        continue;
      auto it = inputs.find(t.name);
      if (it == inputs.end())
        internal_error("NPU artifact: no value for input '" + t.name + "'");
      TensorValue v = it->second;
      v.shape = t.shape; // the same elements, row-major (a rank-0 tensor as one element)
      in[t.name] = std::move(v);
    }
    TensorMap res = run_functional(prog_, in);
    TensorMap out;
    for (auto& name : outputs_) {
      auto it = res.find(name);
      if (it == res.end())
        internal_error("NPU artifact: the program does not write output '" + name + "'");
      TensorValue v = std::move(it->second);
      v.shape = shapes_.at(name);
      out[name] = std::move(v);
    }
    return out;
  }
  Timing time(int, int, double) const override {
    TimingResult r = simulate_timing(prog_);
    Timing t;
    t.median_ns = t.min_ns = t.max_ns = r.report.total_ns;
    t.repeats = 1;
    t.clock = "simulated";
    return t;
  }
  std::map<std::string, std::string> files() const override {
    TimingResult r = simulate_timing(prog_);
    return {{"program.json", write_npu_program(prog_)},
            {"timing.json", timing_report_json(r.report).dump(2) + "\n"},
            {"trace.json", chrome_trace(prog_, r).dump() + "\n"}};
  }

private:
  std::shared_ptr<const Isa> isa_; // the program points into it
  NpuProgram prog_;
  std::map<std::string, std::vector<int64_t>> shapes_;
  std::vector<std::string> outputs_;
};

// The covers of a selection: its alternatives, cheapest first.
std::vector<std::shared_ptr<const Cover>> cover_alternatives(const Selection& s) {
  if (!s.alternatives.empty())
    return s.alternatives;
  return {s.cover};
}

// Why statement `stmt` has no cover the NPU lowering can emit, as "no lowering for `...` on target
// 'T': ..." (a selection's reason may start so already).
std::string no_lowering_message(const IndexProgram& p, size_t stmt, const Selection& s,
                                const std::string& target) {
  std::string why = s.reason;
  if (s.found && !s.pieces.empty())
    why += "; the NPU lowering emits one cover per statement, not pieces";
  if (why.rfind("no lowering for", 0) == 0)
    return why;
  return "no lowering for `" + to_string(p.stmts()[stmt]) + "` on target '" + target + "': " + why;
}

constexpr size_t kKeepStructural = 6; // structural plans whose memory variations are estimated
// Instructions lowered to rank one program's plans (about 20 s of lowering on one core).
constexpr double kRankInstructions = 6e5;

} // namespace

std::string npu_stmt_key(const IndexProgram& p, size_t stmt) {
  const IndexStmt& st = p.stmts().at(stmt);
  std::string key = to_string(st);
  std::set<std::string> names = {st.out};
  for (auto& t : tensors_read(st.value))
    names.insert(t);
  for (auto& n : names) {
    const TensorDecl& d = p.tensor(n);
    key += " | " + n + ":" + dtype_name(d.dtype) + "[";
    for (auto& e : d.shape)
      key += to_string(e) + ",";
    key += "]";
  }
  return key;
}

NpuBackend::NpuBackend(const Isa& isa) : isa_(std::make_shared<const Isa>(isa)) {}

std::string NpuBackend::unsupported(const IndexProgram& p) const {
  for (auto& [d, v] : p.dims())
    if (!v)
      return "dim '" + d + "' has no size (give it one with --dim " + d + "=N)";
  return "";
}

const Selection& NpuBackend::selection_for(const IndexProgram& p, size_t stmt) const {
  std::string key = npu_stmt_key(p, stmt);
  {
    std::lock_guard<std::mutex> lock(mu_);
    auto it = selected_.find(key);
    if (it != selected_.end())
      return it->second;
  }
  Selection s = axon::select_instructions(p, stmt, *isa_, select_options_);
  std::lock_guard<std::mutex> lock(mu_);
  return selected_.emplace(key, std::move(s)).first->second; // std::map: references stay valid
}

NpuCovers NpuBackend::covers(const IndexProgram& p) const {
  NpuCovers out;
  for (size_t i = 0; i < p.stmts().size(); ++i) {
    const Selection& s = selection_for(p, i);
    if (!s.found || !s.cover) {
      std::string why = no_lowering_message(p, i, s, isa_->name);
      user_error(why);
    }
    out.push_back(cover_alternatives(s));
  }
  return out;
}

SelectionSummary NpuBackend::select_instructions(const std::vector<const IndexProgram*>& programs,
                                                 const Isa& isa, const SelectOptions& opts,
                                                 const SourceFile* src) {
  (void)isa; // the backend's own copy of the target
  select_options_ = opts;
  SelectionSummary sum;
  for (size_t pi = 0; pi < programs.size(); ++pi) {
    const IndexProgram& p = *programs[pi];
    for (size_t i = 0; i < p.stmts().size(); ++i) {
      const Selection& s = selection_for(p, i);
      ++sum.statements;
      if (s.stats.stopped)
        sum.stopped = true;
      // The program as written must lower; a variant that does not is searched no further.
      if (pi == 0 && (!s.found || !s.cover) && !s.stats.stopped) {
        const IndexStmt& st = p.stmts()[i];
        std::string msg = no_lowering_message(p, i, s, isa_->name);
        std::string hint = "the target's instructions (" + isa_->path +
                           ") cover no sequence of at most " +
                           std::to_string(opts.max_instructions) +
                           " instructions for it; `axon-synth isa table --isa " + isa_->path +
                           "` lists what is covered";
        if (src && st.loc.line > 0)
          user_error_at(*src, st.loc, msg, hint);
        user_error((src ? src->path + ": error: " : std::string("error: ")) + msg + "; " + hint);
      }
    }
  }
  return sum;
}

nlohmann::json NpuBackend::selection_report(const IndexProgram& p) const {
  nlohmann::json out = nlohmann::json::array();
  for (size_t i = 0; i < p.stmts().size(); ++i) {
    const Selection& s = selection_for(p, i);
    nlohmann::json j = {{"statement", to_string(p.stmts()[i])}, {"covered", s.found}};
    if (s.found) {
      nlohmann::json ins = nlohmann::json::array();
      for (auto& x : s.instrs)
        ins.push_back(x.instruction + " on " + x.engine + ": " + x.computes +
                      (x.hoisted ? " (once per kernel)" : ""));
      j["instructions"] = ins;
      j["cost_ns_per_tile"] = s.cost_ns;
      j["layouts"] = cover_alternatives(s).size();
    } else {
      j["reason"] = s.reason;
    }
    out.push_back(j);
  }
  return out;
}

Proposals NpuBackend::propose(const IndexProgram& p, const SpaceOptions& o,
                              SearchMemory* memory) const {
  (void)memory;
  Proposals out;
  NpuCovers cv;
  try {
    cv = covers(p);
  } catch (const UserError&) {
    return out; // a variant with a statement the target cannot compute: nothing to propose
  }
  NpuSpaceOptions so;
  so.seed = o.seed;
  std::vector<NpuPlan> plans = npu_plans(p, cv, *isa_, so);
  out.enumerated = plans.size();
  // Ranking lowers every plan at full size: its work is bounded by the instructions lowered
  // (deterministic, unlike a clock), from the size of the first plan's program.
  size_t per_plan = 0;
  if (!plans.empty())
    try {
      per_plan = lower_npu_plan(p, plans[0], cv, *isa_, "estimate").instrs.size();
    } catch (const std::exception&) {
      // ranked (and refused) below like the others
    }
  size_t budget = per_plan ? static_cast<size_t>(kRankInstructions / per_plan) : plans.size();
  size_t structural_cap = std::max<size_t>(4, budget * 3 / 4);
  if (plans.size() > structural_cap) {
    // The most fused plans first (fewest groups), in the space's order otherwise; the best plan
    // that fuses nothing is kept too (it is measured whatever its rank).
    std::stable_sort(plans.begin(), plans.end(), [](const NpuPlan& a, const NpuPlan& b) {
      return a.groups.size() < b.groups.size();
    });
    std::vector<NpuPlan> kept(plans.begin(), plans.begin() + static_cast<long>(structural_cap));
    for (auto& plan : plans)
      if (plan.groups.size() == plan.stmts.size()) {
        if (std::find(kept.begin(), kept.end(), plan) == kept.end())
          kept.push_back(plan);
        break;
      }
    plans = std::move(kept);
  }
  size_t keep_structural = std::clamp<size_t>(
      budget > plans.size() ? (budget - plans.size()) / 5 : 0, 1, kKeepStructural);
  auto estimate_all = [&](const std::vector<NpuPlan>& ps) {
    std::vector<double> est(ps.size(), std::numeric_limits<double>::infinity());
    tbb::parallel_for(size_t{0}, ps.size(), [&](size_t i) {
      try {
        est[i] = estimate_npu_program(lower_npu_plan(p, ps[i], cv, *isa_, "estimate")).ns;
      } catch (const std::exception&) {
        // a plan that does not lower is not proposed
      }
    });
    return est;
  };
  std::vector<double> est = estimate_all(plans);
  std::vector<size_t> idx(plans.size());
  for (size_t i = 0; i < idx.size(); ++i)
    idx[i] = i;
  std::stable_sort(idx.begin(), idx.end(), [&](size_t a, size_t b) { return est[a] < est[b]; });
  std::vector<NpuPlan> more;
  for (size_t k = 0; k < idx.size() && k < keep_structural; ++k)
    for (auto& v : npu_memory_variations(p, plans[idx[k]], cv, *isa_))
      more.push_back(v);
  std::vector<double> more_est = estimate_all(more);
  out.enumerated += more.size();
  auto add = [&](const NpuPlan& plan, double e) {
    if (e < std::numeric_limits<double>::infinity())
      out.ranked.push_back({e, make_plan(plan)});
  };
  for (size_t i = 0; i < plans.size(); ++i)
    add(plans[i], est[i]);
  for (size_t i = 0; i < more.size(); ++i)
    add(more[i], more_est[i]);
  // Measured whatever their rank: the best plan that fuses nothing (each statement its own
  // kernel through device memory: what fusion buys is the winner against it).
  const Proposal* unfused = nullptr;
  for (auto& c : out.ranked) {
    const NpuPlan& np = npu_plan_of(c.plan);
    if (np.groups.size() == np.stmts.size() && (!unfused || c.estimate_ns < unfused->estimate_ns))
      unfused = &c;
  }
  if (unfused)
    out.must.push_back(*unfused);
  return out;
}

std::vector<Plan> NpuBackend::sample(const IndexProgram& p, uint64_t seed, size_t count) const {
  NpuCovers cv = covers(p);
  NpuSpaceOptions so;
  so.seed = seed;
  std::vector<NpuPlan> space = npu_plans(p, cv, *isa_, so);
  // With their buffer and queue variations (the first few), drawn with replacement: a small
  // program's space may hold fewer plans than asked for.
  size_t structural = space.size();
  for (size_t i = 0; i < structural && i < 4; ++i)
    for (auto& v : npu_memory_variations(p, space[i], cv, *isa_))
      space.push_back(v);
  std::vector<Plan> out;
  if (space.empty())
    return out;
  std::mt19937_64 rng(seed);
  for (size_t i = 0; i < count; ++i)
    out.push_back(make_plan(space[rng() % space.size()]));
  return out;
}

Proposal NpuBackend::baseline(const IndexProgram& p) const {
  NpuCovers cv;
  try {
    cv = covers(p);
  } catch (const UserError&) {
    return {std::numeric_limits<double>::infinity(), make_plan(NpuPlan{})};
  }
  NpuPlan plan = npu_default_plan(p, cv, *isa_);
  double e = std::numeric_limits<double>::infinity();
  try {
    e = estimate_npu_program(lower_npu_plan(p, plan, cv, *isa_, "baseline")).ns;
  } catch (const std::exception&) {
    // compiled (and failing) in the search, which records why
  }
  return {e, make_plan(plan)};
}

double NpuBackend::best_estimate_ns(const IndexProgram& p) const {
  double best = std::numeric_limits<double>::infinity();
  for (auto& c : propose(p, SpaceOptions{}, nullptr).ranked)
    best = std::min(best, c.estimate_ns);
  return best;
}

double NpuBackend::estimate_ns(const IndexProgram& p, const Plan& plan) const {
  return estimate_npu_program(lower_npu_plan(p, npu_plan_of(plan), covers(p), *isa_, "estimate"))
      .ns;
}

std::string NpuBackend::legality(const IndexProgram& p, const Plan& plan) const {
  try {
    return npu_plan_legality(p, npu_plan_of(plan), covers(p), *isa_);
  } catch (const UserError& e) {
    return e.what();
  }
}

std::unique_ptr<SearchMemory> NpuBackend::new_memory() const {
  return std::make_unique<SearchMemory>();
}

void NpuBackend::remember(const IndexProgram&, const Plan&, SearchMemory&) const {}

std::unique_ptr<Artifact> NpuBackend::compile(const IndexProgram& p, const Plan& plan) const {
  const NpuPlan& np = npu_plan_of(plan);
  NpuCovers cv = covers(p);
  if (std::string why = npu_plan_legality(p, np, cv, *isa_); !why.empty())
    user_error("illegal NPU plan: " + why);
  NpuProgram prog = lower_npu_plan(p, np, cv, *isa_, "kernel");
  // The dtype guard: no value computed narrower than the program's declared precision.
  std::vector<Narrowing> narrow = find_narrowing(prog, 1);
  if (!narrow.empty())
    internal_error("the NPU lowering narrowed a value: " + narrow.front().message);
  return std::make_unique<NpuArtifact>(isa_, std::move(prog), p);
}

std::vector<std::map<std::string, int64_t>> NpuBackend::check_dims(const IndexProgram& p,
                                                                   const Plan& plan) const {
  const NpuPlan& np = npu_plan_of(plan);
  NpuCovers cv = covers(p);
  std::map<std::string, int64_t> first = npu_check_dims(p, np, cv, *isa_, 0);
  if (first.empty())
    return {}; // small already: checked at its own sizes
  return {first, npu_check_dims(p, np, cv, *isa_, 1)};
}

std::string NpuBackend::plan_text(const IndexProgram& p, const Plan& plan) const {
  return npu_plan_text(p, npu_plan_of(plan));
}

nlohmann::json NpuBackend::plan_to_json(const Plan& plan) const {
  return npu_plan_to_json(npu_plan_of(plan));
}

Plan NpuBackend::plan_from_json(const nlohmann::json& j, const std::string& where) const {
  return make_plan(npu_plan_from_json(j, where));
}

nlohmann::json NpuBackend::fingerprint() const {
  return {{"backend", name()}, {"target", isa_->name}, {"clock", "simulated"}};
}

nlohmann::json NpuBackend::device_report() const {
  return {{"target", isa_->name},
          {"clock", "simulated"},
          {"simulator", "axon-synth sim: timing model of docs/npu-program.md, calibration in "
                        "docs/npu-calibration.md"},
          {"description", isa_->description}};
}

std::string NpuBackend::kernel_json(const IndexProgram& p, const Plan& plan) const {
  (void)plan;
  rt::KernelInterface k = rt::kernel_interface(p, isa_->name, {}, 0);
  k.backend = name();
  k.object_kind = artifact_kind();
  k.object_path = "program.json";
  k.symbol = "";
  return rt::interface_to_json(k).dump(2) + "\n";
}

} // namespace axon
