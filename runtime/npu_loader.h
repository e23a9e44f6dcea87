// The loader of the "sim" backend (runtime/loader.h): NPU programs (artifact kind "npu_program").
// The NPU is a simulated target: there is no device to run a program on, so this loader refuses
// every entry it is asked about with AXON_ERR_NO_DEVICE ("simulated target: no device") before
// anything is read or loaded. It exists so that the runtime says what an NPU entry is instead of
// "no loader"; `axon-synth sim --library LIB NAME` runs an installed program in the simulator.
#pragma once

#include <memory>

#include "runtime/loader.h"

namespace axon::rt {

// The message of every refusal starts with this.
constexpr const char* kNoDeviceMessage = "simulated target: no device";

std::unique_ptr<Loader> make_npu_loader();

} // namespace axon::rt
