// Cache hints of the LLVM lowering (lower_internal.h): streaming (non-temporal) stores and
// prefetches of a fusion group's next outer iteration.
#include "emit/cpu/lower_internal.h"

#include "ir/error.h"

namespace axon::lowering {

// Prefetches element e (its first lane) at the fusion group's next outer iteration (the outer
// variable prefetch_step_ further on; a split outer loop's tile is its step). The address may
// lie past the tensor on the last iteration: it is computed without inbounds, and a prefetch
// never faults.
void Lowerer::prefetch_next(const Expr& e) {
  llvm::Value*& outer = vars_.at(prefetch_var_);
  llvm::Value* cur = outer;
  outer = b_.CreateAdd(cur, b_.getInt64(prefetch_step_));
  std::vector<llvm::Value*> idx;
  for (auto& a : e->args())
    idx.push_back(integer(a));
  outer = cur;
  llvm::Value* addr =
      b_.CreateBitCast(address(bufs_.at(e->name()), idx, false), llvm::PointerType::getUnqual(i8_));
  // Read access, keep in all cache levels, data cache.
  b_.CreateIntrinsic(llvm::Intrinsic::prefetch, {addr->getType()},
                     {addr, b_.getInt32(0), b_.getInt32(3), b_.getInt32(1)});
}

// Stores vector `val` of the output at `addr` with a streaming (non-temporal) store that
// bypasses the caches.
void Lowerer::streaming_store(const Buf& out, llvm::Value* val, llvm::Value* addr) {
  // Streaming stores need a whole vector's alignment: a vector at an address without it
  // (a caller's unaligned buffer) takes an ordinary store.
  uint64_t vbytes =
      static_cast<uint64_t>(vec_width_) * static_cast<uint64_t>(dtype_bytes(out.dtype));
  llvm::Value* misaligned = b_.CreateAnd(b_.CreatePtrToInt(addr, i64_), b_.getInt64(vbytes - 1));
  llvm::BasicBlock* nt = llvm::BasicBlock::Create(ctx_, "store.stream", fn_);
  llvm::BasicBlock* plain = llvm::BasicBlock::Create(ctx_, "store.plain", fn_);
  llvm::BasicBlock* done = llvm::BasicBlock::Create(ctx_, "store.done", fn_);
  b_.CreateCondBr(b_.CreateICmpEQ(misaligned, b_.getInt64(0)), nt, plain);
  b_.SetInsertPoint(nt);
  llvm::StoreInst* s = b_.CreateAlignedStore(val, addr, llvm::Align(vbytes));
  s->setMetadata(llvm::LLVMContext::MD_nontemporal,
                 llvm::MDNode::get(ctx_, {llvm::ConstantAsMetadata::get(b_.getInt32(1))}));
  tag(s, out);
  b_.CreateBr(done);
  b_.SetInsertPoint(plain);
  tag(b_.CreateAlignedStore(val, addr, llvm::Align(dtype_bytes(out.dtype))), out);
  b_.CreateBr(done);
  b_.SetInsertPoint(done);
}

} // namespace axon::lowering
