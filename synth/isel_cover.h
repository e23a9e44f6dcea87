// The cover of one statement as data: what instruction selection (select_instructions.h) found,
// in a form a backend can instantiate per tile (isel_tile.h), beside the text of SelectedInstr
// that reports and `isa table` print. Built once by select_instructions, shared and never changed
// afterwards (Selection holds it as shared_ptr<const Cover>); cached on disk with the selection.
//
//   Cover      ::= out vars: Var* instrs: Instr*          execution order; the last writes `out`
//   Var        ::= name extent reduction                  the statement's variables, then one per
//                                                         reduction of its value (pre-order)
//   Instr      ::= instr name engine params result out_axes: Axis* loops: name* dims: Dim*
//                  operands: Operand* hoisted cost_ns [accumulate: params]
//   Axis       ::= name of a Var | ""                     "" is an axis of size 1
//   Dim        ::= dim var: Axis [min min_source] [max max_source]
//                                                         sources: JSON pointers of the bounds in
//                                                         the target file ("/instructions/0/...")
//   Operand    ::= slot Term                              an in operand, vector or real param
//   Term       ::= tensor(name, index: Expr*, axes: Axis*) a statement tensor read in place
//               |  temp(k, axes: Axis*)                   written by instrs[k], k < this one
//               |  constant(value: Expr)                  an immediate or a constant-filled tile
//               |  scalar(name, index: Expr*)             one element of a statement tensor (a
//                                                         rank-0 tensor, or indices over dims only)
//
// Names: Vars are the statement's own variables and, for reductions, the bound variable's name
// made unique ("j", then "j'1" for a second reduction over j). Index expressions are ir Exprs
// over Var names and the program's dims. Operand axis a of a tensor or temp term carries
// axes[a]: at operand position p the Var axes[a] has the value offset + p; every other Var the
// term reads is one of the instruction's `loops`. A temp is written by its producer's result
// operand in exactly the layout the reader reads it (reader axis a is producer axis a).
//
// Per instruction: out_axes gives the Var each axis of the result operand carries (the last
// instruction's are statement variables, or "" for a size-1 axis); `loops` are the Vars the
// instruction is called once per value of (a Var it depends on that no output axis carries: the
// rows r of an avx `x[r, n] * s[r]` whose vector runs along n); `dims` ties every instruction
// dim the cover sizes to a Var (its size is that Var's extent in the tile) or to 1, with the
// bounds the instruction imposes on it. A hoisted instruction computes a constant from
// immediates: a backend runs it once, outside the tile loops.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "ir/expr.h"
#include "isa/isa.h"

namespace axon {

struct CoverVar {
  std::string name;
  Expr extent; // over the program's dims
  bool reduction = false;
};

enum class TermKind { Tensor, Temp, Constant, Scalar };
const char* term_kind_name(TermKind k); // "tensor", "temp", "constant", "scalar"

struct CoverTerm {
  TermKind kind = TermKind::Tensor;
  std::string tensor;            // Tensor, Scalar: the statement's tensor
  std::vector<Expr> index;       // Tensor, Scalar: one Int Expr per tensor axis, over Vars and
                                 // dims (a Scalar's over dims only)
  size_t temp = 0;               // Temp: the producing instruction's index in Cover::instrs
  Expr value;                    // Constant: a Real Expr over dims only (0.5, -1, 1/N)
  std::vector<std::string> axes; // Tensor, Temp: per operand axis, its Var ("": size 1)
};

struct CoverOperand {
  std::string slot; // operand or parameter name in the ISA JSON
  CoverTerm term;
};

struct CoverDim {
  std::string dim;                    // the instruction's dim ("K")
  std::string var;                    // the Var sizing it; "": the dim is 1
  std::optional<int64_t> min, max;    // the instruction's bounds on it (tightest over its operands)
  std::string min_source, max_source; // JSON pointers of those bounds in the target file
};

struct CoverInstr {
  size_t instr = 0; // index into Isa::instructions
  std::string name; // its name (checked against the ISA when a cover is reloaded)
  std::string engine;
  ParamChoice params;                // enum and flag values
  std::string result;                // the out operand carrying the value
  std::vector<std::string> out_axes; // per axis of `result`: its Var ("": size 1)
  std::vector<std::string> loops;    // Vars the instruction is called once per value of
  std::vector<CoverDim> dims;
  std::vector<CoverOperand> operands; // every operand and parameter its result reads
  bool hoisted = false;
  double cost_ns = 0;
  // For an instruction that reduces over a reduction Var (a dim tied to one): the parameter
  // choice under which its result is `result_before + (the value under params)`, proven from the
  // JSON semantics (isel_accumulate.h). A backend that splits that reduction into chunks runs
  // the first chunk with `params` and the others with `accumulate`. Absent: no such form.
  std::optional<ParamChoice> accumulate;
};

struct Cover {
  std::string out;            // the statement's tensor
  std::vector<CoverVar> vars; // statement variables, then reductions
  std::vector<CoverInstr> instrs;

  const CoverVar* find_var(const std::string& name) const;
};

// Every name of `c` (Vars, tensors, dims, `out`) mapped through `names` (absent: unchanged).
Cover rename_cover(const Cover& c, const std::map<std::string, std::string>& names);
CoverInstr rename_instr(const CoverInstr& i, const std::map<std::string, std::string>& names);

// JSON, every field (the selection cache and `isa table --json`): Exprs as their .tp text in a
// tree form that reloads exactly ({"kind": "add", "args": [...]}).
nlohmann::json cover_to_json(const Cover& c);
// The inverse; a document that is not a cover, or one whose instruction indices or names do not
// match `isa`, is a UserError naming the JSON pointer.
Cover cover_from_json(const nlohmann::json& j, const Isa& isa);

// An ir Expr as a JSON tree and back (kinds by kind_name; UserError on an unknown kind).
nlohmann::json expr_to_json(const Expr& e);
Expr expr_from_json(const nlohmann::json& j, const std::string& pointer = "");

} // namespace axon
