// The `library` subcommands and the --library install step (see library_command.h).
#include "tools/library_command.h"

#include <cstdio>
#include <filesystem>
#include <iostream>
#include <map>

#include "ir/error.h"
#include "isa/isa.h"
#include "runtime/file_io.h"
#include "runtime/library.h"
#include "runtime/sha256.h"
#include "sim/program.h"

namespace axon {

namespace {

// An NPU program as the library holds it: the target description installed with it must be the
// one the entry names (its ISA hash), the program must load with it (every instruction, operand,
// buffer and capacity checked by the simulator's loader), and its device tensors must be the
// entry's tensors: each argument, with its dtype and shape, and no other input or output.
std::string check_npu_program(const rt::Entry& e, const std::string& program,
                              const std::string& target) {
  Isa isa;
  try {
    isa = load_isa_from_string(target, "isa.json");
  } catch (const UserError& err) {
    return std::string("its target description does not load: ") + err.what();
  }
  if (isa_hash(isa) != e.isa_hash)
    return "its target description has ISA hash " + isa_hash(isa) + ", the entry's is " +
           e.isa_hash;
  NpuProgram p;
  try {
    p = load_npu_program_from_string(program, isa, e.object.path);
  } catch (const UserError& err) {
    return std::string("it does not load with its target ") + isa.name + ": " + err.what();
  }
  std::map<std::string, const rt::Buffer*> tensors; // the kernel's tensors by name
  for (auto& b : e.buffers)
    tensors[b.tensor] = &b;
  for (auto& a : e.arguments)
    if (!p.find_tensor(a.name))
      return "the program has no tensor '" + a.name + "', an argument of the entry";
  for (auto& t : p.tensors) {
    if (t.kind == HbmKind::Scratch)
      continue;
    auto it = tensors.find(t.name);
    std::string have = rt::shape_text(dtype_name(t.dtype), t.shape);
    if (it == tensors.end())
      return "the program's " + std::string(t.kind == HbmKind::Input ? "input" : "output") + " '" +
             t.name + "' " + have + " is not a tensor of the entry";
    std::string want = rt::shape_text(it->second->dtype, it->second->shape);
    if (have != want)
      return "the program's tensor '" + t.name + "' is " + have + ", the entry's is " + want;
  }
  return "";
}

std::string signature_text(const rt::Entry& e) {
  std::string in, out;
  for (auto& a : e.arguments) {
    std::string s = a.name + " " + rt::shape_text(a.dtype, a.shape);
    if (a.role == rt::ArgRole::Output)
      out += (out.empty() ? "" : ", ") + s;
    else
      in +=
          std::string(in.empty() ? "" : ", ") + (a.role == rt::ArgRole::InOut ? "inout " : "") + s;
  }
  return in + " -> " + (out.empty() ? "(in place)" : out);
}

void print_install(const rt::InstallResult& r, const std::string& dir, FILE* to) {
  std::fprintf(to, "%s %s (%s) into %s: %s\n", r.replaced ? "replaced" : "installed",
               r.entry.name.c_str(), r.entry.id.c_str(), dir.c_str(), r.entry.object.path.c_str());
}

int cmd_ls(const std::string& dir, bool json) {
  rt::Manifest m = rt::read_library(dir);
  if (json) {
    std::cout << rt::manifest_to_json(m).dump(2) << "\n";
    return 0;
  }
  std::printf("%s: %zu kernel%s (manifest schema %d)\n", dir.c_str(), m.kernels.size(),
              m.kernels.size() == 1 ? "" : "s", m.schema_version);
  for (auto& e : m.kernels) {
    std::printf("  %s\n    %s on %s (backend %s), %.4f ms", e.id.c_str(), e.name.c_str(),
                e.target.c_str(), e.backend.c_str(), e.time_ns / 1e6);
    if (e.baseline_time_ns)
      std::printf(" (baseline %.4f ms, %.2fx)", *e.baseline_time_ns / 1e6,
                  *e.baseline_time_ns / e.time_ns);
    std::printf("\n    %s\n", signature_text(e).c_str());
  }
  return 0;
}

int cmd_show(const std::string& dir, const std::string& key) {
  rt::Manifest m = rt::read_library(dir);
  int shown = 0;
  for (auto& e : m.kernels) {
    if (e.id != key && e.name != key)
      continue;
    std::cout << rt::entry_to_json(e).dump(2) << "\n";
    ++shown;
  }
  if (!shown)
    user_error(dir + ": no kernel named '" + key +
               "' (and no entry with that id); see axon-synth library ls " + dir);
  return 0;
}

int cmd_verify(const std::string& dir) {
  rt::Manifest m = rt::read_library(dir);
  size_t broken = 0;
  for (auto& e : m.kernels) {
    std::vector<std::string> problems = rt::verify_entry(dir, e, artifact_checks());
    if (problems.empty()) {
      std::string cannot = rt::cannot_run_here(e);
      std::printf("ok      %s%s\n", e.id.c_str(),
                  cannot.empty() ? "" : (" (this machine cannot run it: " + cannot + ")").c_str());
      continue;
    }
    ++broken;
    std::printf("BROKEN  %s\n", e.id.c_str());
    for (auto& p : problems)
      std::printf("        %s\n", p.c_str());
  }
  std::printf("%s: %zu kernel%s, %zu broken\n", dir.c_str(), m.kernels.size(),
              m.kernels.size() == 1 ? "" : "s", broken);
  if (broken)
    std::fprintf(
        stderr,
        "%s: %zu broken entr%s: reinstall %s (axon-synth library install OUT %s) or remove %s\n",
        dir.c_str(), broken, broken == 1 ? "y" : "ies", broken == 1 ? "it" : "them", dir.c_str(),
        broken == 1 ? "it" : "them");
  return broken ? 2 : 0;
}

// The bytes of FILE of library LIB, checked against the manifest's sha256 (WHAT names it).
std::string read_checked(const std::string& lib, const rt::FileRef& file, const std::string& what) {
  std::string path = (std::filesystem::path(lib) / file.path).string(), bytes, why;
  if (!rt::read_regular_file(path, rt::kMaxObjectBytes, &bytes, &why))
    user_error(path + ": cannot read " + what + " (" + why +
               "); the library is damaged: see axon-synth library verify " + lib);
  if (rt::sha256_hex(bytes) != file.sha256)
    user_error(path + ": " + what + " has sha256 " + rt::sha256_hex(bytes) +
               ", the manifest's is " + file.sha256 +
               "; the library is damaged: see axon-synth library verify " + lib);
  return bytes;
}

// Points the sim command at entry E of library LIB: its program and, unless --isa names another
// target, the target description installed with it, each read once and checked.
void use_entry(SimCommandOptions& o, const std::string& lib, const rt::Entry& e) {
  if (e.object_kind != "npu_program")
    user_error(lib + ": kernel " + e.id + " is a " + e.object_kind + " of backend " + e.backend +
               ", not an NPU program: axon-synth sim runs NPU programs (libaxon_runtime runs " +
               "CPU kernels)");
  o.program = (std::filesystem::path(lib) / e.object.path).string();
  o.program_text = read_checked(lib, e.object, "the program");
  if (!o.isa.empty())
    return;
  for (auto& f : e.files)
    if (std::filesystem::path(f.path).filename() == "isa.json") {
      o.isa = (std::filesystem::path(lib) / f.path).string();
      o.isa_text = read_checked(lib, f, "the target description");
      return;
    }
  user_error(lib + ": kernel " + e.id +
             " lists no target description (isa.json); pass --isa TARGET.json");
}

} // namespace

void resolve_installed_program(SimCommandOptions& o, const std::string& library) {
  namespace fs = std::filesystem;
  if (!library.empty()) {
    if (o.program.empty())
      user_error("sim: --library " + library +
                 " needs the installed program's name or id: axon-synth sim --library " + library +
                 " NAME (see axon-synth library ls " + library + ")");
    rt::Manifest m = rt::read_library(library);
    std::vector<const rt::Entry*> hits;
    for (auto& e : m.kernels)
      if (e.id == o.program || e.name == o.program)
        hits.push_back(&e);
    if (hits.empty())
      user_error(library + ": no kernel named '" + o.program +
                 "' (and no entry with that id); see axon-synth library ls " + library);
    if (hits.size() > 1) {
      std::string ids;
      for (auto* e : hits)
        ids += (ids.empty() ? "" : ", ") + e->id;
      user_error(library + ": " + std::to_string(hits.size()) + " kernels are named '" + o.program +
                 "' (" + ids + "); name one by its id");
    }
    use_entry(o, library, *hits.front());
    return;
  }
  // A program file of a library (LIB/objects/ID.SHA16.json) run without --isa: the target
  // description installed with it.
  if (!o.isa.empty() || o.program.empty())
    return;
  fs::path file(o.program);
  fs::path lib = file.parent_path().parent_path();
  std::error_code ec;
  if (file.parent_path().filename() != "objects" || !fs::exists(lib / "manifest.json", ec))
    return;
  rt::Manifest m = rt::read_library(lib.string());
  std::string rel = "objects/" + file.filename().string();
  for (auto& e : m.kernels)
    if (e.object.path == rel) {
      use_entry(o, lib.string(), e);
      return;
    }
  user_error(o.program + ": no entry of the library " + lib.string() +
             " has this file as its object; pass --isa TARGET.json to run it as a plain program");
}

rt::ArtifactChecks artifact_checks() { return {{"npu_program", check_npu_program}}; }

void add_library_options(CLI::App* app, SynthOptions& o) {
  auto set = [&o](const std::string& v) {
    // `--library PROG.tp` would take the program for the directory.
    if (v.size() > 3 && v.compare(v.size() - 3, 3, ".tp") == 0)
      throw CLI::ValidationError("--library",
                                 "'" + v +
                                     "' looks like a program, not a library directory; "
                                     "write --library=DIR, or put --library after the program");
    o.library = v.empty() ? rt::default_library_dir() : v;
    // A directory the install would refuse fails now, not after the search.
    try {
      rt::check_library_dir(o.library);
    } catch (const UserError& e) {
      throw CLI::ValidationError("--library", e.what());
    }
  };
  app->add_option_function<std::string>("--library", set,
                                        "Install the winner into this kernel library (default: "
                                        "$AXON_LIBRARY_DIR, else ./axon-lib); write --library=DIR")
      ->expected(0, 1);
  app->add_option("--kernel-name", o.kernel_name,
                  "The kernel's name in the library (default: the program's file stem)");
}

void install_if_asked(const SynthOptions& o, const std::string& out_dir) {
  if (o.library.empty())
    return;
  rt::InstallOptions io;
  io.name = o.kernel_name;
  io.checks = artifact_checks();
  print_install(rt::install_kernel(out_dir, o.library, io), o.library, o.json ? stderr : stdout);
}

LibraryCommand::LibraryCommand(CLI::App& app) {
  cmd_ =
      app.add_subcommand("library", "Manage a kernel library: install, ls, show, verify, remove");
  cmd_->require_subcommand(1);
  install_ =
      cmd_->add_subcommand("install", "Install the kernel of an earlier run (OUT) into a library");
  install_->add_option("out", out_, "Output directory of axon-synth (-o OUT)")->required();
  install_->add_option("dir", dir_, "Kernel library directory (created if absent)")->required();
  install_->add_option("--name", name_, "The kernel's name (default: the program's file stem)");
  ls_ = cmd_->add_subcommand("ls", "List the kernels of a library");
  ls_->add_option("dir", dir_, "Kernel library directory")->required();
  ls_->add_flag("--json", json_, "Print manifest.json");
  show_ = cmd_->add_subcommand("show", "Print the manifest entries of a kernel (by name or id)");
  show_->add_option("dir", dir_, "Kernel library directory")->required();
  show_->add_option("kernel", key_, "Kernel name or entry id")->required();
  verify_ =
      cmd_->add_subcommand("verify", "Re-check every hash; list broken entries (exit 2 if any)");
  verify_->add_option("dir", dir_, "Kernel library directory")->required();
  remove_ =
      cmd_->add_subcommand("remove", "Remove a kernel's entries (by name or id) and their files");
  remove_->add_option("dir", dir_, "Kernel library directory")->required();
  remove_->add_option("kernel", key_, "Kernel name or entry id")->required();
}

int LibraryCommand::run() const {
  if (install_->parsed()) {
    rt::InstallOptions io;
    io.name = name_;
    io.checks = artifact_checks();
    print_install(rt::install_kernel(out_, dir_, io), dir_, stdout);
    return 0;
  }
  if (ls_->parsed())
    return cmd_ls(dir_, json_);
  if (show_->parsed())
    return cmd_show(dir_, key_);
  if (verify_->parsed())
    return cmd_verify(dir_);
  if (remove_->parsed()) {
    size_t n = rt::remove_kernels(dir_, key_);
    std::printf("removed %zu entr%s for '%s' from %s\n", n, n == 1 ? "y" : "ies", key_.c_str(),
                dir_.c_str());
    return 0;
  }
  return 0;
}

} // namespace axon
