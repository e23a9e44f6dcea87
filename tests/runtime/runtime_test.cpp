// libaxon_runtime on a real library (the fixture built by make_library.sh): results against the
// reference interpreter, in-place updates, every error the runtime promises (missing kernel,
// signature mismatch, corrupted or tampered object, newer schema, CPU lacking a feature, bad
// manifests, bad calls), any caller alignment the signature allows, and concurrent calls.
#include <gtest/gtest.h>

#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <thread>

#include "axon_runtime.h"
#include "axon_runtime.hpp"
#include "ir/frontend.h"
#include "ir/interp.h"

namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const std::string kLib = std::string(AXON_RT_DIR) + "/lib";

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  std::ostringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

void spit(const fs::path& p, const std::string& s) {
  std::ofstream out(p, std::ios::binary | std::ios::trunc);
  out << s;
}

// A private copy of the fixture library that a test may damage.
fs::path copy_library(const std::string& tag) {
  fs::path dst = fs::path(AXON_RT_DIR) / ("copy-" + tag + "-" + std::to_string(::getpid()));
  fs::remove_all(dst);
  fs::copy(kLib, dst, fs::copy_options::recursive);
  return dst;
}

json manifest_of(const fs::path& lib) { return json::parse(slurp(lib / "manifest.json")); }
json& entry_named(json& m, const std::string& name) {
  for (auto& e : m["kernels"])
    if (e["name"] == name)
      return e;
  throw std::runtime_error("no entry " + name);
}

// Inputs for a kernel's arguments: deterministic values in [0.5, 1] (positive, so adamw's sqrt
// stays real).
struct Args {
  std::vector<std::vector<float>> data;
  std::vector<void*> ptrs;
};

Args make_args(axon_kernel* k, unsigned seed) {
  Args a;
  std::mt19937 rng(seed);
  std::uniform_real_distribution<float> u(0.5f, 1.0f);
  for (size_t i = 0; i < axon_kernel_arg_count(k); ++i) {
    a.data.emplace_back(axon_kernel_arg_bytes(k, i) / 4);
    for (auto& x : a.data.back())
      x = u(rng);
  }
  for (auto& d : a.data)
    a.ptrs.push_back(d.data());
  return a;
}

axon::TensorMap reference(const std::string& tp, const std::map<std::string, int64_t>& dims,
                          axon_kernel* k, const Args& in) {
  axon::FrontendOptions fo;
  fo.dim_overrides = dims;
  axon::IndexProgram ip = axon::load_index_program(axon::read_source(tp), fo);
  axon::TensorMap inputs;
  for (size_t i = 0; i < axon_kernel_arg_count(k); ++i) {
    axon_arg a;
    axon_role r;
    axon_kernel_arg(k, i, &a, &r);
    if (r == AXON_OUTPUT)
      continue;
    axon::TensorValue v;
    v.shape.assign(a.shape, a.shape + a.rank);
    v.data.assign(in.data[i].begin(), in.data[i].end());
    inputs[a.name] = v;
  }
  return axon::interpret(ip, inputs);
}

axon::TensorValue as_tensor(const std::vector<float>& d, const std::vector<int64_t>& shape) {
  axon::TensorValue v;
  v.shape = shape;
  v.data.assign(d.begin(), d.end());
  return v;
}

struct Lib {
  axon_library* lib = nullptr;
  explicit Lib(const std::string& dir) {
    if (axon_open(dir.c_str(), &lib) != AXON_OK)
      ADD_FAILURE() << axon_last_error();
  }
  ~Lib() { axon_close(lib); }
};

TEST(Runtime, RmsnormMatmulMatchesTheInterpreter) {
  Lib l(kLib);
  axon_kernel* k = nullptr;
  const int64_t xs[] = {64, 32}, gs[] = {32}, ws[] = {32, 48}, ys[] = {64, 48};
  const axon_arg sig[] = {
      {"w", "f32", 2, ws}, {"y", "f32", 2, ys}, {"x", "f32", 2, xs}, {"g", "f32", 1, gs}};
  ASSERT_EQ(axon_find(l.lib, "rmsnorm_matmul", sig, 4, &k), AXON_OK) << axon_last_error();
  Args a = make_args(k, 1);
  ASSERT_EQ(axon_run(k, a.ptrs.data(), a.ptrs.size()), AXON_OK) << axon_last_error();
  auto ref = reference("experiments/suites/nkibench/rmsnorm_matmul.tp",
                       {{"M", 64}, {"K", 32}, {"N", 48}}, k, a);
  size_t iy = static_cast<size_t>(axon_kernel_arg_index(k, "y"));
  EXPECT_LE(axon::max_scaled_error(as_tensor(a.data[iy], {64, 48}), ref.at("y"), 1e-4, 1e-3), 1.0);
}

