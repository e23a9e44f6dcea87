// axon-synth: the command-line entry point. Each subcommand is a few lines that call the stages;
// errors go through the two channels (UserError -> exit 2, InternalError -> exit 1).
#include <CLI/CLI.hpp>

#include <cmath>
#include <cstdio>
#include <iostream>
#include <map>
#include <sstream>

#include "ir/error.h"
#include "ir/frontend.h"
#include "ir/interp.h"
#include "ir/ranges.h"
#include "ir/shape.h"
#include "isa/isa.h"
#include "sim/sim_command.h"
#include "smt/prove_command.h"
#include "tools/explain_command.h"
#include "tools/isa_table_command.h"
#include "tools/library_command.h"
#include "tools/synthesize.h"

namespace {

using namespace axon;

constexpr int kExitOk = 0, kExitInternal = 1, kExitBadInput = 2;

struct FrontArgs {
  std::vector<std::string> dims;  // M=64
  std::vector<std::string> specs; // extra spec files
};

void add_front_args(CLI::App* cmd, FrontArgs& a) {
  cmd->add_option("--dim", a.dims, "Override a dim size, e.g. --dim M=64 (repeatable)");
  cmd->add_option("--specs", a.specs, "Extra spec file(s) defining more named ops")
      ->check(CLI::ExistingFile);
}

struct Front {
  SpecLibrary extra;
  FrontendOptions opts;
};

// --dim NAME=SIZE flags; a malformed one is a user error.
std::map<std::string, int64_t> parse_dims(const std::vector<std::string>& dims) {
  std::map<std::string, int64_t> out;
  for (auto& d : dims) {
    auto eq = d.find('=');
    if (eq == std::string::npos || eq == 0)
      user_error("error: --dim expects NAME=SIZE (e.g. --dim M=64), got '" + d + "'");
    std::string name = d.substr(0, eq), val = d.substr(eq + 1);
    char* end = nullptr;
    errno = 0;
    long long v = std::strtoll(val.c_str(), &end, 10);
    if (val.empty() || *end != '\0' || errno == ERANGE || v < 1 || v > (1LL << 40))
      user_error("error: --dim " + d + ": the size must be an integer from 1 to 2^40");
    out[name] = v;
  }
  return out;
}

// Builds front-end options from flags; bad flags are user errors.
std::unique_ptr<Front> make_front(const FrontArgs& a) {
  auto f = std::make_unique<Front>();
  f->opts.dim_overrides = parse_dims(a.dims);
  if (!a.specs.empty()) {
    f->extra = SpecLibrary::builtin();
    for (auto& s : a.specs)
      f->extra.add_file(read_source(s));
    f->opts.specs = &f->extra;
  }
  return f;
}

std::string type_text(const Value& v) {
  return std::string(dtype_name(v.dtype)) + shape_to_string(v.shape);
}

int cmd_check(const std::string& path, const FrontArgs& fa) {
  auto front = make_front(fa);
  SourceRef src = read_source(path);
  Program p = load_program(src, front->opts);
  IndexProgram ip = expand(p, front->opts.specs ? *front->opts.specs : SpecLibrary::builtin());
  std::cout << path << ": ok (" << p.inputs.size() << " inputs, " << p.outputs.size()
            << " outputs, " << p.nodes.size() << " ops, " << ip.stmts().size()
            << " index statements)\n";
  for (ValueId id : p.inputs) {
    const Value& v = p.value(id);
    std::cout << "  " << (v.is_inout ? "inout  " : "input  ") << v.name << ": " << type_text(v)
              << "\n";
  }
  for (ValueId id : p.outputs) {
    const Value& v = p.value(id);
    if (v.version == 0)
      std::cout << "  output " << v.name << ": " << type_text(v) << "\n";
  }
  return kExitOk;
}

int cmd_ir(const std::string& path, const std::string& level, const FrontArgs& fa) {
  auto front = make_front(fa);
  SourceRef src = read_source(path);
  Program p = load_program(src, front->opts);
  if (level == "graph") {
    std::cout << to_string(p);
  } else {
    std::cout << to_string(
        expand(p, front->opts.specs ? *front->opts.specs : SpecLibrary::builtin()));
  }
  return kExitOk;
}

int cmd_eval(const std::string& path, uint64_t seed, const std::string& mode_s, int show,
             double max_work, const FrontArgs& fa) {
  auto front = make_front(fa);
  IndexProgram ip = load_index_program(read_source(path), front->opts);
  // A bound on the work asked for (docs/reliability.md): `sum(k: 2^40)` is within the size
  // limits but would run for hours.
  double work = interpretation_work(ip);
  if (work > max_work) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.3g", work);
    user_error(path + ": error: interpreting the program takes about " + buf +
               " operations, more than --max-work " +
               std::to_string(static_cast<long long>(max_work)) +
               "; use smaller sizes (--dim) or raise --max-work");
  }
  EvalMode mode = mode_s == "f32"       ? EvalMode::F32
                  : mode_s == "storage" ? EvalMode::Storage
                                        : EvalMode::F64;
  TensorMap in = random_inputs(ip, seed);
  TensorMap out = interpret(ip, in, mode);
  std::printf("inputs: uniform in [-1, 1], seed %llu; mode %s\n",
              static_cast<unsigned long long>(seed), mode_s.c_str());
  for (auto* t : ip.outputs()) {
    const TensorValue& v = out.at(t->name);
    double sum = 0, asum = 0;
    for (double x : v.data) {
      sum += x;
      asum += std::fabs(x);
    }
    std::string shape = "[";
    for (size_t i = 0; i < v.shape.size(); ++i)
      shape += (i ? ", " : "") + std::to_string(v.shape[i]);
    shape += "]";
    std::printf("%s %s%s: sum %.17g, sum|x| %.17g\n", t->name.c_str(), dtype_name(t->dtype),
                shape.c_str(), sum, asum);
    std::printf("  first:");
    for (int i = 0; i < show && i < static_cast<int>(v.data.size()); ++i)
      std::printf(" %.10g", v.data[static_cast<size_t>(i)]);
    std::printf("\n");
  }
  return kExitOk;
}

} // namespace

