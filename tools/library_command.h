// `axon-synth library install|ls|show|verify|remove` over a kernel library directory
// (runtime/library.h), and the main job's `--library[=DIR]` step that installs the winner.
#pragma once

#include <CLI/CLI.hpp>

#include <string>

#include "tools/synthesize.h"

namespace axon {

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
