// A loop schedule for the statements of an IndexProgram: the candidate representation that the
// search enumerates and a backend lowers. Per statement: the loop order (outer to inner) over the
// statement's index variables and, optionally, the variable of a top-level reduction (then the
// output is initialised and accumulated in place); splits of variables into tiles; the loop to
// vectorize; how many threads share the outermost loop; whether the outermost loop is shared with
// the previous statement's (a fusion group: consecutive statements computed inside one outer loop,
// so what one produces for an outer iteration is still in cache when the next reads it).
//
// Grammar:
//   Schedule     ::= StmtSchedule*            (one per statement, in program order)
//   StmtSchedule ::= order: Loop*  split: (var -> tile)*  vectorize: Loop?  unroll: Loop*  pack:
//   tensor*
//                    threads: Int  fuse_prev: Bool  stream: Bool
// A fusion group is a statement with fuse_prev = false followed by those with fuse_prev = true; its
// first statement's `threads` says how many threads split the group's outermost loop.
//   Loop         ::= var | var ".o" | var ".i"   (a split var appears as its outer and inner part)
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "ir/index_program.h"
#include "ir/reduction.h"

namespace axon {

struct StmtSchedule {
  std::vector<std::string> order;
  std::map<std::string, int64_t> split; // var -> inner tile size
  std::string vectorize;                // a loop of `order` (normally the innermost), or empty
  int vector_width = 0;                 // 0: let the backend choose
  int threads = 1;                      // > 1: the (group's) outermost loop is split across threads
  bool fuse_prev = false;          // the outermost loop is the previous statement's (one group)
  std::vector<std::string> unroll; // loops of `order` emitted fully unrolled (constant trip)
  // Operands repacked before the loop nest so the vectorized split variable's tiles are
  // contiguous: tensor t read as t[..., v] becomes a buffer laid out [v.o][other indices][v.i].
  std::vector<std::string> pack;
  // The output is written with streaming (non-temporal) stores that bypass the caches: for a
  // large output written once and not read again by the kernel (see stream_error).
  bool stream = false;
  // Tensors (inputs, or temporaries written before the group) whose next outer iteration of the
  // fusion group this statement prefetches: each vector load of t[...] also prefetches t at the
  // group's outer variable one iteration on, so the next iteration's first pass finds its rows
  // in cache (see prefetch_error).
  std::vector<std::string> prefetch = {};
};

struct Schedule {
  std::vector<StmtSchedule> stmts;
};

// The variable a loop of `order` iterates: "k" for "k", "k.o" and "k.i".
std::string loop_var(const std::string& loop);
// Whether the loop is a part of a split variable ("k.o" or "k.i").
inline bool is_split_part(const std::string& loop) { return loop_var(loop).size() != loop.size(); }

// The default schedule: each statement's variables in order, no splits, nothing vectorized.
Schedule default_schedule(const IndexProgram& p);

// top_reduction and reduction_epilogue: ir/reduction.h.

// Whether the schedule makes a register tile of statement `stmt`: its top-level reduction is
// in the order, and every loop inside the reduction loop is the inner part (v.i) of a split,
// either unrolled (its tile at most the extent; the last tile may be ragged) or the innermost
// vectorized loop with at most 8 vectors (vector_width lanes each) whose tile divides the extent.
// The output tile then lives in registers across the reduction loop.
bool is_register_tile(const IndexProgram& p, size_t stmt, const StmtSchedule& ss);
// A register tile over the whole reduction (its loop not split into blocks): the accumulators
// hold every output element from the first reduction step to the last, so they start at the
// reduction's identity and each element is stored once.
bool is_whole_reduction_tile(const IndexProgram& p, size_t stmt, const StmtSchedule& ss);

// The split variable a packed operand is tiled by: the vectorized loop's variable, when `tensor`
// is read by the statement only with v plainly as one index (the same position in every read, no
// other index mentioning v), v's tile dividing its extent. Empty when the operand cannot be
// packed. A packed copy is laid out [v.o][the other indices, in order][v.i]: a transposed
// operand (v not last) becomes contiguous along v too.
std::string pack_var(const IndexProgram& p, size_t stmt, const StmtSchedule& ss,
                     const std::string& tensor,
                     size_t* position = nullptr); // position: the index v appears at

// The fusion groups of a schedule: [first, last] statement indices, in program order.
std::vector<std::pair<size_t, size_t>> fusion_groups(const Schedule& s);

// The outermost loop of a statement as a group loop: its variable's extent and tile (0 when not
// split), or nullopt when it cannot be shared or split across threads (a reduction variable, an
// inner split part, an unrolled or vectorized loop, an empty order).
struct OuterLoop {
  int64_t extent = 0, tile = 0;
  int64_t trip() const { return tile ? (extent + tile - 1) / tile : extent; }
  bool operator==(const OuterLoop&) const = default;
};
std::optional<OuterLoop> outer_loop(const IndexProgram& p, size_t stmt, const StmtSchedule& ss);

// The loop a statement's threads split: the first loop of its order that outer_loop would accept
// at that position, when every loop before it belongs to the top-level reduction (a register tile
// behind a blocked reduction: `k.o, m.o, ...` threads m.o, once per k.o iteration). Its position
// in the order and its extent and tile; nullopt when there is none.
std::optional<std::pair<size_t, OuterLoop>> thread_loop(const IndexProgram& p, size_t stmt,
                                                        const StmtSchedule& ss);

// Why statements first..last cannot form one fusion group with their current schedules (empty
// when they can): their outer loops must match, and every value a statement of the group reads
// from an earlier one must come from the same outer iteration (the producer's element indexed by
// the consumer's outer variable at the producer's outer dimension).
std::string fusion_error(const IndexProgram& p, const Schedule& s, size_t first, size_t last);

// The temporaries a fusion group produces and only its own statements read: they need only one
// outer iteration's slice (per thread). Each with the dimension its producer's outer loop indexes.
std::vector<std::pair<std::string, size_t>>
group_local_temps(const IndexProgram& p, const Schedule& s, size_t first, size_t last);

// Why a statement's schedule would round partial results (empty when it does not): a lifted
// reduction accumulates in its output, so a bf16/f16 output may lift it only as a register tile
// over the whole, unsplit reduction without an epilogue (one rounding, at the end).
std::string storage_rounding_error(const IndexProgram& p, size_t stmt, const StmtSchedule& ss);

// Why a statement may not stream its output (empty when it may): the output must be a program
// output that is not updated in place, read by no statement (the kernel never reads it back),
// written once per element (no lifted reduction accumulating in it) and stored in whole vectors
// (the vectorized loop is the output's last variable or its inner part).
std::string stream_error(const IndexProgram& p, size_t stmt, const StmtSchedule& ss);

// Why a statement of fusion group [first, last] may not prefetch tensor t (empty when it may): the
// group has two statements or more, the statement is vectorized and not a register tile, and t
// is a program input or a temporary written before the group (in full), which the statement
// reads, not packed, at an index that mentions the group's outer variable and the vectorized
// variable (a vector load).
std::string prefetch_error(const IndexProgram& p, const Schedule& s, size_t stmt,
                           const std::string& t);

// Checks a schedule against the program: every statement's variables (and at most its top-level
// reduction variable) appear exactly once in `order` (split ones as .o and .i, outer before inner),
// tiles are >= 1, the vectorized loop is in `order`. Returns an empty string when valid, else
// what is wrong.
std::string validate_schedule(const IndexProgram& p, const Schedule& s);

// Readable one-line-per-statement form, e.g. "y: i, k, j.o, j.i split j:16 vec j.i".
std::string to_string(const Schedule& s, const IndexProgram& p);

} // namespace axon
