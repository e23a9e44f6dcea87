// Generated hostile inputs for the front end and the CLI (issue 18, classes 2 and 3): a few
// hundred programs each of long chains, deep nesting and many operands (class 2), and of sizes,
// extents and index arithmetic at and past their limits (class 3). Each must give exit 0 or exit 2
// with a file:line:col position, never a signal, an internal error (exit 1) or a run past the time
// bound. Slow (labelled `slow`): several hundred CLI runs.
#include <gtest/gtest.h>

#include <cstdint>
#include <filesystem>
#include <fstream>
#include <random>
#include <regex>
#include <string>
#include <vector>

#include "tests/common/run_command.h"

namespace {

namespace fs = std::filesystem;

// Seconds a single `check` or `eval` of one generated program may take (a bound on the work, far
// above what any of them needs on an idle machine).
constexpr int kTimeBoundSeconds = 60;

struct Outcome {
  int code;
  std::string out;
};

Outcome run_cli(const std::string& args) {
  auto r = axon::test::run_command("timeout -s KILL " + std::to_string(kTimeBoundSeconds) + " " +
                                   AXON_BIN + " " + args + " 2>&1");
  return {r.code, r.out};
}

std::string join(const std::vector<std::string>& v, const std::string& sep) {
  std::string out;
  for (size_t i = 0; i < v.size(); ++i)
    out += (i ? sep : "") + v[i];
  return out;
}

class Generator {
public:
  explicit Generator(uint64_t seed) : rng_(seed) {}
  int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng_); }
  template <class T> const T& one_of(const std::vector<T>& v) {
    return v[static_cast<size_t>(pick(0, static_cast<int>(v.size()) - 1))];
  }

  // A length near the limits more often than not.
  int length() {
    static const std::vector<int> near = {1, 2, 255, 256, 257, 258, 1023, 1024, 1025, 1026};
    return pick(0, 2) ? one_of(near) : pick(1, 5000);
  }

  // Class 2: long chains, deep nesting, many operands, many statements.
  std::string class2() {
    std::string head = "where N = 3\ninput x: f32[N]\ninput b: f32[N]\n";
    int n = length();
    switch (pick(0, 9)) {
    case 0: { // flat chain, graph level
      std::vector<std::string> t(static_cast<size_t>(n), "x");
      return head + "output y = " + join(t, " " + one_of<std::string>({"+", "-", "*", "/"}) + " ") +
             "\n";
    }
    case 1: { // flat chain, index level, mixed operators
      std::string e = "x[i]";
      for (int i = 1; i < n; ++i)
        e += " " + one_of<std::string>({"+", "-", "*", "/"}) + " x[i]";
      return head + "output y[i] = " + e + "\n";
    }
    case 2: // parentheses
      return head + "output y[i] = " + std::string(static_cast<size_t>(n), '(') + "x[i]" +
             std::string(static_cast<size_t>(n), ')') + "\n";
    case 3: // unary operators
      return head + "output y[i] = " + std::string(static_cast<size_t>(n), '-') + "x[i]\n";
    case 4: { // nested calls
      std::string f = one_of<std::string>({"exp(", "tanh(", "abs(", "sigmoid("});
      std::string e;
      for (int i = 0; i < n; ++i)
        e += f;
      return head + "output y = " + e + "x" + std::string(static_cast<size_t>(n), ')') + "\n";
    }
    case 5: { // nested reductions, each over its own variable
      int d = std::min(n, 400);
      std::string e;
      for (int i = 0; i < d; ++i)
        e += "sum(k" + std::to_string(i) + ": 2) ";
      return head + "output y[i] = " + e + "x[i]\n";
    }
    case 6: { // many operands of one call
      std::vector<std::string> t(static_cast<size_t>(std::max(n, 2)), pick(0, 1) ? "x" : "b");
      return head + "output y = concat(" + join(t, ", ") + ", axis=0)\n";
    }
    case 7: { // many statements, each using the last
      int m = std::min(n, 3000);
      std::string s = head + "t0 = x + b\n";
      for (int i = 1; i < m; ++i)
        s += "t" + std::to_string(i) + " = t" + std::to_string(i - 1) + " " +
             one_of<std::string>({"+", "*"}) + " x\n";
      return s + "output y = t" + std::to_string(m - 1) + "\n";
    }
    case 8: { // a balanced tree of many terms, within the depth limit
      std::string e = "x[i]";
      int levels = pick(1, 14);
      for (int i = 0; i < levels; ++i)
        e = "(" + e + " + " + e + ")";
      return head + "output y[i] = " + e + "\n";
    }
    default: { // a long list attribute and a long index list
      std::vector<std::string> ones(static_cast<size_t>(n), "1");
      return head + "output y = reshape(x, shape=[" + join(ones, ", ") + ", N])\n";
    }
    }
  }

  // Class 3: sizes, extents and index arithmetic.
  std::string big() {
    static const std::vector<std::string> v = {"0",
                                               "1",
                                               "2",
                                               "3",
                                               "1048576",
                                               "1073741824",
                                               "1099511627775",
                                               "1099511627776",
                                               "1099511627777",
                                               "4611686018427387904",
                                               "9223372036854775807"};
    const std::string& b = one_of(v);
    big_used_ = big_used_ || b.size() > 1;
    return b;
  }
  std::string size_expr(int depth) {
    if (depth == 0 || pick(0, 2) == 0)
      return pick(0, 1) ? one_of<std::string>({"A", "B", "C"}) : big();
    return "(" + size_expr(depth - 1) + " " + one_of<std::string>({"+", "-", "*", "/", "%"}) + " " +
           size_expr(depth - 1) + ")";
  }
  // *small: sizes that the interpreter finishes quickly (no large dim or constant, except in
  // index arithmetic that reads the small tensor x).
  std::string class3(bool* small) {
    std::string dims =
        "where A = " + one_of<std::string>({"1", "2", "3", "1099511627776", "1048576"}) +
        ", B = " + one_of<std::string>({"1", "2", "4", "1099511627776"}) + ", C = 3\n";
    big_used_ = false;
    int kind = pick(0, 6);
    std::string text = class3_of(kind, dims);
    *small = dims.find("10") == std::string::npos && (kind == 4 || !big_used_);
    return text;
  }
  std::string class3_of(int kind, const std::string& dims) {
    std::string head = dims + "input x: f32[C]\n";
    switch (kind) {
    case 0:
      return dims + "input x: f32[" + size_expr(3) + "]\noutput y = x\n";
    case 1:
      return dims + "input x: f32[" + size_expr(2) + ", " + size_expr(2) + "]\noutput y = x\n";
    case 2:
      return head + "output y[i: " + size_expr(2) + "] = real(i)\n";
    case 3:
      return head + "output y[i] = sum(k: " + size_expr(2) + ") x[i]\n";
    case 4:
      return head + "output y[i: C] = x[(i * " + big() + " " +
             one_of<std::string>({"+", "-", "*"}) + " " + big() + ") % C]\n";
    case 5:
      return head + "output y = reshape(x, shape=[" + size_expr(2) + "])\n";
    default:
      return head + "output y = slice(x, axis=0, start=" + big() + ", end=" + big() + ")\n";
    }
  }

