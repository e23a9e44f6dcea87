// Every statement of the op and NKIBench suites that instruction selection covers on npu and
// avx512: its cover, instantiated for the last tile of each variable (ragged where the
// instructions allow it, one chunk of each reduction) at reduced sizes, gives the statement's
// values when run with the instructions' JSON semantics (synth/isel_tile.h's check_tile).
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "ir/frontend.h"
#include "isa/isa.h"
#include "synth/isel_eval.h"
#include "synth/isel_tile.h"
#include "synth/select_instructions.h"

namespace axon {
namespace {

// Each Var's last tile: an instruction dim with a `min` (a CPU vector's lanes) takes exactly
// that many; otherwise tiles of at most 16 (and the dims' maxima), the last one ragged.
Tile last_tile(const Cover& c, const std::map<std::string, int64_t>& dims, bool& fits) {
  Tile t{dims, {}};
  fits = true;
  for (const auto& v : c.vars) {
    int64_t full = isel::evaluate_int(v.extent, dims, {});
    int64_t lo = 0, hi = 16;
    for (const auto& i : c.instrs)
      for (const auto& d : i.dims)
        if (d.var == v.name) {
          if (d.min)
            lo = std::max(lo, *d.min);
          if (d.max)
            hi = std::min(hi, *d.max);
        }
    if (lo > 0) {
      if (lo > full || lo > hi) {
        fits = false;
        return t;
      }
      t.ranges[v.name] = {(full - lo) / lo * lo, lo};
    } else {
      int64_t off = (full - 1) / hi * hi;
      t.ranges[v.name] = {off, full - off};
    }
  }
  return t;
}

void check_suite(const std::string& suite, const std::string& target_file, size_t& covered,
                 size_t& checked) {
  Isa isa = load_isa(std::string(AXON_SOURCE_DIR) + "/targets/" + target_file);
  std::vector<std::filesystem::path> files;
  for (auto& f : std::filesystem::directory_iterator(std::string(AXON_SOURCE_DIR) +
                                                     "/experiments/suites/" + suite))
    if (f.path().extension() == ".tp")
      files.push_back(f.path());
  std::sort(files.begin(), files.end());
  SelectOptions o;
  o.prove.use_cache = false;
  for (const auto& f : files) {
    IndexProgram full = load_index_program(read_source(f.string()));
    std::map<std::string, int64_t> small;
    for (auto& [d, v] : full.dims())
      small[d] = 37; // > 2 x 16: several tiles, a ragged last one
    IndexProgram p = full.with_dims(small);
    for (size_t i = 0; i < p.stmts().size(); ++i) {
      Selection s = select_instructions(p, i, isa, o);
      if (!s.found)
        continue;
      ++covered;
      // A statement split over a range: each piece's cover, checked against the statement.
      std::vector<std::shared_ptr<const Cover>> covers;
      for (auto& piece : s.pieces)
        covers.push_back(piece.selection.cover);
      if (s.pieces.empty())
        covers.push_back(s.cover);
      bool all_fit = true;
      for (auto& c : covers) {
        ASSERT_TRUE(c) << f << ": " << s.statement;
        bool fits = false;
        Tile t = last_tile(*c, small, fits);
        if (!fits) {
          all_fit = false;
          continue;
        }
        TileCheck r = check_tile(p, i, isa, *c, t);
        EXPECT_TRUE(r.ok) << f.filename() << " on " << target_file << ": " << to_string(s)
                          << r.mismatch;
      }
      checked += all_fit;
    }
  }
}

TEST(IselCoverSuites, NpuOpsAndNkibench) {
  size_t covered = 0, checked = 0;
  check_suite("ops", "npu.json", covered, checked);
  check_suite("nkibench", "npu.json", covered, checked);
  EXPECT_GT(checked, 20u);
  EXPECT_EQ(checked, covered) << "every npu cover has a tile its bounds accept";
  std::printf("npu: %zu covered statements checked on their last tile\n", checked);
}

TEST(IselCoverSuites, Avx512OpsAndNkibench) {
  size_t covered = 0, checked = 0;
  check_suite("ops", "avx512.json", covered, checked);
  check_suite("nkibench", "avx512.json", covered, checked);
  EXPECT_GT(checked, 10u);
  std::printf("avx512: %zu of %zu covered statements checked on their last tile\n", checked,
              covered);
}

// Which statements of the suites have no cover on npu (each with the reason selection gives).
TEST(IselCoverSuites, NpuCoverage) {
  Isa isa = load_isa(std::string(AXON_SOURCE_DIR) + "/targets/npu.json");
  SelectOptions o;
  o.prove.use_cache = false;
  std::vector<std::string> missing;
  size_t total = 0;
  for (const char* suite : {"ops", "nkibench"}) {
    std::vector<std::filesystem::path> files;
    for (auto& f : std::filesystem::directory_iterator(std::string(AXON_SOURCE_DIR) +
                                                       "/experiments/suites/" + suite))
      if (f.path().extension() == ".tp")
        files.push_back(f.path());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) {
      IndexProgram p = load_index_program(read_source(f.string()));
      for (size_t i = 0; i < p.stmts().size(); ++i) {
        ++total;
        Selection s = select_instructions(p, i, isa, o);
        if (!s.found)
          missing.push_back(f.filename().string() + ": " + s.reason);
      }
    }
  }
  for (auto& m : missing)
    std::printf("uncovered: %s\n", m.c_str());
  std::printf("npu: %zu of %zu statements covered\n", total - missing.size(), total);
  EXPECT_TRUE(missing.empty());
}

// --- Two steps (isel_search.h, solve_split) ----------------------------------------------------

TEST(IselSplit, LayernormLastStepIsCoveredInTwoSteps) {
  // No sequence of 4 covers it on npu; the remainder `s * g[k] + b[k]` and the step
  // `(x - mu) * rsqrt(var + eps)` each have one, and together they compute the statement.
  Isa npu = load_isa(std::string(AXON_SOURCE_DIR) + "/targets/npu.json");
  const char* text = "where M = 140, K = 70\ninput x: f32[M, K]\ninput mu: f32[M]\n"
                     "input var: f32[M]\ninput g: f32[K]\ninput b: f32[K]\n"
                     "output y[m: M, k: K] = (x[m, k] - mu[m]) * rsqrt(var[m] + 1e-5) * g[k] + "
                     "b[k]\n";
  SelectOptions o;
  o.prove.use_cache = false;
  IndexProgram p = load_index_program(source_from_string(text, "split.tp"));
  Selection sel = select_instructions(p, 0, npu, o);
  ASSERT_TRUE(sel.found) << sel.reason;
  size_t per_tile = 0;
  for (auto& i : sel.cover->instrs)
    per_tile += !i.hoisted;
  EXPECT_GT(per_tile, o.max_instructions) << to_string(sel);
  EXPECT_LE(per_tile, 2 * o.max_instructions);
  for (auto& t : {Tile{{}, {{"m", {128, 12}}, {"k", {64, 6}}}}, Tile{{}, {{"m", {0, 128}}}}}) {
    TileCheck r = check_tile(p, 0, npu, *sel.cover, t);
    EXPECT_TRUE(r.ok) << r.mismatch << "\n" << to_string(sel);
  }
  // With one instruction per step nothing covers it, and the reason says both were tried.
  o.max_instructions = 1;
  Selection none = select_instructions(p, 0, npu, o);
  EXPECT_FALSE(none.found);
  EXPECT_NE(none.reason.find("nor in two steps of at most 1 each"), std::string::npos)
      << none.reason;
}

TEST(IselSplit, GeluTanhFormIsCoveredInNestedSteps) {
  // 0.5 x (1 + tanh(k (x + c x^3))) needs 8 instructions on npu: steps split in turn.
  Isa npu = load_isa(std::string(AXON_SOURCE_DIR) + "/targets/npu.json");
  const char* text = "where M = 140, N = 40\ninput x: f32[M, N]\n"
                     "output y[m: M, n: N] = 0.5 * x[m, n] * (1.0 + tanh(0.7978845608028654 * "
                     "(x[m, n] + 0.044715 * x[m, n] * x[m, n] * x[m, n])))\n";
  SelectOptions o;
  o.prove.use_cache = false;
  IndexProgram p = load_index_program(source_from_string(text, "gelu_tanh.tp"));
  Selection sel = select_instructions(p, 0, npu, o);
  ASSERT_TRUE(sel.found) << sel.reason;
  size_t per_tile = 0;
  for (auto& i : sel.cover->instrs)
    per_tile += !i.hoisted;
  EXPECT_GT(per_tile, o.max_instructions) << to_string(sel);
  TileCheck r = check_tile(p, 0, npu, *sel.cover, Tile{{}, {{"m", {128, 12}}, {"n", {32, 8}}}});
  EXPECT_TRUE(r.ok) << r.mismatch << "\n" << to_string(sel);
}

} // namespace
} // namespace axon