TEST(Runtime, AdamwUpdatesInPlace) {
  Lib l(kLib);
  axon_kernel* k = nullptr;
  ASSERT_EQ(axon_find(l.lib, "adamw", nullptr, 0, &k), AXON_OK) << axon_last_error();
  Args a = make_args(k, 2);
  Args before = a;
  ASSERT_EQ(axon_run(k, a.ptrs.data(), a.ptrs.size()), AXON_OK) << axon_last_error();
  auto ref = reference("experiments/suites/nkibench/adamw.tp", {{"P", 16}, {"Q", 40}}, k, before);
  for (const char* t : {"p", "m", "v"}) {
    size_t i = static_cast<size_t>(axon_kernel_arg_index(k, t));
    axon_arg arg;
    axon_role role;
    axon_kernel_arg(k, i, &arg, &role);
    EXPECT_EQ(role, AXON_INOUT) << t;
    EXPECT_NE(a.data[i], before.data[i]) << t << " was not updated";
    EXPECT_LE(axon::max_scaled_error(as_tensor(a.data[i], {16, 40}), ref.at(std::string(t) + "@1"),
                                     1e-5, 1e-4),
              1.0)
        << t;
  }
  size_t ig = static_cast<size_t>(axon_kernel_arg_index(k, "g"));
  EXPECT_EQ(a.data[ig], before.data[ig]) << "an input was written";
}

TEST(Runtime, KernelsAreCachedAndDescribed) {
  Lib l(kLib);
  EXPECT_EQ(axon_kernel_count(l.lib), 3u);
  axon_kernel *k1 = nullptr, *k2 = nullptr;
  ASSERT_EQ(axon_find(l.lib, "rmsnorm_matmul", nullptr, 0, &k1), AXON_OK);
  ASSERT_EQ(axon_find(l.lib, "rmsnorm_matmul", nullptr, 0, &k2), AXON_OK);
  EXPECT_EQ(k1, k2);
  EXPECT_EQ(axon_kernel_arg_count(k1), 4u);
  EXPECT_EQ(axon_kernel_arg_bytes(k1, static_cast<size_t>(axon_kernel_arg_index(k1, "x"))),
            64u * 32u * 4u);
  EXPECT_EQ(axon_kernel_arg_index(k1, "nope"), -1);
  EXPECT_EQ(std::string(axon_kernel_id(k1)).rfind("rmsnorm_matmul.avx2.", 0), 0u);
}

TEST(Runtime, MissingKernelNamesWhatTheLibraryHas) {
  Lib l(kLib);
  axon_kernel* k = nullptr;
  EXPECT_EQ(axon_find(l.lib, "softmax", nullptr, 0, &k), AXON_ERR_NOT_FOUND);
  std::string m = axon_last_error();
  EXPECT_NE(m.find("no kernel named 'softmax'"), std::string::npos) << m;
  EXPECT_NE(m.find("adamw, add, rmsnorm_matmul"), std::string::npos) << m;
  EXPECT_EQ(k, nullptr);
}

TEST(Runtime, SignatureMismatchNamesTheArgumentAndBothShapes) {
  Lib l(kLib);
  axon_kernel* k = nullptr;
  const int64_t xs[] = {64, 33}, gs[] = {32}, ws[] = {32, 48}, ys[] = {64, 48};
  axon_arg sig[] = {
      {"x", "f32", 2, xs}, {"g", "f32", 1, gs}, {"w", "f32", 2, ws}, {"y", "f32", 2, ys}};
  EXPECT_EQ(axon_find(l.lib, "rmsnorm_matmul", sig, 4, &k), AXON_ERR_SIGNATURE);
  std::string m = axon_last_error();
  EXPECT_NE(m.find("argument 'x': the kernel takes f32[64, 32], got f32[64, 33]"),
            std::string::npos)
      << m;
  // Wrong dtype, a missing argument, an unknown one.
  const int64_t xs_ok[] = {64, 32};
  sig[0] = {"x", "bf16", 2, xs_ok};
  EXPECT_EQ(axon_find(l.lib, "rmsnorm_matmul", sig, 4, &k), AXON_ERR_SIGNATURE);
  EXPECT_NE(std::string(axon_last_error()).find("got bf16[64, 32]"), std::string::npos)
      << axon_last_error();
  sig[0] = {"x", "f32", 2, xs_ok};
  EXPECT_EQ(axon_find(l.lib, "rmsnorm_matmul", sig, 3, &k), AXON_ERR_SIGNATURE);
  EXPECT_NE(std::string(axon_last_error()).find("argument 'y' (f32[64, 48], output) is missing"),
            std::string::npos)
      << axon_last_error();
  sig[3] = {"z", "f32", 2, ys};
  EXPECT_EQ(axon_find(l.lib, "rmsnorm_matmul", sig, 4, &k), AXON_ERR_SIGNATURE);
  EXPECT_NE(std::string(axon_last_error()).find("no argument 'z' (its arguments: x, g, w, y)"),
            std::string::npos)
      << axon_last_error();
  sig[3] = {"x", "f32", 2, xs_ok};
  EXPECT_EQ(axon_find(l.lib, "rmsnorm_matmul", sig, 4, &k), AXON_ERR_ARGUMENT);
  EXPECT_NE(std::string(axon_last_error()).find("'x' appears twice"), std::string::npos)
      << axon_last_error();
}