private:
  std::mt19937_64 rng_;
  bool big_used_ = false;
};

// exit 0, or exit 2 with a position (or, from the interpreter, a refusal of sizes it cannot hold
// or work it would not finish); anything else fails with the program shown.
void expect_contract(const Outcome& r, const std::string& what, const std::string& program,
                     bool need_position) {
  static const std::regex position(R"(\.tp:\d+:\d+: error: )");
  bool refused = r.out.find("use smaller sizes") != std::string::npos;
  bool ok = r.code == 0 ||
            (r.code == 2 && (!need_position || refused || std::regex_search(r.out, position)));
  EXPECT_TRUE(ok) << what << " exit " << r.code << "\n"
                  << r.out.substr(0, 600) << "\n--- program (start) ---\n"
                  << program.substr(0, 400);
}

fs::path write_program(const std::string& name, const std::string& text) {
  fs::path dir = "build-e2e-out/hostile";
  fs::create_directories(dir);
  fs::path p = dir / name;
  std::ofstream(p) << text;
  return p;
}

TEST(HostileInputs, Class2LongChainsNestingAndOperands) {
  Generator g(2);
  int rejected = 0;
  for (int i = 0; i < 300; ++i) {
    std::string text = g.class2();
    fs::path p = write_program("c2_" + std::to_string(i) + ".tp", text);
    Outcome c = run_cli("check " + p.string());
    expect_contract(c, "check " + p.string(), text, true);
    rejected += c.code == 2;
    if (c.code == 0)
      expect_contract(run_cli("eval " + p.string() + " --show 2"), "eval " + p.string(), text,
                      false);
  }
  // The generator reaches past the limits as well as up to them.
  EXPECT_GT(rejected, 30);
  EXPECT_LT(rejected, 270);
}

TEST(HostileInputs, Class3SizesExtentsAndIndexArithmetic) {
  Generator g(3);
  int rejected = 0;
  for (int i = 0; i < 300; ++i) {
    bool small = false;
    std::string text = g.class3(&small);
    fs::path p = write_program("c3_" + std::to_string(i) + ".tp", text);
    Outcome c = run_cli("check " + p.string());
    expect_contract(c, "check " + p.string(), text, true);
    rejected += c.code == 2;
    // Interpreting sizes of 2^20 and more is a long job, not a hostile one: only small programs.
    if (c.code == 0 && small)
      expect_contract(run_cli("eval " + p.string() + " --show 2"), "eval " + p.string(), text,
                      true);
  }
  EXPECT_GT(rejected, 30);
}

} // namespace
