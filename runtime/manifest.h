// The kernel library's manifest (DIR/manifest.json): what it records about each installed kernel,
// read and written with nlohmann/json. parse_manifest() checks every field and names the bad one
// with a JSON pointer; the runtime and the installer share it. The format is in docs/runtime.md.
#pragma once

#include <cstdint>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

namespace axon::rt {

// The manifest format this code writes. A reader reads every version up to it and refuses a
// larger one. History (docs/runtime.md): 1, CPU shared objects only; 2, each entry names its
// backend and its artifact's kind (a version-1 entry reads as backend "llvm", a shared object).
constexpr int kManifestSchema = 2;

// How the caller sees a tensor: an input it provides, an output the kernel writes, or an inout
// (an input the kernel updates in place, e.g. an accumulated gradient).
enum class ArgRole { Input, Output, InOut };
const char* role_name(ArgRole r);

struct Argument {
  std::string name;
  std::string dtype;          // "f32", "bf16", "f16", "bool"
  std::vector<int64_t> shape; // row-major, contiguous
  ArgRole role = ArgRole::Input;
  int64_t alignment = 4; // bytes; the caller's pointer must be a multiple of it
  bool operator==(const Argument&) const = default;
};

// One pointer of the kernel's `void** buffers`, in order: a caller argument, a workspace tensor
// the runtime allocates (a temporary), or the fresh value of an inout argument that the runtime
// copies back into the argument's buffer after the call (the kernel never aliases its buffers).
enum class BufferBind { Argument, Workspace, Update };
const char* bind_name(BufferBind b);

struct Buffer {
  std::string tensor; // the tensor's name in the kernel's index program
  std::string dtype;
  std::vector<int64_t> shape;
  BufferBind bind = BufferBind::Argument;
  std::string argument; // for Argument and Update: the caller argument
  bool operator==(const Buffer&) const = default;
};

struct FileRef {
  std::string path; // relative to the library directory
  std::string sha256;
  bool operator==(const FileRef&) const = default;
};

struct Entry {
  std::string id; // name.target.signature-hash: unique in a library
  std::string name;
  std::string backend = "llvm"; // the backend registry's key; the runtime's loader is chosen by it
  std::vector<Argument> arguments;
  std::string signature_hash;
  std::vector<Buffer> buffers;
  std::string symbol = "axon_kernel";
  std::string target;                    // ISA name, e.g. "avx2"
  std::vector<std::string> cpu_features; // e.g. "avx2", "fma"
  std::string program_path, program_hash, isa_path, isa_hash;
  nlohmann::json derivation; // variant, fused temporaries, rewrite steps, text file
  double time_ns = 0;        // measured median
  std::optional<double> baseline_time_ns;
  std::vector<FileRef> certificates;
  FileRef object;                            // the artifact the backend's loader opens
  std::string object_kind = "shared_object"; // what the artifact is (the loader checks it)
  std::vector<FileRef> files;                // report.json, derivation.txt, kernel.c, ...
  std::string installed_at;                  // UTC, ISO 8601
  std::string tool;                          // "axon-synth 0.1.0"
  bool operator==(const Entry&) const = default;
};

struct Manifest {
  int schema_version = kManifestSchema; // as read; manifest_to_json writes kManifestSchema
  std::vector<Entry> kernels;
  const Entry* find_id(const std::string& id) const;
};

// A manifest that cannot be used: Newer when schema_version is above kManifestSchema. The
// message starts with the JSON pointer of the bad field.
struct ManifestError {
  enum Kind { Invalid, Newer } kind = Invalid;
  std::string message;
};

// JSON text parsed with a limit on nesting (kMaxJsonDepth), so that a hostile file cannot exhaust
// the stack of code that walks the result recursively; throws ManifestError when it is not JSON
// or nests deeper.
constexpr int kMaxJsonDepth = 256;
nlohmann::json parse_json_limited(const std::string& text);

// Parses and checks manifest text; throws ManifestError naming the field (JSON pointer) at fault.
Manifest parse_manifest(const std::string& text);
nlohmann::json manifest_to_json(const Manifest& m);
// SCHEMA is the manifest's version: a version-1 entry has no backend or object kind.
Entry entry_from_json(const nlohmann::json& j, const std::string& where,
                      int schema = kManifestSchema);
nlohmann::json entry_to_json(const Entry& e);
// The signature's arguments and the ABI's buffers alone (kernel.json uses them too); checked as
// in a manifest: buffers bind to existing arguments of the same shape, each argument once.
std::vector<Argument> arguments_from_json(const nlohmann::json& j, const std::string& where);
std::vector<Buffer> buffers_from_json(const nlohmann::json& j, const std::vector<Argument>& args,
                                      const std::string& where);
nlohmann::json arguments_to_json(const std::vector<Argument>& args);
nlohmann::json buffers_to_json(const std::vector<Buffer>& bufs);

// Bytes of one element of a dtype (0 if unknown) and of a whole contiguous tensor.
int64_t dtype_size(const std::string& dtype);
int64_t tensor_bytes(const std::string& dtype, const std::vector<int64_t>& shape);
std::string shape_text(const std::string& dtype,
                       const std::vector<int64_t>& shape); // "f32[64, 32]"
// The hash that names a signature: sha256 of its arguments as canonical JSON, 16 hex digits.
std::string signature_hash(const std::vector<Argument>& args);
// The hash of everything the caller and the kernel must agree on (symbol, arguments, buffers,
// and the CPU features the kernel needs, which the runtime checks before loading it), 64 hex
// digits. The installer embeds it in the shared object as the string SYMBOL_abi; the
// runtime compares, so a manifest edited to change a shape is caught before the kernel runs.
std::string abi_hash(const Entry& e);
// Whether NAME can be a backend key or an artifact kind: 1 to 64 of a-z, 0-9, '_', '-'.
bool valid_backend_name(const std::string& name);
// Whether a path stored in a manifest stays inside the library (relative, no "..").
bool safe_relative_path(const std::string& p);
bool valid_kernel_name(const std::string& name);

} // namespace axon::rt