TEST(Runtime, CorruptedObjectIsRefusedBySha256) {
  fs::path lib = copy_library("corrupt");
  json m = manifest_of(lib);
  fs::path obj = lib / entry_named(m, "rmsnorm_matmul")["object"]["path"].get<std::string>();
  std::string bytes = slurp(obj);
  bytes[bytes.size() / 2] ^= 0x40;
  spit(obj, bytes);
  Lib l(lib.string());
  axon_kernel* k = nullptr;
  EXPECT_EQ(axon_find(l.lib, "rmsnorm_matmul", nullptr, 0, &k), AXON_ERR_CORRUPT);
  std::string msg = axon_last_error();
  EXPECT_NE(msg.find("sha256"), std::string::npos) << msg;
  EXPECT_NE(msg.find("corrupted or was tampered with"), std::string::npos) << msg;
  // The other kernels still load.
  EXPECT_EQ(axon_find(l.lib, "adamw", nullptr, 0, &k), AXON_OK) << axon_last_error();
  fs::remove(obj);
  Lib l2(lib.string());
  EXPECT_EQ(axon_find(l2.lib, "rmsnorm_matmul", nullptr, 0, &k), AXON_ERR_CORRUPT);
  EXPECT_NE(std::string(axon_last_error()).find("cannot read the object"), std::string::npos)
      << axon_last_error();
  fs::remove_all(lib);
}

// An object whose hash matches (both replaced) but that is no shared object: a load error.
TEST(Runtime, ObjectThatIsNotASharedObjectIsALoadError) {
  fs::path lib = copy_library("garbage");
  json m = manifest_of(lib);
  json& e = entry_named(m, "add");
  fs::path obj = lib / e["object"]["path"].get<std::string>();
  std::string garbage(4096, 'x');
  spit(obj, garbage);
  // Learn the file's sha256 from the mismatch message, then record it, as a tamperer would.
  axon_library* probe = nullptr;
  e["object"]["sha256"] = std::string(64, '0');
  spit(lib / "manifest.json", m.dump());
  ASSERT_EQ(axon_open(lib.c_str(), &probe), AXON_OK);
  axon_kernel* k = nullptr;
  ASSERT_EQ(axon_find(probe, "add", nullptr, 0, &k), AXON_ERR_CORRUPT);
  std::string msg = axon_last_error();
  axon_close(probe);
  std::string sha = msg.substr(msg.find("sha256 ") + 7, 64);
  e["object"]["sha256"] = sha;
  spit(lib / "manifest.json", m.dump());
  Lib l(lib.string());
  EXPECT_EQ(axon_find(l.lib, "add", nullptr, 0, &k), AXON_ERR_LOAD);
  EXPECT_NE(std::string(axon_last_error()).find("cannot load the object of kernel 'add.avx2."),
            std::string::npos)
      << axon_last_error();
  fs::remove_all(lib);
}

// Changing a shape in the manifest (and its hashes, as a careful tamperer would) cannot make the
// runtime call the kernel with buffers of the wrong size: the object carries its ABI hash.
TEST(Runtime, ManifestEditedToAnotherShapeIsRefused) {
  fs::path lib = copy_library("shape");
  json m = manifest_of(lib);
  json& e = entry_named(m, "rmsnorm_matmul");
  e["signature"]["arguments"][0]["shape"] = {16, 32};
  for (auto& b : e["abi"]["buffers"])
    if (b["tensor"] == "x")
      b["shape"] = {16, 32};
  spit(lib / "manifest.json", m.dump());
  // The signature hash no longer matches: the manifest is refused at open.
  axon_library* bad = nullptr;
  EXPECT_EQ(axon_open(lib.c_str(), &bad), AXON_ERR_MANIFEST);
  std::string msg = axon_last_error();
  EXPECT_NE(msg.find("/signature/hash"), std::string::npos) << msg;
  // Fix the hash and the id: the manifest reads, but the object refuses the new interface.
  std::string want = msg.substr(msg.find("expected ") + 9, 16);
  e["signature"]["hash"] = want;
  e["id"] = "rmsnorm_matmul.avx2." + want;
  spit(lib / "manifest.json", m.dump());
  Lib l(lib.string());
  axon_kernel* k = nullptr;
  EXPECT_EQ(axon_find(l.lib, "rmsnorm_matmul", nullptr, 0, &k), AXON_ERR_CORRUPT);
  EXPECT_NE(std::string(axon_last_error()).find("differs from the one its object was built for"),
            std::string::npos)
      << axon_last_error();
  fs::remove_all(lib);
}

TEST(Runtime, NewerSchemaIsRefused) {
  fs::path lib = copy_library("newer");
  json m = manifest_of(lib);
  m["schema_version"] = 3;
  m["kernels"][0]["a_field_from_the_future"] = true;
  spit(lib / "manifest.json", m.dump());
  axon_library* l = nullptr;
  EXPECT_EQ(axon_open(lib.c_str(), &l), AXON_ERR_SCHEMA_NEWER);
  std::string msg = axon_last_error();
  EXPECT_NE(msg.find("/schema_version is 3, newer than this runtime reads (2)"), std::string::npos)
      << msg;
  EXPECT_EQ(l, nullptr);
  fs::remove_all(lib);
}

