// The main job's report (see report.h).
#include "tools/report.h"

#include <algorithm>
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <unistd.h>

#include "ir/error.h"
#include "ir/hash.h"
#include "search/measure_lock.h"
#include "smt/proof_cache.h"
#include "synth/apply_derivation.h"
#include "synth/prove_step.h"
#include "synth/replay_derivation.h"

namespace axon {

namespace fs = std::filesystem;

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

nlohmann::json record_json(const Backend& b, const CandidateRecord& r) {
  nlohmann::json j;
  j["id"] = r.id;
  j["kind"] = r.kind;
  j["status"] = status_name(r.status);
  j["estimate_ns"] = r.estimate_ns;
  j["schedule"] = b.plan_to_json(r.plan);
  if (!r.detail.empty())
    j["detail"] = r.detail;
  if (r.status == CandidateStatus::Ok || r.status == CandidateStatus::WrongResult)
    j["max_scaled_error"] = r.max_error;
  if (!r.check_dims.empty()) // checked at the backend's smaller sizes (the winner at all of them)
    j["check_dims"] = r.check_dims;
  if (r.status == CandidateStatus::Ok)
    j["time_ns"] = {{"median", r.timing.median_ns},
                    {"min", r.timing.min_ns},
                    {"max", r.timing.max_ns},
                    {"repeats", r.timing.repeats},
                    {"clock", r.timing.clock}};
  return j;
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

std::string derivation_text(const std::string& program_path, const ProgramVariant& v,
                            const std::string& plan_text, const std::string& origin,
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
  d << to_string(v.program) << "\n# schedule\n" << plan_text;
  return d.str();
}

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

nlohmann::json job_report(const ReportInputs& in) {
  const SynthOptions& o = in.o;
  const SearchStats& st = in.found.stats;
  const auto& winner = in.found.winner;
  const auto& baseline = in.found.baseline;
  nlohmann::json report;
  report["schema_version"] = kReportSchema;
  report["tool"] = std::string("axon-synth ") + AXON_VERSION;
  report["inputs"] = {{"program", {{"path", o.program}, {"hash", in.program_hash}}},
                      {"isa", {{"path", o.isa}, {"name", in.isa.name}, {"hash", isa_hash(in.isa)}}},
                      {"dims", o.dims},
                      {"specs", o.specs},
                      {"seed", o.seed}};
  report["device"] = in.backend.device_report();
  report["search"] = {{"variants", in.variants.size()},
                      {"rewrites", rewrite_summary(in.rewrites, in.searched_rewrites)},
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
  for (auto& [vi, c] : in.found.measured) {
    auto& slot = best_by_variant[in.variants[vi].name];
    double ms = c.timing.median_ns / 1e6;
    if (slot.is_null() || ms < slot.get<double>())
      slot = ms;
  }
  report["search"]["best_ms_by_variant"] = best_by_variant;
  nlohmann::json phases = nlohmann::json::object();
  for (auto& [s, sec] : in.stage_seconds)
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
    report["baseline"] = record_json(in.backend, *baseline);
  report["selection"] =
      in.backend.selection_report(in.variants[winner ? winner->first : 0].program);
  return report;
}

} // namespace axon
