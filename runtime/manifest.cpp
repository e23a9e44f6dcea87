// Reading, checking and writing manifest.json (see manifest.h).
#include "runtime/manifest.h"

#include "ir/dtype.h"
#include "ir/enum_table.h"
#include "ir/json_nesting.h"
#include "ir/json_reader.h"
#include "runtime/sha256.h"

namespace axon::rt {

namespace {

using nlohmann::json;

// The largest dimension and tensor a manifest may declare: far beyond any real kernel, small
// enough that byte counts never overflow.
constexpr int64_t kMaxDim = int64_t(1) << 40;
constexpr int64_t kMaxBytes = int64_t(1) << 50;

constexpr EnumName<ArgRole> kArgRoleNames[] = {
    {ArgRole::Input, "input"}, {ArgRole::Output, "output"}, {ArgRole::InOut, "inout"}};
constexpr EnumName<BufferBind> kBufferBindNames[] = {{BufferBind::Argument, "argument"},
                                                     {BufferBind::Workspace, "workspace"},
                                                     {BufferBind::Update, "update"}};

template <class E, size_t N> std::string known_names(const EnumName<E> (&table)[N]) {
  std::string out;
  for (const auto& n : enum_names(table))
    out += (out.empty() ? "" : ", ") + n;
  return out;
}

[[noreturn]] void bad(const std::string& where, const std::string& what) {
  throw ManifestError{ManifestError::Invalid, (where.empty() ? "/" : where) + ": " + what};
}

// The reader of the value j at `where` (ir/json_reader.h), reporting through bad().
const JsonFail kBad = [](const std::string& where, const std::string& what) { bad(where, what); };
JsonAt<json> at(const json& j, const std::string& where) { return {j, where, kBad}; }

// Member `key` of the object j at `where`, with its reader.
JsonAt<json> member(const json& j, const std::string& where, const char* key) {
  JsonAt<json> o = at(j, where);
  if (!o.is_object())
    o.fail("expected an object");
  if (!o.has(key))
    o.fail_at(o.at(key), "missing");
  return o.member(key);
}

const json& field(const json& j, const std::string& where, const char* key) {
  return member(j, where, key).value();
}

std::string str(const json& j, const std::string& where, const char* key) {
  return member(j, where, key).string("expected a string");
}

double number(const json& j, const std::string& where, const char* key) {
  return member(j, where, key).number("expected a number");
}

std::string hex_digest(const json& j, const std::string& where, const char* key, size_t digits) {
  std::string s = str(j, where, key);
  bool ok = s.size() == digits;
  for (char c : s)
    ok = ok && ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'));
  if (!ok)
    bad(where + "/" + key, "expected " + std::to_string(digits) + " lowercase hex digits");
  return s;
}

std::vector<int64_t> shape_of(const json& j, const std::string& where) {
  const json& v = field(j, where, "shape");
  if (!v.is_array())
    bad(where + "/shape", "expected an array of sizes");
  std::vector<int64_t> out;
  for (size_t i = 0; i < v.size(); ++i) {
    if (!v[i].is_number_integer() || v[i].get<int64_t>() < 1 || v[i].get<int64_t>() > kMaxDim)
      bad(where + "/shape/" + std::to_string(i), "expected an integer from 1 to 2^40");
    out.push_back(v[i].get<int64_t>());
  }
  return out;
}

std::string dtype_of(const json& j, const std::string& where) {
  std::string d = str(j, where, "dtype");
  if (dtype_size(d) == 0)
    bad(where + "/dtype", "unknown dtype '" + d + "' (known: " + known_names(kDTypeNames) + ")");
  return d;
}

void check_size(const std::string& dtype, const std::vector<int64_t>& shape,
                const std::string& where) {
  int64_t n = dtype_size(dtype);
  for (int64_t d : shape) {
    if (n > kMaxBytes / d)
      bad(where + "/shape", "the tensor is larger than 2^50 bytes");
    n *= d;
  }
}

FileRef file_ref(const json& j, const std::string& where) {
  FileRef f;
  f.path = str(j, where, "path");
  if (!safe_relative_path(f.path))
    bad(where + "/path", "'" + f.path + "' is not a relative path inside the library");
  f.sha256 = hex_digest(j, where, "sha256", 64);
  return f;
}

json file_json(const FileRef& f) { return {{"path", f.path}, {"sha256", f.sha256}}; }

std::vector<FileRef> file_list(const json& j, const std::string& where, const char* key) {
  const json& v = field(j, where, key);
  if (!v.is_array())
    bad(where + "/" + key, "expected an array");
  std::vector<FileRef> out;
  for (size_t i = 0; i < v.size(); ++i)
    out.push_back(file_ref(v[i], where + "/" + key + "/" + std::to_string(i)));
  return out;
}

ArgRole parse_role(const std::string& s, const std::string& where) {
  if (auto r = enum_value(kArgRoleNames, s))
    return *r;
  bad(where, "unknown role '" + s + "' (known: " + known_names(kArgRoleNames) + ")");
}

BufferBind parse_bind(const std::string& s, const std::string& where) {
  if (auto b = enum_value(kBufferBindNames, s))
    return *b;
  bad(where, "unknown binding '" + s + "' (known: " + known_names(kBufferBindNames) + ")");
}

bool c_identifier(const std::string& s) {
  if (s.empty() || s.size() > 200 || (s[0] >= '0' && s[0] <= '9'))
    return false;
  for (char c : s)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_'))
      return false;
  return true;
}

} // namespace

const char* role_name(ArgRole r) {
  const char* n = enum_name(kArgRoleNames, r);
  return n ? n : "?";
}

const char* bind_name(BufferBind b) {
  const char* n = enum_name(kBufferBindNames, b);
  return n ? n : "?";
}

int64_t dtype_size(const std::string& dtype) {
  auto t = enum_value(kDTypeNames, dtype);
  return t ? dtype_bytes(*t) : 0;
}

int64_t tensor_bytes(const std::string& dtype, const std::vector<int64_t>& shape) {
  int64_t n = dtype_size(dtype);
  for (int64_t d : shape)
    n *= d;
  return n;
}

std::string shape_text(const std::string& dtype, const std::vector<int64_t>& shape) {
  std::string s = dtype + "[";
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

std::string signature_hash(const std::vector<Argument>& args) {
  json a = json::array();
  for (auto& x : args)
    a.push_back(
        {{"name", x.name}, {"dtype", x.dtype}, {"shape", x.shape}, {"role", role_name(x.role)}});
  return sha256_hex(a.dump()).substr(0, 16);
}

std::string abi_hash(const Entry& e) {
  json j = {{"symbol", e.symbol},
            {"arguments", arguments_to_json(e.arguments)},
            {"buffers", buffers_to_json(e.buffers)},
            {"cpu_features", e.cpu_features}};
  return sha256_hex(j.dump());
}

bool safe_relative_path(const std::string& p) {
  if (p.empty() || p[0] == '/')
    return false;
  size_t start = 0;
  while (start <= p.size()) {
    size_t end = p.find('/', start);
    if (end == std::string::npos)
      end = p.size();
    std::string part = p.substr(start, end - start);
    if (part.empty() || part == "." || part == "..")
      return false;
    start = end + 1;
  }
  return true;
}

bool valid_backend_name(const std::string& name) {
  if (name.empty() || name.size() > 64)
    return false;
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' || c == '-'))
      return false;
  return true;
}

bool valid_kernel_name(const std::string& name) {
  if (name.empty() || name.size() > 128 || name[0] == '.' || name[0] == '-')
    return false;
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
          c == '-' || c == '.'))
      return false;
  return true;
}

