// Golden files of what the CPU backend emits for (program, schedule) pairs that between them use
// every schedule feature: the loop nest (emit/loop_nest.h's to_string, with avx2.json's memory
// level names), its pseudo-C
// (emit/pseudo_c.h) and the LLVM IR before optimisation (emit/cpu/lower_llvm.h). Each case is
// tests/emit/golden/<name>.json: a program of experiments/ at small dims and its schedule
// (search/schedule_json.h); its goldens are <name>.nest, <name>.c and <name>.ll beside it. A change
// to the lowering that moves one instruction shows here.
// AXON_UPDATE_GOLDENS=1 rewrites the goldens instead of comparing (review the diff).
#include <gtest/gtest.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/Support/raw_ostream.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <sstream>

#include "emit/cpu/lower_llvm.h"
#include "emit/cpu/schedule_json.h"
#include "emit/loop_nest.h"
#include "emit/pseudo_c.h"
#include "ir/frontend.h"
#include "tests/emit/kernel_check.h"

namespace axon {
namespace {

namespace fs = std::filesystem;

const char* kGoldenDir = "tests/emit/golden"; // ctest runs in the source dir

struct GoldenCase {
  std::string name;
  IndexProgram p;
  Schedule s;
};

std::vector<GoldenCase> golden_cases() {
  std::vector<fs::path> files;
  for (auto& e : fs::directory_iterator(kGoldenDir))
    if (e.path().extension() == ".json")
      files.push_back(e.path());
  std::sort(files.begin(), files.end());
  std::vector<GoldenCase> out;
  for (auto& f : files) {
    std::ifstream in(f);
    nlohmann::json j = nlohmann::json::parse(in);
    IndexProgram p = load_index_program(read_source(j.at("program").get<std::string>()));
    p = p.with_dims(j.at("dims").get<std::map<std::string, int64_t>>());
    Schedule s = schedule_from_json(j.at("schedule"), f.string() + "#/schedule");
    out.push_back({f.stem().string(), std::move(p), std::move(s)});
  }
  return out;
}

// The LLVM IR as lowered, before any optimisation, for the avx2 target's vector math (8 lanes):
// fixed, so that the goldens do not depend on the host.
std::string lowered_ir(const GoldenCase& c) {
  const LlvmBackend& llvm_target = *target_isa("avx2").llvm;
  llvm::LLVMContext ctx;
  auto m = lower_to_llvm(c.p, c.s, c.name, ctx, llvm_target.vector_math,
                         static_cast<int>(llvm_target.vector_bytes / 4));
  std::string out;
  llvm::raw_string_ostream os(out);
  m->print(os, nullptr);
  return os.str();
}

std::vector<std::string> lines_of(const std::string& s) {
  std::vector<std::string> out;
  std::istringstream in(s);
  for (std::string l; std::getline(in, l);)
    out.push_back(l);
  return out;
}

// Compares `got` with the golden file (or rewrites it under AXON_UPDATE_GOLDENS=1); on a mismatch
// the failure shows the first differing lines as a unified diff would.
void check_golden(const std::string& file, const std::string& got) {
  fs::path path = fs::path(kGoldenDir) / file;
  const char* update = std::getenv("AXON_UPDATE_GOLDENS");
  if (update && std::string(update) == "1") {
    std::ofstream(path, std::ios::binary) << got;
    return;
  }
  std::ifstream in(path, std::ios::binary);
  ASSERT_TRUE(in.good()) << path << " is missing (AXON_UPDATE_GOLDENS=1 writes it)";
  std::string want((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (want == got)
    return;
  std::vector<std::string> a = lines_of(want), b = lines_of(got);
  size_t first = 0;
  while (first < a.size() && first < b.size() && a[first] == b[first])
    ++first;
  std::ostringstream diff;
  size_t from = first >= 3 ? first - 3 : 0;
  diff << "--- " << path.string() << " (golden)\n+++ emitted\n@@ line " << first + 1 << " @@\n";
  for (size_t i = from; i < first; ++i)
    diff << " " << a[i] << "\n";
  for (size_t i = first; i < std::min(a.size(), first + 8); ++i)
    diff << "-" << a[i] << "\n";
  for (size_t i = first; i < std::min(b.size(), first + 8); ++i)
    diff << "+" << b[i] << "\n";
  ADD_FAILURE() << path.string() << " differs (" << a.size() << " golden lines, " << b.size()
                << " emitted); AXON_UPDATE_GOLDENS=1 rewrites it\n"
                << diff.str();
}

TEST(EmitGoldens, LoopNestPseudoCAndLlvmIrAreUnchanged) {
  auto cases = golden_cases();
  ASSERT_GE(cases.size(), 12u);
  for (auto& c : cases) {
    SCOPED_TRACE(c.name);
    ASSERT_EQ(validate_schedule(c.p, c.s), "");
    check_golden(c.name + ".nest",
                 to_string(build_loop_nest(c.p, c.s, loop_nest_options(target_isa("avx2"))), c.p));
    check_golden(c.name + ".c", pseudo_c(c.p, c.s, c.name));
    check_golden(c.name + ".ll", lowered_ir(c));
  }
}

// Every golden kernel computes what the interpreter does.
TEST(EmitGoldens, KernelsAgreeWithTheInterpreter) {
  for (auto& c : golden_cases())
    expect_matches_reference(c.p, c.s, c.name, 11);
}

// Between them the cases use every feature of the schedule language, so a lowering change to any
// of them moves a golden.
TEST(EmitGoldens, CasesCoverEveryScheduleFeature) {
  std::map<std::string, int> seen;
  for (auto& c : golden_cases()) {
    for (auto [first, last] : fusion_groups(c.s)) {
      if (first != last)
        seen["fusion group"]++;
      if (!group_local_temps(c.p, c.s, first, last).empty())
        seen["contracted temporary"]++;
    }
    for (size_t i = 0; i < c.s.stmts.size(); ++i) {
      const StmtSchedule& ss = c.s.stmts[i];
      const IndexStmt& st = c.p.stmts()[i];
      const ExprNode* red = top_reduction(st);
      bool lifted = false;
      for (auto& l : ss.order)
        lifted = lifted || (red && loop_var(l) == red->name());
      if (lifted && is_whole_reduction_tile(c.p, i, ss))
        seen["register tile, whole reduction"]++;
      else if (lifted && is_register_tile(c.p, i, ss))
        seen["register tile, blocked reduction"]++;
      else if (lifted)
        seen["lifted reduction, not a tile"]++;
      if (lifted && reduction_epilogue(st))
        seen["reduction epilogue"]++;
      if (lifted && red->kind() == ExprKind::RMax)
        seen["max reduction"]++;
      for (auto& [v, t] : ss.split) {
        auto it = std::find(st.vars.begin(), st.vars.end(), v);
        if (it != st.vars.end() &&
            c.p.concrete_shape(st.out)[static_cast<size_t>(it - st.vars.begin())] % t != 0)
          seen["ragged split"]++;
      }
      if (ss.vector_width > 1)
        seen["explicit vectors"]++;
      else if (!ss.vectorize.empty())
        seen["vectorize hint"]++;
      if (!ss.unroll.empty())
        seen["unroll"]++;
      if (!ss.pack.empty())
        seen["pack"]++;
      if (ss.stream)
        seen["stream"]++;
      if (!ss.prefetch.empty())
        seen["prefetch"]++;
      if (ss.threads > 1)
        seen["threads"]++;
      if (ss.threads > 1 && thread_loop(c.p, i, ss) && thread_loop(c.p, i, ss)->first > 0)
        seen["threads behind reduction blocks"]++;
      visit(st.value, [&](const ExprNode& n) {
        if (n.kind() == ExprKind::Exp || n.kind() == ExprKind::Tanh)
          seen[ss.vector_width > 1 ? "vector math" : "scalar math call"]++;
      });
    }
  }
  for (const char* f : {"fusion group", "contracted temporary", "register tile, whole reduction",
                        "register tile, blocked reduction", "lifted reduction, not a tile",
                        "reduction epilogue", "max reduction", "ragged split", "explicit vectors",
                        "vectorize hint", "unroll", "pack", "stream", "prefetch", "threads",
                        "threads behind reduction blocks", "vector math", "scalar math call"})
    EXPECT_GT(seen[f], 0) << "no golden case has: " << f;
}

} // namespace
} // namespace axon
