// Malformed targets: each variant of targets/npu.json breaks one thing and must give a UserError
// naming the JSON pointer of the broken field and what is expected (docs/isa.md).
#include <gtest/gtest.h>

#include <fstream>
#include <functional>
#include <sstream>
#include <string>

#include <nlohmann/json.hpp>

#include "ir/error.h"
#include "isa/isa.h"

namespace axon {
namespace {

using json = nlohmann::ordered_json;

json npu() {
  std::ifstream f(std::string(AXON_SOURCE_DIR) + "/targets/npu.json");
  std::stringstream ss;
  ss << f.rdbuf();
  return json::parse(ss.str());
}

// Index of an instruction in npu.json by name, so the tests survive reordering of the file.
size_t instr_index(const json& j, const std::string& name) {
  for (size_t i = 0; i < j["instructions"].size(); ++i)
    if (j["instructions"][i]["name"] == name)
      return i;
  ADD_FAILURE() << "npu.json has no instruction " << name;
  return 0;
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

std::string mutate(const std::function<void(json&)>& f) {
  json j = npu();
  f(j);
  return load_error(j);
}

bool starts_with(const std::string& s, const std::string& prefix) {
  return s.rfind(prefix, 0) == 0;
}

TEST(IsaErrors, UnmodifiedTargetLoads) { EXPECT_EQ(load_error(npu()), "(loaded without error)"); }

TEST(IsaErrors, NotJson) {
  std::string msg;
  try {
    load_isa_from_string("{\"schema_version\": 1,", "t.json");
  } catch (const UserError& e) {
    msg = e.what();
  }
  EXPECT_TRUE(starts_with(msg, "t.json: not valid JSON: ")) << msg;
  // Found by the fuzzer: a number beyond double range is out_of_range, not parse_error.
  msg.clear();
  try {
    load_isa_from_string("{\"schema_version\": 1e400}", "t.json");
  } catch (const UserError& e) {
    msg = e.what();
  }
  EXPECT_TRUE(starts_with(msg, "t.json: not valid JSON: ")) << msg;
  EXPECT_NE(msg.find("number overflow"), std::string::npos) << msg;
}

TEST(IsaErrors, RootMustBeObject) {
  EXPECT_EQ(load_error(json::array()),
            "t.json: (document root): expected a target description (a JSON object), got an array");
}

TEST(IsaErrors, UnknownRootField) {
  EXPECT_EQ(mutate([](json& j) { j["colour"] = 1; }),
            "t.json: /colour: unknown field 'colour' in a target description; expected one of: "
            "schema_version, name, description, backends, llvm, constants, engines, memories, "
            "contention, instructions");
}

TEST(IsaErrors, LlvmBackendSettings) {
  auto avx2 = [] {
    std::ifstream f(std::string(AXON_SOURCE_DIR) + "/targets/avx2.json");
    std::stringstream ss;
    ss << f.rdbuf();
    return json::parse(ss.str());
  };
  auto load = [&](const std::function<void(json&)>& edit) -> std::string {
    json j = avx2();
    edit(j);
    try {
      load_isa_from_string(j.dump(), "t.json");
    } catch (const UserError& e) {
      return e.what();
    }
    return "";
  };
  EXPECT_EQ(
      load([](json& j) { j.erase("llvm"); }),
      "t.json: (document root): missing required field 'llvm' (the llvm backend's cpu, "
      "features, vector_bytes and host_features), needed because \"backends\" lists \"llvm\"");
  EXPECT_EQ(
      load([](json& j) { j["llvm"]["vector_bytes"] = 24; }),
      "t.json: /llvm/vector_bytes: expected 16, 32 or 64 (bytes of one vector register), got 24");
  EXPECT_EQ(load([](json& j) { j["llvm"]["features"][0] = "avx2"; }),
            "t.json: /llvm/features/0: \"avx2\" is not an LLVM feature flag; expected '+name' or "
            "'-name'");
  // broadcast's source is a scalar: it has no innermost axis.
  EXPECT_EQ(load([](json& j) {
              for (auto& i : j["instructions"])
                if (i["name"] == "broadcast")
                  i["operands"][0]["contiguous"] = true;
            }),
            "t.json: /instructions/4/operands/0/contiguous: a scalar operand (shape []) has no "
            "innermost axis to be contiguous");
  EXPECT_EQ(load([](json& j) { j["llvm"]["tune"] = "x"; }),
            "t.json: /llvm/tune: unknown field 'tune' in the llvm backend's settings; expected one "
            "of: cpu, features, vector_bytes, host_features, vector_math, nontemporal_stores");
  EXPECT_EQ(load([](json& j) { j["llvm"]["nontemporal_stores"] = "yes"; }),
            "t.json: /llvm/nontemporal_stores: expected true or false");
  EXPECT_EQ(
      load([](json& j) {
        j["llvm"]["vector_math"] = {{"sin", "_ZGVdN8v_sinf"}};
      }),
      "t.json: /llvm/vector_math/sin: unknown function 'sin'; expected one of exp, log, tanh, erf");
  EXPECT_EQ(load([](json& j) {
              j["llvm"]["vector_math"] = {{"exp", 3}};
            }),
            "t.json: /llvm/vector_math/exp: expected the symbol of a vector routine (e.g. "
            "\"_ZGVdN8v_expf\") or "
            "\"inline\" (the backend's own implementation)");
  EXPECT_EQ(load([](json& j) {
              j["llvm"]["vector_math"] = {{"log", "inline"}};
            }),
            "t.json: /llvm/vector_math/log: the backend has no inline implementation of log; "
            "\"inline\" is "
            "available for: exp, tanh");
}

TEST(IsaErrors, UnknownInstructionField) {
  json j = npu();
  size_t i = instr_index(j, "activation");
  j["instructions"][i]["latency"] = 5;
  EXPECT_EQ(load_error(j),
            "t.json: /instructions/" + std::to_string(i) +
                "/latency: unknown field 'latency' in an instruction; expected one of: "
                "name, description, library, engines, operands, params, semantics, cost, "
                "constraints, emit, accuracy_ulp");
}

TEST(IsaErrors, UnknownFieldInOperandShapeDim) {
  EXPECT_EQ(mutate([](json& j) { j["instructions"][0]["operands"][0]["shape"][0]["maxx"] = 4; }),
            "t.json: /instructions/0/operands/0/shape/0/maxx: unknown field 'maxx' in a dimension "
            "(a name, or {\"dim\", \"min\", \"max\"}); expected one of: dim, min, max");
}

TEST(IsaErrors, SchemaVersion) {
  EXPECT_EQ(
      mutate([](json& j) { j["schema_version"] = 2; }),
      "t.json: /schema_version: unsupported schema_version 2; this axon-synth reads version 1");
  EXPECT_EQ(mutate([](json& j) { j.erase("schema_version"); }),
            "t.json: (document root): missing required field 'schema_version' (an integer)");
}

TEST(IsaErrors, WrongTypes) {
  EXPECT_EQ(
      mutate([](json& j) { j["memories"][1]["capacity_bytes"] = "24MiB"; }),
      "t.json: /memories/1/capacity_bytes: expected an integer from 1 to 1125899906842624, got a "
      "string (\"24MiB\")");
  EXPECT_EQ(mutate([](json& j) { j["memories"][1]["capacity_bytes"] = 1.5; }),
            "t.json: /memories/1/capacity_bytes: expected an integer from 1 to 1125899906842624, "
            "got a number (1.5)");
  EXPECT_EQ(mutate([](json& j) { j["engines"][0]["clock_ghz"] = -1; }),
            "t.json: /engines/0/clock_ghz: expected a number from 0.001 to 1000, got -1");
  EXPECT_EQ(mutate([](json& j) { j["instructions"][0]["cost"] = 42; }),
            "t.json: /instructions/0/cost: expected a string, got an integer (42)");
  EXPECT_EQ(mutate([](json& j) { j["instructions"][0]["library"] = "no"; }),
            "t.json: /instructions/0/library: expected true or false, got a string (\"no\")");
  EXPECT_EQ(mutate([](json& j) { j["instructions"] = json::object(); }),
            "t.json: /instructions: expected an array, got an object");
}

TEST(IsaErrors, MissingRequiredFields) {
  EXPECT_EQ(mutate([](json& j) { j["instructions"][2].erase("cost"); }),
            "t.json: /instructions/2: missing required field 'cost' (a cost formula string)");
  EXPECT_EQ(mutate([](json& j) { j["memories"][0].erase("kind"); }),
            "t.json: /memories/0: missing required field 'kind' (a string)");
  EXPECT_EQ(mutate([](json& j) { j["instructions"][0]["emit"].erase("sim"); }),
            "t.json: /instructions/0/emit: missing required field 'sim' (a string)");
}

TEST(IsaErrors, BadEnumStrings) {
  EXPECT_EQ(mutate([](json& j) { j["memories"][0]["kind"] = "flash"; }),
            "t.json: /memories/0/kind: unknown value \"flash\"; expected one of: dram, sram, "
            "accumulator, cache, register");
  EXPECT_EQ(
      mutate([](json& j) { j["instructions"][0]["params"][0]["kind"] = "boolean"; }),
      "t.json: /instructions/0/params/0/kind: unknown value \"boolean\"; expected one of: enum, "
      "flag, immediate, vector");
  EXPECT_EQ(
      mutate([](json& j) { j["instructions"][0]["operands"][0]["dtypes"][0] = "f64"; }),
      "t.json: /instructions/0/operands/0/dtypes/0: unknown dtype \"f64\"; expected one of: f32, "
      "bf16, f16, bool");
}

TEST(IsaErrors, BadReferences) {
  EXPECT_EQ(
      mutate([](json& j) { j["instructions"][0]["operands"][0]["memory"][0] = "L9"; }),
      "t.json: /instructions/0/operands/0/memory/0: unknown memory level 'L9'; expected one of: "
      "HBM, SBUF, PSUM");
  EXPECT_EQ(
      mutate([](json& j) { j["memories"][1]["read"][0] = "TPU"; }),
      "t.json: /memories/1/read/0: unknown engine 'TPU'; expected one of: PE, DVE, ACT, POOL, DMA");
  EXPECT_EQ(
      mutate([](json& j) { j["instructions"][0]["engines"][0] = "GPU"; }),
      "t.json: /instructions/0/engines/0: unknown engine 'GPU'; expected one of: PE, DVE, ACT, "
      "POOL, DMA");
  EXPECT_EQ(mutate([](json& j) { j["contention"][0]["memory"] = "L2"; }),
            "t.json: /contention/0/memory: unknown memory level 'L2'");
  EXPECT_EQ(mutate([](json& j) { j["contention"][0]["engines"][1] = "TPU"; }),
            "t.json: /contention/0/engines/1: unknown engine 'TPU'; expected one of: PE, DVE, ACT, "
            "POOL, DMA");
}

TEST(IsaErrors, EngineMayNotAccessMemory) {
  // PE writes PSUM (and accumulates there) but cannot write SBUF.
  EXPECT_EQ(
      mutate([](json& j) { j["instructions"][0]["operands"][2]["memory"][0] = "SBUF"; }),
      "t.json: /instructions/0/operands/2/memory/0: no engine of 'matmul' (PE) may write SBUF; "
      "fix the memory's read/write/accumulate lists or the operand's memory");
  // Dropping PE from PSUM's accumulate list breaks the accumulating matmul.
  EXPECT_EQ(
      mutate([](json& j) { j["memories"][2]["accumulate"] = json::array(); }),
      "t.json: /instructions/0/operands/2/memory/0: no engine of 'matmul' (PE) may accumulate "
      "into PSUM; fix the memory's read/write/accumulate lists or the operand's memory");
  EXPECT_EQ(mutate([](json& j) { j["contention"][1]["engines"][1] = "POOL"; }),
            "t.json: /contention/1/engines/1: engine 'POOL' cannot access PSUM, so it cannot "
            "contend for it");
}

TEST(IsaErrors, DuplicateNames) {
  EXPECT_EQ(mutate([](json& j) { j["instructions"][1]["name"] = "matmul"; }),
            "t.json: /instructions/1/name: instruction 'matmul' is already defined at "
            "/instructions/0/name");
  EXPECT_EQ(mutate([](json& j) { j["instructions"][0]["operands"][1]["name"] = "st"; }),
            "t.json: /instructions/0/operands/1/name: name 'st' is already defined at "
            "/instructions/0/operands/0/name");
}

TEST(IsaErrors, MemoryGeometry) {
  EXPECT_EQ(
      mutate([](json& j) { j["memories"][2]["banks"] = 7; }),
      "t.json: /memories/2/banks: 7 banks x 2048 bytes do not fill a partition of 16384 bytes; "
      "expected banks * bank_bytes == capacity_bytes / partitions");
  EXPECT_EQ(
      mutate([](json& j) { j["memories"][1]["partition_rules"].erase(1); }),
      "t.json: /memories/1/partition_rules: no rule for tiles of 33 partitions; the rules must "
      "cover 1..128");
  EXPECT_EQ(
      mutate([](json& j) { j["memories"][1]["partition_rules"][1]["starts"][1] = 96; }),
      "t.json: /memories/1/partition_rules/1/starts/1: a tile of 64 partitions starting at 96 runs "
      "past the memory's 128 partitions");
  EXPECT_EQ(mutate([](json& j) { j["memories"][1]["partitions"] = 100; }),
            "t.json: /memories/1/partitions: capacity_bytes 25165824 is not a multiple of 100 "
            "partitions");
}

TEST(IsaErrors, CostFormulaUnknownVariable) {
  json j = npu();
  size_t i = instr_index(j, "reciprocal");
  j["instructions"][i]["cost"] = "max(64, 8 * Q)";
  std::string msg = load_error(j);
  EXPECT_TRUE(
      starts_with(msg, "t.json: /instructions/" + std::to_string(i) +
                           "/cost: unknown variable 'Q' in formula \"max(64, 8 * Q)\"; expected "
                           "one of: "))
      << msg;
  EXPECT_EQ(
      msg.substr(msg.find("expected one of: ")),
      "expected one of: F, P, access_overhead_cycles, clock_ghz, count, "
      "dependency_penalty_cycles, dma_engine_elems_per_ns, dma_engine_gbps, dma_engines, "
      "dma_min_efficient_partition_bytes, dma_partitions_per_engine, "
      "dma_recommended_partition_bytes, dma_saturating_partition_bytes, "
      "hbm_chip_bandwidth_gbps, lanes, min_ii_cycles, onchip_fast_stride_bytes, "
      "onchip_strided_access_factor, queues; or NAME.attribute for NAME in: a, "
      "out (attributes: elems, bytes, dtype_bytes, partitions, free, runs, in_MEMORY, is_DTYPE, "
      "is_immediate; enum values)");
  // A misspelt attribute of a known operand lists that operand's attributes.
  j["instructions"][i]["cost"] = "a.byts";
  EXPECT_EQ(load_error(j),
            "t.json: /instructions/" + std::to_string(i) +
                "/cost: unknown variable 'a.byts' in formula \"a.byts\"; expected one of: "
                "a.bytes, a.dtype_bytes, a.elems, a.free, a.in_PSUM, a.in_SBUF, a.is_bf16, "
                "a.is_f16, a.is_f32, a.partitions, a.runs");
}

TEST(IsaErrors, CostFormulaEngineAttributeOfAnotherEngine) {
  // fixed_cost_ns belongs to DMA; the vector engine's instructions cannot use it.
  json j = npu();
  size_t i = instr_index(j, "reciprocal");
  j["instructions"][i]["cost"] = "fixed_cost_ns";
  EXPECT_TRUE(starts_with(load_error(j), "t.json: /instructions/" + std::to_string(i) +
                                             "/cost: unknown variable 'fixed_cost_ns'"));
}

TEST(IsaErrors, CostFormulaSyntax) {
  EXPECT_EQ(
      mutate([](json& j) { j["instructions"][0]["cost"] = "max(64,"; }),
      "t.json: /instructions/0/cost: cost formula \"max(64,\" does not parse: column 8: expected a "
      "number, a variable or '(', got end of formula; expected numbers, variables, + - * /, "
      "comparisons, min, max, ceil, floor, if");
  EXPECT_TRUE(starts_with(
      mutate([](json& j) { j["instructions"][0]["constraints"][0] = "st.bytes <"; }),
      "t.json: /instructions/0/constraints/0: cost formula \"st.bytes <\" does not parse"));
}

TEST(IsaErrors, SemanticsDoNotParse) {
  std::string msg = mutate(
      [](json& j) { j["instructions"][0]["semantics"][0] = "out[m, n] = sum(k) st[k, m] *"; });
  EXPECT_TRUE(
      starts_with(msg, "t.json: /instructions/0/semantics/0: semantics of 'matmul' do not check: "))
      << msg;
}

TEST(IsaErrors, SemanticsDoNotTypeCheck) {
  // mv has rank 2; indexing it with one index is a type error found by the .tp checker.
  std::string msg = mutate([](json& j) {
    j["instructions"][0]["semantics"][0] = "out[m, n] = sum(k) st[k, m] * mv[k]";
  });
  EXPECT_TRUE(
      starts_with(msg, "t.json: /instructions/0/semantics/0: semantics of 'matmul' do not check: "))
      << msg;
  EXPECT_NE(msg.find("mv"), std::string::npos) << msg;
  // An index variable that ranges over nothing.
  msg = mutate([](json& j) {
    j["instructions"][0]["semantics"][0] = "out[m, n] = sum(k) st[k, m] * mv[k, q]";
  });
  EXPECT_TRUE(starts_with(msg, "t.json: /instructions/0/semantics/0: ")) << msg;
  // An operand that does not exist.
  msg = mutate([](json& j) {
    j["instructions"][0]["semantics"][0] = "out[m, n] = sum(k) w[k, m] * mv[k, n]";
  });
  EXPECT_TRUE(starts_with(msg, "t.json: /instructions/0/semantics/0: ")) << msg;
  EXPECT_NE(msg.find("w"), std::string::npos) << msg;
}

TEST(IsaErrors, SemanticsValueSortMatchesDtype) {
  EXPECT_EQ(mutate([](json& j) {
              j["instructions"][0]["semantics"][0] = "out[m, n] = (sum(k) st[k, m]) > 0.0";
            }),
            "t.json: /instructions/0/semantics/0: semantics of 'matmul' do not check: out operand "
            "'out' is "
            "declared a real type but its statement computes a condition");
  EXPECT_EQ(mutate([](json& j) { j["instructions"][0]["operands"][2]["dtypes"] = {"bool"}; }),
            "t.json: /instructions/0/semantics/0: semantics of 'matmul' do not check: out operand "
            "'out' is "
            "declared bool but its statement computes a real value");
  EXPECT_EQ(mutate([](json& j) {
              j["instructions"][0]["operands"][2]["dtypes"] = {"f32", "bool"};
            }),
            "t.json: /instructions/0/operands/2/dtypes: a mask operand is [\"bool\"] alone; bool "
            "cannot mix "
            "with f32, bf16, f16");
}

TEST(IsaErrors, SemanticsLeftSide) {
  EXPECT_EQ(
      mutate([](json& j) { j["instructions"][0]["semantics"][0] = "st[k, m] = mv[k, m]"; }),
      "t.json: /instructions/0/semantics/0: semantics of 'matmul' do not check: 'st' is not an out "
      "operand of 'matmul'; a statement defines one out operand");
  EXPECT_EQ(
      mutate([](json& j) { j["instructions"][0]["semantics"][0] = "out[m] = sum(k) st[k, m]"; }),
      "t.json: /instructions/0/semantics/0: semantics of 'matmul' do not check: 'out' has rank 2 "
      "(shape [M, N]) but the statement indexes it with 1 variable(s)");
  EXPECT_EQ(
      mutate([](json& j) { j["instructions"][0]["semantics"][0] = "out[m, n] == 1.0"; }),
      "t.json: /instructions/0/semantics/0: semantics of 'matmul' do not check: expected '=' after "
      "the left side `out[...]`");
}

TEST(IsaErrors, SemanticsPlaceholders) {
  json j = npu();
  size_t i = instr_index(j, "activation");
  std::string at = "t.json: /instructions/" + std::to_string(i);
  j["instructions"][i]["semantics"][0] = "out[p, f] = @nope(in[p, f])";
  EXPECT_EQ(load_error(j),
            at + "/semantics/0: semantics of 'activation' do not check: column 13: '@nope' "
                 "does not name an enum or flag parameter of 'activation'");
  j = npu();
  j["instructions"][i]["semantics"][0] = "out[p, f] = @func(in[p, f], bias[p])";
  EXPECT_EQ(load_error(j),
            at + "/semantics/0: semantics of 'activation' do not check: column 13: '@func' "
                 "takes 1 argument(s), got 2");
  j = npu();
  j["instructions"][i]["semantics"][0] = "out[p, f] = @func(in[p, f]";
  EXPECT_EQ(load_error(j),
            at + "/semantics/0: semantics of 'activation' do not check: column 13: '@func(' "
                 "is not closed");
}

TEST(IsaErrors, EnumValueTemplates) {
  json j = npu();
  size_t i = instr_index(j, "activation");
  std::string at = "t.json: /instructions/" + std::to_string(i) + "/params/0/values/exp";
  j["instructions"][i]["params"][0]["values"]["exp"] = "exp($1)";
  EXPECT_EQ(load_error(j),
            at + ": template \"exp($1)\" uses $1 but the parameter takes 1 argument(s) ($0..$0)");
  j["instructions"][i]["params"][0]["values"]["exp"] = "exp($0";
  std::string msg = load_error(j);
  EXPECT_TRUE(starts_with(msg, at + ": semantics of 'activation' with func = exp do not check: "))
      << msg;
  j["instructions"][i]["params"][0]["values"]["exp"] = "expo($0)";
  msg = load_error(j);
  EXPECT_TRUE(starts_with(msg, at + ": semantics of 'activation' with func = exp do not check: "))
      << msg;
}

TEST(IsaErrors, OutOperandNeverWritten) {
  json j = npu();
  size_t i = instr_index(j, "activation");
  j["instructions"][i]["semantics"].erase(1);
  EXPECT_EQ(load_error(j),
            "t.json: /instructions/" + std::to_string(i) +
                "/semantics: semantics of 'activation' with reduce = true do not check: out "
                "operand 'acc' is never written by the semantics");
}

TEST(IsaErrors, FlagsTogether) {
  // A statement under flag `twice` that reads a missing tensor only when `reduce` is set too:
  // each flag alone checks, both together do not.
  json j = npu();
  size_t i = instr_index(j, "activation");
  j["instructions"][i]["params"].push_back({{"name", "twice"}, {"kind", "flag"}});
  j["instructions"][i]["operands"].push_back({{"name", "acc2"},
                                              {"role", "out"},
                                              {"memory", {"SBUF"}},
                                              {"dtypes", {"f32"}},
                                              {"shape", {"P"}},
                                              {"when", "twice"}});
  j["instructions"][i]["semantics"].push_back(
      {{"when", "twice"}, {"stmt", "acc2[p] = @reduce(nope[p], 0.0)"}});
  std::string msg = load_error(j);
  EXPECT_TRUE(starts_with(msg, "t.json: /instructions/" + std::to_string(i) +
                                   "/semantics/2: semantics of 'activation' with every flag set do "
                                   "not check: "))
      << msg;
  EXPECT_NE(msg.find("nope"), std::string::npos) << msg;
  j["instructions"][i]["semantics"][2]["stmt"] = "acc2[p] = @reduce(acc[p], 0.0)";
  EXPECT_EQ(load_error(j), "(loaded without error)");
}

TEST(IsaErrors, WhenMustNameAFlag) {
  json j = npu();
  size_t i = instr_index(j, "activation");
  j["instructions"][i]["semantics"][1]["when"] = "func";
  EXPECT_EQ(load_error(j),
            "t.json: /instructions/" + std::to_string(i) +
                "/semantics/1/when: 'func' is not a flag parameter of instruction 'activation'");
}

TEST(IsaErrors, EmitTemplates) {
  EXPECT_EQ(mutate([](json& j) { j["instructions"][0]["emit"]["sim"] = "matmul {nope}"; }),
            "t.json: /instructions/0/emit/sim: placeholder {nope} names no operand or parameter; "
            "expected "
            "one of: st, mv, out, accumulate");
  EXPECT_EQ(mutate([](json& j) { j["instructions"][0]["emit"]["llvm"] = "x"; }),
            "t.json: /instructions/0/emit/llvm: unknown field 'llvm' in emit templates; expected "
            "one of: sim");
  EXPECT_EQ(
      mutate([](json& j) { j["instructions"][0]["emit"]["sim"] = "matmul {out"; }),
      "t.json: /instructions/0/emit/sim: unclosed '{' at column 8; write '{{' for a literal brace");
}

TEST(IsaErrors, NameClashWithConstant) {
  EXPECT_EQ(
      mutate([](json& j) { j["constants"]["K"] = 3; }),
      "t.json: /instructions/0: 'K' in instruction 'matmul' has the name of a target constant or "
      "engine attribute, which cost formulas could not tell apart; rename it");
}

TEST(IsaErrors, BadNames) {
  EXPECT_EQ(
      mutate([](json& j) { j["instructions"][0]["operands"][0]["name"] = "st-1"; }),
      "t.json: /instructions/0/operands/0/name: \"st-1\" is not a valid name; expected letters, "
      "digits and '_', not starting with a digit");
}

// Inputs that would overflow, blow up or hang a careless loader.
TEST(IsaErrors, HugeNumbersAndExplosiveTemplates) {
  EXPECT_EQ(
      mutate([](json& j) { j["memories"][1]["partitions"] = int64_t(1) << 40; }),
      "t.json: /memories/1/partitions: expected at most 1048576 partitions, got 1099511627776");
  EXPECT_EQ(mutate([](json& j) {
              j["memories"][2]["banks"] = int64_t(1) << 62;
              j["memories"][2]["bank_bytes"] = 4;
            }),
            "t.json: /memories/2/banks: 4611686018427387904 banks x 4 bytes do not fill a "
            "partition of 16384 "
            "bytes; expected banks * bank_bytes == capacity_bytes / partitions");
  EXPECT_EQ(
      mutate([](json& j) { j["memories"][1]["partition_rules"][0]["starts"][0] = INT64_MAX; }),
      "t.json: /memories/1/partition_rules/0/starts/0: a tile of 128 partitions starting at "
      "9223372036854775807 runs past the memory's 128 partitions");
  EXPECT_EQ(
      mutate([](json& j) {
        j["instructions"][0]["params"].push_back({{"name", "e"},
                                                  {"kind", "enum"},
                                                  {"arity", int64_t(1) << 40},
                                                  {"values", {{"a", "$0"}}}});
      }),
      "t.json: /instructions/0/params/1/arity: expected an arity from 0 to 8, got 1099511627776");
  // A template that repeats its argument, nested 12 deep, would expand to 8^12 copies.
  json j = npu();
  j["instructions"][0]["params"].push_back(
      {{"name", "e"}, {"kind", "enum"}, {"values", {{"a", "$0+$0+$0+$0+$0+$0+$0+$0"}}}});
  std::string nested = "st[k, m]";
  for (int i = 0; i < 12; ++i)
    nested = "@e(" + nested + ")";
  j["instructions"][0]["semantics"][0] = "out[m, n] = sum(k) " + nested + " * mv[k, n]";
  std::string msg = load_error(j);
  EXPECT_TRUE(starts_with(
      msg, "t.json: /instructions/0/semantics/0: semantics of 'matmul' do not check: column "))
      << msg;
  EXPECT_NE(msg.find("expands to more than 65536 characters"), std::string::npos) << msg;
}

TEST(IsaErrors, CyclesNeedAClock) {
  EXPECT_EQ(mutate([](json& j) { j["engines"][0].erase("clock_ghz"); }),
            "t.json: /engines/0: engine 'PE' counts costs in cycles but has no 'clock_ghz'; give "
            "its clock, "
            "or set \"cost_unit\": \"ns\"");
}

} // namespace
} // namespace axon