const Entry* Manifest::find_id(const std::string& id) const {
  for (auto& e : kernels)
    if (e.id == id)
      return &e;
  return nullptr;
}

std::vector<Argument> arguments_from_json(const json& args, const std::string& where) {
  if (!args.is_array() || args.empty())
    bad(where, "expected a non-empty array");
  std::vector<Argument> out;
  for (size_t i = 0; i < args.size(); ++i) {
    std::string w = where + "/" + std::to_string(i);
    Argument a;
    a.name = str(args[i], w, "name");
    a.dtype = dtype_of(args[i], w);
    a.shape = shape_of(args[i], w);
    check_size(a.dtype, a.shape, w);
    a.role = parse_role(str(args[i], w, "role"), w + "/role");
    const json& al = field(args[i], w, "alignment");
    if (!al.is_number_integer() || al.get<int64_t>() < 1 || al.get<int64_t>() > 4096 ||
        (al.get<int64_t>() & (al.get<int64_t>() - 1)))
      bad(w + "/alignment", "expected a power of two from 1 to 4096");
    a.alignment = al.get<int64_t>();
    for (auto& prev : out)
      if (prev.name == a.name)
        bad(w + "/name", "argument '" + a.name + "' appears twice");
    out.push_back(std::move(a));
  }
  return out;
}

