// The pipeline, one stage per line (Halide's Lower.cpp is the model): parse and check, expand to
// index notation, load the target, rewrite discovery (synth/: proven variants), instruction
// selection (synth/select_instructions via search/instruction_costs.h: every statement of every
// variant covered by the target's instructions; the covers' costs feed the cost model, and an
// element function the target lacks is an error), search schedules with the
// target's backend (which checks every candidate against the reference interpreter and times
// it), write the outputs. AXON_TIME_PASSES=1 prints a table of stage times on stderr.
#include "tools/synthesize.h"

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <nlohmann/json.hpp>
#include <optional>
#include <sstream>
#include <unistd.h>

#include "emit/cpu/cpu_backend.h"
#include "emit/cpu/machine_model.h"
#include "ir/error.h"
#include "ir/frontend.h"
#include "ir/hash.h"
#include "isa/isa.h"
#include "search/instruction_costs.h"
#include "search/measure_lock.h"
#include "search/result_cache.h"
#include "search/runoff.h"
#include "search/schedule_json.h"
#include "search/search.h"
#include "smt/proof_cache.h"
#include "synth/apply_derivation.h"
#include "synth/derivation_text.h"
#include "synth/fusion_variants.h"
#include "synth/pick_variants.h"
#include "synth/prove_step.h"
#include "synth/replay_derivation.h"
#include "synth/rewrite_step.h"
#include "tools/library_command.h"