// A library as manifest schema 1 wrote it (before backends: no "backend", no object "kind"),
// made from the fixture by writing the old format: it opens, reads as llvm shared objects, and
// its kernels run and match the interpreter.
TEST(Runtime, Schema1LibraryLoadsAndRuns) {
  fs::path lib = copy_library("schema1");
  json m = manifest_of(lib);
  ASSERT_EQ(m["schema_version"], 2);
  m["schema_version"] = 1;
  for (auto& e : m["kernels"]) {
    ASSERT_EQ(e["backend"], "llvm");
    ASSERT_EQ(e["object"]["kind"], "shared_object");
    e.erase("backend");
    e["object"].erase("kind");
  }
  spit(lib / "manifest.json", m.dump(2));
  Lib l(lib.string());
  ASSERT_EQ(axon_kernel_count(l.lib), 3u);
  for (size_t i = 0; i < 3; ++i)
    EXPECT_STREQ(axon_entry_backend(l.lib, i), "llvm");
  axon_kernel* k = nullptr;
  ASSERT_EQ(axon_find(l.lib, "rmsnorm_matmul", nullptr, 0, &k), AXON_OK) << axon_last_error();
  Args a = make_args(k, 5);
  ASSERT_EQ(axon_run(k, a.ptrs.data(), a.ptrs.size()), AXON_OK) << axon_last_error();
  auto ref = reference("experiments/suites/nkibench/rmsnorm_matmul.tp",
                       {{"M", 64}, {"K", 32}, {"N", 48}}, k, a);
  size_t iy = static_cast<size_t>(axon_kernel_arg_index(k, "y"));
  EXPECT_LE(axon::max_scaled_error(as_tensor(a.data[iy], {64, 48}), ref.at("y"), 1e-4, 1e-3), 1.0);
  ASSERT_EQ(axon_find(l.lib, "adamw", nullptr, 0, &k), AXON_OK) << axon_last_error();
  fs::remove_all(lib);
}

// An entry whose backend has no loader in this runtime ("cuda": no cubin loader yet), or whose
// artifact kind its backend's loader does not open, is refused with AXON_ERR_NO_LOADER naming the
// backend and the kernel; the other kernels of the library still load and run.
TEST(Runtime, BackendWithoutALoaderIsAClearError) {
  for (const char* backend : {"cuda"}) {
    fs::path lib = copy_library(std::string("backend-") + backend);
    json m = manifest_of(lib);
    entry_named(m, "add")["backend"] = backend;
    std::string id = entry_named(m, "add")["id"];
    spit(lib / "manifest.json", m.dump());
    Lib l(lib.string());
    axon_kernel* k = nullptr;
    EXPECT_EQ(axon_find(l.lib, "add", nullptr, 0, &k), AXON_ERR_NO_LOADER);
    std::string msg = axon_last_error();
    EXPECT_EQ(
        msg.rfind(std::string("no loader for backend ") + backend + " (kernel " + id + ")", 0), 0u)
        << msg;
    EXPECT_EQ(k, nullptr);
    EXPECT_STREQ(axon_status_name(AXON_ERR_NO_LOADER), "no_loader");
    ASSERT_EQ(axon_find(l.lib, "rmsnorm_matmul", nullptr, 0, &k), AXON_OK) << axon_last_error();
    Args a = make_args(k, 6);
    EXPECT_EQ(axon_run(k, a.ptrs.data(), a.ptrs.size()), AXON_OK) << axon_last_error();
    try {
      axon::runtime::Library cpp(lib.string());
      for (size_t i = 0; i < cpp.size(); ++i)
        EXPECT_EQ(cpp.entry_backend(i),
                  cpp.entry_id(i).rfind("add.", 0) == 0 ? backend : std::string("llvm"));
      cpp.find("add", {{"a", "f32", {1, 8}}, {"b", "f32", {1, 8}}, {"c", "f32", {1, 8}}});
      FAIL() << "no error";
    } catch (const axon::runtime::Error& e) {
      EXPECT_EQ(e.code(), AXON_ERR_NO_LOADER) << e.what();
    }
    fs::remove_all(lib);
  }
  fs::path lib = copy_library("kind");
  json m = manifest_of(lib);
  entry_named(m, "add")["object"]["kind"] = "cubin";
  spit(lib / "manifest.json", m.dump());
  Lib l(lib.string());
  axon_kernel* k = nullptr;
  EXPECT_EQ(axon_find(l.lib, "add", nullptr, 0, &k), AXON_ERR_NO_LOADER);
  EXPECT_NE(
      std::string(axon_last_error()).find("no loader for backend llvm artifacts of kind cubin"),
      std::string::npos)
      << axon_last_error();
  fs::remove_all(lib);
}

