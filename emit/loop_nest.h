// The loop-nest IR: what a scheduled IndexProgram runs as, built once from (IndexProgram,
// Schedule) and read by every consumer (the LLVM lowering, the pseudo-C printer, the CPU cost
// model; the NPU and GPU backends to come), so that none of them re-derives loops, guards, fusion
// groups, contracted slices or the scratch layout from the Schedule. Immutable once built.
//
// Grammar (to_string prints it, one item per line, what is inside an item indented under it):
//   LoopNest   ::= Staged* Group* "scratch" Bytes
//   Staged     ::= "staged" name "=" ("packed" | "slice") tensor "in" Level
//                  "shape" "[" Int* "]" "dims" "[" dim* "]" "offset" Bytes "bytes" Bytes
//                  ("x" Int "per thread, stride" Bytes "from" Bytes ("page" Int "skew" Int)?)?
//                  ("copied by" Int "threads")?
//   Group      ::= "group" first ".." last ("threads" Int)? ("scratch" Bytes)?
//                  ("shared" Loop)? Nest+          (a shared loop encloses the group's nests)
//   Nest       ::= "stmt" Int out Compute Annotation* Init? Loop* Guard* Epilogue?
//                  (each Loop inside the previous one; the shared loop is not repeated)
//   Loop       ::= Kind name "in [0," trip ")" ("of" var extent "tile" Int "ragged"?)?
//   Kind       ::= "serial" | "parallel(" threads ")" | "vector(" width ")" | "unrolled"
//                  | "partition" | "block" | "thread"      (the last three: NPU and GPU backends)
//   Compute    ::= "assign" | "accumulate" ("sum" | "max" | "min") "over" var
//   Annotation ::= "stream" | "prefetch" tensor "step" Int | "register tile" ", whole reduction"?
//                  "in" Level | "packed" tensor
//   Init       ::= "init" identity Loop* Guard*      (the output set to the identity first)
//   Guard      ::= "guard" var "<" extent            (at the innermost point of its loops)
//   Epilogue   ::= "epilogue" Expr
//
// A Nest's loops are the statement's whole loop order, outer to inner; the first `bound` of them
// (0, or 1 inside a Group with a shared loop) are the group's shared loop. A split variable v runs
// as v.o (trip ceil(extent / tile)) and v.i (trip min(tile, extent)), v = v.o * tile + v.i; when
// the tile does not divide the extent, the nest's innermost point is guarded by v < extent.
//
// Annotations are what only some targets act on; the IR states the fact, the backend decides:
// - `stream`: the output is written once, never read back (CPU: non-temporal stores and a fence).
// - `prefetch`: reads of the tensor also fetch it one shared-loop iteration (`step`) ahead.
// - `register_tile`: every loop inside the lifted reduction's loop is unrolled or the innermost
//   vector loop, so the output tile can stay in the innermost memory level (CPU: registers, as
//   accumulators) across the reduction loop. `whole_reduction`: its reduction loop is not split.
// Memory levels are names: the ISA JSON's (loop_nest_options), or LoopNestOptions' defaults where
// the caller has no ISA (lower_to_llvm(p, schedule) builds with the defaults).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "emit/cpu/schedule.h"
#include "ir/index_program.h"
#include "isa/isa.h"

