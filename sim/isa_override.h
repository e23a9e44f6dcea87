// What-if overrides of a loaded target for simulator studies (calibration, sensitivity):
// "ENGINE.ATTRIBUTE=VALUE" replaces or adds one numeric engine attribute, e.g.
// "DMA.aggregate_bandwidth_gbps=110". The target file is not touched; a result obtained with an
// override says so in its report.
#pragma once

#include <string>

#include "isa/isa.h"

namespace axon {

// UserError for a malformed assignment, an unknown engine or a non-finite value.
void apply_isa_override(Isa& isa, const std::string& assignment);

} // namespace axon