// An NPU program (backend sim, kind npu_program) is refused with AXON_ERR_NO_DEVICE, "simulated
// target: no device", before its object is read (here it is not even there), in C and C++; the
// other kernels of the library still load and run.
TEST(Runtime, AnNpuProgramHasNoDevice) {
  fs::path lib = copy_library("npu");
  json m = manifest_of(lib);
  json& e = entry_named(m, "add");
  e["backend"] = "sim";
  e["object"]["kind"] = "npu_program";
  std::string id = e["id"];
  fs::remove(lib / e["object"]["path"].get<std::string>());
  spit(lib / "manifest.json", m.dump());
  Lib l(lib.string());
  axon_kernel* k = nullptr;
  EXPECT_EQ(axon_find(l.lib, "add", nullptr, 0, &k), AXON_ERR_NO_DEVICE);
  std::string msg = axon_last_error();
  EXPECT_EQ(msg.rfind("simulated target: no device (kernel " + id + " is an npu_program", 0), 0u)
      << msg;
  EXPECT_EQ(k, nullptr);
  EXPECT_STREQ(axon_status_name(AXON_ERR_NO_DEVICE), "no_device");
  ASSERT_EQ(axon_find(l.lib, "rmsnorm_matmul", nullptr, 0, &k), AXON_OK) << axon_last_error();
  Args a = make_args(k, 8);
  EXPECT_EQ(axon_run(k, a.ptrs.data(), a.ptrs.size()), AXON_OK) << axon_last_error();
  try {
    axon::runtime::Library cpp(lib.string());
    cpp.find("add", {{"a", "f32", {1, 8}}, {"b", "f32", {1, 8}}, {"c", "f32", {1, 8}}});
    FAIL() << "no error";
  } catch (const axon::runtime::Error& err) {
    EXPECT_EQ(err.code(), AXON_ERR_NO_DEVICE) << err.what();
  }
  fs::remove_all(lib);
}

// One signature for two backends, the faster one without a loader here: the runtime passes it
// over and runs the one it can load.
TEST(Runtime, EntriesWithoutALoaderArePassedOver) {
  fs::path lib = copy_library("passover");
  json m = manifest_of(lib);
  json gpu = entry_named(m, "add");
  std::string sig = gpu["signature"]["hash"];
  gpu["backend"] = "cuda";
  gpu["object"]["kind"] = "cubin";
  gpu["target"]["isa"] = "gpu";
  gpu["id"] = "add.gpu." + sig;
  gpu["time_ns"]["median"] = 0.001;
  m["kernels"].push_back(gpu);
  spit(lib / "manifest.json", m.dump());
  Lib l(lib.string());
  axon_kernel* k = nullptr;
  ASSERT_EQ(axon_find(l.lib, "add", nullptr, 0, &k), AXON_OK) << axon_last_error();
  EXPECT_EQ(std::string(axon_kernel_id(k)).rfind("add.avx2.", 0), 0u) << axon_kernel_id(k);
  Args a = make_args(k, 7);
  EXPECT_EQ(axon_run(k, a.ptrs.data(), a.ptrs.size()), AXON_OK) << axon_last_error();
  fs::remove_all(lib);
}

TEST(Runtime, CpuLackingAFeatureIsRefused) {
  std::string lacking;
  for (const char* f :
       {"avx512fp16", "fma4", "xop", "sse4a", "avx512vnni", "avx512bf16", "avx512f"})
    if (axon_cpu_supports(f) == 0) {
      lacking = f;
      break;
    }
  fs::path lib = copy_library("cpu");
  json m = manifest_of(lib);
  entry_named(m, "add")["target"]["cpu_features"].push_back("no-such-feature");
  if (!lacking.empty())
    entry_named(m, "rmsnorm_matmul")["target"]["cpu_features"].push_back(lacking);
  spit(lib / "manifest.json", m.dump());
  Lib l(lib.string());
  axon_kernel* k = nullptr;
  EXPECT_EQ(axon_find(l.lib, "add", nullptr, 0, &k), AXON_ERR_CPU);
  EXPECT_NE(std::string(axon_last_error()).find("no-such-feature, which this runtime cannot check"),
            std::string::npos)
      << axon_last_error();
  if (lacking.empty())
    GTEST_SKIP() << "this CPU has every feature the test knows to ask for";
  EXPECT_EQ(axon_find(l.lib, "rmsnorm_matmul", nullptr, 0, &k), AXON_ERR_CPU);
  EXPECT_NE(std::string(axon_last_error()).find(lacking + ", which this CPU lacks"),
            std::string::npos)
      << axon_last_error();
  fs::remove_all(lib);
}

// One signature installed for two targets: the runtime takes the most specialized one this CPU
// runs (here a second install of add for a target that claims to need AVX-512F as well). It is
// installed, not copied in the manifest: the CPU features are part of the ABI hash its object
// carries, so an entry edited to claim other features is refused.
TEST(Runtime, PicksTheMostSpecializedTargetTheCpuRuns) {
  fs::path lib = copy_library("targets");
  fs::path out = fs::path(AXON_RT_DIR) / ("out-wide-" + std::to_string(::getpid()));
  fs::remove_all(out);
  fs::copy(fs::path(AXON_RT_DIR) / "out-add", out, fs::copy_options::recursive);
  json ki = json::parse(slurp(out / "kernel.json"));
  ki["target"] = {{"isa", "wide"}, {"cpu_features", {"avx2", "fma", "f16c", "avx512f"}}};
  spit(out / "kernel.json", ki.dump());
  std::string cmd = std::string(AXON_SYNTH_BIN) + " library install " + out.string() + " " +
                    lib.string() + " > /dev/null";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << cmd;
  {
    Lib l(lib.string());
    axon_kernel* k = nullptr;
    ASSERT_EQ(axon_find(l.lib, "add", nullptr, 0, &k), AXON_OK) << axon_last_error();
    std::string want = axon_cpu_supports("avx512f") == 1 ? "add.wide." : "add.avx2.";
    EXPECT_EQ(std::string(axon_kernel_id(k)).rfind(want, 0), 0u) << axon_kernel_id(k);
  }
  // The avx2 entry edited to claim other CPU features: its object was built for its own.
  json m = manifest_of(lib);
  m["kernels"].erase(std::remove_if(m["kernels"].begin(), m["kernels"].end(),
                                    [](const json& x) { return x["target"]["isa"] == "wide"; }),
                     m["kernels"].end());
  entry_named(m, "add")["target"]["cpu_features"] = {"avx2", "fma"};
  spit(lib / "manifest.json", m.dump());
  Lib l(lib.string());
  axon_kernel* k = nullptr;
  EXPECT_EQ(axon_find(l.lib, "add", nullptr, 0, &k), AXON_ERR_CORRUPT);
  EXPECT_NE(std::string(axon_last_error()).find("differs from the one its object was built for"),
            std::string::npos)
      << axon_last_error();
  fs::remove_all(lib);
  fs::remove_all(out);
}

