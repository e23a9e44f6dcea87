// A cover (isel_cover.h) instantiated for one tile of its statement: each instruction's calls
// with the concrete operand accesses a backend emits, and a check that running those calls with
// the instructions' JSON semantics (the reference interpreter, ir/interp.h) gives the statement's
// values on the tile.
//
// A tile binds each Var of the cover to a range (offset + extent; absent: the whole extent). A
// reduction Var bound to part of its extent makes the tile one chunk of that reduction: the
// cover then computes the statement with that reduction restricted to the chunk (a matmul's K
// chunk of 128, accumulated by the backend across chunks). A range must respect the bounds of
// every instruction dim its Var sizes (a ragged last tile is legal where the instruction takes
// any size up to its max, and refused where the dim has a min, as a CPU vector's 16 lanes).
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "ir/index_program.h"
#include "isa/isa.h"
#include "synth/isel_cover.h"

namespace axon {

struct TileRange {
  int64_t offset = 0;
  int64_t extent = 0;
};

struct Tile {
  std::map<std::string, int64_t> dims;     // every dim the cover's extents name
  std::map<std::string, TileRange> ranges; // Var -> range; absent: [0, its extent)
};

// One operand of one call. Element p (one position per operand axis, p[a] < extents[a]) of a
// tensor or temp is at index origin + sum_a p[a] * strides[a] when `affine`; `index` gives it in
// every case, as Int Exprs over the positions "p$0", "p$1", ... (one per tensor or buffer axis).
struct TileAccess {
  std::string slot; // operand or parameter name; for TileCall::out, the result operand
  TermKind kind = TermKind::Tensor;
  std::string tensor; // Tensor, Scalar: the statement's tensor (the output for the last `out`)
  size_t temp = 0;    // Temp: the instruction whose buffer (TileInstr::temp_shape) it is
  std::vector<int64_t> extents; // per operand axis (the instruction dim's size in this call)
  std::vector<Expr> index;
  bool affine = true;
  std::vector<int64_t> origin;               // Tensor, Temp, Scalar: element 0's index
  std::vector<std::vector<int64_t>> strides; // [operand axis][tensor or buffer axis]
  double value = 0;                          // Constant
};

struct TileCall {
  std::map<std::string, int64_t> loops; // each loop Var's value in this call
  std::map<std::string, int64_t> dims;  // instruction dim -> size (tied to 1: 1)
  std::vector<TileAccess> operands;     // in the order of CoverInstr::operands
  TileAccess out;                       // where the result operand is written
};

struct TileInstr {
  size_t index = 0; // in Cover::instrs
  // An instruction other than the last writes a temp: a buffer local to the tile with one axis
  // per Var it depends on (its loops, then its out axes), indexed from the tile's offsets.
  std::vector<std::string> temp_vars;
  std::vector<int64_t> temp_shape;
  std::vector<TileCall> calls; // one per value of its loops within the tile (last loop fastest)
};

struct TileCover {
  std::vector<TileInstr> instrs; // as Cover::instrs
};

// The calls of every instruction of `c` for tile `t`. UserError when the tile is not one: a
// range outside its Var's extent, an unknown Var, a missing dim, or an extent an instruction's
// bound refuses (the message names the bound's place in the target file).
TileCover instantiate_tile(const Cover& c, const Isa& isa, const Tile& t);

struct TileCheck {
  bool ok = false;
  size_t elements = 0;  // the statement's elements in the tile, each compared
  size_t calls = 0;     // instruction calls evaluated
  double max_error = 0; // max |cover - statement| / max(1, |statement|)
  std::string mismatch; // the first element out of tolerance, or why the check could not run
};

// Instantiates `c` (the cover of statement `stmt` of `program`) for `t`, runs every call with its
// instruction's semantics on random inputs (seeded), and compares the statement's tile (with the
// tile's reduction chunks) with the reference interpreter's value. Dims absent from `t.dims`
// take the program's sizes.
TileCheck check_tile(const IndexProgram& program, size_t stmt, const Isa& isa, const Cover& c,
                     const Tile& t, uint64_t seed = 1);

} // namespace axon
