// The CPU backend's refinements (see refinements.h).
#include "emit/cpu/refinements.h"

#include <algorithm>
#include <set>
#include <tuple>

#include "emit/cpu/cost_model.h"
#include "emit/cpu/fusion_groups.h"

namespace axon {

// A register tile's rows and columns (tiles of its one unrolled loop and of its vectorized loop);
// none for any other schedule.
std::optional<std::pair<int64_t, int64_t>> tile_shape(const IndexProgram& p, size_t stmt,
                                                      const StmtSchedule& ss) {
  if (!is_register_tile(p, stmt, ss) || ss.unroll.size() != 1)
    return std::nullopt;
  return std::make_pair(ss.split.at(loop_var(ss.unroll[0])), ss.split.at(loop_var(ss.vectorize)));
}

std::optional<Schedule> with_hints(const IndexProgram& p, Schedule s,
                                   const std::map<std::string, StmtSchedule>& hints, int threads) {
  bool any = false;
  for (size_t i = 0; i < s.stmts.size(); ++i) {
    auto it = hints.find(stmt_cost_key(p, i));
    if (it == hints.end())
      continue;
    Schedule trial = s;
    trial.stmts[i] = it->second;
    trial.stmts[i].fuse_prev = false;
    trial.stmts[i].threads = 1;
    trial.stmts[i].stream = false;
    trial.stmts[i].prefetch.clear();
    if (validate_schedule(p, trial).empty()) {
      s = trial;
      any = true;
    }
  }
  if (!any)
    return std::nullopt;
  return threads > 1 ? with_threads(p, s, threads) : s;
}

// The best-ranked schedule of each of the `count` largest register-tile shapes among a
// statement's ranked schedules.
std::vector<const StmtSchedule*>
largest_tile_shapes(const IndexProgram& p, size_t stmt,
                    const std::vector<std::pair<double, StmtSchedule>>& ranked, size_t count) {
  std::vector<std::pair<int64_t, const StmtSchedule*>> shapes;
  std::set<std::pair<int64_t, int64_t>> seen;
  for (auto& [est, ss] : ranked)
    if (auto t = tile_shape(p, stmt, ss); t && seen.insert(*t).second)
      shapes.push_back({t->first * t->second, &ss});
  std::stable_sort(shapes.begin(), shapes.end(),
                   [](auto& x, auto& y) { return x.first > y.first; });
  std::vector<const StmtSchedule*> out;
  for (size_t k = 0; k < shapes.size() && k < count; ++k)
    out.push_back(shapes[k].second);
  return out;
}

// `s` with the statement's register tile replaced by the best-ranked schedule of each other
// reduction block size with the same tile shape, loop order of the tile loops and packing (the
// statement keeps its threads, fusion and streaming).
// With `shape`, the other way round: the schedule of that tile shape with the current block size
// (and tile loop order and packing), when one is ranked.
std::vector<Schedule> other_block_sizes(const IndexProgram& p, size_t stmt, const Schedule& s,
                                        const std::vector<std::pair<double, StmtSchedule>>& ranked,
                                        std::optional<std::pair<int64_t, int64_t>> shape) {
  const StmtSchedule& cur = s.stmts[stmt];
  if (!tile_shape(p, stmt, cur))
    return {};
  const std::string r = top_reduction(p.stmts()[stmt])->name();
  auto kind = [&](const StmtSchedule& ss, std::optional<std::pair<int64_t, int64_t>> as) {
    std::string m = loop_var(ss.unroll[0]), n = loop_var(ss.vectorize);
    auto at = [&](const std::string& l) {
      return std::find(ss.order.begin(), ss.order.end(), l) - ss.order.begin();
    };
    return std::make_tuple(as ? *as : *tile_shape(p, stmt, ss), at(m + ".o") < at(n + ".o"),
                           ss.pack);
  };
  auto block = [&](const StmtSchedule& ss) { return ss.split.count(r) ? ss.split.at(r) : 0; };
  std::set<int64_t> blocks = {block(cur)};
  std::vector<Schedule> out;
  for (auto& [est, ss] : ranked) {
    if (!tile_shape(p, stmt, ss) || kind(ss, std::nullopt) != kind(cur, shape))
      continue;
    bool wanted = shape ? block(ss) == block(cur) : blocks.insert(block(ss)).second;
    if (!wanted)
      continue;
    Schedule t = s;
    t.stmts[stmt] = ss;
    t.stmts[stmt].threads = cur.threads;
    t.stmts[stmt].fuse_prev = cur.fuse_prev;
    t.stmts[stmt].stream = cur.stream;
    if (!validate_schedule(p, t).empty())
      continue;
    out.push_back(t);
    if (shape)
      break; // the best-ranked one
  }
  return out;
}

// `s` with every statement streaming whose output has at least min_bytes and may stream; none
// when no statement may.
std::optional<Schedule> streamed(const IndexProgram& p, Schedule s, int64_t min_bytes) {
  bool any = false;
  for (size_t i = 0; i < s.stmts.size(); ++i) {
    const std::string& out = p.stmts()[i].out;
    if (dtype_bytes(p.tensor(out).dtype) * p.numel(out) >= min_bytes &&
        stream_error(p, i, s.stmts[i]).empty())
      s.stmts[i].stream = any = true;
  }
  if (!any)
    return std::nullopt;
  return s;
}

// `s` with each fusion group's inputs prefetched for the group's next outer iteration, each by the
// last statement of the group that may (the group's last pass over it, after which the next
// iteration's first pass comes); none when no statement may.
std::optional<Schedule> prefetched(const IndexProgram& p, Schedule s) {
  bool any = false;
  for (auto& [first, last] : fusion_groups(s)) {
    if (first == last)
      continue;
    for (auto& t : p.tensors()) {
      if (t.role == TensorRole::Output)
        continue;
      bool already = false;
      for (size_t i = first; i <= last; ++i)
        already = already ||
                  std::count(s.stmts[i].prefetch.begin(), s.stmts[i].prefetch.end(), t.name) > 0;
      if (already)
        continue;
      for (size_t i = last + 1; i-- > first;)
        if (prefetch_error(p, s, i, t.name).empty()) {
          s.stmts[i].prefetch.push_back(t.name);
          any = true;
          break;
        }
    }
  }
  if (!any)
    return std::nullopt;
  return s;
}
} // namespace axon
