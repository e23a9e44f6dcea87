// Fusion groups and threads of a CPU schedule, as the search proposes them: statements joined
// into the group before them where their outer loops match legally, and groups whose outer loop
// allows it split across threads.
#pragma once

#include <utility>
#include <vector>

#include "emit/cpu/schedule.h"

namespace axon {

class ScheduleBackend;

// The schedule with every fusion group whose outer loop allows it split across `threads` threads
// (with a backend: only the groups whose estimate that lowers).
Schedule with_threads(const IndexProgram& p, const Schedule& s, int threads,
                      const ScheduleBackend* b = nullptr);

// Greedy fusion groups: each statement joins the group before it with the first of its schedules
// (its current one first, then `alternatives` in rank order) that shares the group's outer loop
// legally and, with require_gain, that the backend estimates faster.
Schedule fuse_groups(const IndexProgram& p, const Schedule& s,
                     const std::vector<std::vector<std::pair<double, StmtSchedule>>>& alternatives,
                     const ScheduleBackend& b, bool require_gain = true);

} // namespace axon
