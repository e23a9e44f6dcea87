// The `sim` subcommand: load the target and the program, run one mode, print the result.
#include "sim/sim_command.h"

#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iomanip>

#include "ir/error.h"
#include "sim/audit.h"
#include "sim/dtype_guard.h"
#include "sim/functional.h"
#include "sim/isa_override.h"
#include "sim/timing.h"

namespace axon {

namespace {

// A trace that cannot be written in full (a full disk, /dev/full, a directory) is an error: the
// write, the flush and the close are each checked, so a lost trace never exits 0.
void write_trace(const std::string& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  if (!f)
    user_error("sim: cannot open the trace file '" + path +
               "' for writing: " + std::strerror(errno));
  f.write(text.data(), static_cast<std::streamsize>(text.size()));
  f.flush();
  bool ok = static_cast<bool>(f);
  int err = errno;
  f.close();
  if (!ok || f.fail())
    user_error("sim: writing the trace file '" + path + "' failed (" +
               std::strerror(err ? err : EIO) + "); the trace is incomplete");
}

int run(const SimCommandOptions& o, std::ostream& out) {
  if (o.program.empty())
    user_error("sim: no program given; usage: axon-synth sim PROGRAM --isa TARGET.json, or "
               "axon-synth sim --library LIB NAME for an installed program");
  if (o.isa.empty())
    user_error("sim: --isa TARGET.json is required (e.g. --isa targets/npu.json)");
  Isa isa = o.isa_text.empty() ? load_isa(o.isa) : load_isa_from_string(o.isa_text, o.isa);
  for (const auto& a : o.overrides)
    apply_isa_override(isa, a);
  NpuProgram prog = o.program_text.empty()
                        ? load_npu_program(o.program, isa)
                        : load_npu_program_from_string(o.program_text, isa, o.program);
  std::vector<Narrowing> narrow = find_narrowing(prog);
  if (!narrow.empty() && !o.allow_narrowing)
    user_error(o.program + ": dtype guard: " + narrow.front().message + " (" +
               std::to_string(narrow.size()) +
               " such instructions); a result computed narrower than declared is not the same "
               "program: keep the precision, or pass --allow-narrowing to study it anyway");
  std::string narrow_note;
  if (!narrow.empty())
    narrow_note = "(precision: " + std::to_string(narrow.size()) +
                  " instructions compute narrower than the outputs declare, allowed by "
                  "--allow-narrowing; first: " +
                  narrow.front().message + ")\n";
  if (o.functional) {
    if (!o.trace.empty())
      user_error("sim: --trace applies to timing mode; drop --functional to get a timeline");
    TensorMap res = run_functional(prog, random_program_inputs(prog, o.seed));
    nlohmann::json j;
    for (const auto& [name, v] : res) {
      double sum = 0, amax = 0;
      for (double x : v.data)
        sum += x, amax = std::max(amax, std::fabs(x));
      j[name] = {{"shape", v.shape}, {"sum", sum}, {"max_abs", amax}};
      if (!o.json) {
        out << name << ": [";
        for (size_t i = 0; i < v.shape.size(); ++i)
          out << (i ? ", " : "") << v.shape[i];
        out << "] sum " << std::setprecision(9) << sum << " max|x| " << amax << "\n";
      }
    }
    if (o.json)
      out << nlohmann::json{{"schema_version", 1},
                            {"mode", "functional"},
                            {"seed", o.seed},
                            {"narrowing_allowed", narrow.size()},
                            {"outputs", j}}
                 .dump(2)
          << "\n";
    else
      out << narrow_note;
    return 0;
  }
  auto t0 = std::chrono::steady_clock::now();
  TimingResult t = simulate_timing(prog);
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  nlohmann::json trace;
  if (!o.trace.empty() || o.audit)
    trace = chrome_trace(prog, t);
  if (!o.trace.empty())
    write_trace(o.trace, trace.dump());
  AuditReport audit;
  if (o.audit)
    audit = audit_timing(prog, t, trace);
  if (o.json) {
    nlohmann::json j = timing_report_json(t.report);
    j["program"] = prog.name;
    j["instructions"] = prog.instrs.size();
    j["overrides"] = o.overrides;
    j["narrowing_allowed"] = narrow.size();
    if (o.audit)
      j["audit"] = {{"instructions", audit.instructions},
                    {"dmas", audit.dmas},
                    {"mismatches", audit.mismatch_count},
                    {"max_dma_stretch_ns", audit.max_dma_stretch_ns}};
    out << j.dump(2) << "\n";
  } else {
    out << format_timing_report(prog, t.report);
    for (const auto& a : o.overrides)
      out << "(with target override " << a << ")\n";
    out << narrow_note;
    out << "(simulated " << prog.instrs.size() << " instructions in " << std::fixed
        << std::setprecision(2) << wall << " s)\n";
    if (o.audit)
      out << format_audit_report(audit);
  }
  if (o.audit && !audit.ok())
    internal_error("sim --audit: " + std::to_string(audit.mismatch_count) +
                   " durations in the trace differ from the target's cost formulas");
  return 0;
}

} // namespace

int sim_command(const SimCommandOptions& opts, std::ostream& out, std::ostream& err) {
  try {
    return run(opts, out);
  } catch (const UserError& e) {
    err << "error: " << e.what() << "\n";
    return 2;
  } catch (const InternalError& e) {
    err << "internal error: " << e.what() << "\n";
    return 1;
  } catch (const std::exception& e) {
    err << "internal error: " << e.what() << "\n";
    return 1;
  }
}

} // namespace axon
