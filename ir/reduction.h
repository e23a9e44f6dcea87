// Queries about a statement's reductions that fusion (synth/) and every backend's lowering and
// cost model read: the one reduction a statement computes at its top level, and the elementwise
// epilogue applied to it.
#pragma once

#include "ir/index_program.h"

namespace axon {

// The top-level reduction of a statement: its value (out[...] = sum/max/min(k) body), or the one
// reduction that an elementwise epilogue wraps (`(sum(d) q*k) / sqrt(D)`, `(sum(k) x*w) * r[m]`);
// nullptr when there is none. A lifted loop nest accumulates the reduction into the output and
// then applies the epilogue once per element.
const ExprNode* top_reduction(const IndexStmt& s);
// The epilogue as an expression of the output element (`out[vars]` standing for the finished
// reduction), or nullptr when the value is the reduction itself.
Expr reduction_epilogue(const IndexStmt& s);

} // namespace axon