// A manifest that is a FIFO, a link to /dev/zero or huge, and an object that is a link to
// /dev/zero or larger than the bound: errors at once (issue 18: axon_open blocked forever on a
// FIFO and read /dev/zero until memory ran out). Each call runs in a child that must finish in
// 10 s, so that a regression fails instead of hanging the suite.
axon_status open_in_child(const fs::path& lib, std::string* msg) {
  int fds[2];
  if (::pipe(fds) != 0)
    return AXON_ERR_IO;
  pid_t pid = ::fork();
  if (pid == 0) {
    ::close(fds[0]);
    axon_library* l = nullptr;
    axon_status s = axon_open(lib.c_str(), &l);
    std::string out = std::to_string(static_cast<int>(s)) + " " + axon_last_error();
    (void)!::write(fds[1], out.data(), out.size());
    ::_exit(0);
  }
  ::close(fds[1]);
  for (int i = 0; i < 100; ++i) {
    int status = 0;
    if (::waitpid(pid, &status, WNOHANG) == pid)
      break;
    if (i == 99) {
      ::kill(pid, SIGKILL);
      ::waitpid(pid, &status, 0);
      ::close(fds[0]);
      *msg = "axon_open did not return within 10 s";
      return AXON_OK;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
  }
  std::string out;
  char buf[4096];
  ssize_t n;
  while ((n = ::read(fds[0], buf, sizeof buf)) > 0)
    out.append(buf, static_cast<size_t>(n));
  ::close(fds[0]);
  size_t sp = out.find(' ');
  *msg = sp == std::string::npos ? out : out.substr(sp + 1);
  return static_cast<axon_status>(std::atoi(out.c_str()));
}

TEST(Runtime, NonRegularAndHugeFilesAreRefusedAtOnce) {
  fs::path lib = copy_library("fifo");
  fs::rename(lib / "manifest.json", lib / "manifest.saved");
  std::string msg;
  ASSERT_EQ(::mkfifo((lib / "manifest.json").c_str(), 0644), 0);
  EXPECT_EQ(open_in_child(lib, &msg), AXON_ERR_IO) << msg;
  EXPECT_NE(msg.find("manifest.json: cannot read (not a regular file (a FIFO))"), std::string::npos)
      << msg;
  fs::remove(lib / "manifest.json");
  fs::create_symlink("/dev/zero", lib / "manifest.json");
  EXPECT_EQ(open_in_child(lib, &msg), AXON_ERR_IO) << msg;
  EXPECT_NE(msg.find("not a regular file (a character device)"), std::string::npos) << msg;
  fs::remove(lib / "manifest.json");
  {
    // Sparse: no disk space, but one byte over the bound.
    std::ofstream big(lib / "manifest.json");
  }
  fs::resize_file(lib / "manifest.json", (int64_t(64) << 20) + 1);
  EXPECT_EQ(open_in_child(lib, &msg), AXON_ERR_IO) << msg;
  EXPECT_NE(msg.find("larger than 67108864 bytes"), std::string::npos) << msg;
  fs::remove(lib / "manifest.json");
  fs::rename(lib / "manifest.saved", lib / "manifest.json");
  json m = manifest_of(lib);
  fs::path obj = lib / entry_named(m, "add")["object"]["path"].get<std::string>();
  fs::remove(obj);
  fs::create_symlink("/dev/zero", obj);
  {
    Lib l(lib.string());
    axon_kernel* k = nullptr;
    EXPECT_EQ(axon_find(l.lib, "add", nullptr, 0, &k), AXON_ERR_CORRUPT);
    EXPECT_NE(std::string(axon_last_error()).find("not a regular file (a character device)"),
              std::string::npos)
        << axon_last_error();
  }
  fs::remove(obj);
  { std::ofstream o(obj); }
  fs::resize_file(obj, (int64_t(256) << 20) + 1);
  {
    Lib l(lib.string());
    axon_kernel* k = nullptr;
    EXPECT_EQ(axon_find(l.lib, "add", nullptr, 0, &k), AXON_ERR_CORRUPT);
    EXPECT_NE(std::string(axon_last_error()).find("larger than 268435456 bytes"), std::string::npos)
        << axon_last_error();
  }
  fs::remove_all(lib);
}

TEST(Runtime, BadLibrariesGiveErrorsNotCrashes) {
  axon_library* l = nullptr;
  EXPECT_EQ(axon_open("/nonexistent/axon-lib", &l), AXON_ERR_IO);
  EXPECT_NE(std::string(axon_last_error()).find("not a directory"), std::string::npos);
  fs::path lib = copy_library("bad");
  spit(lib / "manifest.json", "{\"schema_version\": 1, \"kernels\": [");
  EXPECT_EQ(axon_open(lib.c_str(), &l), AXON_ERR_MANIFEST);
  EXPECT_NE(std::string(axon_last_error()).find("not JSON"), std::string::npos)
      << axon_last_error();
  json m = manifest_of(kLib);
  m["kernels"][1]["signature"]["arguments"][0]["shape"][1] = -3;
  spit(lib / "manifest.json", m.dump());
  EXPECT_EQ(axon_open(lib.c_str(), &l), AXON_ERR_MANIFEST);
  EXPECT_NE(
      std::string(axon_last_error())
          .find("/kernels/1/signature/arguments/0/shape/1: expected an integer from 1 to 2^40"),
      std::string::npos)
      << axon_last_error();
  m = manifest_of(kLib);
  m["kernels"][0]["object"]["path"] = "../../etc/passwd";
  spit(lib / "manifest.json", m.dump());
  EXPECT_EQ(axon_open(lib.c_str(), &l), AXON_ERR_MANIFEST);
  EXPECT_NE(std::string(axon_last_error()).find("not a relative path inside the library"),
            std::string::npos);
  fs::remove(lib / "manifest.json");
  EXPECT_EQ(axon_open(lib.c_str(), &l), AXON_ERR_IO);
  EXPECT_NE(std::string(axon_last_error()).find("manifest.json: cannot read"), std::string::npos);
  fs::remove_all(lib);
}

// Random damage to manifest.json: every outcome is an error code or a kernel that runs correctly
// sized; never a crash.
TEST(Runtime, MutatedManifestsNeverCrash) {
  fs::path lib = copy_library("mutate");
  const std::string good = slurp(kLib + "/manifest.json");
  std::mt19937 rng(42);
  int opened = 0, ran = 0;
  for (int round = 0; round < 600; ++round) {
    std::string s = good;
    int edits = 1 + static_cast<int>(rng() % 3);
    for (int e = 0; e < edits; ++e) {
      size_t at = rng() % s.size();
      switch (rng() % 4) {
      case 0:
        s[at] = static_cast<char>(rng() % 128);
        break; // any byte
      case 1:
        if (std::isdigit(static_cast<unsigned char>(s[at])))
          s[at] = static_cast<char>('0' + rng() % 10);
        break;
      case 2:
        s.erase(at, 1 + rng() % 8);
        break; // drop a few bytes
      case 3:
        s.resize(at);
        break; // truncate
      }
    }
    spit(lib / "manifest.json", s);
    axon_library* l = nullptr;
    if (axon_open(lib.c_str(), &l) != AXON_OK)
      continue;
    ++opened;
    for (size_t i = 0; i < axon_kernel_count(l); ++i) {
      std::vector<axon_arg> sig(axon_entry_arg_count(l, i));
      for (size_t j = 0; j < sig.size(); ++j)
        axon_entry_arg(l, i, j, &sig[j], nullptr);
      axon_kernel* k = nullptr;
      if (axon_find(l, axon_entry_name(l, i), sig.data(), sig.size(), &k) != AXON_OK)
        continue;
      Args a = make_args(k, 3);
      if (axon_run(k, a.ptrs.data(), a.ptrs.size()) == AXON_OK)
        ++ran;
    }
    axon_close(l);
  }
  EXPECT_GT(opened, 0); // some mutations are harmless (a timestamp digit), and those still run
  EXPECT_GT(ran, 0);
  fs::remove_all(lib);
}

TEST(Runtime, AnyElementAlignmentWorksAndMisalignedPointersAreRefused) {
  Lib l(kLib);
  axon_kernel* k = nullptr;
  ASSERT_EQ(axon_find(l.lib, "rmsnorm_matmul", nullptr, 0, &k), AXON_OK);
  Args a = make_args(k, 4);
  ASSERT_EQ(axon_run(k, a.ptrs.data(), a.ptrs.size()), AXON_OK);
  // The same inputs at an address 4 bytes past a 64-byte boundary.
  std::vector<std::vector<char>> raw;
  std::vector<void*> shifted;
  for (size_t i = 0; i < a.data.size(); ++i) {
    raw.emplace_back(a.data[i].size() * 4 + 128);
    uintptr_t base = (reinterpret_cast<uintptr_t>(raw.back().data()) + 63) / 64 * 64 + 4;
    std::memcpy(reinterpret_cast<void*>(base), a.data[i].data(), a.data[i].size() * 4);
    shifted.push_back(reinterpret_cast<void*>(base));
  }
  size_t iy = static_cast<size_t>(axon_kernel_arg_index(k, "y"));
  std::memset(shifted[iy], 0, a.data[iy].size() * 4);
  ASSERT_EQ(axon_run(k, shifted.data(), shifted.size()), AXON_OK) << axon_last_error();
  EXPECT_EQ(std::memcmp(shifted[iy], a.data[iy].data(), a.data[iy].size() * 4), 0);
  shifted[0] = static_cast<char*>(shifted[0]) + 1;
  EXPECT_EQ(axon_run(k, shifted.data(), shifted.size()), AXON_ERR_ARGUMENT);
  EXPECT_NE(std::string(axon_last_error()).find("not aligned to 4 bytes"), std::string::npos)
      << axon_last_error();
  shifted[0] = nullptr;
  EXPECT_EQ(axon_run(k, shifted.data(), shifted.size()), AXON_ERR_ARGUMENT);
  // An output that overlaps an input is refused (the kernel assumes distinct buffers).
  std::vector<void*> overlapping = a.ptrs;
  overlapping[iy] =
      static_cast<char*>(a.ptrs[static_cast<size_t>(axon_kernel_arg_index(k, "x"))]) + 64;
  EXPECT_EQ(axon_run(k, overlapping.data(), overlapping.size()), AXON_ERR_ARGUMENT);
  EXPECT_NE(std::string(axon_last_error()).find("argument 'y' (output) overlaps argument 'x'"),
            std::string::npos)
      << axon_last_error();
  EXPECT_EQ(axon_run(k, a.ptrs.data(), 3), AXON_ERR_ARGUMENT);
  EXPECT_NE(std::string(axon_last_error()).find("takes 4 arguments, got 3"), std::string::npos);
  EXPECT_EQ(axon_run(nullptr, a.ptrs.data(), 4), AXON_ERR_ARGUMENT);
}

TEST(Runtime, ConcurrentCallsAreSafe) {
  Lib l(kLib);
  axon_kernel* k = nullptr;
  ASSERT_EQ(axon_find(l.lib, "rmsnorm_matmul", nullptr, 0, &k), AXON_OK);
  size_t iy = static_cast<size_t>(axon_kernel_arg_index(k, "y"));
  constexpr int kThreads = 8;
  std::vector<std::vector<float>> expected(kThreads);
  for (int t = 0; t < kThreads; ++t) {
    Args a = make_args(k, 100 + t);
    ASSERT_EQ(axon_run(k, a.ptrs.data(), a.ptrs.size()), AXON_OK);
    expected[t] = a.data[iy];
  }
  std::atomic<int> wrong{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      Args a = make_args(k, 100 + t);
      for (int r = 0; r < 200; ++r) {
        std::fill(a.data[iy].begin(), a.data[iy].end(), 0.0f);
        if (axon_run(k, a.ptrs.data(), a.ptrs.size()) != AXON_OK || a.data[iy] != expected[t])
          ++wrong;
      }
    });
  for (auto& th : threads)
    th.join();
  EXPECT_EQ(wrong.load(), 0);
}