namespace axon {

enum class LoopKind {
  Serial,    // one iteration after another
  Parallel,  // iterations split into contiguous chunks, one per thread
  Vector,    // iterations on vector lanes (width: lanes; 0, the backend chooses)
  Unrolled,  // fully unrolled (constant trip)
  Partition, // across the partitions of a partitioned memory (NPU)
  Block,     // across thread blocks (GPU)
  Thread,    // across the threads of a block (GPU)
};
const char* loop_kind_name(LoopKind k);

enum class LoopPart { Whole, Outer, Inner };

struct Loop {
  std::string name; // "k", "k.o" or "k.i"
  std::string var;  // the index variable it iterates (a part of)
  LoopPart part = LoopPart::Whole;
  LoopKind kind = LoopKind::Serial;
  int64_t extent = 0; // the variable's extent
  int64_t tile = 0;   // a split variable's tile (0: not split)
  int64_t trip = 0;   // iterations of this loop
  int threads = 1;    // Parallel: threads
  int width = 0;      // Vector: lanes (0: the backend chooses)
  bool ragged() const { return tile > 0 && extent % tile != 0; }
};

// A guard at a nest's innermost point: var < extent (a ragged split's tail).
struct Guard {
  std::string var;
  int64_t extent = 0;
};

// A list of loops, outer to inner, with the guards of its innermost point.
struct LoopList {
  std::vector<Loop> loops;
  std::vector<Guard> guards; // in variable-name order
};

enum class StagedKind {
  Packed, // a copy of an operand laid out [v.o][the other indices, in order][v.i] (f32)
  Slice,  // a fusion group's temporary contracted to `tile` iterations of the shared loop
};

struct StagedTensor {
  std::string name;   // "b.pack", "y.mx.slice"
  std::string tensor; // the tensor it stages
  StagedKind kind = StagedKind::Packed;
  std::string level; // the memory level it lives in
  size_t group = 0;  // the fusion group (index into LoopNest::groups) that uses it
  size_t stmt = 0;   // Packed: the statement that reads it
  // Layout.
  std::vector<int64_t> shape;    // Packed: {extent / tile, lead, tile}; Slice: the slice's shape
  std::vector<std::string> dims; // what each dimension of `shape` indexes
  std::string var;               // Packed: the vector variable; Slice: the shared loop's variable
  size_t position = 0;           // Packed: v's index in the tensor; Slice: the contracted dim
  int64_t tile = 0, lead = 0;    // Packed: v's tile, product of the other dims
  int64_t offset = 0;            // bytes from the scratch start (Slice: within a thread's run)
  int64_t bytes = 0;             // reserved bytes (one replica)
  int replicas = 1;              // Slice: one per thread
  int64_t replica_stride = 0;    // Slice: bytes between threads' runs
  int64_t run_offset = 0;        // Slice: where thread 0's run starts in the scratch
  int64_t page = 0, skew = 0;    // Slice: starts `skew` bytes past a `page` boundary (0: none)
  size_t skew_index = 0;         // Slice: its place in the run (skew + index x 64 bytes)
  int copy_threads = 1;          // Packed: threads that make the copy (panels of v's tiles)
};

enum class ComputeKind { Assign, Accumulate };
// Lifted reductions initialise their output with the identity over `init_loops` (a backend that
// keeps a whole reduction's tile in registers starts its accumulators at the identity instead).
enum class InitKind { None, Loops };

struct Annotations {
  bool stream = false;
  std::vector<std::string> prefetch; // tensors prefetched one shared-loop iteration ahead
  int64_t prefetch_step = 1;         // the shared loop's step in its variable
  std::string prefetch_var;          // the shared loop's variable as this statement names it
  bool register_tile = false;
  bool whole_reduction = false;
};

struct Nest {
  size_t stmt = 0;
  size_t bound = 0; // leading loops bound by the group's shared loop
  LoopList loops;
  ComputeKind compute = ComputeKind::Assign;
  // Accumulate: the lifted top-level reduction (its variable, its kind, its identity).
  std::string reduction_var;
  ExprKind reduction = ExprKind::Sum;
  double identity = 0;
  size_t reduction_loop = 0; // the last loop of the reduction's variable
  InitKind init = InitKind::None;
  LoopList init_loops; // InitKind::Loops, and the epilogue pass's loops
  // The reduction's epilogue, of the output element (out[vars] standing for the finished
  // reduction), or nullptr: a pass over init_loops after the reduction, or (a register tile over
  // the whole reduction) applied to the tile as it is stored.
  Expr epilogue;
  std::vector<std::string> packed; // operands read from their packed copy (StagedKind::Packed)
  Annotations annotations;
};

struct Group {
  size_t first = 0, last = 0;
  std::optional<Loop> shared; // the loop its statements share (a single statement's outer loop)
  int threads = 1;
  std::vector<size_t> staged;              // its staged tensors, packed copies first, then slices
  int64_t pack_bytes = 0, slice_bytes = 0; // scratch: packed copies, one thread's run of slices
  int64_t scratch_bytes() const { return pack_bytes + threads * slice_bytes; }
  std::vector<Nest> nests;
};

struct LoopNestOptions {
  std::string scratch_level = "memory";     // where packed copies and slices live
  std::string register_level = "registers"; // where a register tile's accumulators live
  // A contracted slice is read and written in step with the group's input and output rows, which
  // callers place at the start of a page or a cache line past it (PyTorch's and the runtime's
  // large blocks, the search's mappings). A slice at the same offset within its page makes every
  // load of an input look like it depends on the slice's last store (CPU: 4K aliasing;
  // docs/PERFORMANCE.md, "Design measurements: slice placement"). So
  // each slice starts `slice_skew` bytes (plus 64 per slice before it in its run) past a
  // `slice_page` boundary, whatever the scratch block's own address, and reserves a page and a
  // half more for that; 0: no placement.
  int64_t slice_page = 4096, slice_skew = 2048;
};

// The level names of an ISA description: its first memory of kind dram for the scratch, its widest
// register file for register tiles; the defaults above where it has none.
LoopNestOptions loop_nest_options(const Isa& isa);

struct LoopNest {
  std::vector<StagedTensor> staged;
  std::vector<Group> groups;
  int64_t scratch_bytes = 0; // the largest group's (groups reuse the same bytes)
  LoopNestOptions options;
};

constexpr int64_t kScratchAlign = 64;

// The schedule must be valid (validate_schedule); the builder does not check it again.
LoopNest build_loop_nest(const IndexProgram& p, const Schedule& s, const LoopNestOptions& o = {});
// One statement's nest as if it ran alone (bound = 0; its threads, if any, on its thread loop).
Nest build_stmt_nest(const IndexProgram& p, size_t stmt, const StmtSchedule& ss);

std::string to_string(const LoopNest& n, const IndexProgram& p);

} // namespace axon
