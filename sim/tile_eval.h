// Whole-tile evaluation of an instruction's semantics for functional mode: the same values as the
// reference interpreter in EvalMode::F32 (every operation rounded to float, reductions
// accumulated in index order, results rounded to float), computed a node at a time over every
// element of a statement's output instead of an element at a time through the whole tree. A
// matmul of [K, M] by [K, N] becomes K passes of gather, multiply and add over the [M, N] tile.
// Nothing here knows an instruction: it runs whatever semantics the ISA JSON gives.
#pragma once

#include "ir/index_program.h"
#include "ir/interp.h"

namespace axon {

// interpret(p, inputs, EvalMode::F32), bit for bit. Statements the tile form cannot express
// exactly (a tensor read inside a branch of a select or the right operand of && / ||, where the
// interpreter reads only what the taken branch needs; a reduction whose extent varies across
// the output) go to the reference interpreter.
TensorMap eval_tile_semantics(const IndexProgram& p, const TensorMap& inputs);

} // namespace axon
