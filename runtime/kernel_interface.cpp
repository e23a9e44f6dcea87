// From an index program to its calling interface, and kernel.json in and out (see
// kernel_interface.h). The interface is checked by building a manifest entry around it, so
// kernel.json and manifest.json share one set of rules.
#include "runtime/kernel_interface.h"

#include <map>

#include "ir/error.h"
#include "runtime/cpu_features.h"

namespace axon::rt {

KernelInterface kernel_interface(const IndexProgram& p, const std::string& target,
                                 const std::vector<std::string>& llvm_features,
                                 int64_t scratch_bytes, const std::string& symbol) {
  KernelInterface k;
  k.symbol = symbol;
  k.target = target;
  for (auto& f : llvm_features) {
    if (f.empty() || f[0] != '+')
      continue;
    std::string name = f.substr(1);
    if (cpu_supports(name) < 0)
      internal_error("target feature '" + name +
                     "' is not one the runtime can check (runtime/cpu_features.cpp)");
    k.cpu_features.push_back(name);
  }
  std::map<std::string, std::string> updated_by; // input -> the output stored back into it
  for (auto& [out, in] : p.updates())
    updated_by[in] = out;
  for (auto& t : p.tensors()) {
    std::string dtype = dtype_name(t.dtype);
    std::vector<int64_t> shape = p.concrete_shape(t.name);
    Buffer b{t.name, dtype, shape, BufferBind::Argument, t.name};
    if (t.role == TensorRole::Temp) {
      b.bind = BufferBind::Workspace;
      b.argument.clear();
    } else if (t.role == TensorRole::Output && p.updates().count(t.name)) {
      b.bind = BufferBind::Update;
      b.argument = p.updates().at(t.name);
    } else {
      ArgRole role = t.role == TensorRole::Output ? ArgRole::Output
                     : updated_by.count(t.name)   ? ArgRole::InOut
                                                  : ArgRole::Input;
      k.arguments.push_back(Argument{t.name, dtype, shape, role, dtype_size(dtype)});
    }
    k.buffers.push_back(std::move(b));
  }
  if (scratch_bytes > 0) {
    if (p.find_tensor("axon.scratch"))
      internal_error("a tensor is named axon.scratch, the kernel's scratch block");
    k.buffers.push_back(
        Buffer{"axon.scratch", "f32", {(scratch_bytes + 3) / 4}, BufferBind::Workspace, ""});
  }
  return k;
}

nlohmann::json interface_to_json(const KernelInterface& k) {
  return {{"schema_version", kInterfaceSchema},
          {"backend", k.backend},
          {"object", {{"kind", k.object_kind}, {"path", k.object_path}}},
          {"symbol", k.symbol},
          {"target", {{"isa", k.target}, {"cpu_features", k.cpu_features}}},
          {"arguments", arguments_to_json(k.arguments)},
          {"buffers", buffers_to_json(k.buffers)}};
}

KernelInterface interface_from_json(const nlohmann::json& j, const std::string& where) {
  auto need = [&](const char* key, bool ok, const char* what) {
    if (!ok)
      user_error(where + ": /" + key + ": " + what);
  };
  need("schema_version",
       j.is_object() && j.contains("schema_version") && j["schema_version"].is_number_integer() &&
           j["schema_version"].get<int64_t>() >= 1,
       "expected a positive integer");
  int64_t schema = j["schema_version"].get<int64_t>();
  if (schema > kInterfaceSchema)
    user_error(where + ": /schema_version is " + std::to_string(schema) +
               ", newer than this axon-synth reads (" + std::to_string(kInterfaceSchema) +
               "); install it with the axon-synth that wrote it");
  need("symbol",
       j.contains("symbol") && j["symbol"].is_string() && !j["symbol"].get<std::string>().empty() &&
           j["symbol"].get<std::string>().find_first_not_of(
               "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") ==
               std::string::npos,
       "expected a C identifier");
  need("target", j.contains("target") && j["target"].is_object(), "expected an object");
  const nlohmann::json& t = j["target"];
  need("target/isa", t.contains("isa") && t["isa"].is_string(), "expected a string");
  need("target/cpu_features", t.contains("cpu_features") && t["cpu_features"].is_array(),
       "expected an array");
  need("arguments", j.contains("arguments"), "missing");
  need("buffers", j.contains("buffers"), "missing");
  KernelInterface k;
  if (schema >= 2) {
    need("backend",
         j.contains("backend") && j["backend"].is_string() &&
             valid_backend_name(j["backend"].get<std::string>()),
         "expected a backend name (a-z, 0-9, _ -)");
    need("object", j.contains("object") && j["object"].is_object(), "expected an object");
    const nlohmann::json& o = j["object"];
    need("object/kind",
         o.contains("kind") && o["kind"].is_string() &&
             valid_backend_name(o["kind"].get<std::string>()),
         "expected an artifact kind (a-z, 0-9, _ -)");
    // One file of the output directory, beside kernel.json.
    need("object/path",
         o.contains("path") && o["path"].is_string() &&
             safe_relative_path(o["path"].get<std::string>()) &&
             o["path"].get<std::string>().find('/') == std::string::npos,
         "expected a file name in the output directory");
    k.backend = j["backend"].get<std::string>();
    k.object_kind = o["kind"].get<std::string>();
    k.object_path = o["path"].get<std::string>();
  }
  k.symbol = j["symbol"].get<std::string>();
  k.target = t["isa"].get<std::string>();
  for (auto& f : t["cpu_features"]) {
    need("target/cpu_features", f.is_string(), "expected feature names");
    k.cpu_features.push_back(f.get<std::string>());
  }
  try {
    k.arguments = arguments_from_json(j["arguments"], "/arguments");
    k.buffers = buffers_from_json(j["buffers"], k.arguments, "/buffers");
  } catch (const ManifestError& e) {
    user_error(where + ": " + e.message);
  }
  return k;
}

} // namespace axon::rt
