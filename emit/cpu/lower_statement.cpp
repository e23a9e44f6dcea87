// A statement of the LLVM lowering (lower_internal.h): an assignment, or a lifted reduction
// with its initialisation, its accumulation (a register tile when it is one) and its epilogue.
#include "emit/cpu/lower_internal.h"

#include <stdexcept>
#include <utility>

#include "ir/error.h"

namespace axon::lowering {

// A statement that runs alone (no shared loop): its packed copies, then its loop nest.
void Lowerer::lower_stmt(const Nest& n) {
  AXON_CHECK(vars_.empty() && parts_.empty(),
             "loop values left bound before statement " + std::to_string(n.stmt));
  int64_t at = 0;
  emit_packs(n, at);
  lower_stmt_body(n);
  packed_.clear();
}

// Statement n.stmt inside its loops; the first n.bound loops are already bound (1 inside a
// group's shared loop: the output is then initialised per shared iteration).
void Lowerer::lower_stmt_body(const Nest& n) {
  current_stmt_ = n.stmt;
  const IndexStmt& st = p_.stmts()[n.stmt];
  const Buf& out = bufs_.at(st.out);
  const ExprNode* red = top_reduction(st);
  const bool lifted = n.compute == ComputeKind::Accumulate;
  const Loop* vec_loop = nullptr;
  for (auto& l : n.loops.loops)
    if (l.kind == LoopKind::Vector)
      vec_loop = &l;
  width_ = vec_loop ? vec_loop->width : 0;
  explicit_ok_ = vec_loop && st.value->sort() == Sort::Real &&
                 vectorizable(lifted ? red->body() : st.value) &&
                 !(lifted && vec_loop->var == red->name());
  if (!lifted) {
    streams_ = n.annotations.stream;
    bool streamed = false;
    nest(n.loops, n.bound, [&] {
      if (!vec_var_.empty()) {
        streamed = streamed || streams_;
        vstore(out, st.vars, vreal(st.value));
      } else {
        store(out, st.vars, real_or_bool(st.value));
      }
    });
    streams_ = false;
    explicit_ok_ = false;
    if (n.annotations.stream && !streamed)
      throw std::runtime_error(
          "statement " + std::to_string(current_stmt_) + " (" + st.out +
          "): streaming stores need an explicit vector loop over the output's last "
          "variable (its trip a multiple of the vector width, no ragged tile)");
    if (n.annotations.stream)
      fence_ = true;
    return;
  }
  // Initialise the output with the reduction's identity, then accumulate in the loop order.
  // A register tile over the whole (unsplit) reduction starts its accumulators at the identity
  // and stores each output element once: no initialising pass over the output, no load of it.
  const double identity = n.identity;
  bool whole_tile = explicit_ok_ && n.annotations.whole_reduction;
  if (!whole_tile)
    nest(n.init_loops, 0, [&] { store(out, st.vars, llvm::ConstantFP::get(f32_, identity)); });
  // The epilogue rides on the register tile's store only when the tile covers the whole
  // reduction (an unsplit reduction loop); else it is a pass after the reduction.
  const Expr& epi = n.epilogue;
  bool tile_epi =
      epi && vectorizable(epi) && n.loops.loops[n.reduction_loop].part == LoopPart::Whole;
  if (register_tile(n, red, tile_epi ? epi : nullptr, whole_tile ? &identity : nullptr)) {
    explicit_ok_ = false;
    if (epi && !tile_epi)
      epilogue_pass(st, n.init_loops, epi);
    return;
  }
  nest(n.loops, n.bound, [&] {
    if (!vec_var_.empty()) {
      llvm::Value* cur = vload_out(out, st.vars);
      vstore(out, st.vars, combine(red->kind(), cur, vreal(red->body())));
      return;
    }
    llvm::Value* addr = address(out, index_values(st.vars));
    llvm::Value* cur = load(out, addr);
    llvm::Value* v = real(red->body());
    store_at(out, addr, combine(red->kind(), cur, v));
  });
  explicit_ok_ = false;
  if (epi)
    epilogue_pass(st, n.init_loops, epi);
}

// out = epilogue(out) for every element the loops of `over` cover (after the reduction).
void Lowerer::epilogue_pass(const IndexStmt& st, const LoopList& over, const Expr& epi) {
  const Buf& out = bufs_.at(st.out);
  // The pass's loops are not the tiles a packed copy is laid out by: read the tensors.
  auto packed = std::exchange(packed_, {});
  nest(over, 0, [&] { store(out, st.vars, real(epi)); });
  packed_ = std::move(packed);
}

} // namespace axon::lowering
