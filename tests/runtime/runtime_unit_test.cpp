// The library format on its own: sha256 test vectors, manifest round trips and the error each bad
// field gets, signature hashes, paths, CPU feature detection against /proc/cpuinfo, and the
// calling interface derived from an index program (kernel.json).
#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <map>
#include <set>
#include <sstream>

#include "ir/error.h"
#include "ir/frontend.h"
#include "runtime/cpu_features.h"
#include "runtime/kernel_interface.h"
#include "runtime/loader.h"
#include "runtime/manifest.h"
#include "runtime/sha256.h"

namespace {

using namespace axon::rt;
using nlohmann::json;

TEST(Sha256, KnownVectors) {
  // FIPS 180-4 examples (NIST CSRC "SHA256.pdf") and the empty string.
  EXPECT_EQ(sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(sha256_hex(std::string(1000000, 'a')),
            "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
  // Incremental updates agree with one-shot hashing across block boundaries.
  std::string s(200, 'x');
  for (size_t i = 0; i < s.size(); ++i)
    s[i] = static_cast<char>(i * 7);
  Sha256 h;
  h.update(s.data(), 3);
  h.update(s.data() + 3, 61);
  h.update(s.data() + 64, 136);
  EXPECT_EQ(h.hex(), sha256_hex(s));
}

Entry sample_entry() {
  Entry e;
  e.name = "k";
  e.arguments = {{"x", "f32", {4, 8}, ArgRole::Input, 4},
                 {"p", "f32", {8}, ArgRole::InOut, 4},
                 {"y", "f32", {4}, ArgRole::Output, 4}};
  e.signature_hash = signature_hash(e.arguments);
  e.buffers = {{"x", "f32", {4, 8}, BufferBind::Argument, "x"},
               {"p", "f32", {8}, BufferBind::Argument, "p"},
               {"t", "f32", {4, 8}, BufferBind::Workspace, ""},
               {"y", "f32", {4}, BufferBind::Argument, "y"},
               {"p@1", "f32", {8}, BufferBind::Update, "p"}};
  e.target = "avx2";
  e.id = "k.avx2." + e.signature_hash;
  e.cpu_features = {"avx2", "fma"};
  e.program_path = "k.tp";
  e.program_hash = "0123456789abcdef";
  e.isa_path = "targets/avx2.json";
  e.isa_hash = "fedcba9876543210";
  e.derivation = {{"variant", "as written"}, {"steps", json::array()}};
  e.time_ns = 1234.5;
  e.baseline_time_ns = 2000;
  e.object = {"objects/k.so", std::string(64, 'a')};
  e.files = {{"kernels/k.1/report.json", std::string(64, 'b')}};
  e.installed_at = "2026-01-01T00:00:00Z";
  e.tool = "axon-synth 0.1.0";
  return e;
}

TEST(Manifest, RoundTrips) {
  Manifest m;
  m.kernels = {sample_entry()};
  Entry e2 = sample_entry();
  e2.baseline_time_ns.reset();
  e2.name = "k2";
  e2.id = "k2.avx2." + e2.signature_hash;
  m.kernels.push_back(e2);
  std::string text = manifest_to_json(m).dump(2);
  Manifest back = parse_manifest(text);
  ASSERT_EQ(back.kernels.size(), 2u);
  EXPECT_EQ(back.kernels[0], m.kernels[0]);
  EXPECT_EQ(back.kernels[1], m.kernels[1]);
  EXPECT_EQ(manifest_to_json(back).dump(2), text);
  EXPECT_EQ(back.find_id(e2.id)->name, "k2");
}

// Each damaged field is named by its JSON pointer.
TEST(Manifest, ErrorsNameTheField) {
  auto error_of = [](const std::function<void(json&)>& damage) {
    Manifest m;
    m.kernels = {sample_entry()};
    json j = manifest_to_json(m);
    damage(j);
    try {
      parse_manifest(j.dump());
    } catch (const ManifestError& e) {
      return e.message;
    }
    return std::string("(accepted)");
  };
  auto k0 = [](json& j) -> json& { return j["kernels"][0]; };
  EXPECT_EQ(error_of([](json& j) { j.erase("schema_version"); }), "/schema_version: missing");
  EXPECT_NE(
      error_of([](json& j) { j["schema_version"] = 7; }).find("newer than this runtime reads (2)"),
      std::string::npos);
  EXPECT_EQ(error_of([&](json& j) { k0(j)["signature"]["arguments"][1]["shape"][0] = 0; }),
            "/kernels/0/signature/arguments/1/shape/0: expected an integer from 1 to 2^40");
  EXPECT_EQ(
      error_of([&](json& j) { k0(j)["signature"]["arguments"][0]["dtype"] = "f64"; }),
      "/kernels/0/signature/arguments/0/dtype: unknown dtype 'f64' (known: f32, bf16, f16, bool)");
  EXPECT_EQ(
      error_of([&](json& j) { k0(j)["signature"]["arguments"][0]["role"] = "both"; }),
      "/kernels/0/signature/arguments/0/role: unknown role 'both' (known: input, output, inout)");
  EXPECT_EQ(error_of([&](json& j) { k0(j)["signature"]["arguments"][0]["alignment"] = 3; }),
            "/kernels/0/signature/arguments/0/alignment: expected a power of two from 1 to 4096");
  EXPECT_NE(error_of([&](json& j) {
              k0(j)["signature"]["hash"] = std::string(16, '0');
            }).find("does not match the arguments"),
            std::string::npos);
  EXPECT_EQ(error_of([&](json& j) { k0(j)["abi"]["buffers"][3]["argument"] = "q"; }),
            "/kernels/0/abi/buffers/3/argument: no argument named 'q'");
  EXPECT_EQ(error_of([&](json& j) { k0(j)["abi"]["buffers"][3]["shape"] = {5}; }),
            "/kernels/0/abi/buffers/3: the buffer is f32[5] but argument 'y' is f32[4]");
  EXPECT_EQ(error_of([&](json& j) { k0(j)["abi"]["buffers"].erase(4); }),
            "/kernels/0/abi/buffers: inout argument 'p' has no update buffer");
  EXPECT_EQ(error_of([&](json& j) { k0(j)["abi"]["buffers"].erase(0); }),
            "/kernels/0/abi/buffers: no buffer is bound to argument 'x'");
  EXPECT_EQ(error_of([&](json& j) { k0(j)["abi"]["symbol"] = "a; rm -rf"; }),
            "/kernels/0/abi/symbol: 'a; rm -rf' is not a C identifier");
  EXPECT_EQ(error_of([&](json& j) { k0(j)["object"]["path"] = "/tmp/x.so"; }),
            "/kernels/0/object/path: '/tmp/x.so' is not a relative path inside the library");
  EXPECT_EQ(error_of([&](json& j) { k0(j)["object"]["sha256"] = "abc"; }),
            "/kernels/0/object/sha256: expected 64 lowercase hex digits");
  EXPECT_EQ(error_of([&](json& j) { k0(j)["id"] = "other"; }),
            "/kernels/0/id: expected 'k.avx2." + sample_entry().signature_hash +
                "' (name.target.signature-hash)");
  EXPECT_EQ(error_of([&](json& j) { k0(j).erase("time_ns"); }), "/kernels/0/time_ns: missing");
  EXPECT_EQ(error_of([&](json& j) {
              k0(j)["signature"]["arguments"][0]["shape"] = {1 << 30, 1 << 30};
            }),
            "/kernels/0/signature/arguments/0/shape: the tensor is larger than 2^50 bytes");
  EXPECT_EQ(error_of([&](json& j) { j["kernels"].push_back(j["kernels"][0]); }),
            "/kernels/1/id: '" + sample_entry().id + "' appears twice");
  EXPECT_EQ(error_of([](json& j) { j = json::array(); }), "/: expected an object");
}

// The manifest as version 1 wrote it (before backends): no "backend", no "object"/"kind".
json as_schema_1(json m) {
  m["schema_version"] = 1;
  for (auto& e : m["kernels"]) {
    e.erase("backend");
    e["object"].erase("kind");
  }
  return m;
}

// Version 2 names each entry's backend and its artifact's kind; a version-1 manifest still reads,
// as CPU kernels in shared objects, and is written back as version 2.
TEST(Manifest, BackendAndArtifactKindAndSchema1) {
  Manifest m;
  m.kernels = {sample_entry()};
  json j = manifest_to_json(m);
  EXPECT_EQ(j["schema_version"], 2);
  EXPECT_EQ(j["kernels"][0]["backend"], "llvm");
  EXPECT_EQ(j["kernels"][0]["object"]["kind"], "shared_object");
  Entry gpu = sample_entry();
  gpu.backend = "cuda";
  gpu.object_kind = "cubin";
  gpu.target = "sm90";
  gpu.id = "k.sm90." + gpu.signature_hash;
  m.kernels.push_back(gpu);
  Manifest back = parse_manifest(manifest_to_json(m).dump());
  ASSERT_EQ(back.kernels.size(), 2u);
  EXPECT_EQ(back.kernels[1], gpu);

  Manifest old = parse_manifest(as_schema_1(manifest_to_json(m)).dump());
  EXPECT_EQ(old.schema_version, 1);
  ASSERT_EQ(old.kernels.size(), 2u);
  EXPECT_EQ(old.kernels[0], sample_entry());
  EXPECT_EQ(old.kernels[1].backend, "llvm"); // version 1 had no other
  EXPECT_EQ(old.kernels[1].object_kind, "shared_object");
  EXPECT_EQ(manifest_to_json(old)["schema_version"], 2);

  auto error_of = [&](const std::function<void(json&)>& damage) {
    json d = manifest_to_json(m);
    damage(d);
    try {
      parse_manifest(d.dump());
    } catch (const ManifestError& e) {
      return e.message;
    }
    return std::string("(accepted)");
  };
  EXPECT_EQ(error_of([](json& d) { d["kernels"][0].erase("backend"); }),
            "/kernels/0/backend: missing");
  EXPECT_EQ(error_of([](json& d) { d["kernels"][1]["backend"] = "CUDA 12"; }),
            "/kernels/1/backend: 'CUDA 12' is not a backend name (a-z, 0-9, _ -)");
  EXPECT_EQ(error_of([](json& d) { d["kernels"][0]["object"].erase("kind"); }),
            "/kernels/0/object/kind: missing");
  EXPECT_EQ(error_of([](json& d) { d["kernels"][0]["object"]["kind"] = ""; }),
            "/kernels/0/object/kind: '' is not an artifact kind (a-z, 0-9, _ -)");
  EXPECT_EQ(error_of([](json& d) { d["schema_version"] = 3; }).substr(0, 56),
            "/schema_version is 3, newer than this runtime reads (2);");
}

// The runtime finds a loader by the entry's backend; a backend without one (and an artifact kind
// its backend's loader does not open) is a clear error naming the kernel, not a crash.
TEST(Loader, OnePerBackendAndAClearErrorOtherwise) {
  ASSERT_NE(find_loader("llvm"), nullptr);
  EXPECT_EQ(find_loader("llvm")->backend(), "llvm");
  ASSERT_NE(find_loader("sim"), nullptr);
  EXPECT_EQ(find_loader("cuda"), nullptr);
  EXPECT_EQ(loader_backends(), (std::vector<std::string>{"llvm", "sim"}));
  Entry e = sample_entry();
  LoadFailure why;
  EXPECT_EQ(loader_for(e, &why), find_loader("llvm"));
  for (const char* backend : {"cuda"}) {
    e.backend = backend;
    EXPECT_EQ(loader_for(e, &why), nullptr);
    EXPECT_EQ(why.status, AXON_ERR_NO_LOADER);
    EXPECT_EQ(why.message.rfind(
                  std::string("no loader for backend ") + backend + " (kernel " + e.id + ")", 0),
              0u)
        << why.message;
  }
  e = sample_entry();
  e.object_kind = "cubin";
  EXPECT_EQ(loader_for(e, &why), nullptr);
  EXPECT_EQ(why.status, AXON_ERR_NO_LOADER);
  EXPECT_NE(why.message.find("no loader for backend llvm artifacts of kind cubin (kernel " + e.id +
                             "): its loader opens shared_object"),
            std::string::npos)
      << why.message;
  // The CPU loader's needs are the entry's CPU features.
  e = sample_entry();
  e.cpu_features = {"no-such-feature"};
  std::optional<LoadFailure> unmet = find_loader("llvm")->unmet_needs(e);
  ASSERT_TRUE(unmet.has_value());
  EXPECT_EQ(unmet->status, AXON_ERR_CPU);
  EXPECT_NE(unmet->message.find("no-such-feature, which this runtime cannot check"),
            std::string::npos);
  e.cpu_features = {};
  EXPECT_FALSE(find_loader("llvm")->unmet_needs(e).has_value());
  // Bytes that are no shared object: a load error naming the kernel.
  EXPECT_EQ(find_loader("llvm")->open(e, "not an ELF file", &why), nullptr);
  EXPECT_EQ(why.status, AXON_ERR_LOAD);
  EXPECT_NE(why.message.find("cannot load the object of kernel '" + e.id + "'"), std::string::npos)
      << why.message;
}

// An NPU program (backend sim) has a loader, which refuses it before reading or loading anything:
// the target is simulated, there is no device. Its other artifact kinds have no loader.
TEST(Loader, AnNpuProgramHasNoDevice) {
  Entry e = sample_entry();
  e.backend = "sim";
  e.object_kind = "npu_program";
  e.target = "npu";
  e.cpu_features = {};
  LoadFailure why;
  const Loader* l = loader_for(e, &why);
  ASSERT_NE(l, nullptr) << why.message;
  EXPECT_EQ(l->backend(), "sim");
  std::optional<LoadFailure> unmet = l->unmet_needs(e);
  ASSERT_TRUE(unmet.has_value());
  EXPECT_EQ(unmet->status, AXON_ERR_NO_DEVICE);
  EXPECT_EQ(unmet->message.rfind("simulated target: no device (kernel " + e.id + " ", 0), 0u)
      << unmet->message;
  why = {};
  EXPECT_EQ(l->open(e, "{}", &why), nullptr);
  EXPECT_EQ(why.status, AXON_ERR_NO_DEVICE);
  EXPECT_EQ(why.message, unmet->message);
  e.object_kind = "shared_object";
  EXPECT_EQ(loader_for(e, &why), nullptr);
  EXPECT_EQ(why.status, AXON_ERR_NO_LOADER);
  EXPECT_NE(why.message.find("no loader for backend sim artifacts of kind shared_object"),
            std::string::npos)
      << why.message;
}

// An NPU program has no entry symbol: kernel.json and the manifest take "" for an artifact that is
// not a shared object (the NPU backend writes it so), and refuse it for a shared object.
TEST(KernelInterface, NoSymbolForAnArtifactThatIsNotASharedObject) {
  axon::IndexProgram p = axon::load_index_program(axon::source_from_string(
      "where N = 8\ninput x: f32[N]\noutput y: f32[N] = x * 2.0\n", "t.tp"));
  KernelInterface k = kernel_interface(p, "npu", {});
  k.backend = "sim";
  k.object_kind = "npu_program";
  k.object_path = "program.json";
  k.symbol = "";
  EXPECT_EQ(interface_from_json(interface_to_json(k), "kernel.json").symbol, "");
  k.object_kind = "shared_object";
  try {
    interface_from_json(interface_to_json(k), "OUT/kernel.json");
    FAIL() << "accepted";
  } catch (const axon::UserError& e) {
    EXPECT_EQ(std::string(e.what()),
              "OUT/kernel.json: /symbol: expected a C identifier (a shared object's entry point)");
  }
  Manifest m;
  m.kernels = {sample_entry()};
  m.kernels[0].symbol = "";
  m.kernels[0].backend = "sim";
  m.kernels[0].object_kind = "npu_program";
  EXPECT_EQ(parse_manifest(manifest_to_json(m).dump()).kernels[0], m.kernels[0]);
  m.kernels[0].object_kind = "shared_object";
  try {
    parse_manifest(manifest_to_json(m).dump());
    FAIL() << "accepted";
  } catch (const ManifestError& e) {
    EXPECT_EQ(e.message, "/kernels/0/abi/symbol: '' is not a C identifier");
  }
}

// Deep nesting anywhere (here in the free-form derivation) is refused before it is parsed, so
// copying or walking the tree cannot overflow the stack.
TEST(Manifest, DeepNestingIsRefused) {
  Manifest m;
  m.kernels = {sample_entry()};
  std::string text = manifest_to_json(m).dump();
  std::string deep = std::string(100000, '[') + std::string(100000, ']');
  size_t at = text.find("\"derivation\":") + 13;
  std::string bad = text.substr(0, at) + "{\"x\":" + deep + "," + text.substr(at + 1);
  try {
    parse_manifest(bad);
    FAIL() << "accepted";
  } catch (const ManifestError& e) {
    EXPECT_EQ(e.message, "not JSON this reader accepts: nested deeper than 256 levels");
  }
  // Brackets inside strings do not count.
  m.kernels[0].derivation["note"] = std::string(1000, '[') + "\"\\";
  EXPECT_EQ(parse_manifest(manifest_to_json(m).dump()).kernels[0], m.kernels[0]);
}

TEST(Manifest, SignatureHashAndAbiHashFollowTheInterface) {
  Entry a = sample_entry(), b = sample_entry();
  EXPECT_EQ(signature_hash(a.arguments), signature_hash(b.arguments));
  EXPECT_EQ(abi_hash(a), abi_hash(b));
  b.arguments[0].shape = {4, 9};
  EXPECT_NE(signature_hash(a.arguments), signature_hash(b.arguments));
  b = sample_entry();
  b.buffers[2].shape = {4, 9}; // a workspace change is not part of the signature, but of the ABI
  EXPECT_EQ(signature_hash(a.arguments), signature_hash(b.arguments));
  EXPECT_NE(abi_hash(a), abi_hash(b));
  // The CPU features the runtime checks are part of the ABI (issue 18): an entry edited to claim
  // other features no longer matches the hash its object carries.
  b = sample_entry();
  b.cpu_features = {"avx2"};
  EXPECT_EQ(signature_hash(a.arguments), signature_hash(b.arguments));
  EXPECT_NE(abi_hash(a), abi_hash(b));
  EXPECT_EQ(shape_text("f32", {2, 3}), "f32[2, 3]");
  EXPECT_EQ(tensor_bytes("f32", {2, 3}), 24);
  EXPECT_EQ(tensor_bytes("bool", {5}), 5);
}

// The seeds of runtime/fuzz/manifest_fuzz.cpp are valid manifests, so that the fuzzer starts
// from inside the accepted language.
TEST(Manifest, FuzzCorpusManifestsParse) {
  for (const char* name : {"two_kernels.json", "two_kernels_v2.json", "empty.json"}) {
    std::ifstream f(std::string(AXON_SOURCE_DIR) + "/runtime/fuzz/corpus/" + name);
    std::stringstream ss;
    ss << f.rdbuf();
    EXPECT_NO_THROW({
      try {
        parse_manifest(ss.str());
      } catch (const ManifestError& e) {
        ADD_FAILURE() << name << ": " << e.message;
      }
    });
  }
}

TEST(Manifest, PathsStayInsideTheLibrary) {
  EXPECT_TRUE(safe_relative_path("objects/a.so"));
  EXPECT_FALSE(safe_relative_path("/etc/passwd"));
  EXPECT_FALSE(safe_relative_path("objects/../../x"));
  EXPECT_FALSE(safe_relative_path("a//b"));
  EXPECT_FALSE(safe_relative_path(""));
  EXPECT_TRUE(valid_kernel_name("rmsnorm_matmul"));
  EXPECT_FALSE(valid_kernel_name("../x"));
  EXPECT_FALSE(valid_kernel_name(".hidden"));
}

// The runtime's cpuid reading agrees with the kernel's view in /proc/cpuinfo.
TEST(CpuFeatures, AgreeWithProcCpuinfo) {
  std::ifstream in("/proc/cpuinfo");
  std::string line;
  std::set<std::string> flags;
  while (std::getline(in, line))
    if (line.rfind("flags", 0) == 0) {
      std::istringstream ss(line.substr(line.find(':') + 1));
      for (std::string f; ss >> f;)
        flags.insert(f);
      break;
    }
  if (flags.empty())
    GTEST_SKIP() << "no /proc/cpuinfo flags";
  std::map<std::string, std::string> linux_name = {{"sse4.2", "sse4_2"},
                                                   {"avx512vnni", "avx512_vnni"},
                                                   {"avx512bf16", "avx512_bf16"},
                                                   {"avx512fp16", "avx512_fp16"},
                                                   {"bmi", "bmi1"}};
  for (auto& f : known_cpu_features()) {
    std::string n = linux_name.count(f) ? linux_name[f] : f;
    EXPECT_EQ(cpu_supports(f), flags.count(n) ? 1 : 0) << f << " (/proc/cpuinfo: " << n << ")";
  }
  EXPECT_EQ(cpu_supports("no-such-feature"), -1);
}

TEST(KernelInterface, ArgumentsWorkspaceAndUpdates) {
  axon::IndexProgram p =
      axon::load_index_program(axon::source_from_string("where R = 4, C = 8\n"
                                                        "input g: f32[R, C]\n"
                                                        "inout m: f32[R, C]\n"
                                                        "input lr: f32[]\n"
                                                        "s = sum(g, axis=1)\n"
                                                        "m = m + lr * g\n"
                                                        "output y: f32[R] = s * 2.0\n",
                                                        "t.tp"));
  KernelInterface k = kernel_interface(p, "avx2", {"+avx2", "+fma", "-avx512f"});
  EXPECT_EQ(k.cpu_features, (std::vector<std::string>{"avx2", "fma"}));
  std::vector<std::string> args;
  for (auto& a : k.arguments)
    args.push_back(a.name + ":" + role_name(a.role));
  EXPECT_EQ(args, (std::vector<std::string>{"g:input", "m:inout", "lr:input", "y:output"}));
  ASSERT_EQ(k.buffers.size(), p.tensors().size());
  int workspace = 0, updates = 0;
  for (size_t i = 0; i < k.buffers.size(); ++i) {
    EXPECT_EQ(k.buffers[i].tensor, p.tensors()[i].name);
    workspace += k.buffers[i].bind == BufferBind::Workspace;
    if (k.buffers[i].bind == BufferBind::Update) {
      ++updates;
      EXPECT_EQ(k.buffers[i].argument, "m");
    }
  }
  EXPECT_GE(workspace, 1);
  EXPECT_EQ(updates, 1);
  json j = interface_to_json(k);
  KernelInterface back = interface_from_json(j, "kernel.json");
  EXPECT_EQ(back.arguments, k.arguments);
  EXPECT_EQ(back.buffers, k.buffers);
  EXPECT_EQ(back.cpu_features, k.cpu_features);
  j["buffers"][0]["argument"] = "nope";
  try {
    interface_from_json(j, "kernel.json");
    FAIL() << "accepted";
  } catch (const axon::UserError& e) {
    EXPECT_EQ(std::string(e.what()), "kernel.json: /buffers/0/argument: no argument named 'nope'");
  }
  j = interface_to_json(k);
  j["schema_version"] = 9;
  EXPECT_THROW(interface_from_json(j, "kernel.json"), axon::UserError);
}

// kernel.json names the backend and the artifact (version 2); a version-1 file, as the main job
// wrote it before, reads as an llvm kernel whose OUT/kernel.o is installed as a shared object.
TEST(KernelInterface, BackendArtifactAndSchema1) {
  axon::IndexProgram p = axon::load_index_program(axon::source_from_string(
      "where N = 8\ninput x: f32[N]\noutput y: f32[N] = x * 2.0\n", "t.tp"));
  KernelInterface k = kernel_interface(p, "avx2", {"+avx2"}, 256);
  EXPECT_EQ(k.backend, "llvm");
  EXPECT_EQ(k.object_kind, "shared_object");
  EXPECT_EQ(k.object_path, "kernel.o");
  EXPECT_EQ(k.buffers.back().tensor, "axon.scratch");
  json j = interface_to_json(k);
  EXPECT_EQ(j["schema_version"], 2);
  EXPECT_EQ(j["backend"], "llvm");
  EXPECT_EQ(j["object"], (json{{"kind", "shared_object"}, {"path", "kernel.o"}}));
  k.backend = "cuda";
  k.object_kind = "cubin";
  k.object_path = "kernel.cubin";
  KernelInterface back = interface_from_json(interface_to_json(k), "kernel.json");
  EXPECT_EQ(back.backend, "cuda");
  EXPECT_EQ(back.object_kind, "cubin");
  EXPECT_EQ(back.object_path, "kernel.cubin");
  EXPECT_EQ(back.buffers, k.buffers);

  json old = j;
  old["schema_version"] = 1;
  old.erase("backend");
  old.erase("object");
  back = interface_from_json(old, "kernel.json");
  EXPECT_EQ(back.backend, "llvm");
  EXPECT_EQ(back.object_kind, "shared_object");
  EXPECT_EQ(back.object_path, "kernel.o");
  EXPECT_EQ(back.arguments, kernel_interface(p, "avx2", {"+avx2"}, 256).arguments);

  auto error_of = [](json bad) {
    try {
      interface_from_json(bad, "OUT/kernel.json");
    } catch (const axon::UserError& e) {
      return std::string(e.what());
    }
    return std::string("(accepted)");
  };
  json bad = j;
  bad["schema_version"] = 3;
  EXPECT_EQ(error_of(bad), "OUT/kernel.json: /schema_version is 3, newer than this axon-synth "
                           "reads (2); install it with the axon-synth that wrote it");
  bad = j;
  bad.erase("backend");
  EXPECT_EQ(error_of(bad), "OUT/kernel.json: /backend: expected a backend name (a-z, 0-9, _ -)");
  bad = j;
  bad["object"]["path"] = "../kernel.o";
  EXPECT_EQ(error_of(bad),
            "OUT/kernel.json: /object/path: expected a file name in the output directory");
}

} // namespace
