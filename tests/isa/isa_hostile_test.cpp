// Target values that used to crash or corrupt the main job (issue 18, class 5), each refused by
// the loader with its JSON pointer: out-of-range, infinite, subnormal, negative and NaN-producing
// numbers, vector-math routines other than libmvec's, formulas nested past the depth limit, and
// target files that are not regular files.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cmath>
#include <filesystem>
#include <fstream>
#include <functional>
#include <nlohmann/json.hpp>
#include <sstream>
#include <string>

#include "ir/error.h"
#include "isa/isa.h"

namespace axon {
namespace {

using json = nlohmann::ordered_json;

json target(const std::string& name) {
  std::ifstream f(std::string(AXON_SOURCE_DIR) + "/targets/" + name + ".json");
  std::stringstream ss;
  ss << f.rdbuf();
  return json::parse(ss.str());
}

std::string load_error(const json& j) {
  try {
    load_isa_from_string(j.dump(), "t.json");
  } catch (const UserError& e) {
    return e.what();
  } catch (const std::exception& e) {
    return std::string("NOT A USER ERROR: ") + e.what();
  }
  return "(loaded without error)";
}

std::string edit(const std::string& name, const std::function<void(json&)>& f) {
  json j = target(name);
  f(j);
  return load_error(j);
}

size_t instr_index(const json& j, const std::string& name) {
  for (size_t i = 0; i < j["instructions"].size(); ++i)
    if (j["instructions"][i]["name"] == name)
      return i;
  ADD_FAILURE() << "no instruction " << name;
  return 0;
}

TEST(IsaHostile, EngineNumbersAreBounded) {
  EXPECT_EQ(edit("avx2", [](json& j) { j["engines"][0]["lanes"] = int64_t(1) << 40; }),
            "t.json: /engines/0/lanes: expected an integer from 1 to 4096, got 1099511627776");
  EXPECT_EQ(edit("avx2", [](json& j) { j["engines"][0]["lanes"] = 4; }),
            "t.json: /engines/0/lanes: a core of an llvm target has vector_bytes / 4 = 8 f32 "
            "lanes (/llvm/vector_bytes), got 4");
  EXPECT_EQ(edit("avx2", [](json& j) { j["engines"][0]["fma_units"] = 0; }),
            "t.json: /engines/0/fma_units: expected a number from 1 to 64, got 0");
  EXPECT_EQ(edit("avx2", [](json& j) { j["engines"][0]["load_ports"] = -2; }),
            "t.json: /engines/0/load_ports: expected a number from 1 to 64, got -2");
  EXPECT_EQ(edit("avx2", [](json& j) { j["engines"][0]["clock_ghz"] = 1e300; }),
            "t.json: /engines/0/clock_ghz: expected a number from 0.001 to 1000, got 1e+300");
  EXPECT_EQ(edit("avx2", [](json& j) { j["engines"][0]["clock_ghz"] = 5e-324; }),
            "t.json: /engines/0/clock_ghz: expected a normal number, got the subnormal 5e-324");
  EXPECT_EQ(edit("avx2", [](json& j) { j["engines"][0]["thread_start_ns"] = 1e-310; }),
            "t.json: /engines/0/thread_start_ns: expected a normal number, got the subnormal "
            "1e-310");
  EXPECT_EQ(
      edit("avx2", [](json& j) { j["engines"][0]["count"] = int64_t(1) << 62; }),
      "t.json: /engines/0/count: expected an integer from 1 to 4096, got 4611686018427387904");
  EXPECT_EQ(
      edit("npu", [](json& j) { j["engines"][4]["queue_bandwidth_gbps"] = 0; }),
      "t.json: /engines/4/queue_bandwidth_gbps: expected a number from 0.001 to 1e+06, got 0");
  EXPECT_EQ(edit("npu", [](json& j) { j["engines"][4]["queues"] = 0; }),
            "t.json: /engines/4/queues: expected an integer from 1 to 4096, got 0");
  EXPECT_EQ(edit("npu", [](json& j) { j["engines"][0]["array_rows"] = 1e9; }),
            "t.json: /engines/0/array_rows: expected a number from 1 to 65536, got 1000000000.0");
}

TEST(IsaHostile, MemoryNumbersAndConstantsAreBounded) {
  EXPECT_EQ(edit("avx2", [](json& j) { j["memories"][1]["bandwidth_gbps"] = 1e-300; }),
            "t.json: /memories/1/bandwidth_gbps: expected a number from 0.001 to 1e+06, got "
            "1e-300");
  EXPECT_EQ(edit("avx2", [](json& j) { j["memories"][4]["capacity_bytes"] = INT64_MAX; }),
            "t.json: /memories/4/capacity_bytes: expected an integer from 1 to 1125899906842624, "
            "got 9223372036854775807");
  EXPECT_EQ(edit("avx2", [](json& j) { j["memories"][0]["registers"] = int64_t(1) << 40; }),
            "t.json: /memories/0/registers: expected an integer from 1 to 4096, got "
            "1099511627776");
  EXPECT_EQ(edit("npu", [](json& j) { j["constants"]["hbm_chip_bandwidth_gbps"] = -1e300; }),
            "t.json: /constants/hbm_chip_bandwidth_gbps: expected a number from -1e+15 to 1e+15, "
            "got -1e+300");
  EXPECT_EQ(edit("npu", [](json& j) { j["memories"][1]["max_free_elems"] = int64_t(1) << 50; }),
            "t.json: /memories/1/max_free_elems: expected an integer from 1 to 1099511627776, got "
            "1125899906842624");
}

TEST(IsaHostile, CostsMustBeFiniteAndNonNegative) {
  json j = target("avx2");
  size_t fma = instr_index(j, "fma");
  auto with_cost = [&](const std::string& cost) {
    json k = j;
    k["instructions"][fma]["cost"] = cost;
    return load_error(k);
  };
  std::string at = "t.json: /instructions/" + std::to_string(fma) + "/cost: cost formula ";
  // -1 cycle at 3.2 GHz.
  EXPECT_EQ(with_cost("-1").rfind(at + "\"-1\" gives -0.3125 ns on engine 'core'", 0), 0u)
      << with_cost("-1");
  EXPECT_NE(with_cost("0 / 0").find("nan ns on engine 'core'"), std::string::npos)
      << with_cost("0 / 0");
  EXPECT_NE(with_cost("1 / (lanes - lanes)").find("gives inf ns"), std::string::npos)
      << with_cost("1 / (lanes - lanes)");
  // A negative constant reaches the cost through a formula.
  j["constants"] = {{"penalty", -5}};
  EXPECT_NE(with_cost("penalty").find("gives -1.5625 ns"), std::string::npos)
      << with_cost("penalty");
}

TEST(IsaHostile, CostFormulaDepthIsBoundedWithPointerAndColumn) {
  std::string chain = "0.5";
  for (int i = 0; i < 200000; ++i)
    chain += "+0.5";
  std::string msg = edit("avx2", [&](json& j) { j["instructions"][0]["cost"] = chain; });
  EXPECT_EQ(msg.rfind("t.json: /instructions/0/cost: cost formula \"0.5+0.5+0.5+", 0), 0u)
      << msg.substr(0, 300);
  EXPECT_NE(msg.find("(800003 characters) does not parse: column 1028: formula nested deeper than "
                     "256 levels"),
            std::string::npos)
      << msg.substr(0, 300);
  std::string parens = std::string(100000, '(') + "1" + std::string(100000, ')');
  msg = edit("npu", [&](json& j) { j["instructions"][0]["constraints"] = {parens}; });
  EXPECT_NE(msg.find("t.json: /instructions/0/constraints/0: cost formula"), std::string::npos)
      << msg.substr(0, 300);
  EXPECT_NE(msg.find("column 257: formula nested deeper than 256 levels"), std::string::npos)
      << msg.substr(0, 300);
}

TEST(IsaHostile, OnlyLibmvecRoutinesOfTheRightFunctionAndWidth) {
  EXPECT_EQ(edit("avx2", [](json& j) { j["llvm"]["vector_math"]["exp"] = "system"; }),
            "t.json: /llvm/vector_math/exp: \"system\" is not a vector exp routine for 32-byte "
            "vectors; expected \"inline\" or _ZGVcN8v_expf or _ZGVdN8v_expf (glibc libmvec)");
  EXPECT_NE(edit("avx2", [](json& j) { j["llvm"]["vector_math"]["log"] = "_ZGVdN8v_expf"; })
                .find("\"_ZGVdN8v_expf\" is not a vector log routine"),
            std::string::npos);
  EXPECT_NE(edit("avx2", [](json& j) { j["llvm"]["vector_math"]["log"] = "_ZGVeN16v_logf"; })
                .find("/llvm/vector_math/log: \"_ZGVeN16v_logf\" is not a vector log routine for "
                      "32-byte vectors"),
            std::string::npos);
  EXPECT_EQ(edit("avx512", [](json& j) { j["llvm"]["vector_math"]["erf"] = "_ZGVeN16v_erff"; }),
            "(loaded without error)");
  EXPECT_TRUE(known_vector_math_routine("tanh", "_ZGVbN4v_tanhf", 16));
  EXPECT_FALSE(known_vector_math_routine("tanh", "_ZGVbN4v_tanhf", 32));
  EXPECT_FALSE(known_vector_math_routine("sin", "_ZGVdN8v_sinf", 32));
}

TEST(IsaHostile, AccuracyDimsAndImmediatesAreBounded) {
  EXPECT_EQ(edit("avx2", [](json& j) { j["instructions"][0]["accuracy_ulp"] = 1e300; }),
            "t.json: /instructions/0/accuracy_ulp: expected a number from 0 to 1e+06, got 1e+300");
  EXPECT_EQ(edit("avx2", [](json& j) { j["instructions"][0]["accuracy_ulp"] = -1; }),
            "t.json: /instructions/0/accuracy_ulp: expected a number from 0 to 1e+06, got -1");
}

TEST(IsaHostile, DeeplyNestedJsonIsRefused) {
  std::string text = std::string(100000, '[') + std::string(100000, ']');
  try {
    load_isa_from_string(text, "t.json");
    FAIL() << "loaded";
  } catch (const UserError& e) {
    EXPECT_NE(std::string(e.what()).find("nested deeper than 256 levels"), std::string::npos)
        << e.what();
  }
}

TEST(IsaHostile, TargetFilesMustBeRegularFiles) {
  auto error = [](const std::string& path) -> std::string {
    try {
      load_isa(path);
    } catch (const UserError& e) {
      return e.what();
    }
    return "(loaded)";
  };
  EXPECT_EQ(error("/dev/zero"), "/dev/zero: not a regular file; a target is a JSON file (targets/ "
                                "holds the shipped ones)");
  std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("axon-isa-fifo-" + std::to_string(::getpid()));
  std::filesystem::create_directories(dir);
  std::filesystem::create_symlink("/dev/zero", dir / "zero.json");
  EXPECT_NE(error((dir / "zero.json").string()).find("not a regular file"), std::string::npos);
  ASSERT_EQ(::mkfifo((dir / "fifo.json").c_str(), 0644), 0);
  EXPECT_NE(error((dir / "fifo.json").string()).find("not a regular file"), std::string::npos);
  { std::ofstream big(dir / "big.json"); }
  std::filesystem::resize_file(dir / "big.json", (int64_t(64) << 20) + 1);
  EXPECT_NE(error((dir / "big.json").string()).find("larger than 67108864 bytes"),
            std::string::npos);
  std::filesystem::remove_all(dir);
}

} // namespace
} // namespace axon
