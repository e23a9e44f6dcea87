// The smt benchmark (not a timed test): proves every corpus pair and tries every mutant in each
// solver mode, and prints per-obligation times with the median and p95 for proofs and for
// refutations. The proof cache is off so that every figure is a solver run.
//   axon-smt-bench [--corpus DIR] [--modes z3,cvc5,portfolio,both] [--filter NAME]
//   [--no-quick-trials] [--verbose]
#include <algorithm>
#include <cstring>
#include <iomanip>
#include <iostream>
#include <sstream>

#include "ir/error.h"
#include "smt/bench/corpus.h"
#include "smt/prove.h"

using namespace axon;
using namespace axon::smt;

namespace {

double percentile(std::vector<double> v, double p) {
  if (v.empty())
    return 0;
  std::sort(v.begin(), v.end());
  size_t i = static_cast<size_t>(p * static_cast<double>(v.size() - 1) + 0.5);
  return v[std::min(i, v.size() - 1)];
}

} // namespace

int main(int argc, char** argv) {
  std::string dir = "tests/smt/corpus";
  std::string modes = "z3,cvc5,portfolio,both";
  bool verbose = false, no_quick = false;
  std::string filter;
  std::cout << std::unitbuf;
  for (int i = 1; i < argc; ++i) {
    if (!std::strcmp(argv[i], "--corpus") && i + 1 < argc)
      dir = argv[++i];
    else if (!std::strcmp(argv[i], "--modes") && i + 1 < argc)
      modes = argv[++i];
    else if (!std::strcmp(argv[i], "--verbose"))
      verbose = true;
    else if (!std::strcmp(argv[i], "--no-quick-trials"))
      no_quick = true;
    else if (!std::strcmp(argv[i], "--filter") && i + 1 < argc)
      filter = argv[++i];
    else {
      std::cerr << "usage: axon-smt-bench [--corpus DIR] [--modes z3,cvc5,portfolio,both] "
                   "[--filter NAME] [--no-quick-trials] [--verbose]\n";
      return 2;
    }
  }
  try {
    auto pairs = load_corpus_pairs(dir);
    auto mutants = load_corpus_mutants(dir, pairs);
    auto keep = [&](const CorpusCase& c) { return c.name.find(filter) == std::string::npos; };
    pairs.erase(std::remove_if(pairs.begin(), pairs.end(), keep), pairs.end());
    mutants.erase(std::remove_if(mutants.begin(), mutants.end(), keep), mutants.end());
    std::cout << std::fixed << std::setprecision(1);
    std::stringstream ms(modes);
    std::string mode_name;
    while (std::getline(ms, mode_name, ',')) {
      ProveOptions opts;
      if (!parse_solver_mode(mode_name, &opts.mode)) {
        std::cerr << "unknown mode " << mode_name << "\n";
        return 2;
      }
      opts.use_cache = false;
      if (no_quick)
        opts.quick_trials = 0; // measure the solver path: abstract query, bounded query, trials
      std::vector<double> proof_ms, refute_ms, solver_ms;
      int by_normalizer = 0, solver_failed = 0;
      int proven = 0, not_proven_pairs = 0, refuted = 0, unknown = 0, wrongly_proven = 0;
      for (auto& c : pairs) {
        LoadedCase l;
        try {
          l = load_case(c);
        } catch (const UserError& e) {
          std::cout << "  pair " << c.name << ": BAD INPUT " << e.what() << "\n";
          ++not_proven_pairs;
          continue;
        }
        for (auto& ob : make_obligations(l.a, l.b, l.assumptions)) {
          ObligationResult r = prove_obligation(l.a, l.b, ob, opts);
          if (r.solver == "normalizer")
            ++by_normalizer;
          // The solver alone on the unbounded query, even when normalization decided it.
          SolverAnswer sa = check(obligation_query(ob), opts.mode, opts.limits, false);
          if (sa.status == SatStatus::Unsat)
            solver_ms.push_back(sa.seconds * 1000);
          else {
            ++solver_failed;
            std::cout << "  solver-only " << c.name << " / " << ob.name << ": "
                      << sat_status_name(sa.status) << " " << sa.reason << "\n";
          }
          if (r.verdict == Verdict::Proven) {
            ++proven;
            proof_ms.push_back(r.seconds * 1000);
          } else {
            ++not_proven_pairs;
          }
          if (verbose || r.verdict != Verdict::Proven)
            std::cout << "  pair " << c.name << " / " << ob.name << ": " << verdict_name(r.verdict)
                      << " " << r.seconds * 1000 << " ms "
                      << (r.verdict == Verdict::Proven ? r.solver : r.reason) << "\n";
        }
      }
      for (auto& c : mutants) {
        LoadedCase l;
        try {
          l = load_case(c);
        } catch (const UserError& e) {
          std::cout << "  mutant " << c.name << ": BAD INPUT " << e.what() << "\n";
          ++unknown;
          continue;
        }
        ProveResult r = prove_programs(l.a, l.b, l.assumptions, opts);
        if (r.verdict == Verdict::Proven)
          ++wrongly_proven;
        else if (r.verdict == Verdict::Refuted) {
          ++refuted;
          refute_ms.push_back(r.seconds * 1000);
        } else {
          ++unknown;
        }
        if (verbose || r.verdict != Verdict::Refuted) {
          std::cout << "  mutant " << c.name << ": " << verdict_name(r.verdict) << " "
                    << r.seconds * 1000 << " ms";
          for (auto& o : r.obligations)
            if (o.verdict != Verdict::Proven)
              std::cout << " [" << o.name << ": "
                        << (o.verdict == Verdict::Refuted ? o.solver : o.reason) << "]";
          std::cout << "\n";
        }
      }
      std::cout << "mode " << mode_name << ": proofs " << proven << " proven, " << not_proven_pairs
                << " not proven; median " << percentile(proof_ms, 0.5) << " ms, p95 "
                << percentile(proof_ms, 0.95) << " ms, max " << percentile(proof_ms, 1.0)
                << " ms\n";
      std::cout << "mode " << mode_name << ": " << by_normalizer
                << " proofs decided by normalization; solver alone on every "
                << "unbounded proof query: " << solver_ms.size() << " unsat, " << solver_failed
                << " not; median " << percentile(solver_ms, 0.5) << " ms, p95 "
                << percentile(solver_ms, 0.95) << " ms, max " << percentile(solver_ms, 1.0)
                << " ms\n";
      std::cout << "mode " << mode_name << ": mutants " << refuted << " refuted, " << unknown
                << " unknown, " << wrongly_proven << " PROVEN (must be 0); refutation median "
                << percentile(refute_ms, 0.5) << " ms, p95 " << percentile(refute_ms, 0.95) << " ms"
                << std::endl;
    }
  } catch (const UserError& e) {
    std::cerr << e.what() << "\n";
    return 2;
  }
  return 0;
}
