// The CPU backend's refinements: what its cost model cannot rank, built from the fastest measured
// candidates for the search to measure (register-tile shapes and reduction blocks, streaming
// stores, prefetching), and an earlier variant's statement schedules carried over.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "emit/cpu/schedule.h"

namespace axon {

// A register tile's rows and columns (tiles of its one unrolled loop and of its vectorized loop);
// none for any other schedule.
std::optional<std::pair<int64_t, int64_t>> tile_shape(const IndexProgram& p, size_t stmt,
                                                      const StmtSchedule& ss);

// `s` with each statement that has a hint (by stmt_cost_key: an earlier variant's winner)
// scheduled by it, then split across `threads` threads where the outer loops allow (threads > 1);
// none when no hint applies.
std::optional<Schedule> with_hints(const IndexProgram& p, Schedule s,
                                   const std::map<std::string, StmtSchedule>& hints, int threads);

// The best-ranked schedule of each of the `count` largest register-tile shapes among a
// statement's ranked schedules.
std::vector<const StmtSchedule*>
largest_tile_shapes(const IndexProgram& p, size_t stmt,
                    const std::vector<std::pair<double, StmtSchedule>>& ranked, size_t count);

// `s` with the statement's register tile replaced by the best-ranked schedule of each other
// reduction block size with the same tile shape, loop order of the tile loops and packing (the
// statement keeps its threads, fusion and streaming).
// With `shape`, the other way round: the schedule of that tile shape with the current block size
// (and tile loop order and packing), when one is ranked.
std::vector<Schedule>
other_block_sizes(const IndexProgram& p, size_t stmt, const Schedule& s,
                  const std::vector<std::pair<double, StmtSchedule>>& ranked,
                  std::optional<std::pair<int64_t, int64_t>> shape = std::nullopt);

// `s` with every statement streaming whose output has at least min_bytes and may stream; none
// when no statement may.
std::optional<Schedule> streamed(const IndexProgram& p, Schedule s, int64_t min_bytes);

// `s` with each fusion group's inputs prefetched for the group's next outer iteration, each by the
// last statement of the group that may (the group's last pass over it, after which the next
// iteration's first pass comes); none when no statement may.
std::optional<Schedule> prefetched(const IndexProgram& p, Schedule s);

} // namespace axon
