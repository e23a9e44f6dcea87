// The `sim` subcommand: load the target and the program, run one mode, print the result.
#include "sim/sim_command.h"

#include <cerrno>
#include <chrono>
#include <cstring>
#include <cmath>
#include <fstream>
#include <iomanip>

#include "ir/error.h"
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
    user_error("sim: cannot open the trace file '" + path + "' for writing: " +
               std::strerror(errno));
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
    user_error("sim: no program given; usage: axon-synth sim PROGRAM --isa TARGET.json");
  if (o.isa.empty())
    user_error("sim: --isa TARGET.json is required (e.g. --isa targets/npu.json)");
  Isa isa = load_isa(o.isa);
  for (const auto& a : o.overrides)
    apply_isa_override(isa, a);
  NpuProgram prog = load_npu_program(o.program, isa);
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
                            {"outputs", j}}
                 .dump(2)
          << "\n";
    return 0;
  }
  auto t0 = std::chrono::steady_clock::now();
  TimingResult t = simulate_timing(prog);
  double wall = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (!o.trace.empty())
    write_trace(o.trace, chrome_trace(prog, t).dump());
  if (o.json) {
    nlohmann::json j = timing_report_json(t.report);
    j["program"] = prog.name;
    j["instructions"] = prog.instrs.size();
    j["overrides"] = o.overrides;
    out << j.dump(2) << "\n";
  } else {
    out << format_timing_report(prog, t.report);
    for (const auto& a : o.overrides)
      out << "(with target override " << a << ")\n";
    out << "(simulated " << prog.instrs.size() << " instructions in " << std::fixed
        << std::setprecision(2) << wall << " s)\n";
  }
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
