// The front end's limits (ir/limits.h, docs/reliability.md): expressions right at the nesting
// and operand limits pass every pass (parse, check, expand, print, interpret), also on a TBB
// worker thread, whose stack is smaller than the main thread's; one past a limit is a UserError
// at its position; sizes and index arithmetic are bounded; input files are regular and bounded.
#include <gtest/gtest.h>
#include <oneapi/tbb/global_control.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>

#include "ir/error.h"
#include "ir/frontend.h"
#include "ir/interp.h"
#include "ir/limits.h"
#include "ir/ranges.h"
#include "ir/shape.h"

namespace axon {
namespace {

namespace fs = std::filesystem;

std::string repeat(const std::string& s, int n, const std::string& sep) {
  std::string out;
  for (int i = 0; i < n; ++i)
    out += (i ? sep : "") + s;
  return out;
}

// Every pass a program goes through in the front end, and the interpreter on it.
void run_all_passes(const std::string& text) {
  Program p = load_program(source_from_string(text, "t.tp"));
  std::string printed = to_string(p);
  load_program(source_from_string(printed, "printed.tp"));
  IndexProgram ip = expand(p, SpecLibrary::builtin());
  std::string index_text = to_string(ip);
  interpret(ip, random_inputs(ip, 1));
}

std::string rejection(const std::string& text) {
  try {
    IndexProgram ip = load_index_program(source_from_string(text, "t.tp"));
    interpret(ip, random_inputs(ip, 1));
  } catch (const UserError& e) {
    return e.what();
  }
  return "(accepted)";
}

const int kDepth = limits::kMaxExprDepth;

// Programs right at a limit, each of a different shape of nesting.
std::vector<std::string> programs_at_the_limits() {
  std::string head = "where N = 3\ninput x: f32[N]\n";
  return {
      // A flat chain: kDepth operators; in index notation, kDepth - 1 and the index.
      head + "output y = " + repeat("x", kDepth + 1, " + ") + "\n",
      head + "output y[i] = " + repeat("x[i]", kDepth, " * ") + "\n",
      // Parentheses: kDepth - 1 pairs around x[i], plus the index itself.
      head + "output y[i] = " + std::string(kDepth - 1, '(') + "x[i]" +
          std::string(kDepth - 1, ')') + "\n",
      // Unary minus and nested calls.
      head + "output y[i] = " + std::string(kDepth - 1, '-') + "x[i]\n",
      head + "output y = " + repeat("exp(", kDepth, "") + "x" + std::string(kDepth, ')') + "\n",
      // kMaxCallOperands operands of one call.
      head + "output y = concat(" + repeat("x", limits::kMaxCallOperands - 1, ", ") + ", axis=0)\n",
  };
}

TEST(Limits, ProgramsAtTheLimitsPassEveryPass) {
  for (auto& p : programs_at_the_limits()) {
    SCOPED_TRACE(p.substr(0, 120));
    EXPECT_NO_THROW(run_all_passes(p));
  }
}

TEST(Limits, ProgramsAtTheLimitsPassOnATbbWorkerThread) {
  // A worker's stack is smaller than the main thread's 8 MiB: set it to 1 MiB to be sure.
  tbb::global_control stack(tbb::global_control::thread_stack_size, size_t(1) << 20);
  auto programs = programs_at_the_limits();
  std::vector<std::string> failures(programs.size());
  tbb::task_arena arena(2);
  arena.execute([&] {
    tbb::parallel_for(size_t{0}, programs.size(), [&](size_t i) {
      try {
        run_all_passes(programs[i]);
      } catch (const std::exception& e) {
        failures[i] = e.what();
      }
    });
  });
  for (size_t i = 0; i < programs.size(); ++i)
    EXPECT_EQ(failures[i], "") << programs[i].substr(0, 120);
}

TEST(Limits, OnePastTheLimitIsAnErrorAtItsPosition) {
  std::string head = "where N = 3\ninput x: f32[N]\n";
  std::string chain = rejection(head + "output y = " + repeat("x", kDepth + 2, " + ") + "\n");
  EXPECT_NE(chain.find("t.tp:3:"), std::string::npos) << chain;
  EXPECT_NE(chain.find("nested too deeply (more than 256 levels)"), std::string::npos) << chain;
  std::string parens = rejection(head + "output y[i] = " + std::string(kDepth, '(') + "x[i]" +
                                 std::string(kDepth, ')') + "\n");
  EXPECT_NE(parens.find("t.tp:3:"), std::string::npos) << parens;
  EXPECT_NE(parens.find("nested too deeply"), std::string::npos) << parens;
  // Deep enough to overflow the stack of a parser without a limit.
  std::string deep = rejection(head + "output y[i] = " + std::string(100000, '(') + "x[i]" +
                               std::string(100000, ')') + "\n");
  EXPECT_NE(deep.find("nested too deeply"), std::string::npos) << deep.substr(0, 300);
  std::string minus = rejection(head + "output y[i] = " + std::string(100000, '-') + "x[i]\n");
  EXPECT_NE(minus.find("nested too deeply"), std::string::npos) << minus.substr(0, 300);
  std::string flat = rejection(head + "output y = " + repeat("x", 4000, " + ") + "\n");
  EXPECT_NE(flat.find("nested too deeply"), std::string::npos) << flat.substr(0, 300);
  std::string ops =
      rejection(head + "output y = concat(" + repeat("x", 100000, ", ") + ", axis=0)\n");
  EXPECT_NE(ops.find("more than 1024 operands in the call of 'concat'"), std::string::npos)
      << ops.substr(0, 300);
  EXPECT_NE(ops.find("t.tp:3:"), std::string::npos) << ops.substr(0, 300);
}

// 16384 uses of one index variable in one statement (balanced, within the depth limit): the
// extent inference compared every use with every earlier one (minutes here); now with the first.
TEST(Limits, ManyUsesOfAnIndexAreLinear) {
  std::string e = "x[i]";
  for (int i = 0; i < 14; ++i)
    e = "(" + e + " + " + e + ")";
  std::string text = "where N = 3\ninput x: f32[N]\noutput y[i] = " + e + "\n";
  IndexProgram ip = load_index_program(source_from_string(text, "t.tp"));
  TensorMap out = interpret(ip, random_inputs(ip, 1));
  EXPECT_EQ(out.at("y").data.size(), 3u);
}

TEST(Limits, SizesAndIndexArithmeticAreBounded) {
  struct Case {
    std::string text, want;
  };
  std::vector<Case> cases = {
      {"where A = 4\ninput x: f32[A - A]\noutput y = x\n", "must be at least 1"},
      {"where A, B\ninput x: f32[A - A, B]\noutput y = x\n", "must be at least 1"},
      {"where A = 4\ninput x: f32[A / 0]\noutput y = x\n", "divides by zero"},
      {"where A = 1099511627776\ninput x: f32[A * A * A * A]\noutput y = x\n", "overflows 64 bits"},
      {"where A = 2, B = 3\ninput x: f32[A - B]\noutput y = x\n", "is -1"},
      {"where A = 1099511627776, B = 1099511627776\ninput x: f32[A, B]\noutput y = x\n",
       "elements, the limit"},
      {"output y[i: 0] = 1.0\n", "the range of 'i'"},
      {"output y[] = sum(k: 4611686018427387904) 1.0\n", "more than the limit"},
      {"output y[] = sum(k: 0) 1.0\n", "must be at least 1"},
      {"where N = 4\ninput x: f32[N]\noutput y[i: N] = x[i * 4611686018427387904 * 4]\n",
       "beyond the 64-bit range"},
      {"where N = 1099511627776\ninput x: f32[N]\noutput y = concat(x, x, axis=0)\n",
       "more than the limit"},
      {"where N = 4\ninput x: f32[4611686018427387904 * 4 + 1]\noutput y = x\n", "overflow"},
  };
  for (auto& c : cases) {
    std::string got = rejection(c.text);
    EXPECT_NE(got.find(c.want), std::string::npos) << c.text << "\n=> " << got;
    EXPECT_NE(got.find("t.tp:"), std::string::npos) << c.text << "\n=> " << got;
  }
  // Index arithmetic inside the range is fine, and a reduction over a computed empty range too.
  EXPECT_EQ(rejection("where N = 4\ninput x: f32[N]\noutput y[i: N] = x[(i * 1099511627776) / "
                      "1099511627776]\n"),
            "(accepted)");
  EXPECT_EQ(rejection("where N = 4\ninput x: f32[N]\noutput y[i: N] = sum(k: i) x[k]\n"),
            "(accepted)");
}

TEST(Limits, TheInterpreterRefusesWhatItCannotAllocate) {
  // 2^40 elements is within the checker's limits but not in memory: a UserError, not bad_alloc.
  std::string got = rejection("where M = 1099511627776\ninput x: f32[M]\noutput y = x\n");
  EXPECT_NE(got.find("use smaller sizes"), std::string::npos) << got;
}

TEST(Limits, InputFilesAreRegularAndBounded) {
  fs::path dir = fs::temp_directory_path() / ("axon_limits_" + std::to_string(::getpid()));
  fs::create_directories(dir);
  auto refused = [](const std::string& path) {
    try {
      read_source(path);
    } catch (const UserError& e) {
      return std::string(e.what());
    }
    return std::string("(read)");
  };
  EXPECT_NE(refused("/dev/zero").find("not a regular file (a device)"), std::string::npos);
  fs::create_symlink("/dev/zero", dir / "zero.tp");
  EXPECT_NE(refused((dir / "zero.tp").string()).find("not a regular file"), std::string::npos);
  ASSERT_EQ(::mkfifo((dir / "fifo.tp").c_str(), 0600), 0);
  EXPECT_NE(refused((dir / "fifo.tp").string()).find("not a regular file (a FIFO)"),
            std::string::npos);
  EXPECT_NE(refused(dir.string()).find("a directory"), std::string::npos);
  { std::ofstream big(dir / "big.tp"); }
  fs::resize_file(dir / "big.tp", static_cast<uintmax_t>(limits::kMaxInputFileBytes) + 1);
  EXPECT_NE(refused((dir / "big.tp").string()).find("larger than 64 MiB"), std::string::npos);
  fs::resize_file(dir / "big.tp", 10);
  EXPECT_EQ(refused((dir / "big.tp").string()), "(read)");
  fs::remove_all(dir);
}

} // namespace
} // namespace axon

