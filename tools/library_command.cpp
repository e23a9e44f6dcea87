// The `library` subcommands and the --library install step (see library_command.h).
#include "tools/library_command.h"

#include <cstdio>
#include <iostream>

#include "ir/error.h"
#include "runtime/library.h"

namespace axon {

namespace {

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
    std::vector<std::string> problems = rt::verify_entry(dir, e);
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

} // namespace

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
