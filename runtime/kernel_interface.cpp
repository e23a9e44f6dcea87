// From an index program to its calling interface, and kernel.json in and out (see
// kernel_interface.h). The interface is checked by building a manifest entry around it, so
// kernel.json and manifest.json share one set of rules.
#include "runtime/kernel_interface.h"

#include <map>

#include "ir/error.h"
#include "ir/json_reader.h"
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
  using Json = nlohmann::json;
  JsonFail fail = [&](const std::string& pointer, const std::string& message) {
    user_error(where + ": " + pointer + ": " + message);
  };
  JsonAt<Json> root(j, "", fail);
  // The member `key` of `o` when it exists and `ok` holds for it; else "<where>: <pointer>: what".
  auto need = [](const JsonAt<Json>& o, const char* key, const char* what, auto ok) {
    if (!o.has(key) || !ok(o.value().at(key)))
      o.fail_at(o.at(key), what);
    return o.member(key);
  };
  auto any = [](const Json&) { return true; };
  auto is_string = [](const Json& v) { return v.is_string(); };
  auto is_object = [](const Json& v) { return v.is_object(); };
  auto is_name = [](const Json& v) {
    return v.is_string() && valid_backend_name(v.get<std::string>());
  };
  int64_t schema =
      need(root, "schema_version", "expected a positive integer",
           [](const Json& v) { return v.is_number_integer() && v.get<int64_t>() >= 1; })
          .value()
          .get<int64_t>();
  if (schema > kInterfaceSchema)
    user_error(where + ": /schema_version is " + std::to_string(schema) +
               ", newer than this axon-synth reads (" + std::to_string(kInterfaceSchema) +
               "); install it with the axon-synth that wrote it");
  // A C identifier, or "" for an artifact that is not a shared object (checked below).
  JsonAt<Json> symbol = need(root, "symbol", "expected a C identifier", [](const Json& v) {
    return v.is_string() &&
           v.get<std::string>().find_first_not_of(
               "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_") ==
               std::string::npos;
  });
  JsonAt<Json> target = need(root, "target", "expected an object", is_object);
  JsonAt<Json> isa = need(target, "isa", "expected a string", is_string);
  JsonAt<Json> features =
      need(target, "cpu_features", "expected an array", [](const Json& v) { return v.is_array(); });
  need(root, "arguments", "missing", any);
  need(root, "buffers", "missing", any);
  KernelInterface k;
  if (schema >= 2) {
    k.backend = need(root, "backend", "expected a backend name (a-z, 0-9, _ -)", is_name)
                    .value()
                    .get<std::string>();
    JsonAt<Json> object = need(root, "object", "expected an object", is_object);
    k.object_kind = need(object, "kind", "expected an artifact kind (a-z, 0-9, _ -)", is_name)
                        .value()
                        .get<std::string>();
    // One file of the output directory, beside kernel.json.
    k.object_path = need(object, "path", "expected a file name in the output directory",
                         [](const Json& v) {
                           return v.is_string() && safe_relative_path(v.get<std::string>()) &&
                                  v.get<std::string>().find('/') == std::string::npos;
                         })
                        .value()
                        .get<std::string>();
  }
  k.symbol = symbol.value().get<std::string>();
  if (k.symbol.empty() && k.object_kind == "shared_object")
    symbol.fail("expected a C identifier (a shared object's entry point)");
  k.target = isa.value().get<std::string>();
  for (auto& f : features.value()) {
    if (!f.is_string())
      features.fail("expected feature names");
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