std::vector<Buffer> buffers_from_json(const json& bufs, const std::vector<Argument>& args,
                                      const std::string& where) {
  if (!bufs.is_array())
    bad(where, "expected an array");
  std::vector<Buffer> out;
  std::vector<int> arg_uses(args.size(), 0), arg_updates(args.size(), 0);
  for (size_t i = 0; i < bufs.size(); ++i) {
    std::string w = where + "/" + std::to_string(i);
    Buffer b;
    b.tensor = str(bufs[i], w, "tensor");
    b.dtype = dtype_of(bufs[i], w);
    b.shape = shape_of(bufs[i], w);
    check_size(b.dtype, b.shape, w);
    b.bind = parse_bind(str(bufs[i], w, "bind"), w + "/bind");
    if (b.bind != BufferBind::Workspace) {
      b.argument = str(bufs[i], w, "argument");
      size_t k = 0;
      while (k < args.size() && args[k].name != b.argument)
        ++k;
      if (k == args.size())
        bad(w + "/argument", "no argument named '" + b.argument + "'");
      const Argument& a = args[k];
      if (a.dtype != b.dtype || a.shape != b.shape)
        bad(w, "the buffer is " + shape_text(b.dtype, b.shape) + " but argument '" + a.name +
                   "' is " + shape_text(a.dtype, a.shape));
      if (b.bind == BufferBind::Update && a.role != ArgRole::InOut)
        bad(w + "/bind",
            "only an inout argument can be updated, and '" + a.name + "' is " + role_name(a.role));
      int& uses = b.bind == BufferBind::Update ? arg_updates[k] : arg_uses[k];
      if (uses > 0)
        bad(w, "argument '" + a.name + "' is bound twice");
      ++uses;
    }
    out.push_back(std::move(b));
  }
  for (size_t k = 0; k < args.size(); ++k) {
    if (arg_uses[k] == 0)
      bad(where, "no buffer is bound to argument '" + args[k].name + "'");
    if (args[k].role == ArgRole::InOut && arg_updates[k] == 0)
      bad(where, "inout argument '" + args[k].name + "' has no update buffer");
  }
  return out;
}

json arguments_to_json(const std::vector<Argument>& args) {
  json out = json::array();
  for (auto& a : args)
    out.push_back({{"name", a.name},
                   {"dtype", a.dtype},
                   {"shape", a.shape},
                   {"role", role_name(a.role)},
                   {"alignment", a.alignment}});
  return out;
}

json buffers_to_json(const std::vector<Buffer>& bufs) {
  json out = json::array();
  for (auto& b : bufs) {
    json x = {
        {"tensor", b.tensor}, {"dtype", b.dtype}, {"shape", b.shape}, {"bind", bind_name(b.bind)}};
    if (b.bind != BufferBind::Workspace)
      x["argument"] = b.argument;
    out.push_back(x);
  }
  return out;
}

Entry entry_from_json(const json& j, const std::string& where, int schema) {
  Entry e;
  e.id = str(j, where, "id");
  e.name = str(j, where, "name");
  if (!valid_kernel_name(e.name))
    bad(where + "/name", "'" + e.name + "' is not a kernel name (letters, digits, _ - .)");
  if (schema >= 2) {
    e.backend = str(j, where, "backend");
    if (!valid_backend_name(e.backend))
      bad(where + "/backend", "'" + e.backend + "' is not a backend name (a-z, 0-9, _ -)");
  }
  const json& sig = field(j, where, "signature");
  e.arguments = arguments_from_json(field(sig, where + "/signature", "arguments"),
                                    where + "/signature/arguments");
  e.signature_hash = hex_digest(sig, where + "/signature", "hash", 16);
  if (e.signature_hash != signature_hash(e.arguments))
    bad(where + "/signature/hash",
        "does not match the arguments (expected " + signature_hash(e.arguments) + ")");
  const json& abi = field(j, where, "abi");
  e.symbol = str(abi, where + "/abi", "symbol");
  e.buffers =
      buffers_from_json(field(abi, where + "/abi", "buffers"), e.arguments, where + "/abi/buffers");
  const json& target = field(j, where, "target");
  e.target = str(target, where + "/target", "isa");
  const json& feats = field(target, where + "/target", "cpu_features");
  if (!feats.is_array())
    bad(where + "/target/cpu_features", "expected an array of feature names");
  for (size_t i = 0; i < feats.size(); ++i) {
    if (!feats[i].is_string())
      bad(where + "/target/cpu_features/" + std::to_string(i), "expected a string");
    e.cpu_features.push_back(feats[i].get<std::string>());
  }
  const json& prog = field(j, where, "program");
  e.program_path = str(prog, where + "/program", "path");
  e.program_hash = str(prog, where + "/program", "hash");
  const json& isa = field(j, where, "isa");
  e.isa_path = str(isa, where + "/isa", "path");
  e.isa_hash = str(isa, where + "/isa", "hash");
  e.derivation = field(j, where, "derivation");
  if (!e.derivation.is_object())
    bad(where + "/derivation", "expected an object");
  const json& t = field(j, where, "time_ns");
  e.time_ns = number(t, where + "/time_ns", "median");
  if (t.contains("baseline_median") && !t["baseline_median"].is_null())
    e.baseline_time_ns = number(t, where + "/time_ns", "baseline_median");
  e.certificates = file_list(j, where, "certificates");
  e.object = file_ref(field(j, where, "object"), where + "/object");
  if (schema >= 2) {
    e.object_kind = str(field(j, where, "object"), where + "/object", "kind");
    if (!valid_backend_name(e.object_kind))
      bad(where + "/object/kind",
          "'" + e.object_kind + "' is not an artifact kind (a-z, 0-9, _ -)");
  }
  // An artifact that is not a shared object (an NPU program) has no entry symbol: "" then.
  if (!c_identifier(e.symbol) && !(e.symbol.empty() && e.object_kind != "shared_object"))
    bad(where + "/abi/symbol", "'" + e.symbol + "' is not a C identifier");
  e.files = file_list(j, where, "files");
  e.installed_at = str(j, where, "installed_at");
  e.tool = str(j, where, "tool");
  std::string want_id = e.name + "." + e.target + "." + e.signature_hash;
  if (e.id != want_id)
    bad(where + "/id", "expected '" + want_id + "' (name.target.signature-hash)");
  return e;
}

