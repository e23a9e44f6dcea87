// Reads the CPU cost model's numbers from an ISA description: the core engine's lanes, clock and
// vector issue rate, and each register/cache/DRAM level's capacity and bandwidth, in file order.
#pragma once

#include "emit/cpu/cost_model.h"
#include "isa/isa.h"

namespace axon {

// UserError naming the missing field when the description lacks what the model needs.
MachineModel cpu_machine_model(const Isa& isa);

} // namespace axon
