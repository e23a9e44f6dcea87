// axon-rewrite-bench: rewrite discovery on every suite kernel at its own sizes (proofs are for all
// sizes; the numerics check runs at small sizes). Prints per kernel: variants found, steps
// attempted / proven / refuted / unknown, the stop reason, discovery seconds and numerics seconds.
// Usage: axon-rewrite-bench [--time-limit S] [--max-variants N] [FILE.tp ...] (run from the source
// root; default: experiments/suites/*/*.tp and experiments/bench/attention.tp). Set
// AXON_CACHE_DIR to an empty directory for cache-cold figures.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <vector>

#include "ir/error.h"
#include "ir/frontend.h"
#include "synth/discover.h"

int main(int argc, char** argv) {
  namespace fs = std::filesystem;
  using namespace axon;
  double seconds = 10;
  size_t variants = 2000;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--time-limit" && i + 1 < argc)
      seconds = std::atof(argv[++i]);
    else if (a == "--max-variants" && i + 1 < argc)
      variants = static_cast<size_t>(std::atol(argv[++i]));
    else if (!a.empty() && a[0] != '-')
      files.push_back(a);
    else {
      std::fprintf(stderr,
                   "usage: axon-rewrite-bench [--time-limit S] [--max-variants N] [FILE.tp ...]\n");
      return 2;
    }
  }
  if (files.empty()) {
    for (const char* dir :
         {"experiments/suites/ops", "experiments/suites/nkibench", "experiments/suites/mirage"})
      if (fs::exists(dir))
        for (auto& e : fs::directory_iterator(dir))
          if (e.path().extension() == ".tp")
            files.push_back(e.path().string());
    std::sort(files.begin(), files.end());
    if (fs::exists("experiments/bench/attention.tp"))
      files.push_back("experiments/bench/attention.tp");
  }
  std::printf("| kernel | variants | attempted | proven | refuted | unknown | stop | discovery s | "
              "of which numerics s |\n");
  std::printf("|---|---:|---:|---:|---:|---:|---|---:|---:|\n");
  for (auto& f : files) {
    try {
      IndexProgram p = load_index_program(read_source(f));
      auto r = synth::RewriteRunner().with_time_limit(seconds).with_variant_limit(variants).run(p);
      synth::StepStats t = r.totals();
      std::printf("| %s | %zu | %zu | %zu | %zu | %zu | %s | %.2f | %.2f |\n", f.c_str(),
                  r.variants.size(), t.attempted, t.proven, t.refuted, t.unknown,
                  synth::stop_reason_name(r.stop), r.seconds, r.numerics_seconds);
    } catch (const std::exception& e) {
      std::printf("| %s | error: %s |\n", f.c_str(), e.what());
    }
    std::fflush(stdout);
  }
  return 0;
}
