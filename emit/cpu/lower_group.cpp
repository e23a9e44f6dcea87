// Fusion groups of the LLVM lowering (lower_internal.h): statements inside their shared loop,
// the group's contracted temporaries as slices in the scratch.
#include "emit/cpu/lower_internal.h"

#include <algorithm>

#include "ir/error.h"

namespace axon::lowering {

// The statements of a group inside one loop over their shared loop; each statement's remaining
// loops run per shared iteration. With threads > 1 the shared loop's iterations are split into
// contiguous chunks, one per thread, in an outlined worker (see run_threaded).
void Lowerer::lower_group(const Group& g) {
  const Loop& sh = *g.shared;
  AXON_CHECK(vars_.empty() && parts_.empty(),
             "loop values left bound before statement " + std::to_string(g.first));
  int64_t at = 0;
  for (auto& n : g.nests)
    emit_packs(n, at);
  // Temporaries produced and read only inside the group are one shared iteration's slice, one
  // per thread in the scratch after the packed copies (see with_slices).
  std::vector<const StagedTensor*> slices;
  for (size_t k : g.staged)
    if (nest_.staged[k].kind == StagedKind::Slice)
      slices.push_back(&nest_.staged[k]);
  auto body = [&](llvm::Value* iv) {
    llvm::Value* base = sh.tile ? b_.CreateMul(iv, b_.getInt64(sh.tile)) : iv;
    for (auto* st : slices)
      bufs_.at(st->tensor).slice_base = base;
    for (auto& n : g.nests) {
      const Loop& l0 = n.loops.loops[0];
      parts_[l0.name] = iv;
      if (l0.part == LoopPart::Whole)
        vars_[l0.name] = iv;
      prefetch_ =
          std::set<std::string>(n.annotations.prefetch.begin(), n.annotations.prefetch.end());
      prefetch_var_ = n.annotations.prefetch_var;
      prefetch_step_ = n.annotations.prefetch_step;
      lower_stmt_body(n);
      prefetch_.clear();
      parts_.erase(l0.name);
      vars_.erase(l0.var);
    }
  };
  if (g.threads <= 1) {
    with_slices(g, slices, 1, [&] {
      for_loop("group" + std::to_string(g.first), b_.getInt64(sh.trip), false, 0, body);
    });
  } else {
    run_threaded(
        g.first, sh.trip, g.threads,
        [&](const std::function<void()>& loop) { with_slices(g, slices, g.threads, loop); }, body);
  }
  AXON_CHECK(scratch_used_ <= scratch_bytes_,
             "group " + std::to_string(g.first) + " overran the scratch");
  packed_.clear();
}

// Runs `emit` with each sliced temporary pointing at its slice in the scratch: one run of slices
// per thread (tid_) after the group's packed copies, each slice placed as the loop nest says;
// then restores the full tensors.
void Lowerer::with_slices(const Group& g, const std::vector<const StagedTensor*>& slices,
                          int threads, const std::function<void()>& emit) {
  std::vector<Buf> saved;
  llvm::Value* mine = b_.getInt64(g.pack_bytes);
  if (tid_)
    mine = b_.CreateAdd(mine, b_.CreateMul(tid_, b_.getInt64(g.slice_bytes)));
  for (auto* st : slices) {
    Buf& buf = bufs_.at(st->tensor);
    saved.push_back(buf);
    buf.shape = st->shape;
    llvm::Value* raw = b_.CreateInBoundsGEP(i8_, bufs_.at(kScratch).ptr,
                                            b_.CreateAdd(mine, b_.getInt64(st->offset)));
    llvm::Value* at = raw;
    if (st->page > 0) {
      // The next page boundary at or after the reserved bytes, then the skew: a slice at the
      // same offset within its page as the group's inputs and outputs would make every load of
      // an input look dependent on the slice's last store (4K aliasing; LoopNestOptions).
      llvm::Value* addr = b_.CreatePtrToInt(raw, i64_);
      llvm::Value* page =
          b_.CreateAnd(b_.CreateAdd(addr, b_.getInt64(st->page - 1)), b_.getInt64(~(st->page - 1)));
      llvm::Value* skew =
          b_.getInt64(st->skew + kScratchAlign * static_cast<int64_t>(st->skew_index));
      at = b_.CreateInBoundsGEP(i8_, raw, b_.CreateAdd(b_.CreateSub(page, addr), skew));
    }
    buf.ptr = b_.CreateBitCast(at, llvm::PointerType::getUnqual(buf.elt), st->tensor + ".slice");
    buf.contracted = static_cast<int>(st->position);
  }
  scratch_used_ = std::max(scratch_used_, g.pack_bytes + threads * g.slice_bytes);
  emit();
  for (size_t i = 0; i < slices.size(); ++i)
    bufs_.at(slices[i]->tensor) = saved[i];
}

} // namespace axon::lowering
