// What-if overrides of a loaded target for simulator studies (calibration, sensitivity):
// "ENGINE.ATTRIBUTE=VALUE" replaces one numeric property of an engine that the simulator reads,
// e.g. "DMA.aggregate_bandwidth_gbps=110", "ACT.clock_ghz=0.7", "PE.lanes=64", "DMA.queues=4".
// The target file is not touched; a result obtained with an override says so in its report.
#pragma once

#include <string>

#include "isa/isa.h"

namespace axon {

// UserError for a malformed assignment, an unknown engine, a non-finite or out-of-range value, and
// an attribute nothing in the simulator reads (which would silently change nothing).
void apply_isa_override(Isa& isa, const std::string& assignment);

} // namespace axon