TEST(Runtime, ConcurrentFindsLoadOnce) {
  Lib l(kLib);
  std::vector<axon_kernel*> got(8, nullptr);
  std::vector<std::string> errors(got.size());
  std::vector<std::thread> threads;
  for (size_t t = 0; t < got.size(); ++t)
    threads.emplace_back([&, t] {
      if (axon_find(l.lib, t % 2 ? "adamw" : "rmsnorm_matmul", nullptr, 0, &got[t]) != AXON_OK)
        errors[t] = axon_last_error();
    });
  for (auto& th : threads)
    th.join();
  for (size_t t = 0; t < got.size(); ++t) {
    ASSERT_NE(got[t], nullptr) << errors[t];
    EXPECT_EQ(got[t], got[t % 2]);
  }
}

TEST(Runtime, CppWrapperThrowsWithTheCode) {
  axon::runtime::Library lib(kLib);
  EXPECT_EQ(lib.size(), 3u);
  axon::runtime::Kernel k = lib.find(
      "rmsnorm_matmul",
      {{"x", "f32", {64, 32}}, {"g", "f32", {32}}, {"w", "f32", {32, 48}}, {"y", "f32", {64, 48}}});
  std::vector<float> x(64 * 32, 1.0f), g(32, 1.0f), w(32 * 48, 0.5f), y(64 * 48, 0.0f);
  std::vector<void*> args(4);
  args[static_cast<size_t>(k.arg_index("x"))] = x.data();
  args[static_cast<size_t>(k.arg_index("g"))] = g.data();
  args[static_cast<size_t>(k.arg_index("w"))] = w.data();
  args[static_cast<size_t>(k.arg_index("y"))] = y.data();
  k.run(args);
  // rmsnorm of all ones is 1/sqrt(1 + 1e-6); each output sums 32 of 0.5 times it.
  EXPECT_NEAR(y[0], 16.0 / std::sqrt(1.0 + 1e-6), 1e-4);
  try {
    lib.find("rmsnorm_matmul", {{"x", "f32", {64, 31}}});
    FAIL() << "no error";
  } catch (const axon::runtime::Error& e) {
    EXPECT_EQ(e.code(), AXON_ERR_SIGNATURE);
  }
  EXPECT_THROW(axon::runtime::Library("/nonexistent"), axon::runtime::Error);
}

} // namespace