json entry_to_json(const Entry& e) {
  json args = arguments_to_json(e.arguments), bufs = buffers_to_json(e.buffers);
  json certs = json::array(), files = json::array();
  for (auto& f : e.certificates)
    certs.push_back(file_json(f));
  for (auto& f : e.files)
    files.push_back(file_json(f));
  json t = {{"median", e.time_ns}};
  t["baseline_median"] = e.baseline_time_ns ? json(*e.baseline_time_ns) : json(nullptr);
  json object = file_json(e.object);
  object["kind"] = e.object_kind;
  return {{"id", e.id},
          {"name", e.name},
          {"backend", e.backend},
          {"signature", {{"arguments", args}, {"hash", e.signature_hash}}},
          {"abi", {{"symbol", e.symbol}, {"buffers", bufs}}},
          {"target", {{"isa", e.target}, {"cpu_features", e.cpu_features}}},
          {"program", {{"path", e.program_path}, {"hash", e.program_hash}}},
          {"isa", {{"path", e.isa_path}, {"hash", e.isa_hash}}},
          {"derivation", e.derivation},
          {"time_ns", t},
          {"certificates", certs},
          {"object", object},
          {"files", files},
          {"installed_at", e.installed_at},
          {"tool", e.tool}};
}

json parse_json_limited(const std::string& text) {
  // Depth checked before nlohmann builds (and later copies and destroys) the tree recursively.
  if (json_nesting_overflow(text, kMaxJsonDepth) >= 0)
    throw ManifestError{ManifestError::Invalid,
                        "not JSON this reader accepts: nested deeper than " +
                            std::to_string(kMaxJsonDepth) + " levels"};
  try {
    return json::parse(text);
  } catch (const json::exception& ex) {
    throw ManifestError{ManifestError::Invalid, std::string("not JSON: ") + ex.what()};
  }
}

Manifest parse_manifest(const std::string& text) {
  json j = parse_json_limited(text);
  try {
    Manifest m;
    const json& v = field(j, "", "schema_version");
    if (!v.is_number_integer() || v.get<int64_t>() < 1)
      bad("/schema_version", "expected a positive integer");
    if (v.get<int64_t>() > kManifestSchema)
      throw ManifestError{
          ManifestError::Newer,
          "/schema_version is " + std::to_string(v.get<int64_t>()) +
              ", newer than this runtime reads (" + std::to_string(kManifestSchema) +
              "); use a newer libaxon_runtime or reinstall the kernels with this axon-synth"};
    m.schema_version = static_cast<int>(v.get<int64_t>());
    const json& ks = field(j, "", "kernels");
    if (!ks.is_array())
      bad("/kernels", "expected an array");
    for (size_t i = 0; i < ks.size(); ++i) {
      Entry e = entry_from_json(ks[i], "/kernels/" + std::to_string(i), m.schema_version);
      if (m.find_id(e.id))
        bad("/kernels/" + std::to_string(i) + "/id", "'" + e.id + "' appears twice");
      m.kernels.push_back(std::move(e));
    }
    return m;
  } catch (const json::exception& ex) {
    // Field accessors check types first; this only catches what slipped through.
    throw ManifestError{ManifestError::Invalid, ex.what()};
  }
}

json manifest_to_json(const Manifest& m) {
  json ks = json::array();
  for (auto& e : m.kernels)
    ks.push_back(entry_to_json(e));
  return {{"schema_version", kManifestSchema}, {"kernels", ks}};
}

} // namespace axon::rt
