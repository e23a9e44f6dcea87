// Threads of the LLVM lowering (lower_internal.h): a loop's iterations in contiguous chunks on
// POSIX threads, through an outlined worker.
#include "emit/cpu/lower_internal.h"

#include "ir/error.h"

namespace axon::lowering {

// Emits a worker `i8* name.groupN(i8* arg)`, arg = {buffer pointer array, thread id, threads},
// that runs iterations [tid * chunk, min(trip, (tid + 1) * chunk)) of the outer loop; the
// kernel starts threads - 1 POSIX threads on it, runs chunk 0 itself and joins them. A thread
// that cannot be started has its chunk run by the calling thread.
void Lowerer::run_threaded(size_t first, int64_t trip, int threads,
                           const std::function<void(const std::function<void()>&)>& around,
                           const std::function<void(llvm::Value*)>& body) {
  auto* i8p = llvm::PointerType::getUnqual(i8_);
  // The buffers the worker sees: every tensor and every packed copy, by name.
  std::vector<std::string> names;
  for (auto& [n, buf] : bufs_)
    if (buf.ptr)
      names.push_back(n);
  llvm::IRBuilder<> eb(entry_, entry_->begin());
  auto* ptr_arr_ty = llvm::ArrayType::get(i8p, names.size());
  llvm::AllocaInst* ptrs = eb.CreateAlloca(ptr_arr_ty, nullptr, "group.ptrs");
  for (size_t i = 0; i < names.size(); ++i)
    b_.CreateStore(b_.CreateBitCast(bufs_.at(names[i]).ptr, i8p),
                   b_.CreateConstInBoundsGEP2_64(ptr_arr_ty, ptrs, 0, i));
  // Loop values already bound outside the threaded loop (the reduction's block loops).
  std::vector<std::pair<bool, std::string>> live; // (is a part, name)
  for (auto& [n, v] : parts_)
    live.push_back({true, n});
  for (auto& [n, v] : vars_)
    live.push_back({false, n});
  auto* live_ty = llvm::ArrayType::get(i64_, std::max<size_t>(live.size(), 1));
  llvm::AllocaInst* live_arr = eb.CreateAlloca(live_ty, nullptr, "group.live");
  for (size_t i = 0; i < live.size(); ++i)
    b_.CreateStore(live[i].first ? parts_.at(live[i].second) : vars_.at(live[i].second),
                   b_.CreateConstInBoundsGEP2_64(live_ty, live_arr, 0, i));
  auto saved_parts = parts_;
  auto saved_vars = vars_;
  auto* arg_ty = llvm::ArrayType::get(i64_, 4);
  auto* args_ty = llvm::ArrayType::get(arg_ty, static_cast<uint64_t>(threads));
  llvm::AllocaInst* args = eb.CreateAlloca(args_ty, nullptr, "group.args");
  auto* th_ty = llvm::ArrayType::get(i64_, static_cast<uint64_t>(threads));
  llvm::AllocaInst* ths = eb.CreateAlloca(th_ty, nullptr, "group.threads");

  // The worker.
  auto* wty = llvm::FunctionType::get(i8p, {i8p}, false);
  llvm::Function* worker = llvm::Function::Create(
      wty, llvm::Function::InternalLinkage, name_ + ".group" + std::to_string(first), mod_.get());
  worker->addFnAttr(llvm::Attribute::NoUnwind);
  llvm::Function* saved_fn = fn_;
  llvm::BasicBlock* saved_entry = entry_;
  llvm::BasicBlock* saved_block = b_.GetInsertBlock();
  std::map<std::string, llvm::Value*> saved_ptrs;
  for (auto& n : names)
    saved_ptrs[n] = bufs_.at(n).ptr;
  fn_ = worker;
  entry_ = llvm::BasicBlock::Create(ctx_, "entry", worker);
  b_.SetInsertPoint(entry_);
  llvm::Value* a = b_.CreateBitCast(worker->getArg(0), llvm::PointerType::getUnqual(i64_));
  llvm::Value* arr = b_.CreateIntToPtr(b_.CreateLoad(i64_, a), llvm::PointerType::getUnqual(i8p));
  llvm::Value* tid = b_.CreateLoad(i64_, b_.CreateConstInBoundsGEP1_64(i64_, a, 1), "tid");
  llvm::Value* nth = b_.CreateLoad(i64_, b_.CreateConstInBoundsGEP1_64(i64_, a, 2), "nthreads");
  llvm::Value* live_in =
      b_.CreateIntToPtr(b_.CreateLoad(i64_, b_.CreateConstInBoundsGEP1_64(i64_, a, 3)),
                        llvm::PointerType::getUnqual(i64_));
  for (size_t i = 0; i < live.size(); ++i) {
    llvm::Value* x =
        b_.CreateLoad(i64_, b_.CreateConstInBoundsGEP1_64(i64_, live_in, i), live[i].second);
    (live[i].first ? parts_ : vars_)[live[i].second] = x;
  }
  for (size_t i = 0; i < names.size(); ++i) {
    Buf& buf = bufs_.at(names[i]);
    llvm::Value* raw = b_.CreateLoad(i8p, b_.CreateConstInBoundsGEP1_64(i8p, arr, i));
    buf.ptr = b_.CreateBitCast(raw, llvm::PointerType::getUnqual(buf.elt), names[i]);
  }
  llvm::Value* chunk =
      b_.CreateSDiv(b_.CreateAdd(b_.getInt64(trip), b_.CreateSub(nth, b_.getInt64(1))), nth);
  llvm::Value* lo = b_.CreateMul(tid, chunk);
  llvm::Value* hi = b_.CreateAdd(lo, chunk);
  hi = b_.CreateSelect(b_.CreateICmpSLT(hi, b_.getInt64(trip)), hi, b_.getInt64(trip));
  lo = b_.CreateSelect(b_.CreateICmpSLT(lo, hi), lo, hi);
  llvm::Value* saved_tid = tid_;
  tid_ = tid;
  around([&] { for_loop("group" + std::to_string(first), hi, false, 0, body, lo); });
  tid_ = saved_tid;
  if (fence_)
    b_.CreateFence(llvm::AtomicOrdering::SequentiallyConsistent);
  b_.CreateRet(llvm::ConstantPointerNull::get(i8p));
  fn_ = saved_fn;
  entry_ = saved_entry;
  b_.SetInsertPoint(saved_block);
  parts_ = saved_parts;
  vars_ = saved_vars;
  for (auto& n : names)
    bufs_.at(n).ptr = saved_ptrs.at(n);

  // The caller: fill the arguments, start threads 1.., run chunk 0, join.
  llvm::FunctionCallee create = mod_->getOrInsertFunction(
      "pthread_create", llvm::FunctionType::get(b_.getInt32Ty(),
                                                {llvm::PointerType::getUnqual(i64_), i8p,
                                                 llvm::PointerType::getUnqual(wty), i8p},
                                                false));
  llvm::FunctionCallee join = mod_->getOrInsertFunction(
      "pthread_join",
      llvm::FunctionType::get(b_.getInt32Ty(), {i64_, llvm::PointerType::getUnqual(i8p)}, false));
  std::vector<llvm::Value*> arg_ptrs, started;
  for (int t = 0; t < threads; ++t) {
    llvm::Value* slot = b_.CreateConstInBoundsGEP2_64(args_ty, args, 0, static_cast<uint64_t>(t));
    llvm::Value* s0 = b_.CreateBitCast(slot, llvm::PointerType::getUnqual(i64_));
    b_.CreateStore(b_.CreatePtrToInt(ptrs, i64_), s0);
    b_.CreateStore(b_.getInt64(t), b_.CreateConstInBoundsGEP1_64(i64_, s0, 1));
    b_.CreateStore(b_.getInt64(threads), b_.CreateConstInBoundsGEP1_64(i64_, s0, 2));
    b_.CreateStore(b_.CreatePtrToInt(live_arr, i64_), b_.CreateConstInBoundsGEP1_64(i64_, s0, 3));
    arg_ptrs.push_back(b_.CreateBitCast(slot, i8p));
  }
  for (int t = 1; t < threads; ++t) {
    llvm::Value* th = b_.CreateConstInBoundsGEP2_64(th_ty, ths, 0, static_cast<uint64_t>(t));
    llvm::Value* rc = b_.CreateCall(create, {th, llvm::ConstantPointerNull::get(i8p), worker,
                                             arg_ptrs[static_cast<size_t>(t)]});
    llvm::Value* ok = b_.CreateICmpEQ(rc, b_.getInt32(0));
    started.push_back(ok);
    // Not started: run its chunk here.
    llvm::BasicBlock* inl = llvm::BasicBlock::Create(ctx_, "thread.inline", fn_);
    llvm::BasicBlock* next = llvm::BasicBlock::Create(ctx_, "thread.next", fn_);
    b_.CreateCondBr(ok, next, inl);
    b_.SetInsertPoint(inl);
    b_.CreateCall(worker, {arg_ptrs[static_cast<size_t>(t)]});
    b_.CreateBr(next);
    b_.SetInsertPoint(next);
  }
  b_.CreateCall(worker, {arg_ptrs[0]});
  for (int t = 1; t < threads; ++t) {
    llvm::BasicBlock* jb = llvm::BasicBlock::Create(ctx_, "thread.join", fn_);
    llvm::BasicBlock* next = llvm::BasicBlock::Create(ctx_, "thread.joined", fn_);
    b_.CreateCondBr(started[static_cast<size_t>(t - 1)], jb, next);
    b_.SetInsertPoint(jb);
    llvm::Value* th =
        b_.CreateLoad(i64_, b_.CreateConstInBoundsGEP2_64(th_ty, ths, 0, static_cast<uint64_t>(t)));
    b_.CreateCall(join, {th, llvm::ConstantPointerNull::get(llvm::PointerType::getUnqual(i8p))});
    b_.CreateBr(next);
    b_.SetInsertPoint(next);
  }
}

} // namespace axon::lowering