namespace axon {

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::atomic<bool> g_interrupted{false};
void on_sigint(int) { g_interrupted = true; }

constexpr int kReportSchema = 1;

// Without --time-budget, instruction selection stops this long after the job started (its
// default bound, docs/reliability.md); a selection it stops keeps the cost model's weights.
constexpr double kPreSearchSeconds = 60.0;

// SIGINT before any candidate was measured: nothing to report but that (exit 130, as a shell
// reports a job killed by SIGINT).
int interrupted(const SynthOptions& o) {
  std::fprintf(stderr, "%s: interrupted before any candidate was measured\n", o.program.c_str());
  return 130;
}

struct StageTimer {
  std::vector<std::pair<std::string, double>> rows;
  Clock::time_point t = Clock::now();
  void lap(const std::string& stage) {
    auto now = Clock::now();
    rows.push_back({stage, std::chrono::duration<double>(now - t).count()});
    t = now;
  }
  void print_if_asked() const {
    const char* e = std::getenv("AXON_TIME_PASSES");
    if (!e || std::string(e) != "1")
      return;
    std::fprintf(stderr, "%-28s %10s\n", "stage", "seconds");
    for (auto& [s, sec] : rows)
      std::fprintf(stderr, "%-28s %10.3f\n", s.c_str(), sec);
  }
};

// Writes a file atomically: a temporary in the same directory, then rename.
void write_file(const fs::path& path, const std::string& data) {
  fs::path tmp = path;
  tmp += ".tmp" + std::to_string(::getpid());
  {
    std::ofstream out(tmp, std::ios::binary);
    if (!out)
      user_error("error: cannot write " + tmp.string() + ": " + std::strerror(errno));
    out << data;
    out.flush();
    if (!out)
      user_error("error: cannot write " + tmp.string() + " (disk full?)");
  }
  std::error_code ec;
  fs::rename(tmp, path, ec);
  if (ec) {
    fs::remove(tmp, ec);
    user_error("error: cannot write " + path.string() + ": " + ec.message());
  }
}

// Whether a directory can take new files: a probe file created and removed in it (or, when it
// does not exist yet, in its nearest existing ancestor, which creating it needs). Checked before
// the search, so that an unwritable -o or --library fails at once, not after minutes of search.
void require_writable_dir(const fs::path& dir, const std::string& what) {
  std::error_code ec;
  fs::path p = dir.empty() ? fs::path(".") : dir;
  while (!fs::exists(p, ec) && p.has_parent_path() && p.parent_path() != p)
    p = p.parent_path();
  if (!fs::exists(p, ec))
    p = ".";
  if (!fs::is_directory(p, ec))
    user_error("error: " + what + " " + dir.string() + ": " + p.string() + " is not a directory");
  fs::path probe = p / (".axon-write-probe." + std::to_string(::getpid()));
  int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
  if (fd < 0)
    user_error("error: " + what + " " + dir.string() + " is not writable (" + p.string() + ": " +
               std::strerror(errno) + "); nothing was searched");
  ::close(fd);
  ::unlink(probe.c_str());
}

std::string cpu_model_name() {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  while (std::getline(in, line))
    if (line.rfind("model name", 0) == 0)
      return line.substr(line.find(':') + 2);
  return "unknown";
}

nlohmann::json record_json(const CandidateRecord& r) {
  nlohmann::json j;
  j["id"] = r.id;
  j["kind"] = r.kind;
  j["status"] = status_name(r.status);
  j["estimate_ns"] = r.estimate_ns;
  j["schedule"] = schedule_to_json(r.schedule);
  if (!r.detail.empty())
    j["detail"] = r.detail;
  if (r.status == CandidateStatus::Ok || r.status == CandidateStatus::WrongResult)
    j["max_scaled_error"] = r.max_error;
  if (r.status == CandidateStatus::Ok)
    j["time_ns"] = {{"median", r.timing.median_ns},
                    {"min", r.timing.min_ns},
                    {"max", r.timing.max_ns},
                    {"repeats", r.timing.repeats},
                    {"clock", r.timing.clock}};
  return j;
}

std::unique_ptr<CpuBackend> make_backend(const Isa& isa) {
  for (auto& b : isa.backends)
    if (b == "llvm")
      return std::make_unique<CpuBackend>(cpu_target(isa), cpu_machine_model(isa));
  std::string list;
  for (auto& b : isa.backends)
    list += (list.empty() ? "" : ", ") + b;
  user_error(isa.path + ": synthesis for backend(s) " + list +
             " is not available yet; this build synthesizes for CPU targets (backend \"llvm\": "
             "targets/avx2.json, "
             "targets/avx512.json, targets/zen4.json)");
}

FrontendOptions front_options(const SynthOptions& o, SpecLibrary& extra) {
  FrontendOptions f;
  f.dim_overrides = o.dims;
  if (!o.specs.empty()) {
    extra = SpecLibrary::builtin();
    for (auto& s : o.specs)
      extra.add_file(read_source(s));
    f.specs = &extra;
  }
  return f;
}

// The variant a report or cache entry names ("as written" when it names none).
const ProgramVariant& pick_variant(const std::vector<ProgramVariant>& vs,
                                   const nlohmann::json& best, const std::string& where) {
  std::string name = best.contains("variant") ? best["variant"].get<std::string>() : "as written";
  for (auto& v : vs)
    if (v.name == name)
      return v;
  user_error(where + ": /best/variant: no variant named '" + name + "' for this program");
}

// Rewrite discovery's best few stable variants (synth/pick_variants.h), each as written and fused,
// named by canonical form so a report or cache entry names the same variant again.
constexpr double kRewriteSeconds = 3.0;
void add_rewrite_variants(const IndexProgram& rewritten, const std::string& canonical,
                          std::vector<ProgramVariant>& vs) {
  auto name = [&](const std::string& f) {
    return f.empty() ? "" : "rewrite " + canonical + (f == "as written" ? "" : ", " + f);
  };
  for (auto& f : fusion_variants(rewritten))
    vs.push_back({name(f.name), f.inlined, f.program, name(f.superseded_by), f.steps});
}

nlohmann::json rewrite_summary(const synth::DiscoveryReport& r, size_t searched) {
  synth::StepStats t = r.totals();
  return {{"variants", r.variants.size()},
          {"searched_variants", searched},
          {"attempted", t.attempted},
          {"proven", t.proven},
          {"refuted", t.refuted},
          {"unknown", t.unknown},
          {"stop_reason", synth::stop_reason_name(r.stop)},
          {"seconds", r.seconds},
          {"steps", r.to_json()["steps"]}};
}

// Instruction selection for every statement the search will run, cached beside the proof cache
// ($AXON_CACHE_DIR/isel, as `isa table` does).
InstructionSelection select_for_variants(const std::vector<ProgramVariant>& vs, const Isa& isa,
                                         const SourceFile& src, Clock::time_point deadline) {
  SelectOptions so;
  so.cache_dir = smt::default_cache_dir() + "/isel";
  so.deadline = deadline;
  so.interrupted = &g_interrupted;
  std::vector<const IndexProgram*> ps;
  for (auto& v : vs)
    ps.push_back(&v.program);
  return select_for_search(ps, isa, so, &src);
}

// The variants a report or cache entry can name: fusion variants of the program, or of the
// program rewritten by the entry's recorded derivation (replayed without searching).
std::vector<ProgramVariant> variants_for(const IndexProgram& index, const nlohmann::json& best,
                                         const std::string& where) {
  if (!best.contains("derivation") || best["derivation"].empty())
    return fusion_variants(index);
  auto steps = synth::derivation_from_json(best["derivation"], where);
  std::vector<ProgramVariant> vs;
  add_rewrite_variants(synth::apply_derivation(index, steps).program, steps.back().canonical, vs);
  return vs;
}

std::string derivation_text(const std::string& program_path, const ProgramVariant& v,
                            const Schedule& s, const std::string& origin,
                            const std::string& rewrite_steps) {
  std::ostringstream d;
  d << "# derivation of the chosen kernel for " << program_path << origin << "\n";
  if (rewrite_steps.empty()) {
    d << "# rewrite steps: none (the program as written)\n";
  } else {
    std::istringstream lines(rewrite_steps);
    for (std::string l; std::getline(lines, l);)
      d << "# " << l << "\n";
  }
  if (v.inlined.empty()) {
    d << "# fusion: none (every statement is its own loop nest)\n\n";
  } else {
    d << "# fusion: temporaries inlined into their consumers:";
    for (auto& t : v.inlined)
      d << " " << t;
    d << "\n\n";
  }
  d << to_string(v.program) << "\n# schedule\n" << to_string(s, v.program);
  return d.str();
}

// The identity of this build: a hash of the running executable, so results cached by another
// build of the same version are never reused.
std::string build_id() {
  static const std::string id = [] {
    std::ifstream in("/proc/self/exe", std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return hash_hex(ss.str());
  }();
  return id;
}

// SMT-LIB2 certificates of the winning variant's proof (DESIGN.md: OUT/smt/), for `z3` or
// `cvc5` to re-check offline and `library install` to copy: each rewrite step of its derivation
// re-proven (from the proof cache) into smt/step-NN/, and each inlining step of its fusion, when
// it inlines any, proven into smt/inline/step-NN/. Returns the report's
// "certificates" entry; a step that does not prove again is an "error" there and a warning.
nlohmann::json write_certificates(const IndexProgram& index,
                                  const std::vector<synth::DerivationStep>& steps,
                                  const ProgramVariant& v, const fs::path& out) {
  fs::path dir = out / "smt";
  std::error_code ec;
  fs::remove_all(dir, ec); // a symlink is removed, never followed
  if (ec)
    user_error("error: cannot replace " + dir.string() + ": " + ec.message());
  smt::ProveOptions opts;
  nlohmann::json j = {{"dir", "smt"}, {"rewrite_steps", steps.size()}, {"inlined", v.inlined}};
  synth::VariantState before{index, {}};
  if (!steps.empty()) {
    synth::Variant rv;
    rv.derivation = steps;
    rv.canonical = steps.back().canonical;
    std::string bad = synth::replay_derivation(index, rv, opts, dir.string(), &before);
    if (!bad.empty())
      j["error"] = "re-proving the derivation: " + bad;
  }
  if (!v.steps.empty() && !j.contains("error")) {
    std::vector<synth::DerivationStep> proven;
    std::string bad = prove_fusion(before, v, opts, (dir / "inline").string(), &proven);
    j["fusion_steps"] = synth::derivation_to_json(proven);
    if (!bad.empty())
      j["error"] = "fusion " + bad;
  }
  std::vector<std::string> files;
  if (fs::is_directory(dir, ec))
    for (auto it = fs::recursive_directory_iterator(dir, ec);
         !ec && it != fs::recursive_directory_iterator(); it.increment(ec))
      if (it->is_regular_file(ec))
        files.push_back(fs::relative(it->path(), out).generic_string());
  std::sort(files.begin(), files.end());
  j["files"] = files;
  // Certificates the solvers could not re-check (their header says so): the proof of those
  // obligations rests on the normalizer alone (docs/smt.md, "Certificates").
  size_t normalizer_only = 0;
  for (auto& f : files) {
    std::ifstream in(out / f);
    std::string line;
    if (std::getline(in, line) && line.find("normalizer-only") != std::string::npos)
      ++normalizer_only;
  }
  j["normalizer_only"] = normalizer_only;
  if (j.contains("error"))
    std::fprintf(stderr, "axon-synth: warning: no complete certificate for the winner: %s\n",
                 j["error"].get<std::string>().c_str());
  return j;
}

// Everything a search result depends on: the tool, the expanded program (so a changed spec
// counts), the target, this machine and the flags that change the search.
std::string cache_key(const SynthOptions& o, const IndexProgram& index, const Isa& isa,
                      const CpuBackend& b) {
  std::string features;
  for (auto& f : b.target().features)
    features += f + ",";
  nlohmann::json k = {{"tool", AXON_VERSION},          {"build", build_id()},
                      {"program", to_string(index)},   {"isa", isa_hash(isa)},
                      {"cpu", cpu_model_name()},       {"llvm_cpu", b.target().cpu},
                      {"features", features},          {"seed", o.seed},
                      {"measure", o.measure},          {"repeats", o.repeats},
                      {"time_budget", o.time_budget_s}};
  return hash_hex(k.dump());
}

// A cache hit: rebuild the recorded winner (no search), check it against the interpreter like
// any candidate, and write the outputs. Returns false (search instead) if the entry is unusable.
bool reuse_cached(const nlohmann::json& entry, const IndexProgram& index, const CpuBackend& b,
                  const SynthOptions& o, const fs::path& out, const std::string& key,
                  const std::string& dir) {
  try {
    nlohmann::json report = entry.at("report");
    auto variants = variants_for(index, report.at("best"), "cache entry " + key);
    const ProgramVariant& v = pick_variant(variants, report.at("best"), "cache entry " + key);
    Schedule s = schedule_from_json(report.at("best").at("schedule"), "cache entry " + key);
    if (!validate_schedule(v.program, s).empty())
      return false;
    auto art = b.compile(v.program, s);
    std::string detail;
    if (!(check_artifact(*art, v.program, o.seed + 2000, 48, 1e-3, 120, &detail, nullptr, &index) <=
          1)) {
      std::fprintf(
          stderr, "axon-synth: the cached kernel fails the numerical check (%s); searching again\n",
          detail.c_str());
      return false;
    }
    for (auto& [name, data] : art->files())
      write_file(out / name, data);
    write_file(out / "kernel.json", kernel_interface_text(v.program, s, b.target()));
    std::string lines;
    for (auto& r : entry.at("candidates"))
      lines += r.dump() + "\n";
    write_file(out / "candidates.jsonl", lines);
    write_file(out / "derivation.txt", derivation_text(o.program, v, s, " (from the result cache)",
                                                       report.value("rewrite_derivation", "")));
    std::vector<synth::DerivationStep> steps;
    if (report["best"].contains("derivation"))
      steps = synth::derivation_from_json(report["best"]["derivation"], "cache entry " + key);
    report["certificates"] = write_certificates(index, steps, v, out);
    report["cache"] = {{"hit", true},
                       {"key", key},
                       {"dir", dir},
                       {"budget_limited", entry.value("budget_limited", false)}};
    write_file(out / "report.json", report.dump(2) + "\n");
    if (o.json) {
      std::cout << report.dump(2) << "\n";
    } else {
      std::printf(
          "%s: reused the cached result (key %s%s; --no-cache searches again): best %.3f ms",
          o.program.c_str(), key.c_str(),
          entry.value("budget_limited", false) ? ", from a search the time budget stopped" : "",
          report["best"]["time_ns"]["median"].get<double>() / 1e6);
      if (report.contains("speedup_over_baseline"))
        std::printf(" (%.2fx over the baseline)", report["speedup_over_baseline"].get<double>());
      std::printf("; outputs in %s\n", out.string().c_str());
    }
    return true;
  } catch (const nlohmann::json::exception&) {
    return false;
  } catch (const UserError&) {
    return false; // a recorded derivation that no longer reproduces: search again
  }
}

// The runoff's outcome: the new winner (variant index, record) and its compiled kernel, and the
// report's `runoff` field; all empty when fewer than two candidates were close enough.
struct Runoff {
  std::optional<std::pair<size_t, CandidateRecord>> winner;
  std::unique_ptr<Artifact> artifact;
  nlohmann::json report;
};

// The measured candidates (every variant's, the baseline too) within RunoffOptions::margin of the
// fastest, compiled again and timed in alternation (search/runoff.h).
Runoff runoff_stage(const Backend& backend, const std::vector<ProgramVariant>& variants,
                    const std::vector<std::pair<size_t, CandidateRecord>>& measured,
                    const SearchOptions& so) {
  Runoff out;
  RunoffOptions ro;
  // The search's warm-up, and half its runs: the first runs in a fresh process are slow (softmax
  // 4096^2 took 12-15 ms with 1 + 3 runs, 7.5-8 ms with 2 + 11), which would hide the steady state.
  ro.warmup = so.warmup;
  ro.repeats = std::max(1, so.repeats / 2);
  std::vector<double> medians;
  for (auto& [vi, c] : measured)
    medians.push_back(c.timing.median_ns);
  std::vector<size_t> picks = runoff_contenders(medians, ro.margin, ro.max);
  if (picks.size() < 2)
    return out;
  std::vector<std::unique_ptr<Artifact>> arts;
  std::vector<const Artifact*> contenders;
  std::vector<size_t> entered; // indices into measured
  for (size_t m : picks) {
    const auto& [vi, c] = measured[m];
    try {
      arts.push_back(backend.compile(variants[vi].program, c.schedule));
    } catch (const std::exception& e) {
      std::fprintf(stderr, "[runoff] %s, candidate %d: does not compile again (%s); left out\n",
                   variants[vi].name.c_str(), c.id, e.what());
      continue;
    }
    contenders.push_back(arts.back().get());
    entered.push_back(m);
  }
  if (contenders.size() < 2)
    return out;
  RunoffResult rr =
      runoff(contenders.size(), ro.rounds, isolated_timer(contenders, ro, so.candidate_timeout_s));
  nlohmann::json list = nlohmann::json::array();
  std::string line;
  for (size_t i = 0; i < entered.size(); ++i) {
    const auto& [vi, c] = measured[entered[i]];
    nlohmann::json e = {{"variant", variants[vi].name},
                        {"id", c.id},
                        {"search_median_ns", c.timing.median_ns},
                        {"round_medians_ns", rr.round_medians_ns[i]}};
    if (rr.failure[i].empty())
      e["median_ns"] = rr.median_ns[i];
    else
      e["failure"] = rr.failure[i];
    list.push_back(e);
    char buf[160];
    std::snprintf(buf, sizeof buf, "%s%s #%d %.3f ms", line.empty() ? "" : ", ",
                  variants[vi].name.c_str(), c.id, rr.median_ns[i] / 1e6);
    line += buf;
  }
  out.winner = measured[entered[rr.winner]];
  out.artifact = std::move(arts[rr.winner]);
  out.report = {{"margin", ro.margin},   {"rounds", ro.rounds}, {"warmup", ro.warmup},
                {"repeats", ro.repeats}, {"contenders", list},  {"chosen", rr.winner}};
  std::fprintf(stderr,
               "[runoff] %zu candidates within %.0f%% of the fastest, %d rounds in alternation: "
               "%s; chosen: %s #%d\n",
               entered.size(), ro.margin * 100, ro.rounds, line.c_str(),
               variants[out.winner->first].name.c_str(), out.winner->second.id);
  return out;
}

} // namespace

void require_writable_directory(const std::string& dir, const std::string& what) {
  require_writable_dir(dir, what);
}

int synthesize_command(const SynthOptions& o) {
  auto t_job = Clock::now();
  // SIGINT from the start: before the first measurement it ends the job with "interrupted" and
  // exit 130; during the search the best candidate so far wins.
  g_interrupted = false;
  std::signal(SIGINT, on_sigint);
  struct RestoreSigint {
    ~RestoreSigint() { std::signal(SIGINT, SIG_DFL); }
  } restore_sigint;
  StageTimer timer;
  set_measure_lock_path(o.measure_lock, &g_interrupted);
  SpecLibrary extra;
  FrontendOptions front = front_options(o, extra);
  SourceRef src = read_source(o.program);
  Program program = load_program(src, front);
  timer.lap("parse + check");
  IndexProgram index = expand(program, front.specs ? *front.specs : SpecLibrary::builtin());
  timer.lap("expand");
  Isa isa = load_isa(o.isa);
  timer.lap("load target");
  std::unique_ptr<CpuBackend> backend = make_backend(isa);
  if (std::string why = backend->unsupported(index); !why.empty())
    user_error(o.program + ": error: " + why);
  fs::path out =
      o.out_dir.empty() ? fs::path("axon-out") / fs::path(o.program).stem() : fs::path(o.out_dir);
  // Where the results go must take them before anything is searched.
  std::error_code ec;
  fs::create_directories(out, ec);
  if (ec)
    user_error("error: cannot create the output directory " + out.string() + ": " + ec.message());
  require_writable_dir(out, "the output directory");
  if (!o.library.empty())
    require_writable_dir(o.library, "the kernel library directory");
  std::string key = cache_key(o, index, isa, *backend);
  std::string cache_dir = default_cache_dir();
  if (!o.no_cache)
    if (auto hit = cache_lookup(cache_dir, key))
      if (reuse_cached(*hit, index, *backend, o, out, key, cache_dir)) {
        install_if_asked(o, out.string());
        return 0;
      }
  std::ofstream jsonl(out / "candidates.jsonl", std::ios::trunc);
  nlohmann::json all_records = nlohmann::json::array();
  SearchOptions so;
  so.seed = o.seed;
  so.time_budget_s = o.time_budget_s; // reduced below by what the stages before the search took
  so.measure = static_cast<size_t>(o.measure);
  so.compile_jobs = o.jobs;
  so.repeats = o.repeats;
  // The stages before the search are bounded too (docs/reliability.md): rewrite discovery by
  // kRewriteSeconds (a quarter of --time-budget when that is less), instruction selection up to
  // half of --time-budget from the start of the job, or kPreSearchSeconds without one. What is
  // left of the budget, at least half of it, goes to the search.
  double budget = o.time_budget_s;
  double rewrite_limit = budget > 0 ? std::min(kRewriteSeconds, budget / 4) : kRewriteSeconds;
  auto isel_deadline =
      t_job + std::chrono::duration_cast<Clock::duration>(
                  std::chrono::duration<double>(budget > 0 ? budget / 2 : kPreSearchSeconds));
  // Rewrite discovery after the cache lookup: a cache hit replays the recorded derivation instead.
  synth::DiscoveryReport rewrites =
      synth::RewriteRunner().with_time_limit(rewrite_limit).run(index);
  timer.lap("rewrite discovery");
  if (g_interrupted.load())
    return interrupted(o);
  std::vector<ProgramVariant> variants = fusion_variants(index);
  std::map<std::string, const synth::Variant*> derived;
  for (const synth::Variant* rv : synth::pick_variants(rewrites, 2)) {
    size_t first = variants.size();
    add_rewrite_variants(rv->state.program, rv->canonical, variants);
    for (size_t i = first; i < variants.size(); ++i)
      derived[variants[i].name] = rv;
  }
  InstructionSelection isel = select_for_variants(variants, isa, *src, isel_deadline);
  timer.lap("instruction selection");
  if (g_interrupted.load())
    return interrupted(o);
  if (isel.stopped)
    std::fprintf(stderr,
                 "axon-synth: instruction selection stopped at its time limit (%.0f s%s) after %zu "
                 "statement(s); "
                 "the others are costed by the operation weights\n",
                 budget > 0 ? budget / 2 : kPreSearchSeconds,
                 budget > 0 ? ", half of --time-budget" : ", the default", isel.statements);
  backend->set_selected_costs(isel.costs);
  if (budget > 0)
    so.time_budget_s =
        std::max(budget / 2, budget - std::chrono::duration<double>(Clock::now() - t_job).count());
  auto t_search = Clock::now();
  double best_ms = -1;
  // Every fusion variant is searched and checked against the program as written; the op-by-op
  // baseline is measured once, on the program as written.
  std::optional<std::pair<size_t, CandidateRecord>> winner;
  std::optional<CandidateRecord> baseline;
  SearchStats st;
  st.stop_reason = "measured all";
  // Variants are ranked against each other by the cost model: a candidate estimated at more than
  // twice the best estimate of any variant is not worth measuring.
  double best_estimate = INFINITY;
  std::set<std::string> tile_shapes_measured; // statements whose tile shapes a variant measured
  std::vector<double> variant_estimate;
  for (auto& v : variants) {
    variant_estimate.push_back(best_estimate_ns(v.program, *backend));
    best_estimate = std::min(best_estimate, variant_estimate.back());
  }
  std::vector<std::pair<size_t, CandidateRecord>>
      measured; // every candidate timed (the baseline too), with its variant
  std::map<std::string, std::string> variant_by_text; // a program already searched, by its text
  for (size_t vi = 0; vi < variants.size(); ++vi) {
    // A rewrite can reach a program a fusion variant already is (inlining a temporary that
    // fusion_variants inlines too): the same candidates would be measured twice.
    auto [seen, fresh] =
        variant_by_text.emplace(to_string(variants[vi].program), variants[vi].name);
    if (!fresh) {
      std::fprintf(stderr, "[search] %s: the same program as %s; not searched again\n",
                   variants[vi].name.c_str(), seen->second.c_str());
      continue;
    }
    if (!variants[vi].superseded_by.empty()) {
      std::fprintf(stderr, "[search] %s: not searched; %s fuses the same and more\n",
                   variants[vi].name.c_str(), variants[vi].superseded_by.c_str());
      continue;
    }
    // A rewrite is measured unless the cost model puts it beyond twice the program as written
    // (the bound every candidate gets): pick_variants passes on only rewrites that do at most
    // 1.25x the arithmetic, and the cost model alone does not see what moving work out of a
    // reduction changes (the post-scaled RMSNorm + MatMul, issue 19): measurement decides.
    if (derived.count(variants[vi].name) && !(variant_estimate[vi] < 2 * variant_estimate[0])) {
      std::fprintf(stderr, "[search] %s: skipped, estimated %.3f ms against %.3f ms as written\n",
                   variants[vi].name.c_str(), variant_estimate[vi] / 1e6,
                   variant_estimate[0] / 1e6);
      continue;
    }
    SearchOptions sv = so;
    sv.budget_spent_s = std::chrono::duration<double>(Clock::now() - t_search).count();
    sv.searched_measured = std::any_of(measured.begin(), measured.end(),
                                       [](auto& m) { return m.second.kind != "baseline"; });
    sv.tile_shapes_measured = &tile_shapes_measured;
    sv.include_baseline = vi == 0;
    sv.max_estimate_ns = 2 * best_estimate;
    SearchResult r = search_schedules(
        variants[vi].program, *backend, sv,
        [&](const CandidateRecord& c) {
          nlohmann::json j = record_json(c);
          j["variant"] = variants[vi].name;
          jsonl << j.dump() << "\n" << std::flush;
          all_records.push_back(j);
          if (c.status == CandidateStatus::Ok)
            measured.push_back({vi, c});
          if (c.status == CandidateStatus::Ok &&
              (best_ms < 0 || c.timing.median_ns / 1e6 < best_ms))
            best_ms = c.timing.median_ns / 1e6;
          double el = std::chrono::duration<double>(Clock::now() - t_search).count();
          std::fprintf(stderr, "[search %6.1fs] %s, candidate %d (%s): %s", el,
                       variants[vi].name.c_str(), c.id, c.kind.c_str(), status_name(c.status));
          if (c.status == CandidateStatus::Ok)
            std::fprintf(stderr, " %.3f ms", c.timing.median_ns / 1e6);
          if (best_ms >= 0)
            std::fprintf(stderr, "; best %.3f ms", best_ms);
          std::fprintf(stderr, "\n");
        },
        [] { return g_interrupted.load(); }, &index);
    st.enumerated += r.stats.enumerated;
    st.combined += r.stats.combined;
    st.compiled += r.stats.compiled;
    st.compile_failures += r.stats.compile_failures;
    st.numerics_failures += r.stats.numerics_failures;
    st.crashes += r.stats.crashes;
    st.measured += r.stats.measured;
    st.seconds_enumerate += r.stats.seconds_enumerate;
    st.seconds_compile += r.stats.seconds_compile;
    st.seconds_check += r.stats.seconds_check;
    st.seconds_measure += r.stats.seconds_measure;
    for (auto& c : r.candidates)
      if (c.kind == "baseline")
        baseline = c; // measured or not (a time budget can stop it)
    if (r.best >= 0 && (!winner || r.candidates[static_cast<size_t>(r.best)].timing.median_ns <
                                       winner->second.timing.median_ns)) {
      winner = std::make_pair(vi, r.candidates[static_cast<size_t>(r.best)]);
      // The winner's statement schedules seed the searches of the later variants.
      for (size_t i = 0; i < winner->second.schedule.stmts.size(); ++i)
        so.statement_hints[stmt_cost_key(variants[vi].program, i)] =
            winner->second.schedule.stmts[i];
    }
    if (r.stats.stop_reason != "measured all") {
      st.stop_reason = r.stats.stop_reason;
      break;
    }
  }
  timer.lap("search (compile, check, time)");
  // The runoff: the candidates within a few percent of the fastest timed again in alternation,
  // so that the machine's drift between their first timings does not pick the winner.
  Runoff ro;
  bool in_budget =
      so.time_budget_s <= 0 ||
      std::chrono::duration<double>(Clock::now() - t_search).count() < so.time_budget_s;
  if (winner && st.stop_reason == "measured all" && in_budget && !g_interrupted.load()) {
    ro = runoff_stage(*backend, variants, measured, so);
    if (ro.winner) {
      winner = ro.winner;
      timer.lap("runoff");
    }
  }
  if (g_interrupted.load() && !winner)
    return interrupted(o);

  nlohmann::json report;
  report["schema_version"] = kReportSchema;
  report["tool"] = std::string("axon-synth ") + AXON_VERSION;
  report["inputs"] = {{"program", {{"path", o.program}, {"hash", hash_hex(to_string(program))}}},
                      {"isa", {{"path", o.isa}, {"name", isa.name}, {"hash", isa_hash(isa)}}},
                      {"dims", o.dims},
                      {"specs", o.specs},
                      {"seed", o.seed}};
  report["device"] = {{"cpu", cpu_model_name()},
                      {"target", backend->target().isa},
                      {"llvm_cpu", backend->target().cpu}};
  report["search"] = {{"variants", variants.size()},
                      {"rewrites", rewrite_summary(rewrites, derived.size())},
                      {"schedules_enumerated", st.enumerated},
                      {"candidates_ranked", st.combined},
                      {"compiled", st.compiled},
                      {"compile_failures", st.compile_failures},
                      {"numerics_failures", st.numerics_failures},
                      {"crashes", st.crashes},
                      {"measured", st.measured},
                      {"stop_reason", st.stop_reason}};
  // The best measured median of each variant that was searched (a rewrite variant that the
  // search measured shows here whether it won or lost).
  nlohmann::json best_by_variant = nlohmann::json::object();
  for (auto& [vi, c] : measured) {
    auto& slot = best_by_variant[variants[vi].name];
    double ms = c.timing.median_ns / 1e6;
    if (slot.is_null() || ms < slot.get<double>())
      slot = ms;
  }
  report["search"]["best_ms_by_variant"] = best_by_variant;
  nlohmann::json phases = nlohmann::json::object();
  for (auto& [s, sec] : timer.rows)
    phases[s] = sec;
  phases["search.enumerate"] = st.seconds_enumerate;
  phases["search.compile"] = st.seconds_compile;
  phases["search.check"] = st.seconds_check;
  phases["search.measure"] = st.seconds_measure;
  if (!o.measure_lock.empty())
    phases["search.measure_lock_wait"] =
        measure_lock_wait_seconds(); // in search.measure and the runoff
  report["seconds"] = phases;
  if (baseline)
    report["baseline"] = record_json(*baseline);
  bool baseline_measured = baseline && baseline->status == CandidateStatus::Ok;
  report["selection"] = selection_report(isel, variants[winner ? winner->first : 0].program);
  int code = 0;
  if (!winner) {
    report["best"] = nullptr;
    code = 3;
  } else {
    const ProgramVariant& v = variants[winner->first];
    const CandidateRecord& best = winner->second;
    report["best"] = record_json(best);
    report["best"]["variant"] = v.name;
    report["best"]["fused_temporaries"] = v.inlined;
    const synth::Variant* rv = derived.count(v.name) ? derived.at(v.name) : nullptr;
    report["best"]["derivation"] =
        synth::derivation_to_json(rv ? rv->derivation : std::vector<synth::DerivationStep>{});
    if (rv)
      report["rewrite_derivation"] = synth::derivation_text(index, *rv);
    if (baseline_measured)
      report["speedup_over_baseline"] = baseline->timing.median_ns / best.timing.median_ns;
    std::unique_ptr<Artifact> art =
        ro.artifact ? std::move(ro.artifact) : backend->compile(v.program, best.schedule);
    for (auto& [name, data] : art->files())
      write_file(out / name, data);
    write_file(out / "kernel.json",
               kernel_interface_text(v.program, best.schedule, backend->target()));
    write_file(out / "derivation.txt",
               derivation_text(o.program, v, best.schedule, "",
                               rv ? synth::derivation_text(index, *rv) : ""));
    report["certificates"] = write_certificates(
        index, rv ? rv->derivation : std::vector<synth::DerivationStep>{}, v, out);
    timer.lap("certificates");
  }
  if (!ro.report.is_null())
    report["runoff"] = ro.report;
  report["cache"] = {{"hit", false}, {"key", key}, {"dir", cache_dir}};
  write_file(out / "report.json", report.dump(2) + "\n");
  timer.lap("write outputs");
  // A search the time budget stopped is cached too, marked so: the same run (the budget is in
  // the key) reuses it and says that it was budget-limited. An interrupted one is not.
  bool budget_limited = st.stop_reason == "time budget";
  if (winner && (st.stop_reason == "measured all" || budget_limited) && !o.no_cache)
    cache_store(
        cache_dir, key,
        {{"report", report}, {"candidates", all_records}, {"budget_limited", budget_limited}});
  timer.print_if_asked();
  if (o.json) {
    std::cout << report.dump(2) << "\n";
  } else if (winner) {
    const CandidateRecord& best = winner->second;
    std::printf("%s on %s: best %.3f ms (%s)", o.program.c_str(), isa.name.c_str(),
                best.timing.median_ns / 1e6, variants[winner->first].name.c_str());
    if (baseline_measured)
      std::printf(", baseline %.3f ms, %.2fx", baseline->timing.median_ns / 1e6,
                  report["speedup_over_baseline"].get<double>());
    else if (baseline)
      std::printf(", baseline %s", baseline->detail.empty() ? status_name(baseline->status)
                                                            : baseline->detail.c_str());
    std::printf("; %zu candidates measured; outputs in %s\n", st.measured, out.string().c_str());
  } else {
    std::printf("%s: no valid candidate (see %s)\n", o.program.c_str(),
                (out / "candidates.jsonl").string().c_str());
  }
  if (code == 0)
    install_if_asked(o, out.string());
  return code;
}

int replay_command(const std::string& report_path, const std::string& out_dir) {
  std::ifstream in(report_path);
  if (!in)
    user_error(report_path + ": cannot open the report");
  nlohmann::json r;
  try {
    in >> r;
  } catch (const nlohmann::json::exception& e) {
    user_error(report_path + ": not JSON: " + e.what());
  }
  if (!r.contains("schema_version") || r["schema_version"] != kReportSchema)
    user_error(report_path + ": /schema_version: expected " + std::to_string(kReportSchema));
  if (!r.contains("best") || r["best"].is_null())
    user_error(report_path + ": /best: the report has no winning candidate");
  SynthOptions o;
  try {
    o.program = r.at("inputs").at("program").at("path").get<std::string>();
    o.isa = r.at("inputs").at("isa").at("path").get<std::string>();
    o.dims = r.at("inputs").at("dims").get<std::map<std::string, int64_t>>();
    o.specs = r.at("inputs").at("specs").get<std::vector<std::string>>();
  } catch (const nlohmann::json::exception& e) {
    user_error(report_path + ": /inputs: " + e.what());
  }
  Schedule s = schedule_from_json(r["best"]["schedule"], report_path + ": /best/schedule");
  SpecLibrary extra;
  FrontendOptions front = front_options(o, extra);
  Program program = load_program(read_source(o.program), front);
  if (hash_hex(to_string(program)) != r["inputs"]["program"]["hash"])
    user_error(report_path + ": the program " + o.program +
               " changed since the report was written");
  IndexProgram index = expand(program, front.specs ? *front.specs : SpecLibrary::builtin());
  auto variants = variants_for(index, r["best"], report_path);
  const ProgramVariant& v = pick_variant(variants, r["best"], report_path);
  Isa isa = load_isa(o.isa);
  if (isa_hash(isa) != r["inputs"]["isa"]["hash"])
    user_error(report_path + ": the target " + o.isa + " changed since the report was written");
  std::string why = validate_schedule(v.program, s);
  if (!why.empty())
    user_error(report_path + ": /best/schedule: " + why);
  auto backend = make_backend(isa);
  auto art = backend->compile(v.program, s);
  std::string detail;
  double err =
      check_artifact(*art, v.program, o.seed + 1000, 48, 1e-3, 120, &detail, nullptr, &index);
  if (!(err <= 1))
    user_error("replayed kernel fails the numerical check: " + detail);
  fs::path out =
      out_dir.empty() ? fs::path(report_path).parent_path() / "replay" : fs::path(out_dir);
  fs::create_directories(out);
  for (auto& [name, data] : art->files())
    write_file(out / name, data);
  write_file(out / "kernel.json", kernel_interface_text(v.program, s, backend->target()));
  Timing t = art->time(2, 11);
  std::printf("replayed %s on %s without searching: %.3f ms (report: %.3f ms); kernel in %s\n",
              o.program.c_str(), isa.name.c_str(), t.median_ns / 1e6,
              r["best"]["time_ns"]["median"].get<double>() / 1e6, out.string().c_str());
  return 0;
}

} // namespace axon