namespace axon {
namespace {

// A stage's deadline stops the interpreter on its thread (rewrite discovery's proofs interpret
// programs at trial sizes; one with many nested reductions must not outlast the stage).
TEST(Limits, TheInterpreterStopsAtItsThreadsDeadline) {
  IndexProgram ip = load_index_program(source_from_string(
      "where N = 64\ninput x: f32[N, N, N]\noutput y[] = sum(a) sum(b) sum(c) x[a, b, c]\n",
      "t.tp"));
  TensorMap in = random_inputs(ip, 1);
  {
    ScopedInterpreterDeadline past(std::chrono::steady_clock::now() - std::chrono::seconds(1));
    EXPECT_THROW(interpret(ip, in), InterpreterStopped);
  }
  EXPECT_NO_THROW(interpret(ip, in)); // the deadline ended with its scope
}

} // namespace
} // namespace axon

namespace axon {
namespace {

TEST(Limits, InterpretationWorkIsBoundedFromTheExtents) {
  auto work = [](const std::string& text) {
    return interpretation_work(load_index_program(source_from_string(text, "t.tp")));
  };
  double small = work("output y[] = sum(k: 100) 1.0\n");
  EXPECT_GE(small, 100);
  EXPECT_LE(small, 1000);
  EXPECT_GT(work("output y[] = sum(k: 1099511627775) 1.0\n"), 1e12);
  // An extent that depends on an index variable counts at its largest.
  double tri = work("where N = 1000\ninput x: f32[N]\noutput y[i: N] = sum(k: i + 1) x[k]\n");
  EXPECT_GE(tri, 1e6);
  EXPECT_LE(tri, 1e7);
}

// eval_dim is the checked evaluator: a dim expression that divides by zero or overflows 64 bits
// is a user error, not undefined behaviour (before, it computed floor_div(n, 0) or wrapped).
TEST(Limits, EvalDimRefusesDivisionByZeroAndOverflow) {
  std::map<std::string, std::optional<int64_t>> dims = {
      {"N", 8}, {"Z", 0}, {"B", int64_t(1) << 62}};
  auto bin = [](ExprKind k, Expr a, Expr b) { return ExprNode::binary(k, a, b); };
  Expr n = ExprNode::dim_var("N"), z = ExprNode::dim_var("Z"), big = ExprNode::dim_var("B");
  EXPECT_EQ(eval_dim(bin(ExprKind::Div, n, ExprNode::int_const(3)), dims), 2);
  EXPECT_EQ(eval_dim(ExprNode::dim_var("U"), dims), std::nullopt); // unbound
  EXPECT_THROW(eval_dim(bin(ExprKind::Div, n, z), dims), UserError);
  EXPECT_THROW(eval_dim(bin(ExprKind::Mod, n, z), dims), UserError);
  EXPECT_THROW(eval_dim(bin(ExprKind::Mul, big, ExprNode::int_const(4)), dims), UserError);
}

} // namespace
} // namespace axon
