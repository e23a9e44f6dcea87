// The NPU program loader (see npu_loader.h).
#include "runtime/npu_loader.h"

namespace axon::rt {

namespace {

LoadFailure no_device(const Entry& e) {
  return LoadFailure{AXON_ERR_NO_DEVICE,
                     std::string(kNoDeviceMessage) + " (kernel " + e.id + " is an " +
                         e.object_kind + " for target " + e.target +
                         ", which runs only in the simulator: axon-synth sim --library LIB " +
                         e.name + ")"};
}

class NpuLoader : public Loader {
public:
  std::string backend() const override { return "sim"; }
  std::vector<std::string> kinds() const override { return {"npu_program"}; }
  std::optional<LoadFailure> unmet_needs(const Entry& e) const override { return no_device(e); }
  std::unique_ptr<LoadedArtifact> open(const Entry& e, const std::string&,
                                       LoadFailure* why) const override {
    *why = no_device(e);
    return nullptr;
  }
};

} // namespace

std::unique_ptr<Loader> make_npu_loader() { return std::make_unique<NpuLoader>(); }

} // namespace axon::rt