int main(int argc, char** argv) {
  CLI::App app{"axon-synth: a synthesizing superoptimizer for tensor programs"};
  app.set_version_flag("--version", std::string("axon-synth ") + AXON_VERSION);
  app.require_subcommand(0, 1);

  // The main job: `axon-synth [synth] --isa TARGET.json PROG.tp [-o OUT]`.
  SynthOptions so;
  FrontArgs fa_synth;
  auto add_synth_options = [&](CLI::App* a) {
    a->add_option("--isa", so.isa, "Target ISA description (JSON), e.g. targets/avx2.json")
        ->check(CLI::ExistingFile);
    a->add_option("program", so.program, "Tensor program (.tp)");
    a->add_option("-o,--out", so.out_dir, "Output directory (default: axon-out/<program name>)");
    a->add_option("--seed", so.seed, "Seed of the random inputs used to check candidates");
    a->add_option("--time-budget", so.time_budget_s,
                  "Stop measuring after this many seconds (best so far wins)");
    a->add_option("--measure", so.measure, "How many searched candidates to compile and measure")
        ->check(CLI::Range(1, 1000));
    a->add_option("--repeats", so.repeats, "Timed runs per candidate (the median is reported)")
        ->check(CLI::Range(1, 100000));
    a->add_option("-j,--jobs", so.jobs, "Candidates compiled at once (default: one per core)")
        ->check(CLI::Range(1, 256));
    a->add_flag("--json", so.json, "Print report.json on stdout");
    a->add_flag("--no-cache", so.no_cache,
                "Search even if the result cache ($AXON_CACHE_DIR) has this result");
    a->add_option("--measure-lock", so.measure_lock,
                  "Hold an flock on this file while timing (concurrent jobs compile in parallel, "
                  "measure one at a time)");
    add_front_args(a, fa_synth);
    add_library_options(a, so);
  };
  add_synth_options(&app);
  auto* synth =
      app.add_subcommand("synth", "Synthesize a kernel for a target (the default command)");
  add_synth_options(synth);

  FrontArgs fa_check, fa_ir, fa_eval;
  std::string check_path, ir_path, eval_path, level = "graph", mode = "f64";
  uint64_t seed = 1;
  int show = 8;
  double max_work = 17179869184.0; // 2^34 operations: a few minutes of the interpreter at most

  auto* check = app.add_subcommand("check", "Parse and type-check a program; print its signature");
  check->add_option("program", check_path, "Tensor program (.tp)")->required();
  add_front_args(check, fa_check);

  auto* ir = app.add_subcommand("ir", "Print a program's IR");
  ir->add_option("program", ir_path, "Tensor program (.tp)")->required();
  ir->add_option("--level", level,
                 "graph (typed op graph, as .tp) or index (every op in index notation)")
      ->check(CLI::IsMember({"graph", "index"}));
  add_front_args(ir, fa_ir);

  auto* eval = app.add_subcommand("eval", "Run the reference interpreter on random inputs");
  eval->add_option("program", eval_path, "Tensor program (.tp)")->required();
  eval->add_option("--seed", seed, "Seed of the random inputs");
  eval->add_option("--mode", mode,
                   "f64 (reference), f32 (every op rounded) or storage (dtype rounding)")
      ->check(CLI::IsMember({"f64", "f32", "storage"}));
  eval->add_option("--show", show, "How many leading output values to print");
  eval->add_option("--max-work", max_work,
                   "Refuse programs whose interpretation takes more operations (default 2^34)")
      ->check(CLI::PositiveNumber);
  add_front_args(eval, fa_eval);

  std::string replay_path, replay_out;
  auto* replay =
      app.add_subcommand("replay", "Rebuild the winning kernel of a report without searching");
  replay->add_option("report", replay_path, "OUT/report.json of an earlier run")->required();
  replay->add_option("-o,--out", replay_out, "Output directory (default: OUT/replay)");

  smt::ProveCommandOptions prove_opts;
  auto* prove = app.add_subcommand(
      "prove", "Prove two programs equivalent for all sizes (SMT), or refute them");
  prove->add_option("a", prove_opts.a_path, "First program (.tp)")->required();
  prove->add_option("b", prove_opts.b_path, "Second program (.tp), same inputs and outputs")
      ->required();
  prove->add_option("--assume", prove_opts.assumptions,
                    "A precondition, e.g. 'eps > 0' (repeatable)");
  prove
      ->add_option("--solver", prove_opts.solver, "z3, cvc5, portfolio (race) or both (must agree)")
      ->check(CLI::IsMember({"z3", "cvc5", "portfolio", "both"}));
  prove->add_option("--certificate", prove_opts.certificate_dir,
                    "Write SMT-LIB2 certificates of proven obligations here");
  prove->add_option("--cache-dir", prove_opts.cache_dir,
                    "Proof cache directory (default: $AXON_CACHE_DIR or ~/.cache/axon-synth)");
  prove->add_flag("--no-cache", prove_opts.no_cache, "Do not read or write the proof cache");

  ExplainOptions explain_opts;
  auto* explain = add_explain_subcommand(app, explain_opts);

  SimCommandOptions sim_opts;
  auto* sim = app.add_subcommand(
      "sim", "Run an NPU program (docs/npu-program.md) on the simulator: a file, "
             "or an installed one (--library LIB NAME)");
  std::string sim_library;
  sim->add_option("program", sim_opts.program,
                  "NPU program (JSON); with --library, an installed program's name or id");
  sim->add_option("--isa", sim_opts.isa,
                  "Target ISA description, e.g. targets/npu.json (default for an installed "
                  "program: the one installed with it)");
  sim->add_option("--library", sim_library,
                  "Run the installed NPU program PROGRAM (name or id) of this kernel library");
  sim->add_option("--trace", sim_opts.trace, "Write a Chrome/Perfetto trace of the timeline here");
  sim->add_flag("--functional", sim_opts.functional,
                "Compute results (functional mode) instead of timing");
  sim->add_flag("--json", sim_opts.json, "Print the report as JSON");
  sim->add_option("--seed", sim_opts.seed, "Seed of the random inputs in functional mode");
  sim->add_option("--set", sim_opts.overrides,
                  "Override a target attribute: ENGINE.ATTRIBUTE=VALUE");
  sim->add_flag("--audit", sim_opts.audit,
                "Recompute every duration from the JSON and compare it with the trace");
  sim->add_flag(
      "--allow-narrowing", sim_opts.allow_narrowing,
      "Run a program that computes narrower than its outputs declare (the report says so)");

  std::string isa_show_path;
  auto* isa_cmd = app.add_subcommand("isa", "Inspect target ISA descriptions");
  auto* isa_show = isa_cmd->add_subcommand("show", "Print a readable summary of a target");
  isa_show->add_option("target", isa_show_path, "Target ISA description (JSON)")->required();
  IsaTableOptions table_opts;
  auto* isa_table = isa_cmd->add_subcommand(
      "table", "Cover every op of specs/ with the target's instructions (synthesis)");
  isa_table->add_option("--isa", table_opts.isa, "Target ISA description (JSON)")
      ->required()
      ->check(CLI::ExistingFile);
  isa_table->add_option("--op", table_opts.op, "Only this op");
  isa_table
      ->add_option("--max-instructions", table_opts.max_instructions,
                   "Longest instruction sequence searched")
      ->check(CLI::Range(1, 6));
  isa_table->add_flag("--json", table_opts.json, "Print JSON instead of the table");
  isa_table->add_flag("--no-cache", table_opts.no_cache,
                      "Do not read or write the proof and selection caches");
  isa_table->add_option("--cache-dir", table_opts.cache_dir,
                        "Cache directory (proofs; selections in its isel/)");
  isa_cmd->require_subcommand(1);

  LibraryCommand library(app);

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitBadInput;
  }

  try {
    if (*check)
      return cmd_check(check_path, fa_check);
    if (*ir)
      return cmd_ir(ir_path, level, fa_ir);
    if (*eval)
      return cmd_eval(eval_path, seed, mode, show, max_work, fa_eval);
    if (*replay)
      return replay_command(replay_path, replay_out);
    if (*sim) {
      resolve_installed_program(sim_opts, sim_library);
      return sim_command(sim_opts, std::cout, std::cerr);
    }
    if (*prove) {
      if (!prove_opts.certificate_dir.empty())
        require_writable_directory(prove_opts.certificate_dir, "--certificate");
      return smt::prove_command(prove_opts, std::cout, std::cerr);
    }
    if (library.parsed())
      return library.run();
    if (*isa_table)
      return isa_table_command(table_opts, std::cout, std::cerr);
    if (*explain)
      return explain_command(explain_opts, std::cout, std::cerr);
    if (*isa_show) {
      std::cout << describe_isa(load_isa(isa_show_path));
      return kExitOk;
    }
    if (*synth || !so.program.empty() || !so.isa.empty()) {
      if (so.program.empty())
        user_error("error: no program given: axon-synth --isa TARGET.json PROG.tp");
      if (so.isa.empty())
        user_error("error: no target given: add --isa targets/avx2.json (or another target)");
      so.dims = parse_dims(fa_synth.dims);
      so.specs = fa_synth.specs;
      return synthesize_command(so);
    }
    std::cout << app.help();
    return kExitOk;
  } catch (const UserError& e) {
    std::cerr << e.what() << "\n";
    return kExitBadInput;
  } catch (const InternalError& e) {
    std::cerr << "axon-synth: " << e.what() << "\n";
    return kExitInternal;
  } catch (const std::exception& e) {
    std::cerr << "axon-synth: internal error: " << e.what() << "\n";
    return kExitInternal;
  }
}
