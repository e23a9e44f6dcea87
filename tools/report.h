// The main job's report: report.json's sections, candidates.jsonl's records, derivation.txt,
// the winner's SMT-LIB2 certificates (OUT/smt/), and the files written atomically.
#pragma once

#include <filesystem>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "isa/isa.h"
#include "search/search.h"
#include "search/variants.h"
#include "synth/derivation_text.h"
#include "synth/fusion_variants.h"
#include "synth/rewrite_step.h"
#include "tools/synthesize.h"

namespace axon {

constexpr int kReportSchema = 1;

// Writes a file atomically: a temporary in the same directory, then rename.
void write_file(const std::filesystem::path& path, const std::string& data);

// One candidate as candidates.jsonl and report.json record it.
nlohmann::json record_json(const Backend& b, const CandidateRecord& r);

// report.json's search.rewrites: what rewrite discovery tried and proved; `searched` variants.
nlohmann::json rewrite_summary(const synth::DiscoveryReport& r, size_t searched);

// derivation.txt: the rewrite steps, the fusion, the program and the winner's schedule.
std::string derivation_text(const std::string& program_path, const ProgramVariant& v,
                            const std::string& plan_text, const std::string& origin,
                            const std::string& rewrite_steps);

// SMT-LIB2 certificates of the winning variant's proof (DESIGN.md: OUT/smt/), for `z3` or
// `cvc5` to re-check offline and `library install` to copy: each rewrite step of its derivation
// re-proven (from the proof cache) into smt/step-NN/, and each inlining step of its fusion, when
// it inlines any, proven into smt/inline/step-NN/. Returns the report's
// "certificates" entry; a step that does not prove again is an "error" there and a warning.
nlohmann::json write_certificates(const IndexProgram& index,
                                  const std::vector<synth::DerivationStep>& steps,
                                  const ProgramVariant& v, const std::filesystem::path& out);

// What report.json says of a search (everything but the winner's files, certificates, runoff and
// cache sections, which the job adds as it writes them).
struct ReportInputs {
  const SynthOptions& o;
  std::string program_hash; // of the program as parsed
  const Isa& isa;
  const Backend& backend;
  const std::vector<ProgramVariant>& variants;
  const synth::DiscoveryReport& rewrites;
  size_t searched_rewrites; // rewrite variants searched
  const VariantSearchResult& found;
  const std::vector<std::pair<std::string, double>>& stage_seconds;
};
nlohmann::json job_report(const ReportInputs& in);

} // namespace axon
