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
      ASSERT_TRUE(s.cover) << f << ": " << s.statement;
      bool fits = false;
      Tile t = last_tile(*s.cover, small, fits);
      if (!fits)
        continue;
      TileCheck r = check_tile(p, i, isa, *s.cover, t);
      ++checked;
      EXPECT_TRUE(r.ok) << f.filename() << " on " << target_file << ": " << to_string(s)
                        << r.mismatch;
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

} // namespace
} // namespace axon
