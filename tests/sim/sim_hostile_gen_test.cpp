// Generated hostile NPU programs (issue 18, class 7 and the simulator's other classes): a few
// hundred programs with huge or deeply nested loops, overflowing access patterns, huge offsets,
// queues and sizes, non-finite numbers and oversized formulas, each run through the sim command
// in its own process under a time limit. Every one must exit 2 with an "error:" message naming a
// JSON pointer: never a signal, an internal error (exit 1), success or a hang.
#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <nlohmann/json.hpp>
#include <random>
#include <sstream>
#include <string>
#include <sys/wait.h>
#include <vector>

namespace {

using json = nlohmann::json;

constexpr int kTimeLimitSeconds = 60;

struct Case {
  std::string what;
  json doc;
  bool functional = false;
};

json base_doc() {
  return {{"schema_version", 1},
          {"name", "hostile"},
          {"tensors",
           {{{"name", "x"}, {"dtype", "f32"}, {"shape", {128, 512}}, {"kind", "input"}},
            {{"name", "y"}, {"dtype", "f32"}, {"shape", {128, 512}}, {"kind", "output"}}}},
          {"buffers",
           {{{"name", "xs"},
             {"memory", "SBUF"},
             {"dtype", "f32"},
             {"partitions", 128},
             {"size", 512}}}},
          {"program", json::array()}};
}

json load_x() {
  return {{"instr", "dma_copy"},
          {"queue", 0},
          {"src", {{"tensor", "x"}, {"offset", 0}, {"ap", {{512, 128}, {1, 512}}}}},
          {"dst", {{"buf", "xs"}, {"n", 512}}}};
}

json memset_xs() { return {{"instr", "memset"}, {"out", {{"buf", "xs"}, {"n", 16}}}, {"value", 0.0}}; }

json loop(const std::string& v, json count, json body) {
  return {{"loop", v}, {"count", std::move(count)}, {"body", std::move(body)}};
}

// Integers past every limit: wrap-arounds of int64 and uint64, 2^62, 2^40 + 1.
json huge(std::mt19937_64& rng) {
  static const std::vector<json> values = {
      json(int64_t(1) << 62),       json(-(int64_t(1) << 62)),       json(INT64_MAX),
      json(INT64_MIN),              json(UINT64_MAX),                json(uint64_t(1) << 63),
      json((int64_t(1) << 40) + 1), json(-(int64_t(1) << 40) - 1),   json(4e18),
      json(1e300),                  json("4611686018427387904 * 4"), json("-(2^62)")};
  return values[rng() % values.size()];
}

// A number past a double cannot live in a json value: a marker string that the written text
// replaces by the bare number (see unmark).
json bad_number(std::mt19937_64& rng) {
  static const std::vector<std::string> values = {"1e400", "-1e400", "1e309", "-1e309",
                                                  "123e99999"};
  return "@NUM:" + values[rng() % values.size()] + "@";
}

std::string unmark(std::string text) {
  for (size_t at; (at = text.find("\"@NUM:")) != std::string::npos;) {
    size_t end = text.find("@\"", at);
    text = text.substr(0, at) + text.substr(at + 6, end - at - 6) + text.substr(end + 2);
  }
  return text;
}

std::vector<Case> generate() {
  std::mt19937_64 rng(18);
  std::vector<Case> cases;
  auto add = [&](const std::string& what, json doc, bool functional = false) {
    cases.push_back({what, std::move(doc), functional});
  };
  // Class 7: loops that expand past kMaxExpandedSteps.
  for (int i = 0; i < 50; ++i) {
    json d = base_doc();
    int64_t count = (int64_t(1) << 21) + 1 + static_cast<int64_t>(rng() % (int64_t(1) << 39));
    d["program"].push_back(loop("i", count, json::array({memset_xs()})));
    add("huge loop " + std::to_string(count), d, i % 2);
  }
  for (int i = 0; i < 50; ++i) {
    json d = base_doc();
    int depth = 21 + static_cast<int>(rng() % 43), count = 2 + static_cast<int>(rng() % 4);
    json body = json::array({memset_xs()});
    if (i % 3 == 0)
      body = json::array();
    for (int k = depth - 1; k >= 0; --k)
      body = json::array({loop("v" + std::to_string(k), count, body)});
    d["program"] = body;
    add("nested loops " + std::to_string(depth) + "x" + std::to_string(count), d);
  }
  for (int i = 0; i < 30; ++i) {
    json d = base_doc();
    int depth = 65 + static_cast<int>(rng() % 200);
    json body = json::array({memset_xs()});
    for (int k = depth - 1; k >= 0; --k)
      body = json::array({loop("w" + std::to_string(k), 1, body)});
    d["program"] = body;
    add("loop nesting " + std::to_string(depth), d);
  }
  for (int i = 0; i < 20; ++i) {
    json d = base_doc();
    int64_t count = (int64_t(1) << 21) + static_cast<int64_t>(rng() % (int64_t(1) << 30));
    // A formula count is only known while expanding; the body is empty or the count nests.
    json body = i % 2 ? json::array() : json::array({loop("j", "i * 0 + 3", json::array())});
    d["program"].push_back(loop("i", std::to_string(count), body));
    add("formula loop count " + std::to_string(count), d);
  }
  // Overflowing and out-of-range access patterns, on HBM and on chip.
  for (int i = 0; i < 60; ++i) {
    json d = base_doc();
    json ld = load_x();
    json& ap = i % 2 ? ld["src"]["ap"] : ld["dst"];
    if (i % 2) {
      ap[rng() % 2][rng() % 2] = huge(rng);
    } else {
      ap.erase("n");
      ap["ap"] = {{huge(rng), 512}};
      if (rng() % 2)
        ap["ap"] = {{1, huge(rng)}};
    }
    d["program"].push_back(ld);
    d["program"].push_back({{"instr", "dma_copy"},
                            {"src", {{"buf", "xs"}}},
                            {"dst", {{"tensor", "y"}}}});
    add("access pattern " + ld.dump(), d, true);
  }
  // Offsets, partitions, sizes, queues, shapes past their limits.
  const std::vector<std::string> fields = {"offset", "queue", "p", "np", "n", "size",
                                           "start_partition", "partitions", "shape"};
  for (int i = 0; i < 54; ++i) {
    json d = base_doc();
    const std::string& f = fields[i % fields.size()];
    json ld = load_x();
    if (f == "offset")
      ld[rng() % 2 ? "src" : "dst"]["offset"] = huge(rng);
    else if (f == "queue")
      ld["queue"] = huge(rng);
    else if (f == "p" || f == "np" || f == "n")
      ld["dst"][f] = huge(rng);
    else if (f == "shape")
      d["tensors"][0]["shape"][rng() % 2] = huge(rng);
    else
      d["buffers"][0][f] = huge(rng);
    d["program"].push_back(ld);
    add(f + " " + ld.dump(), d, i % 2);
  }
  // Non-finite numbers wherever a number goes.
  for (int i = 0; i < 30; ++i) {
    json d = base_doc();
    json m = memset_xs();
    switch (i % 5) {
    case 0: m["value"] = bad_number(rng); break;
    case 1: m["out"]["offset"] = bad_number(rng); break;
    case 2: d["buffers"][0]["size"] = bad_number(rng); break;
    case 3: d["tensors"][0]["shape"][0] = bad_number(rng); break;
    default: m = loop("i", bad_number(rng), json::array({m})); break;
    }
    d["program"].push_back(m);
    add("non-finite " + m.dump().substr(0, 200), d, i % 2);
  }
  // Formulas past kMaxFormulaChars or kMaxExprDepth, and formulas whose values overflow.
  for (int i = 0; i < 30; ++i) {
    json d = base_doc();
    std::string f;
    switch (i % 3) {
    case 0: {
      f = "i";
      int terms = 300 + static_cast<int>(rng() % 200000);
      for (int k = 0; k < terms; ++k)
        f += "+i";
      break;
    }
    case 1: {
      int depth = 257 + static_cast<int>(rng() % 5000);
      f = std::string(depth, '(') + "i" + std::string(depth, ')');
      break;
    }
    default:
      f = "i * 4611686018427387904 * " + std::to_string(2 + rng() % 1000);
      break;
    }
    json m = memset_xs();
    m["out"]["offset"] = f;
    d["program"].push_back(loop("i", 2, json::array({m})));
    add("formula of " + std::to_string(f.size()) + " characters", d);
  }
  return cases;
}

TEST(SimHostileGenerated, EveryProgramExitsTwo) {
  std::vector<Case> cases = generate();
  ASSERT_GE(cases.size(), 300u);
  std::string dir = testing::TempDir();
  int index = 0;
  for (const Case& c : cases) {
    std::string prog = dir + "hostile_" + std::to_string(index) + ".json";
    std::string err = dir + "hostile_" + std::to_string(index) + ".err";
    ++index;
    std::ofstream(prog) << unmark(c.doc.dump());
    std::string cmd = "timeout -s KILL " + std::to_string(kTimeLimitSeconds) + " " + SIM_CLI +
                      " " + prog + " targets/npu.json" + (c.functional ? " --functional" : "") +
                      " >/dev/null 2>" + err;
    int status = std::system(cmd.c_str());
    ASSERT_TRUE(WIFEXITED(status)) << c.what;
    int rc = WEXITSTATUS(status);
    std::ifstream ef(err);
    std::stringstream es;
    es << ef.rdbuf();
    std::string msg = es.str();
    EXPECT_EQ(rc, 2) << c.what.substr(0, 300) << "\n" << msg.substr(0, 500)
                     << (rc == 137 ? "(killed after the time limit)" : "");
    EXPECT_EQ(msg.rfind("error: ", 0), 0u) << c.what.substr(0, 300) << "\n" << msg.substr(0, 500);
    EXPECT_NE(msg.find(": /"), std::string::npos) << "no JSON pointer: " << msg.substr(0, 500);
    EXPECT_LT(msg.size(), 2000u) << "the message echoes the input: " << msg.substr(0, 200);
    std::remove(prog.c_str());
    std::remove(err.c_str());
  }
}

} // namespace
