// Enumerates loop schedules of one statement: loop orders (the statement's variables and its
// top-level reduction, permuted), the innermost loop vectorized, and splits of the innermost
// loop into vector-width multiples and of outer loops into cache blocks. Candidates are
// deterministic (sorted) so a run is reproducible for a seed.
#pragma once

#include <vector>

#include "emit/cpu/schedule.h"
#include "ir/index_program.h"

namespace axon {

struct EnumerateOptions {
  int vector_lanes = 8;
  int vector_registers = 16;                        // register tiles keep 4 of them free
  size_t max_orders = 120;                          // permutations considered per statement
  std::vector<int64_t> block_tiles = {32, 64, 128}; // cache-block sizes for outer loops
};

std::vector<StmtSchedule> enumerate_stmt_schedules(const IndexProgram& p, size_t stmt,
                                                   const EnumerateOptions& o);

} // namespace axon
