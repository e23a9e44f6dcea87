// The pipeline, one stage per line (Halide's Lower.cpp is the model): parse and check, expand to
// index notation, load the target, rewrite discovery (synth/: proven variants), instruction
// selection (synth/select_instructions via emit/cpu/instruction_costs.h: every statement of every
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
#include <elf.h>
#include <fcntl.h>
#include <filesystem>
#include <fstream>
#include <functional>
#include <iostream>
#include <link.h>
#include <nlohmann/json.hpp>
#include <optional>
#include <set>
#include <sstream>
#include <unistd.h>

#include "emit/registry.h"
#include "ir/error.h"
#include "ir/frontend.h"
#include "ir/hash.h"
#include "isa/isa.h"
#include "runtime/sha256.h"
#include "search/measure_lock.h"
#include "search/result_cache.h"
#include "search/runoff.h"
#include "search/search.h"
#include "search/variants.h"
#include "smt/proof_cache.h"
#include "synth/apply_derivation.h"
#include "synth/derivation_text.h"
#include "synth/fusion_variants.h"
#include "synth/pick_variants.h"
#include "synth/prove_step.h"
#include "synth/replay_derivation.h"
#include "synth/rewrite_step.h"
#include "tools/library_command.h"
#include "tools/report.h"

namespace axon {

namespace {

namespace fs = std::filesystem;
using Clock = std::chrono::steady_clock;

std::atomic<bool> g_interrupted{false};
void on_sigint(int) { g_interrupted = true; }

// Without --time-budget, instruction selection stops this long after the job started (its
// default bound, docs/reliability.md); a selection it stops keeps the cost model's weights.
constexpr double kPreSearchSeconds = 60.0;

// SIGINT before any candidate was measured: nothing to report but that (exit 130, as a shell
// reports a job killed by SIGINT).
int interrupted(const SynthOptions& o) {
  std::fprintf(stderr, "%s: interrupted before any candidate was measured\n", o.program.c_str());
  return 130;
}

// The stages' times (report.json's "seconds"; AXON_TIME_PASSES=1 prints them as a table at the
// end). With AXON_DEBUG_STAGES=1 each stage prints its time and what it produced as it ends.
struct StageTimer {
  std::vector<std::pair<std::string, double>> rows;
  Clock::time_point t = Clock::now();
  bool debug = [] {
    const char* e = std::getenv("AXON_DEBUG_STAGES");
    return e && std::string(e) == "1";
  }();
  void lap(const std::string& stage) {
    auto now = Clock::now();
    rows.push_back({stage, std::chrono::duration<double>(now - t).count()});
    t = now;
  }
  // Runs a stage, times it, and with AXON_DEBUG_STAGES=1 prints `dump()` after it.
  void run(const std::string& stage, const std::function<void()>& body,
           const std::function<std::string()>& dump) {
    body();
    lap(stage);
    show(stage, dump);
  }
  // A stage that may not happen (body returns false): timed only when it did.
  void run_if(const std::string& stage, const std::function<bool()>& body,
              const std::function<std::string()>& dump) {
    if (!body())
      return;
    lap(stage);
    show(stage, dump);
  }
  void show(const std::string& stage, const std::function<std::string()>& dump) const {
    if (!debug)
      return;
    std::fprintf(stderr, "[stage] %s: %.3f s\n%s\n", stage.c_str(), rows.back().second,
                 dump().c_str());
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

double seconds_since(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

// SIGINT from the start of the job: before the first measurement it ends the job with
// "interrupted" and exit 130; during the search the best candidate so far wins.
struct SigintScope {
  SigintScope() {
    g_interrupted = false;
    std::signal(SIGINT, on_sigint);
  }
  ~SigintScope() { std::signal(SIGINT, SIG_DFL); }
};

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

// Instruction selection for every statement the search will run, cached beside the proof cache
// ($AXON_CACHE_DIR/isel, as `isa table` does).
SelectionSummary select_for_variants(Backend& b, const std::vector<ProgramVariant>& vs,
                                     const Isa& isa, const SourceFile& src,
                                     Clock::time_point deadline) {
  SelectOptions so;
  so.cache_dir = smt::default_cache_dir() + "/isel";
  so.deadline = deadline;
  so.interrupted = &g_interrupted;
  std::vector<const IndexProgram*> ps;
  for (auto& v : vs)
    ps.push_back(&v.program);
  return b.select_instructions(ps, isa, so, &src);
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

// The GNU build ID the linker wrote into the running executable (a hash of its contents), read
// from its loaded note segment; empty when it has none.
int find_build_id(struct dl_phdr_info* info, size_t, void* data) {
  auto* out = static_cast<std::string*>(data);
  if (info->dlpi_name && info->dlpi_name[0] != '\0')
    return 0; // the executable is the first object, with an empty name
  for (int i = 0; i < info->dlpi_phnum; ++i) {
    const ElfW(Phdr)& ph = info->dlpi_phdr[i];
    if (ph.p_type != PT_NOTE)
      continue;
    const char* p = reinterpret_cast<const char*>(info->dlpi_addr + ph.p_vaddr);
    const char* end = p + ph.p_memsz;
    while (p + sizeof(ElfW(Nhdr)) <= end) {
      auto* n = reinterpret_cast<const ElfW(Nhdr)*>(p);
      const char* name = p + sizeof(ElfW(Nhdr));
      const char* desc = name + ((n->n_namesz + 3) & ~3u);
      if (n->n_type == NT_GNU_BUILD_ID && n->n_namesz == 4 && std::memcmp(name, "GNU", 4) == 0 &&
          desc + n->n_descsz <= end) {
        static const char* hex = "0123456789abcdef";
        for (unsigned k = 0; k < n->n_descsz; ++k) {
          auto b = static_cast<unsigned char>(desc[k]);
          out->push_back(hex[b >> 4]);
          out->push_back(hex[b & 15]);
        }
        return 1;
      }
      p = desc + ((n->n_descsz + 3) & ~3u);
    }
  }
  return 1;
}

// The identity of this build, so results cached by another build of the same version are never
// reused: the executable's GNU build ID, else a hash of the executable file (slower: the
// RelWithDebInfo binary is ~180 MB).
std::string build_id() {
  static const std::string id = [] {
    std::string gnu;
    dl_iterate_phdr(find_build_id, &gnu);
    if (!gnu.empty())
      return "gnu-" + gnu;
    std::ifstream in("/proc/self/exe", std::ios::binary);
    std::ostringstream ss;
    ss << in.rdbuf();
    return hash_hex(ss.str());
  }();
  return id;
}

// Everything a search result depends on: the tool, the expanded program (so a changed spec
// counts), the target, this machine and the flags that change the search.
std::string cache_key(const SynthOptions& o, const IndexProgram& index, const Isa& isa,
                      const Backend& b) {
  nlohmann::json k = {{"tool", AXON_VERSION},
                      {"build", build_id()},
                      {"program", to_string(index)},
                      {"isa", isa_hash(isa)},
                      {"seed", o.seed},
                      {"measure", o.measure},
                      {"repeats", o.repeats},
                      {"time_budget", o.time_budget_s}};
  k.update(b.fingerprint()); // the device, as the backend sees it
  return hash_hex(k.dump());
}

// The winner's artifact files (Artifact::files: kernel.o for the CPU, program.json, timing.json and
// trace.json for the NPU) written into OUT, with the target description the kernel was compiled
// for (isa.json, canonical: an NPU program loads only with its target, and the library installs
// it beside the program). Returns report.json's "artifact" section: the backend's artifact kind
// and each file's sha256, which `replay` compares with the files it rebuilds.
nlohmann::json write_artifact(const Backend& b, const Artifact& art, const Isa& isa,
                              const fs::path& out) {
  nlohmann::json files = nlohmann::json::object();
  for (auto& [name, data] : art.files()) {
    write_file(out / name, data);
    files[name] = rt::sha256_hex(data);
  }
  write_file(out / "isa.json", isa_to_json(isa) + "\n");
  return {{"kind", b.artifact_kind()}, {"files", files}};
}

// A cache hit: rebuild the recorded winner (no search), check it against the interpreter like
// any candidate, and write the outputs. Returns false (search instead) if the entry is unusable.
bool reuse_cached(const nlohmann::json& entry, const IndexProgram& index, const Isa& isa,
                  const Backend& b, const SynthOptions& o, const fs::path& out,
                  const std::string& key, const std::string& dir) {
  try {
    nlohmann::json report = entry.at("report");
    auto variants = variants_for(index, report.at("best"), "cache entry " + key);
    const ProgramVariant& v = pick_variant(variants, report.at("best"), "cache entry " + key);
    Plan s = b.plan_from_json(report.at("best").at("schedule"), "cache entry " + key);
    if (!b.legality(v.program, s).empty())
      return false;
    auto art = b.compile(v.program, s);
    std::string detail;
    if (!(check_plan(b, v.program, s, *art, o.seed + 2000, 48, 1e-3, 120, &detail, &index) <= 1)) {
      std::fprintf(
          stderr, "axon-synth: the cached kernel fails the numerical check (%s); searching again\n",
          detail.c_str());
      return false;
    }
    report["artifact"] = write_artifact(b, *art, isa, out);
    write_file(out / "kernel.json", b.kernel_json(v.program, s));
    std::string lines;
    for (auto& r : entry.at("candidates"))
      lines += r.dump() + "\n";
    write_file(out / "candidates.jsonl", lines);
    write_file(out / "derivation.txt",
               derivation_text(o.program, v, b.plan_text(v.program, s), " (from the result cache)",
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

// One run of the main job: what its stages produce, in pipeline order. Each stage is a member
// function; synthesize_command calls them one per line.
struct Job {
  const SynthOptions& o;
  Clock::time_point t_job = Clock::now();
  StageTimer timer;
  SpecLibrary extra;
  FrontendOptions front;
  SourceRef src;
  Program program;
  IndexProgram index;
  Isa isa;
  std::unique_ptr<Backend> backend;
  fs::path out;
  std::string key, cache_dir;
  synth::DiscoveryReport rewrites;
  std::vector<ProgramVariant> variants;
  std::map<std::string, const synth::Variant*> derived; // rewrite variants, by name
  SelectionSummary isel;
  SearchOptions so;
  std::ofstream jsonl;                                  // candidates.jsonl
  nlohmann::json all_records = nlohmann::json::array(); // every record, for the cache entry
  VariantSearchResult found;
  RunoffStage ro;

  explicit Job(const SynthOptions& opts) : o(opts) {}

  // The stages before the search are bounded too (docs/reliability.md): rewrite discovery by
  // kRewriteSeconds (a quarter of --time-budget when that is less), instruction selection up to
  // half of --time-budget from the start of the job, or kPreSearchSeconds without one. What is
  // left of the budget, at least half of it, goes to the search.
  double budget() const { return o.time_budget_s; }
  double pre_search_seconds() const { return budget() > 0 ? budget() / 2 : kPreSearchSeconds; }

  void parse() {
    front = front_options(o, extra);
    src = read_source(o.program);
    program = load_program(src, front);
  }
  void expand_program() {
    index = expand(program, front.specs ? *front.specs : SpecLibrary::builtin());
  }
  // The target's backend (emit/registry.h), and where the results go: they must take them
  // before anything is searched.
  void load_target() {
    isa = load_isa(o.isa);
    backend = backend_for(isa);
    if (std::string why = backend->unsupported(index); !why.empty())
      user_error(o.program + ": error: " + why);
    out =
        o.out_dir.empty() ? fs::path("axon-out") / fs::path(o.program).stem() : fs::path(o.out_dir);
    std::error_code ec;
    fs::create_directories(out, ec);
    if (ec)
      user_error("error: cannot create the output directory " + out.string() + ": " + ec.message());
    require_writable_dir(out, "the output directory");
    if (!o.library.empty())
      require_writable_dir(o.library, "the kernel library directory");
    key = cache_key(o, index, isa, *backend);
    cache_dir = default_cache_dir();
  }
  // A cache hit writes the outputs of the recorded winner (checked again) instead of searching.
  bool reuse_cached_result() {
    if (o.no_cache)
      return false;
    auto hit = cache_lookup(cache_dir, key);
    if (!hit || !reuse_cached(*hit, index, isa, *backend, o, out, key, cache_dir))
      return false;
    install_if_asked(o, out.string());
    return true;
  }
  // Rewrite discovery after the cache lookup: a cache hit replays the recorded derivation instead.
  void discover_rewrites() {
    double limit = budget() > 0 ? std::min(kRewriteSeconds, budget() / 4) : kRewriteSeconds;
    rewrites = synth::RewriteRunner().with_time_limit(limit).run(index);
  }
  // The fusion variants of the program as written, then of the best few rewrites.
  void make_variants() {
    variants = fusion_variants(index);
    for (const synth::Variant* rv : synth::pick_variants(rewrites, 2)) {
      size_t first = variants.size();
      add_rewrite_variants(rv->state.program, rv->canonical, variants);
      for (size_t i = first; i < variants.size(); ++i)
        derived[variants[i].name] = rv;
    }
  }
  void select_instructions() {
    auto deadline = t_job + std::chrono::duration_cast<Clock::duration>(
                                std::chrono::duration<double>(pre_search_seconds()));
    isel = select_for_variants(*backend, variants, isa, *src, deadline);
    if (isel.stopped)
      std::fprintf(stderr,
                   "axon-synth: instruction selection stopped at its time limit (%.0f s%s) after "
                   "%zu statement(s); the others are costed by the operation weights\n",
                   pre_search_seconds(), budget() > 0 ? ", half of --time-budget" : ", the default",
                   isel.statements);
  }
  // Every variant searched under the variant policy (search/variants.h), each candidate logged
  // to candidates.jsonl and stderr as it is recorded.
  void search() {
    so.seed = o.seed;
    so.measure = static_cast<size_t>(o.measure);
    so.compile_jobs = o.jobs;
    so.repeats = o.repeats;
    so.time_budget_s = budget() > 0 ? std::max(budget() / 2, budget() - seconds_since(t_job)) : 0;
    jsonl.open(out / "candidates.jsonl", std::ios::trunc);
    auto t_search = Clock::now();
    double best_ms = -1;
    std::set<std::string> rewrite_names;
    for (auto& [name, rv] : derived)
      rewrite_names.insert(name);
    found = search_variants(
        variants, rewrite_names, index, *backend, so,
        [&](size_t vi, const CandidateRecord& c) {
          nlohmann::json j = record_json(*backend, c);
          j["variant"] = variants[vi].name;
          jsonl << j.dump() << "\n" << std::flush;
          all_records.push_back(j);
          if (c.status == CandidateStatus::Ok &&
              (best_ms < 0 || c.timing.median_ns / 1e6 < best_ms))
            best_ms = c.timing.median_ns / 1e6;
          std::fprintf(stderr, "[search %6.1fs] %s, candidate %d (%s): %s", seconds_since(t_search),
                       variants[vi].name.c_str(), c.id, c.kind.c_str(), status_name(c.status));
          if (c.status == CandidateStatus::Ok)
            std::fprintf(stderr, " %.3f ms", c.timing.median_ns / 1e6);
          if (best_ms >= 0)
            std::fprintf(stderr, "; best %.3f ms", best_ms);
          std::fprintf(stderr, "\n");
        },
        [] { return g_interrupted.load(); });
    search_seconds = seconds_since(t_search);
  }
  double search_seconds = 0;
  // The runoff: the candidates within a few percent of the fastest timed again in alternation,
  // so that the machine's drift between their first timings does not pick the winner (a wall
  // clock only: a simulated time is exact). Returns whether it ran.
  bool run_off() {
    bool in_budget = so.time_budget_s <= 0 || search_seconds < so.time_budget_s;
    if (!found.winner || found.stats.stop_reason != "measured all" || !in_budget ||
        g_interrupted.load() || !needs_runoff(*backend))
      return false;
    ro = runoff_stage(*backend, variants, found.measured, so);
    if (ro.winner)
      found.winner = ro.winner;
    return ro.winner.has_value();
  }
  int write_outputs();

  // A stage: run, timed, and its product printed under AXON_DEBUG_STAGES=1.
  void stage(const char* name, void (Job::*body)(), std::string (Job::*dump)() const) {
    timer.run(
        name, [&] { (this->*body)(); }, [&] { return (this->*dump)(); });
  }
  void stage_if(const char* name, bool (Job::*body)(), std::string (Job::*dump)() const) {
    timer.run_if(
        name, [&] { return (this->*body)(); }, [&] { return (this->*dump)(); });
  }
  // What each stage produced, for AXON_DEBUG_STAGES=1.
  std::string program_dump() const { return to_string(program); }
  std::string index_dump() const { return to_string(index); }
  std::string target_dump() const {
    return isa.name + ": backend " + backend->name() + ", " + backend->device_report().dump();
  }
  std::string rewrites_dump() const { return rewrite_summary(rewrites, 0).dump(1); }
  std::string variants_dump() const {
    std::string d;
    for (auto& v : variants)
      d += "# " + v.name +
           (v.superseded_by.empty() ? "" : " (superseded by " + v.superseded_by + ")") + "\n" +
           to_string(v.program) + "\n";
    return d;
  }
  std::string selection_dump() const { return backend->selection_report(index).dump(1); }
  std::string winner_dump() const {
    if (!found.winner)
      return "no valid candidate";
    const auto& [vi, c] = *found.winner;
    return variants[vi].name + ", candidate " + std::to_string(c.id) + ": " +
           std::to_string(c.timing.median_ns / 1e6) + " ms\n" +
           backend->plan_text(variants[vi].program, c.plan);
  }
  std::string runoff_dump() const { return ro.report.dump(1); }
};

// report.json, the winner's files (kernel, kernel.json, derivation.txt, certificates), the cache
// entry and the summary line; then the library install when asked.
int Job::write_outputs() {
  const SearchStats& st = found.stats;
  const auto& winner = found.winner;
  const auto& baseline = found.baseline;
  nlohmann::json report = job_report({o, hash_hex(to_string(program)), isa, *backend, variants,
                                      rewrites, derived.size(), found, timer.rows});
  bool baseline_measured = baseline && baseline->status == CandidateStatus::Ok;
  int code = 0;
  if (!winner) {
    report["best"] = nullptr;
    code = 3;
  } else {
    const ProgramVariant& v = variants[winner->first];
    const CandidateRecord& best = winner->second;
    report["best"] = record_json(*backend, best);
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
        ro.artifact ? std::move(ro.artifact) : backend->compile(v.program, best.plan);
    report["artifact"] = write_artifact(*backend, *art, isa, out);
    write_file(out / "kernel.json", backend->kernel_json(v.program, best.plan));
    write_file(out / "derivation.txt",
               derivation_text(o.program, v, backend->plan_text(v.program, best.plan), "",
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

} // namespace

void require_writable_directory(const std::string& dir, const std::string& what) {
  require_writable_dir(dir, what);
}

// The pipeline, one stage per line; AXON_DEBUG_STAGES=1 prints each stage's time and what it
// produced as it ends (Job::stage).
int synthesize_command(const SynthOptions& o) {
  SigintScope sigint; // before the first measurement: exit 130; after it, the best so far wins
  set_measure_lock_path(o.measure_lock, &g_interrupted);
  Job j(o);
  j.stage("parse + check", &Job::parse, &Job::program_dump);
  j.stage("expand", &Job::expand_program, &Job::index_dump);
  j.stage("load target", &Job::load_target, &Job::target_dump);
  if (j.reuse_cached_result())
    return 0;
  j.stage("rewrite discovery", &Job::discover_rewrites, &Job::rewrites_dump);
  if (g_interrupted.load())
    return interrupted(o);
  j.stage("variants", &Job::make_variants, &Job::variants_dump);
  j.stage("instruction selection", &Job::select_instructions, &Job::selection_dump);
  if (g_interrupted.load())
    return interrupted(o);
  j.stage("search (compile, check, time)", &Job::search, &Job::winner_dump);
  j.stage_if("runoff", &Job::run_off, &Job::runoff_dump);
  if (g_interrupted.load() && !j.found.winner)
    return interrupted(o);
  return j.write_outputs();
}

namespace {

// Where two texts first differ: "line L (byte B)".
std::string first_difference(const std::string& a, const std::string& b) {
  size_t i = 0;
  while (i < a.size() && i < b.size() && a[i] == b[i])
    ++i;
  size_t line =
      1 + static_cast<size_t>(std::count(a.begin(), a.begin() + static_cast<long>(i), '\n'));
  return "line " + std::to_string(line) + " (byte " + std::to_string(i) + ")";
}

// Compares the files replay rebuilt (REBUILT: write_artifact's section) with those the report
// records (its "artifact" section): the same names, byte for byte (by sha256). A difference is an
// internal error naming each file, both hashes and, when the recorded file is beside the report,
// where they first differ. Returns what was compared, for the summary line.
std::string compare_artifact(const nlohmann::json& r, const nlohmann::json& rebuilt,
                             const std::string& report_path, const fs::path& out) {
  if (!r.contains("artifact") || !r["artifact"].is_object() || !r["artifact"].contains("files") ||
      !r["artifact"]["files"].is_object())
    return "the report records no artifact hashes (written before they were recorded), so the "
           "files were not compared";
  const nlohmann::json& want = r["artifact"]["files"];
  const nlohmann::json& got = rebuilt["files"];
  std::vector<std::string> diffs;
  for (auto& [name, sha] : want.items()) {
    if (!got.contains(name)) {
      diffs.push_back(name + ": recorded, but the rebuilt kernel has no such file");
      continue;
    }
    if (got[name] == sha)
      continue;
    std::string d = name + ": sha256 " + got[name].get<std::string>() + ", recorded " +
                    (sha.is_string() ? sha.get<std::string>() : sha.dump());
    fs::path beside = fs::path(report_path).parent_path() / name;
    std::ifstream in(beside, std::ios::binary);
    if (in) {
      std::ostringstream a, b;
      a << in.rdbuf();
      std::ifstream mine(out / name, std::ios::binary);
      b << mine.rdbuf();
      if (rt::sha256_hex(a.str()) == sha)
        d += "; first difference from " + beside.string() + " at " +
             first_difference(a.str(), b.str());
    }
    diffs.push_back(d);
  }
  for (auto& [name, sha] : got.items())
    if (!want.contains(name))
      diffs.push_back(name + ": rebuilt, but the report records no such file");
  if (!diffs.empty()) {
    std::string msg = "replay does not rebuild the recorded kernel byte for byte (" + report_path +
                      ", written by " + r.value("tool", "?") + "; this is axon-synth " +
                      AXON_VERSION + "):";
    for (auto& d : diffs)
      msg += "\n  " + d;
    internal_error(msg + "\nthe rebuilt files are in " + out.string());
  }
  return std::to_string(want.size()) + " file(s) identical to the recorded ones";
}

} // namespace

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
  auto backend = backend_for(isa);
  Plan s = backend->plan_from_json(r["best"]["schedule"], report_path + ": /best/schedule");
  std::string why = backend->legality(v.program, s);
  if (!why.empty())
    user_error(report_path + ": /best/schedule: " + why);
  auto art = backend->compile(v.program, s);
  std::string detail;
  double err =
      check_plan(*backend, v.program, s, *art, o.seed + 1000, 48, 1e-3, 120, &detail, &index);
  if (!(err <= 1))
    user_error("replayed kernel fails the numerical check: " + detail);
  fs::path out =
      out_dir.empty() ? fs::path(report_path).parent_path() / "replay" : fs::path(out_dir);
  fs::create_directories(out);
  nlohmann::json rebuilt = write_artifact(*backend, *art, isa, out);
  write_file(out / "kernel.json", backend->kernel_json(v.program, s));
  std::string compared = compare_artifact(r, rebuilt, report_path, out);
  Timing t = art->time(2, 11);
  double recorded_ns = r["best"]["time_ns"]["median"].get<double>();
  // A simulated clock is exact: the rebuilt kernel must take the recorded time to the
  // nanosecond, as its files are the recorded bytes.
  if (t.clock == "simulated" && r["best"]["time_ns"].value("clock", "") == "simulated" &&
      t.median_ns != recorded_ns)
    internal_error(
        "replay does not reproduce the kernel's simulated time: " + std::to_string(t.median_ns) +
        " ns, the report says " + std::to_string(recorded_ns) + " ns");
  std::printf("replayed %s on %s without searching: %.3f ms (report: %.3f ms, clock %s); %s; "
              "kernel in %s\n",
              o.program.c_str(), isa.name.c_str(), t.median_ns / 1e6, recorded_ns / 1e6,
              t.clock.c_str(), compared.c_str(), out.string().c_str());
  return 0;
}

} // namespace axon
