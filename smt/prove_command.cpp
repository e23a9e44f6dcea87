// The `prove` subcommand body (see prove_command.h); the CLI main only parses flags into
// ProveCommandOptions.
#include "smt/prove_command.h"

#include <iomanip>

#include "ir/error.h"
#include "ir/frontend.h"
#include "smt/assume.h"
#include "smt/prove.h"

namespace axon::smt {

int prove_command(const ProveCommandOptions& opts, std::ostream& out, std::ostream& err) {
  try {
    ProveOptions po;
    if (!parse_solver_mode(opts.solver, &po.mode))
      user_error("--solver: unknown solver '" + opts.solver + "'; use z3, cvc5, portfolio or both");
    po.certificate_dir = opts.certificate_dir;
    po.cache_dir = opts.cache_dir;
    po.use_cache = !opts.no_cache;
    IndexProgram a = load_index_program(read_source(opts.a_path));
    IndexProgram b = load_index_program(read_source(opts.b_path));
    std::vector<Expr> assumptions;
    for (auto& s : opts.assumptions)
      assumptions.push_back(parse_assumption(s, a, b));
    ProveResult r = prove_programs(a, b, assumptions, po);
    out << std::fixed << std::setprecision(1);
    for (auto& ob : r.obligations) {
      out << ob.name << ": " << verdict_name(ob.verdict) << " ("
          << (ob.solver.empty() ? "no solver answer" : ob.solver) << (ob.cached ? ", cached" : "")
          << ", " << ob.seconds * 1000 << " ms)";
      if (ob.verdict != Verdict::Proven || ob.solver == "normalizer")
        out << ": " << ob.reason;
      out << "\n";
      if (ob.solver_disagreement)
        out << "  BUG: z3 and cvc5 disagree on this obligation; please report it\n";
      if (ob.counterexample)
        out << format_counterexample(*ob.counterexample);
      if (!ob.certificate.empty())
        out << "  certificate: " << ob.certificate
            << (ob.certificate_normalizer_only ? " (normalizer-only)" : "") << "\n";
    }
    out << "verdict: " << verdict_name(r.verdict) << "\n";
    out << "time: " << r.seconds * 1000 << " ms (solver " << solver_mode_name(po.mode) << ")\n";
    return r.verdict == Verdict::Proven ? 0 : 3;
  } catch (const UserError& e) {
    err << e.what() << "\n";
    return 2;
  }
}

} // namespace axon::smt
