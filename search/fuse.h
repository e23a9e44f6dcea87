// Fusion variants of an IndexProgram: temporaries computed without a reduction (elementwise
// maps, broadcasts, index remappings) are inlined into every statement that reads them, so the
// consumer computes them in its own loop nest and they never go through memory. Reductions are
// kept (inlining one would recompute it per element). The search measures each variant; every
// variant is checked against the original program.
#pragma once

#include <string>
#include <vector>

#include "ir/index_program.h"

namespace axon {

struct ProgramVariant {
  std::string name;         // "as written", "elementwise temporaries inlined"
  std::vector<std::string> inlined;  // temporaries that no longer exist
  IndexProgram program;
};

std::vector<ProgramVariant> fusion_variants(const IndexProgram& p);

}  // namespace axon
