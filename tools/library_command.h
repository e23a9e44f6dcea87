// `axon-synth library install|ls|show|verify|remove` over a kernel library directory
// (runtime/library.h), and the main job's `--library[=DIR]` step that installs the winner.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

#include "runtime/library.h"
#include "sim/sim_command.h"
#include "tools/synthesize.h"

namespace axon {

// The checks of the artifacts the library installs as files (runtime/library.h): "npu_program",
// loaded with its target description by the simulator's loader.
rt::ArtifactChecks artifact_checks();

// `axon-synth sim --library LIB NAME` (NAME: an entry's name or id), or `axon-synth sim
// LIB/objects/FILE` without --isa: points O at the installed NPU program, read and checked against
// the manifest's sha256, and (unless --isa was given) at the target description installed with
// it. A plain program file with --isa is left as it is. UserError when the entry is not found, is
// not an NPU program, or its files are damaged.
void resolve_installed_program(SimCommandOptions& o, const std::string& library);

// Adds --library[=DIR] and --kernel-name to the main job's options.
void add_library_options(CLI::App* app, SynthOptions& o);

// After the outputs are written: installs OUT into o.library when --library was given.
void install_if_asked(const SynthOptions& o, const std::string& out_dir);

class LibraryCommand {
public:
  explicit LibraryCommand(CLI::App& app);
  bool parsed() const { return cmd_->parsed(); }
  int run() const;

private:
  CLI::App* cmd_;
  CLI::App *install_, *ls_, *show_, *verify_, *remove_;
  std::string dir_, out_, key_, name_;
  bool json_ = false;
};

} // namespace axon
