// A loop schedule for the statements of an IndexProgram: the candidate representation that the
// search enumerates and a backend lowers. Per statement: the loop order (outer to inner) over the
// statement's index variables and, optionally, the variable of a top-level reduction (then the
// output is initialised and accumulated in place); splits of variables into tiles; the loop to
// vectorize; whether the outermost loop runs in parallel.
//
// Grammar:
//   Schedule     ::= StmtSchedule*            (one per statement, in program order)
//   StmtSchedule ::= order: Loop*  split: (var -> tile)*  vectorize: Loop?  unroll: Loop*  pack: tensor*  parallel
//   Loop         ::= var | var ".o" | var ".i"   (a split var appears as its outer and inner part)
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "ir/index_program.h"

namespace axon {

struct StmtSchedule {
  std::vector<std::string> order;
  std::map<std::string, int64_t> split;  // var -> inner tile size
  std::string vectorize;                 // a loop of `order` (normally the innermost), or empty
  int vector_width = 0;                  // 0: let the backend choose
  bool parallel = false;                 // run the outermost loop across threads
  std::vector<std::string> unroll;       // loops of `order` emitted fully unrolled (constant trip)
  // Operands repacked before the loop nest so the vectorized split variable's tiles are
  // contiguous: tensor t read as t[..., v] becomes a buffer laid out [v.o][other indices][v.i].
  std::vector<std::string> pack;
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

// The top-level reduction of a statement (out[...] = sum/max/min(k) body), if any.
const ExprNode* top_reduction(const IndexStmt& s);

// Whether the schedule makes a register tile of statement `stmt`: its top-level reduction is
// in the order, and every loop inside the reduction loop is the inner part (v.i) of a split whose
// tile divides the extent, either unrolled or the innermost vectorized loop with at most 8
// vectors (vector_width lanes each). The output tile then lives in registers across the
// reduction loop.
bool is_register_tile(const IndexProgram& p, size_t stmt, const StmtSchedule& ss);

// The split variable a packed operand is tiled by: the vectorized loop's variable, when `tensor`
// is read by the statement only as tensor[..., v] with v that variable and v's tile dividing its
// extent. Empty when the operand cannot be packed.
std::string pack_var(const IndexProgram& p, size_t stmt, const StmtSchedule& ss, const std::string& tensor);

// Checks a schedule against the program: every statement's variables (and at most its top-level
// reduction variable) appear exactly once in `order` (split ones as .o and .i, outer before inner),
// tiles are >= 1, the vectorized loop is in `order`. Returns an empty string when valid, else
// what is wrong.
std::string validate_schedule(const IndexProgram& p, const Schedule& s);

// Readable one-line-per-statement form, e.g. "y: i, k, j.o, j.i split j:16 vec j.i".
std::string to_string(const Schedule& s, const IndexProgram& p);

}  // namespace axon
