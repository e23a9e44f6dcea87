// Which x86 features this CPU (and OS) provides, read with cpuid and xgetbv: no LLVM, no libgcc
// tables. Feature names are LLVM's, as a target records them ("avx2", "fma", "avx512f").
#pragma once

#include <string>
#include <vector>

namespace axon::rt {

// 1 when the host has the feature, 0 when it lacks it, -1 when the name is not one we can check.
int cpu_supports(const std::string& feature);
// Every feature name cpu_supports() knows.
const std::vector<std::string>& known_cpu_features();

} // namespace axon::rt
