// The kernel library on disk, as the installer sees it: install a synthesized kernel from an
// output directory (OUT/report.json, OUT/kernel.json, OUT/kernel.o, ...), list, verify and remove
// entries. Every change takes the library's lock (flock on DIR/.lock, waiting at most
// $AXON_LIBRARY_LOCK_TIMEOUT seconds, 60 by default), writes the new manifest to a temporary file
// and renames it over manifest.json, so concurrent installers lose nothing and a crash leaves the
// previous manifest. A library deletes only files it wrote (listed in DIR/.axon-library.json),
// never through a symlink, and installs only into a new or empty directory or one it created.
// Errors are UserErrors naming the file and what to do.
#pragma once

#include <functional>
#include <map>
#include <string>
#include <vector>

#include "runtime/manifest.h"

namespace axon::rt {

// $AXON_LIBRARY_DIR when set, else "axon-lib" (relative to the working directory).
std::string default_library_dir();

// A check of an artifact that no loader of this machine opens and that the library installs as
// it is, a file (an NPU program: the NPU is simulated, and the runtime links no simulator code).
// It gets the entry, the artifact's bytes and the text of the target description installed with
// it (OUT/isa.json, the ISA the kernel was compiled for), and returns what is wrong with them
// ("" when the artifact is sound). The tools pass one per artifact kind they can read
// (tools/library_command.cpp: "npu_program", loaded with the target by the simulator's loader).
using ArtifactCheck = std::function<std::string(const Entry& e, const std::string& artifact,
                                                const std::string& target)>;
using ArtifactChecks = std::map<std::string, ArtifactCheck>; // by artifact kind

struct InstallOptions {
  std::string name;   // the kernel's name; default: the program's file stem
  std::string linker; // default: $AXON_LINKER, else cc, gcc, g++ or c++ on PATH
  // The artifact kinds installed as files, each with its check. Without one, only llvm shared
  // objects install (linked from OUT/kernel.o).
  ArtifactChecks checks;
};

struct InstallResult {
  Entry entry;
  bool replaced = false; // an entry with the same id (name, target, signature) was replaced
};

// Links OUT/kernel.o into a shared object and installs it with its report, derivation, pseudo-C
// and certificates (OUT/smt/, when present) into LIB. An artifact of a kind o.checks names (an
// NPU program, OUT/program.json) is checked and installed as it is, with the target description
// OUT/isa.json and OUT/timing.json beside the report.
InstallResult install_kernel(const std::string& out_dir, const std::string& lib_dir,
                             const InstallOptions& o = {});

// Checks, without changing anything, that an install into LIB could proceed: LIB is absent (and
// its parent writable), an empty directory, or a kernel library (the marker .axon-library.json,
// or a manifest.json of an older one), writable, with no symlink where the library keeps its
// files. A UserError says what is wrong. The main job calls it before its search, so that a bad
// --library fails in a second, not after the search.
void check_library_dir(const std::string& lib_dir);

// The library's manifest (UserError if it is missing, malformed or newer).
Manifest read_library(const std::string& lib_dir);

// What is wrong with an entry's files (missing, or sha256 differs) and, when its backend has a
// loader here, with its artifact (does not open, lacks its symbol, ABI hash differs; a loader
// that says there is no device here checks nothing), and what CHECKS find wrong with an artifact
// of their kind (an NPU program that no longer loads with its target); empty when it is intact.
std::vector<std::string> verify_entry(const std::string& lib_dir, const Entry& e,
                                      const ArtifactChecks& checks = {});

// Why this machine cannot run entry E (no loader for its backend, a CPU feature missing), or ""
// when it can: runtime/loader.h, as the runtime decides.
std::string cannot_run_here(const Entry& e);

// Removes the entries whose id or name is KEY; returns how many (UserError when none).
size_t remove_kernels(const std::string& lib_dir, const std::string& key);

} // namespace axon::rt
