// Which x86 features this CPU (and OS) provides, read with cpuid and xgetbv: no LLVM, no libgcc
// tables. Feature names are LLVM's, as a target records them ("avx2", "fma", "avx512f").
#pragma once

#include <cstdlib>
#include <string>
#include <vector>

namespace axon::rt {

// Whether $AXON_HIDE_CPU_FEATURES (a comma-separated list, e.g. "avx512f,avx512bw") hides the
// feature: the host then counts as lacking it, here and in the code generator's host check, so
// the paths for a CPU without it can be tested on any host (docs/reliability.md).
inline bool cpu_feature_hidden(const std::string& feature) {
  const char* env = std::getenv("AXON_HIDE_CPU_FEATURES");
  if (!env)
    return false;
  std::string list = std::string(",") + env + ",";
  return list.find("," + feature + ",") != std::string::npos;
}

// 1 when the host has the feature, 0 when it lacks it (or it is hidden), -1 when the name is not
// one we can check.
int cpu_supports(const std::string& feature);
// Every feature name cpu_supports() knows.
const std::vector<std::string>& known_cpu_features();

} // namespace axon::rt
