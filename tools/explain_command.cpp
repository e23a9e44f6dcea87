// The explain subcommand: discovery report, variant list, one variant's derivation, its re-check.
#include "tools/explain_command.h"

#include <iomanip>

#include "ir/error.h"
#include "ir/frontend.h"
#include "synth/derivation_text.h"
#include "synth/discover.h"
#include "synth/replay_derivation.h"

namespace axon {

CLI::App* add_explain_subcommand(CLI::App& app, ExplainOptions& o) {
  auto* c = app.add_subcommand(
      "explain", "Discover proven rewrites of a program and print a variant's derivation");
  c->add_option("program", o.program, "Tensor program (.tp)")->required();
  c->add_option("--variant", o.variant,
                "Print the derivation of variant N (see the list without it)");
  c->add_flag("--check", o.check,
              "Replay the derivation(s) and re-prove every step without the proof cache");
  c->add_flag("--json", o.json, "Print the discovery report as JSON");
  c->add_flag("--tiles", o.tiles,
              "Also tile reductions into T x B tiles (off by default: it grows the graph)");
  c->add_option("--dim", o.dims, "Override a dim size, e.g. --dim M=8 (repeatable)");
  c->add_option("--specs", o.specs, "Extra spec file(s) defining more named ops")
      ->check(CLI::ExistingFile);
  c->add_option("--time-limit", o.time_limit, "Discovery time limit in seconds");
  c->add_option("--max-variants", o.max_variants, "Variant limit");
  c->add_option("--max-depth", o.max_depth, "Derivation depth limit");
  return c;
}

int explain_command(const ExplainOptions& o, std::ostream& out, std::ostream& err) {
  try {
    FrontendOptions f;
    for (auto& d : o.dims) {
      auto eq = d.find('=');
      char* end = nullptr;
      long long v = eq == std::string::npos ? 0 : std::strtoll(d.c_str() + eq + 1, &end, 10);
      if (eq == std::string::npos || eq == 0 || !end || *end != '\0' || v < 1)
        user_error("error: --dim expects NAME=SIZE with a positive size (e.g. --dim M=8), got '" +
                   d + "'");
      f.dim_overrides[d.substr(0, eq)] = v;
    }
    SpecLibrary extra;
    if (!o.specs.empty()) {
      extra = SpecLibrary::builtin();
      for (auto& s : o.specs)
        extra.add_file(read_source(s));
      f.specs = &extra;
    }
    if (!(o.time_limit > 0))
      user_error("error: --time-limit must be positive");
    IndexProgram p = load_index_program(read_source(o.program), f);
    auto rep = synth::RewriteRunner()
                   .with_time_limit(o.time_limit)
                   .with_variant_limit(o.max_variants)
                   .with_depth_limit(o.max_depth)
                   .with_tiling(o.tiles)
                   .run(p);
    if (o.variant >= static_cast<long>(rep.variants.size()))
      user_error("error: --variant " + std::to_string(o.variant) +
                 ": discovery found variants 0.." + std::to_string(rep.variants.size() - 1) +
                 " (raise --time-limit or --max-variants for more)");
    if (o.json && o.variant < 0) {
      out << rep.to_json().dump(2) << "\n";
      return 0;
    }
    smt::ProveOptions recheck;
    recheck.use_cache = false;
    if (o.variant >= 0) {
      const auto& v = rep.variants[static_cast<size_t>(o.variant)];
      out << synth::derivation_text(p, v);
      if (o.check) {
        std::string bad = synth::replay_derivation(p, v, recheck);
        if (!bad.empty()) {
          out << "derivation check: FAILED: " << bad << "\n";
          return 3;
        }
        out << "derivation check: every step replayed and re-proven\n";
      }
      return 0;
    }
    out << rep.to_text();
    out << "  id  depth  numerics  last step\n";
    size_t failed = 0;
    for (auto& v : rep.variants) {
      out << std::setw(4) << v.id << std::setw(7) << v.depth << "  " << std::left << std::setw(8)
          << (v.numerics.stable ? "stable" : "UNSTABLE") << std::right << "  "
          << (v.derivation.empty() ? "(input program)"
                                   : std::string(synth::step_kind_name(v.derivation.back().kind)) +
                                         ": " + v.derivation.back().description)
          << "\n";
      if (o.check && !synth::replay_derivation(p, v, recheck).empty())
        ++failed;
    }
    if (o.check) {
      out << "derivation check: " << (rep.variants.size() - failed) << " of " << rep.variants.size()
          << " derivations replayed and re-proven\n";
      if (failed)
        return 3;
    }
    return 0;
  } catch (const UserError& e) {
    err << e.what() << "\n";
    return 2;
  }
}

} // namespace axon
