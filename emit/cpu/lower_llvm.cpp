// LoopNest -> LLVM IR (see lower_llvm.h). One loop nest per statement: its loops (split loops
// recombined as v = v.o * T + v.i, with a guard when T does not divide the extent), then the
// statement's value; nested reductions become inner loops with an accumulator; a lifted top-level
// reduction accumulates into the output. Loops, guards, fusion groups, contracted slices and the
// scratch layout all come from the loop nest (emit/loop_nest.h), never from the Schedule.
#include "emit/cpu/lower_llvm.h"

#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Intrinsics.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/MDBuilder.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Support/raw_ostream.h>

#include <algorithm>
#include <cmath>
#include <functional>
#include <set>
#include <utility>

#include "emit/cpu/vector_math.h"
#include "ir/dtype.h"
#include "ir/error.h"
#include "ir/shape.h"

namespace axon {

namespace {

class Lowerer {
public:
  Lowerer(const IndexProgram& p, const LoopNest& nest, llvm::LLVMContext& ctx,
          const std::string& name, const std::map<std::string, std::string>& vector_math,
          int math_lanes)
      : p_(p), nest_(nest), ctx_(ctx), mod_(std::make_unique<llvm::Module>(name, ctx)), b_(ctx),
        vector_math_(vector_math), math_lanes_(math_lanes) {
    f32_ = b_.getFloatTy();
    i64_ = b_.getInt64Ty();
    i8_ = b_.getInt8Ty();
    name_ = name;
    scratch_bytes_ = nest.scratch_bytes;
    llvm::FastMathFlags fmf;
    fmf.setAllowReassoc();
    fmf.setAllowContract(true);
    fmf.setAllowReciprocal(); // x / d with d loop-invariant: one reciprocal, then multiplies
    b_.setFastMathFlags(fmf);
  }

  std::unique_ptr<llvm::Module> run() {
    auto* ptr_ty = llvm::PointerType::getUnqual(i8_);
    auto* fty =
        llvm::FunctionType::get(b_.getVoidTy(), {llvm::PointerType::getUnqual(ptr_ty)}, false);
    fn_ = llvm::Function::Create(fty, llvm::Function::ExternalLinkage, name_, mod_.get());
    fn_->addFnAttr(llvm::Attribute::NoUnwind);
    llvm::Argument* bufs = fn_->getArg(0);
    bufs->setName("buffers");
    bufs->addAttr(llvm::Attribute::NoAlias);
    entry_ = llvm::BasicBlock::Create(ctx_, "entry", fn_);
    b_.SetInsertPoint(entry_);
    // Load every buffer pointer once; distinct tensors never alias (scope metadata tells LLVM).
    llvm::MDBuilder mdb(ctx_);
    llvm::MDNode* domain = mdb.createAnonymousAliasScopeDomain("axon.buffers");
    std::vector<llvm::Metadata*> all_scopes;
    for (size_t i = 0; i < p_.tensors().size(); ++i) {
      const TensorDecl& t = p_.tensors()[i];
      llvm::Value* slot = b_.CreateConstInBoundsGEP1_64(ptr_ty, bufs, i);
      llvm::Value* raw = b_.CreateLoad(ptr_ty, slot, t.name + ".raw");
      // Storage types: bf16 as its 16 bits (widened by a shift), f16 as LLVM half.
      llvm::Type* elt = t.dtype == DType::Bool   ? i8_
                        : t.dtype == DType::F16  ? b_.getHalfTy()
                        : t.dtype == DType::BF16 ? b_.getInt16Ty()
                                                 : f32_;
      Buf buf;
      buf.dtype = t.dtype;
      buf.ptr = b_.CreateBitCast(raw, llvm::PointerType::getUnqual(elt), t.name);
      buf.elt = elt;
      buf.shape = p_.concrete_shape(t.name);
      buf.scope = mdb.createAnonymousAliasScope(domain, t.name);
      all_scopes.push_back(buf.scope);
      bufs_[t.name] = buf;
      // A packed copy, should a schedule ask for one (pointer set when the packing is emitted).
      Buf pk;
      pk.elt = f32_;
      pk.scope = mdb.createAnonymousAliasScope(domain, t.name + ".pack");
      all_scopes.push_back(pk.scope);
      bufs_[t.name + ".pack"] = pk;
    }
    // The scratch block after the tensors' buffers (lower_llvm.h), when the schedule needs one.
    if (scratch_bytes_ > 0) {
      AXON_CHECK(!p_.find_tensor(kScratch), std::string("a tensor is named ") + kScratch);
      llvm::Value* slot = b_.CreateConstInBoundsGEP1_64(ptr_ty, bufs, p_.tensors().size());
      Buf sc;
      sc.ptr = b_.CreateLoad(ptr_ty, slot, kScratch);
      sc.elt = i8_;
      sc.scope = mdb.createAnonymousAliasScope(domain, kScratch);
      all_scopes.push_back(sc.scope);
      bufs_[kScratch] = sc;
    }
    for (auto& [n, buf] : bufs_) {
      std::vector<llvm::Metadata*> others;
      for (auto* m : all_scopes)
        if (m != buf.scope)
          others.push_back(m);
      buf.scope_list = llvm::MDNode::get(ctx_, {buf.scope});
      buf.noalias_list = llvm::MDNode::get(ctx_, others);
    }
    for (auto& g : nest_.groups) {
      if (!g.shared)
        lower_stmt(g.nests[0]);
      else
        lower_group(g);
    }
    // Streaming stores are weakly ordered: a full fence makes them visible before the caller
    // (or a joining thread) reads the output.
    if (fence_)
      b_.CreateFence(llvm::AtomicOrdering::SequentiallyConsistent);
    b_.CreateRetVoid();
    AXON_CHECK(scratch_used_ == scratch_bytes_, "the kernel used " + std::to_string(scratch_used_) +
                                                    " bytes of scratch; scratch_bytes says " +
                                                    std::to_string(scratch_bytes_));
    std::string err;
    llvm::raw_string_ostream os(err);
    if (llvm::verifyModule(*mod_, &os))
      internal_error("generated LLVM IR does not verify: " + os.str());
    return std::move(mod_);
  }

private:
  struct Buf {
    llvm::Value* ptr = nullptr;
    llvm::Type* elt = nullptr;
    std::vector<int64_t> shape;
    llvm::MDNode* scope = nullptr;
    llvm::MDNode* scope_list = nullptr;
    llvm::MDNode* noalias_list = nullptr;
    DType dtype = DType::F32; // what elt stores (arithmetic is in f32)
    // A temporary that lives only inside one fusion group holds one outer iteration's slice:
    // index `contracted` is taken relative to `slice_base` (shape[contracted] is the slice's).
    int contracted = -1;
    llvm::Value* slice_base = nullptr;
  };

  // ---- loops ----
  // Emits `for (v = 0; v < n; ++v) body(v)`; returns after the loop. `vectorize` attaches loop
  // metadata asking LLVM's vectorizer to vectorize (and interleave) it.
  void for_loop(const std::string& name, llvm::Value* n, bool vectorize, int width,
                const std::function<void(llvm::Value*)>& body, llvm::Value* start = nullptr) {
    llvm::BasicBlock* pre = b_.GetInsertBlock();
    llvm::BasicBlock* head = llvm::BasicBlock::Create(ctx_, name + ".head", fn_);
    llvm::BasicBlock* bodyb = llvm::BasicBlock::Create(ctx_, name + ".body", fn_);
    llvm::BasicBlock* exit = llvm::BasicBlock::Create(ctx_, name + ".exit", fn_);
    b_.CreateBr(head);
    b_.SetInsertPoint(head);
    llvm::PHINode* v = b_.CreatePHI(i64_, 2, name);
    v->addIncoming(start ? start : b_.getInt64(0), pre);
    b_.CreateCondBr(b_.CreateICmpSLT(v, n), bodyb, exit);
    b_.SetInsertPoint(bodyb);
    body(v);
    llvm::Value* next = b_.CreateAdd(v, b_.getInt64(1), name + ".next", /*NUW=*/true, /*NSW=*/true);
    llvm::BranchInst* back = b_.CreateBr(head);
    v->addIncoming(next, b_.GetInsertBlock());
    if (vectorize) {
      std::vector<llvm::Metadata*> md = {nullptr};
      md.push_back(llvm::MDNode::get(ctx_, {llvm::MDString::get(ctx_, "llvm.loop.vectorize.enable"),
                                            llvm::ConstantAsMetadata::get(b_.getTrue())}));
      if (width > 0)
        md.push_back(llvm::MDNode::get(
            ctx_, {llvm::MDString::get(ctx_, "llvm.loop.vectorize.width"),
                   llvm::ConstantAsMetadata::get(b_.getInt32(static_cast<uint32_t>(width)))}));
      llvm::MDNode* loop_id = llvm::MDNode::getDistinct(ctx_, md);
      loop_id->replaceOperandWith(0, loop_id);
      back->setMetadata(llvm::LLVMContext::MD_loop, loop_id);
    }
    b_.SetInsertPoint(exit);
  }

  // Emits `body` under `if (cond)`; without a condition (nullptr), unconditionally.
  void when(llvm::Value* cond, const std::string& name, const std::function<void()>& body) {
    if (!cond) {
      body();
      return;
    }
    llvm::BasicBlock* yes = llvm::BasicBlock::Create(ctx_, name + ".in", fn_);
    llvm::BasicBlock* done = llvm::BasicBlock::Create(ctx_, name + ".done", fn_);
    b_.CreateCondBr(cond, yes, done);
    b_.SetInsertPoint(yes);
    body();
    b_.CreateBr(done);
    b_.SetInsertPoint(done);
  }

  // Runs `inner` inside the loops of `ll` from loop k on (recombining split vars), binding vars_;
  // its innermost point runs under the list's guards whose variables are bound.
  void nest(const LoopList& ll, size_t k, const std::function<void()>& inner) {
    const std::vector<Loop>& order = ll.loops;
    if (k == order.size()) {
      // Guards for split loops whose tile does not divide the extent.
      llvm::Value* ok = nullptr;
      for (auto& g : ll.guards)
        if (vars_.count(g.var)) {
          llvm::Value* in = b_.CreateICmpSLT(vars_[g.var], b_.getInt64(g.extent));
          ok = ok ? b_.CreateAnd(ok, in) : in;
        }
      when(ok, "guard", inner);
      return;
    }
    const Loop& lp = order[k];
    const std::string& l = lp.name;
    const std::string& var = lp.var;
    bool outer = lp.part == LoopPart::Outer, innerp = lp.part == LoopPart::Inner;
    int64_t trip = lp.trip;
    bool vec = lp.kind == LoopKind::Vector;
    auto body = [&](llvm::Value* iv) {
      parts_[l] = iv;
      if (!outer && !innerp) {
        vars_[var] = iv;
      } else if (parts_.count(var + ".o") && parts_.count(var + ".i") &&
                 (innerp || loop_pos(order, var + ".i") < k)) {
        vars_[var] = b_.CreateAdd(b_.CreateMul(parts_[var + ".o"], b_.getInt64(lp.tile)),
                                  parts_[var + ".i"], var);
      }
      nest(ll, k + 1, inner);
    };
    // Only without a ragged tail on the vector variable: the tail guard checks lane 0 only.
    if (vec && k + 1 == order.size() && explicit_ok_ && lp.width > 1 && trip % lp.width == 0 &&
        !lp.ragged()) {
      // Explicit vector loop: W lanes per iteration, the body evaluated on <W x float> values.
      int64_t w = lp.width;
      for_loop(l + ".v", b_.getInt64(trip / w), false, 0, [&](llvm::Value* iv) {
        llvm::Value* first = b_.CreateMul(iv, b_.getInt64(w));
        parts_[l] = first;
        if (!outer && !innerp)
          vars_[var] = first;
        else if (parts_.count(var + ".o") && parts_.count(var + ".i"))
          vars_[var] = b_.CreateAdd(b_.CreateMul(parts_[var + ".o"], b_.getInt64(lp.tile)),
                                    parts_[var + ".i"], var);
        vec_var_ = var;
        vec_width_ = w;
        nest(ll, k + 1, inner); // k + 1 == order.size(): emits the tail guards
        vec_var_.clear();
        vec_width_ = 0;
      });
      parts_.erase(l);
      vars_.erase(var);
      return;
    }
    if (lp.kind == LoopKind::Unrolled) {
      // Fully unrolled: the body once per iteration with a constant induction value, so values
      // indexed by this loop become distinct registers (register tiling).
      for (int64_t it = 0; it < trip; ++it)
        body(b_.getInt64(it));
    } else if (lp.kind == LoopKind::Parallel) {
      run_threaded(
          current_stmt_, trip, lp.threads, [](const std::function<void()>& loop) { loop(); }, body);
    } else {
      for_loop(l, b_.getInt64(trip), vec, lp.width, body);
    }
    parts_.erase(l);
    vars_.erase(var);
  }

  static size_t loop_pos(const std::vector<Loop>& order, const std::string& l) {
    for (size_t i = 0; i < order.size(); ++i)
      if (order[i].name == l)
        return i;
    return order.size();
  }

  // A statement that runs alone (no shared loop): its packed copies, then its loop nest.
  void lower_stmt(const Nest& n) {
    AXON_CHECK(vars_.empty() && parts_.empty(),
               "loop values left bound before statement " + std::to_string(n.stmt));
    int64_t at = 0;
    emit_packs(n, at);
    lower_stmt_body(n);
    packed_.clear();
  }

  // ---- fusion groups and threads ----
  // The statements of a group inside one loop over their shared loop; each statement's remaining
  // loops run per shared iteration. With threads > 1 the shared loop's iterations are split into
  // contiguous chunks, one per thread, in an outlined worker (see run_threaded).
  void lower_group(const Group& g) {
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
          [&](const std::function<void()>& loop) { with_slices(g, slices, g.threads, loop); },
          body);
    }
    AXON_CHECK(scratch_used_ <= scratch_bytes_,
               "group " + std::to_string(g.first) + " overran the scratch");
    packed_.clear();
  }

  // Runs `emit` with each sliced temporary pointing at its slice in the scratch: one run of slices
  // per thread (tid_) after the group's packed copies, each slice placed as the loop nest says;
  // then restores the full tensors.
  void with_slices(const Group& g, const std::vector<const StagedTensor*>& slices, int threads,
                   const std::function<void()>& emit) {
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
        llvm::Value* page = b_.CreateAnd(b_.CreateAdd(addr, b_.getInt64(st->page - 1)),
                                         b_.getInt64(~(st->page - 1)));
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

  // Emits a worker `i8* name.groupN(i8* arg)`, arg = {buffer pointer array, thread id, threads},
  // that runs iterations [tid * chunk, min(trip, (tid + 1) * chunk)) of the outer loop; the
  // kernel starts threads - 1 POSIX threads on it, runs chunk 0 itself and joins them. A thread
  // that cannot be started has its chunk run by the calling thread.
  void run_threaded(size_t first, int64_t trip, int threads,
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
      llvm::Value* th = b_.CreateLoad(
          i64_, b_.CreateConstInBoundsGEP2_64(th_ty, ths, 0, static_cast<uint64_t>(t)));
      b_.CreateCall(join, {th, llvm::ConstantPointerNull::get(llvm::PointerType::getUnqual(i8p))});
      b_.CreateBr(next);
      b_.SetInsertPoint(next);
    }
  }

  // The packed copies statement n reads, in the scratch from byte `at` on (advanced past them).
  void emit_packs(const Nest& n, int64_t& at) {
    for (auto& st : nest_.staged)
      if (st.kind == StagedKind::Packed && st.stmt == n.stmt) {
        AXON_CHECK(st.offset == at, "packed copy " + st.name + " out of place");
        emit_pack(st, at);
        at += st.bytes;
        scratch_used_ = std::max(scratch_used_, at);
      }
  }

  // Copies tensor t into the scratch at byte `at`, laid out [v.o][other indices][v.i], v being its
  // packed variable (pack_var) at index position `pos`, so v's tiles are contiguous for every
  // value of the other indices.
  void emit_pack(const StagedTensor& staged, int64_t at) {
    const std::string& t = staged.tensor;
    const Buf& src = bufs_.at(t);
    Buf& dst = bufs_.at(t + ".pack");
    const size_t pos = staged.position;
    const std::string& var = staged.var;
    const int64_t tile = staged.tile, lead = staged.lead;
    int64_t n = src.shape.at(pos);
    std::vector<int64_t> stride(src.shape.size(), 1);
    for (size_t i = src.shape.size(); i-- > 1;)
      stride[i - 1] = stride[i] * src.shape[i];
    llvm::Value* raw =
        b_.CreateConstInBoundsGEP1_64(i8_, bufs_.at(kScratch).ptr, static_cast<uint64_t>(at));
    dst.ptr = b_.CreateBitCast(raw, llvm::PointerType::getUnqual(f32_), t + ".pack");
    dst.shape = staged.shape;
    // The innermost copy loop runs along the source's last dimension so that reads are
    // contiguous: v's tile innermost when v is that dimension, else outside the other dimensions.
    bool v_last = pos + 1 == src.shape.size();
    auto panel = [&](llvm::Value* o) {
      auto copy = [&](llvm::Value* i, llvm::Value* from, llvm::Value* l) {
        llvm::Value* v = b_.CreateAdd(b_.CreateMul(o, b_.getInt64(tile)), i);
        llvm::Value* at = b_.CreateAdd(from, b_.CreateMul(v, b_.getInt64(stride[pos])));
        llvm::Value* to = b_.CreateAdd(
            b_.CreateMul(b_.CreateAdd(b_.CreateMul(o, b_.getInt64(lead)), l), b_.getInt64(tile)),
            i);
        llvm::Value* x = load(src, b_.CreateInBoundsGEP(src.elt, src.ptr, at));
        tag(b_.CreateStore(x, b_.CreateInBoundsGEP(f32_, dst.ptr, to)), dst);
      };
      // One loop per other dimension, outer to inner: `from` is the source offset without v,
      // `l` the flattened other index.
      std::function<void(size_t, llvm::Value*, llvm::Value*, llvm::Value*)> dims =
          [&](size_t d, llvm::Value* i, llvm::Value* from, llvm::Value* l) {
            if (d == src.shape.size()) {
              if (v_last)
                for_loop(t + ".pk.i", b_.getInt64(tile), true, 0,
                         [&](llvm::Value* iv) { copy(iv, from, l); });
              else
                copy(i, from, l);
              return;
            }
            if (d == pos)
              return dims(d + 1, i, from, l);
            bool innermost = d + 1 == src.shape.size();
            for_loop(t + ".pk.d" + std::to_string(d), b_.getInt64(src.shape[d]), innermost, 0,
                     [&](llvm::Value* x) {
                       dims(d + 1, i, b_.CreateAdd(from, b_.CreateMul(x, b_.getInt64(stride[d]))),
                            b_.CreateAdd(b_.CreateMul(l, b_.getInt64(src.shape[d])), x));
                     });
          };
      if (v_last)
        dims(0, nullptr, b_.getInt64(0), b_.getInt64(0));
      else
        for_loop(t + ".pk.i", b_.getInt64(tile), false, 0,
                 [&](llvm::Value* i) { dims(0, i, b_.getInt64(0), b_.getInt64(0)); });
    };
    // A threaded statement packs on its threads too (one panel of v's tiles per iteration).
    if (staged.copy_threads > 1)
      run_threaded(
          staged.stmt, n / tile, staged.copy_threads,
          [](const std::function<void()>& loop) { loop(); }, panel);
    else
      for_loop(t + ".pk.o", b_.getInt64(n / tile), false, 0, panel);
    packed_[t] = {var, tile, lead, pos};
  }

  // Statement n.stmt inside its loops; the first n.bound loops are already bound (1 inside a
  // group's shared loop: the output is then initialised per shared iteration).
  void lower_stmt_body(const Nest& n) {
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
  void epilogue_pass(const IndexStmt& st, const LoopList& over, const Expr& epi) {
    const Buf& out = bufs_.at(st.out);
    // The pass's loops are not the tiles a packed copy is laid out by: read the tensors.
    auto packed = std::exchange(packed_, {});
    nest(over, 0, [&] { store(out, st.vars, real(epi)); });
    packed_ = std::move(packed);
  }

  // ---- register tiles ----
  // A lifted reduction whose loop has only unrolled loops and the explicit vector loop inside it:
  // the output tile is loaded into accumulators before the reduction loop (or, with `identity`,
  // when the tile covers the whole reduction, they start at it), updated in registers, and stored
  // after it (what LICM cannot do itself, as all output accesses share one buffer).
  // `epi` (vectorizable, or nullptr): the reduction's epilogue, applied to each vector of the tile
  // as it is stored.
  bool register_tile(const Nest& n, const ExprNode* red, const Expr& epi, const double* identity) {
    if (!explicit_ok_ || !n.annotations.register_tile)
      return false;
    const IndexStmt& st = p_.stmts()[n.stmt];
    const std::vector<Loop>& order = n.loops.loops;
    size_t r = n.reduction_loop;
    struct Inner {
      std::string loop, var;
      int64_t trip;
      bool vector;
    };
    std::vector<Inner> inner;
    for (size_t i = r + 1; i < order.size(); ++i)
      inner.push_back({order[i].name, order[i].var, order[i].tile, i + 1 == order.size()});
    std::map<std::string, const Loop*> inner_loop;
    for (size_t i = r + 1; i < order.size(); ++i)
      inner_loop[order[i].var] = &order[i];
    const Buf& out = bufs_.at(st.out);
    int64_t w = order.back().width;
    LoopList outer;
    outer.loops.assign(order.begin(), order.begin() + static_cast<long>(r));
    outer.guards = n.loops.guards;
    const Loop& rl = order[r];
    const std::string& rloop = rl.name;
    // Every point of the tile: one value per inner loop (the vector loop steps by W).
    std::vector<std::vector<int64_t>> points = {{}};
    for (auto& in : inner) {
      std::vector<std::vector<int64_t>> next;
      for (auto& pt : points)
        for (int64_t x = 0; x < in.trip; x += in.vector ? w : 1) {
          auto q = pt;
          q.push_back(x);
          next.push_back(q);
        }
      points = next;
    }
    // A ragged unrolled loop (its tile does not divide its extent): in the last tile, the rows
    // past the extent read the last row instead (clamped; valid memory, values thrown away) and
    // their stores are skipped (`in_extent`).
    llvm::Value* in_extent = nullptr;
    auto bind_point = [&](const std::vector<int64_t>& pt) {
      in_extent = nullptr;
      for (size_t i = 0; i < inner.size(); ++i) {
        parts_[inner[i].loop] = b_.getInt64(pt[i]);
        const std::string& v = inner[i].var;
        const Loop& il = *inner_loop.at(v);
        llvm::Value* x = b_.CreateAdd(b_.CreateMul(parts_.at(v + ".o"), b_.getInt64(il.tile)),
                                      parts_[inner[i].loop], v);
        int64_t e = il.extent;
        if (il.ragged()) {
          llvm::Value* ok = b_.CreateICmpSLT(x, b_.getInt64(e));
          in_extent = in_extent ? b_.CreateAnd(in_extent, ok) : ok;
          x = b_.CreateSelect(ok, x, b_.getInt64(e - 1), v + ".clamped");
        }
        vars_[v] = x;
      }
      vec_var_ = inner.back().var;
      vec_width_ = w;
    };
    nest(outer, n.bound, [&] {
      llvm::IRBuilder<> eb(entry_, entry_->begin());
      std::vector<llvm::AllocaInst*> accs;
      for (auto& pt : points) {
        bind_point(pt);
        accs.push_back(eb.CreateAlloca(vty(), nullptr, "tile"));
        b_.CreateStore(identity ? splat(llvm::ConstantFP::get(f32_, *identity))
                                : vload_out(out, st.vars),
                       accs.back());
      }
      const std::string& rv = rl.var;
      bool split_r = rl.part != LoopPart::Whole;
      for_loop(rloop, b_.getInt64(rl.trip), false, 0, [&](llvm::Value* iv) {
        parts_[rloop] = iv;
        if (!split_r)
          vars_[rv] = iv;
        else if (parts_.count(rv + ".o") && parts_.count(rv + ".i"))
          vars_[rv] = b_.CreateAdd(b_.CreateMul(parts_[rv + ".o"], b_.getInt64(rl.tile)),
                                   parts_[rv + ".i"], rv);
        llvm::Value* in_range =
            rl.ragged() ? b_.CreateICmpSLT(vars_[rv], b_.getInt64(rl.extent)) : nullptr;
        when(in_range, "rtile", [&] {
          for (size_t i = 0; i < points.size(); ++i) {
            bind_point(points[i]);
            llvm::Value* v = vreal(red->body());
            b_.CreateStore(combine(red->kind(), b_.CreateLoad(vty(), accs[i]), v), accs[i]);
          }
        });
      });
      parts_.erase(rloop);
      vars_.erase(rv);
      for (size_t i = 0; i < points.size(); ++i) {
        bind_point(points[i]);
        when(in_extent, "rtile.row", [&] {
          vstore(out, st.vars, b_.CreateLoad(vty(), accs[i]));
          if (epi)
            vstore(out, st.vars, vreal(epi));
        });
      }
      for (auto& in : inner) {
        parts_.erase(in.loop);
        vars_.erase(in.var);
      }
      vec_var_.clear();
      vec_width_ = 0;
    });
    return true;
  }

  // ---- explicit vectorization ----
  // Expressions made of arithmetic, min/max, sqrt, loads and nested reductions are evaluated
  // lane-parallel on <W x float>; anything else (math calls, selects, conditions) keeps the
  // scalar form and LLVM's loop vectorizer (which maps math calls to libmvec).
  // The vector routine for a math function at the statement's vector width, or "".
  static const char* math_function(ExprKind k) {
    return k == ExprKind::Exp       ? "exp"
           : k == ExprKind::Log     ? "log"
           : k == ExprKind::Tanh    ? "tanh"
           : k == ExprKind::Erf     ? "erf"
           : k == ExprKind::Sigmoid ? "exp"
                                    : nullptr;
  }
  std::string math_routine(ExprKind k) const {
    const char* f = math_function(k);
    if (!f || width_ != math_lanes_ || !vector_math_.count(f))
      return "";
    return vector_math_.at(f);
  }

  bool vectorizable(const Expr& e) const {
    switch (e->kind()) {
    case ExprKind::Exp:
    case ExprKind::Log:
    case ExprKind::Tanh:
    case ExprKind::Erf:
    case ExprKind::Sigmoid:
      if (math_routine(e->kind()).empty())
        return false;
      break;
    case ExprKind::RealConst:
    case ExprKind::Access:
    case ExprKind::Neg:
    case ExprKind::Add:
    case ExprKind::Sub:
    case ExprKind::Mul:
    case ExprKind::Div:
    case ExprKind::Min:
    case ExprKind::Max:
    case ExprKind::Sqrt:
    case ExprKind::Rsqrt:
    case ExprKind::Abs:
    case ExprKind::Recip:
    case ExprKind::ToReal:
    case ExprKind::Sum:
    case ExprKind::RMax:
    case ExprKind::RMin:
      break;
    default:
      return false;
    }
    if (e->kind() == ExprKind::Access)
      return e->sort() == Sort::Real;
    if (e->kind() == ExprKind::ToReal)
      return true;
    if (is_reduce(e->kind()))
      return vectorizable(e->body());
    for (auto& a : e->args())
      if (!vectorizable(a))
        return false;
    return true;
  }

  llvm::Type* vty() { return llvm::FixedVectorType::get(f32_, static_cast<unsigned>(vec_width_)); }
  // A call of a vector math routine (pure: kernels never read errno).
  // Function k (exp, log, tanh, erf) of every lane: the target's vector routine, or the backend's
  // own implementation where the target asks for it (emit/cpu/vector_math.h).
  llvm::Value* vmath(ExprKind k, llvm::Value* x) {
    std::string routine = math_routine(k);
    AXON_CHECK(!routine.empty() && vec_width_ == math_lanes_, "no vector routine at this width");
    if (routine == kInlineVectorMath)
      return inline_vector_math(b_, math_function(k), x);
    llvm::FunctionCallee f =
        mod_->getOrInsertFunction(routine, llvm::FunctionType::get(vty(), {vty()}, false));
    if (auto* fn = llvm::dyn_cast<llvm::Function>(f.getCallee())) {
      fn->addFnAttr(llvm::Attribute::NoUnwind);
      fn->addFnAttr(llvm::Attribute::WillReturn);
      fn->setDoesNotAccessMemory();
    }
    return b_.CreateCall(f, {x});
  }
  llvm::Value* splat(llvm::Value* v) {
    return b_.CreateVectorSplat(static_cast<unsigned>(vec_width_), v);
  }

  bool depends_on_vec(const Expr& e) {
    for (auto& v : free_index_vars(e))
      if (v == vec_var_)
        return true;
    return false;
  }

  // Lane-wise fallback: evaluate `scalar` once per lane with the vector variable at base + lane.
  llvm::Value* per_lane(const std::function<llvm::Value*()>& scalar) {
    llvm::Value* base = vars_.at(vec_var_);
    std::string saved = vec_var_;
    int64_t w = vec_width_;
    vec_var_.clear();
    llvm::Value* out =
        llvm::UndefValue::get(llvm::FixedVectorType::get(f32_, static_cast<unsigned>(w)));
    for (int64_t lane = 0; lane < w; ++lane) {
      vars_[saved] = b_.CreateAdd(base, b_.getInt64(lane));
      out = b_.CreateInsertElement(out, scalar(), b_.getInt64(lane));
    }
    vars_[saved] = base;
    vec_var_ = saved;
    vec_width_ = w;
    return out;
  }

  // Contiguous in the vector variable: it appears only in the last index, as `v` or `v + c`.
  bool contiguous(const std::vector<Expr>& idx) {
    for (size_t i = 0; i + 1 < idx.size(); ++i)
      if (depends_on_vec(idx[i]))
        return false;
    if (idx.empty())
      return false;
    const Expr& last = idx.back();
    if (last->kind() == ExprKind::IndexVar)
      return last->name() == vec_var_;
    if ((last->kind() == ExprKind::Add || last->kind() == ExprKind::Sub) &&
        last->arg(0)->kind() == ExprKind::IndexVar && last->arg(0)->name() == vec_var_)
      return !depends_on_vec(last->arg(1));
    return false;
  }

  llvm::Value* vload(const Expr& e) {
    const Buf& buf = bufs_.at(packed_.count(e->name()) ? e->name() + ".pack" : e->name());
    bool dep = false;
    for (auto& i : e->args())
      dep = dep || depends_on_vec(i);
    if (!dep)
      return splat(real(e));
    // A packed copy is contiguous along its variable's inner part wherever v was in the source.
    auto pk = packed_.find(e->name());
    bool packed_along = pk != packed_.end() && pk->second.var == vec_var_;
    if (prefetch_.count(e->name()))
      prefetch_next(e);
    if (packed_along || contiguous(e->args()))
      return vload_at(buf, access_address(e));
    return per_lane([&] { return real(e); });
  }

  // Prefetches element e (its first lane) at the fusion group's next outer iteration (the outer
  // variable prefetch_step_ further on; a split outer loop's tile is its step). The address may
  // lie past the tensor on the last iteration: it is computed without inbounds, and a prefetch
  // never faults.
  void prefetch_next(const Expr& e) {
    llvm::Value*& outer = vars_.at(prefetch_var_);
    llvm::Value* cur = outer;
    outer = b_.CreateAdd(cur, b_.getInt64(prefetch_step_));
    std::vector<llvm::Value*> idx;
    for (auto& a : e->args())
      idx.push_back(integer(a));
    outer = cur;
    llvm::Value* addr = b_.CreateBitCast(address(bufs_.at(e->name()), idx, false),
                                         llvm::PointerType::getUnqual(i8_));
    // Read access, keep in all cache levels, data cache.
    b_.CreateIntrinsic(llvm::Intrinsic::prefetch, {addr->getType()},
                       {addr, b_.getInt32(0), b_.getInt32(3), b_.getInt32(1)});
  }

  // The output's W elements at the vector variable's lanes: one vector load when the vector
  // variable indexes the last dimension, else one load per lane.
  llvm::Value* vload_out(const Buf& out, const std::vector<std::string>& vars) {
    if (!vars.empty() && vars.back() == vec_var_)
      return vload_at(out, address(out, index_values(vars)));
    if (std::find(vars.begin(), vars.end(), vec_var_) == vars.end())
      return splat(load(out, address(out, index_values(vars))));
    llvm::Value* base = vars_.at(vec_var_);
    llvm::Value* v = llvm::UndefValue::get(vty());
    for (int64_t lane = 0; lane < vec_width_; ++lane) {
      vars_[vec_var_] = b_.CreateAdd(base, b_.getInt64(lane));
      v = b_.CreateInsertElement(v, load(out, address(out, index_values(vars))), b_.getInt64(lane));
    }
    vars_[vec_var_] = base;
    return v;
  }

  void vstore(const Buf& out, const std::vector<std::string>& vars, llvm::Value* v) {
    if (!vars.empty() && vars.back() == vec_var_) {
      auto* sty = llvm::FixedVectorType::get(out.elt, static_cast<unsigned>(vec_width_));
      llvm::Value* addr =
          b_.CreateBitCast(address(out, index_values(vars)), llvm::PointerType::getUnqual(sty));
      llvm::Value* val = narrow(v, out.dtype);
      if (streams_) {
        streaming_store(out, val, addr);
        return;
      }
      tag(b_.CreateAlignedStore(val, addr, llvm::Align(dtype_bytes(out.dtype))), out);
      return;
    }
    llvm::Value* base = vars_.at(vec_var_);
    for (int64_t lane = 0; lane < vec_width_; ++lane) {
      vars_[vec_var_] = b_.CreateAdd(base, b_.getInt64(lane));
      store(out, vars, b_.CreateExtractElement(v, b_.getInt64(lane)));
    }
    vars_[vec_var_] = base;
  }

  // Stores vector `val` of the output at `addr` with a streaming (non-temporal) store that
  // bypasses the caches.
  void streaming_store(const Buf& out, llvm::Value* val, llvm::Value* addr) {
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

  llvm::Value* vreal(const Expr& e) {
    if (!depends_on_vec(e) && !is_reduce(e->kind()))
      return splat(real(e));
    llvm::Value* one = llvm::ConstantFP::get(vty(), 1.0);
    switch (e->kind()) {
    case ExprKind::Access:
      return vload(e);
    case ExprKind::ToReal:
      return per_lane([&] { return real(e); });
    case ExprKind::Neg:
      return b_.CreateFNeg(vreal(e->arg(0)));
    case ExprKind::Add:
      return b_.CreateFAdd(vreal(e->arg(0)), vreal(e->arg(1)));
    case ExprKind::Sub:
      return b_.CreateFSub(vreal(e->arg(0)), vreal(e->arg(1)));
    case ExprKind::Mul:
      return b_.CreateFMul(vreal(e->arg(0)), vreal(e->arg(1)));
    case ExprKind::Div:
      return b_.CreateFDiv(vreal(e->arg(0)), vreal(e->arg(1)));
    case ExprKind::Recip:
      return b_.CreateFDiv(one, vreal(e->arg(0)));
    case ExprKind::Min:
      return b_.CreateIntrinsic(llvm::Intrinsic::minnum, {vty()},
                                {vreal(e->arg(0)), vreal(e->arg(1))});
    case ExprKind::Max:
      return b_.CreateIntrinsic(llvm::Intrinsic::maxnum, {vty()},
                                {vreal(e->arg(0)), vreal(e->arg(1))});
    case ExprKind::Sqrt:
      return b_.CreateIntrinsic(llvm::Intrinsic::sqrt, {vty()}, {vreal(e->arg(0))});
    case ExprKind::Rsqrt:
      return b_.CreateFDiv(one,
                           b_.CreateIntrinsic(llvm::Intrinsic::sqrt, {vty()}, {vreal(e->arg(0))}));
    case ExprKind::Abs:
      return b_.CreateIntrinsic(llvm::Intrinsic::fabs, {vty()}, {vreal(e->arg(0))});
    case ExprKind::Exp:
    case ExprKind::Log:
    case ExprKind::Tanh:
    case ExprKind::Erf:
      return vmath(e->kind(), vreal(e->arg(0)));
    case ExprKind::Sigmoid:
      return b_.CreateFDiv(
          one, b_.CreateFAdd(one, vmath(ExprKind::Exp, b_.CreateFNeg(vreal(e->arg(0))))));
    case ExprKind::Sum:
    case ExprKind::RMax:
    case ExprKind::RMin: {
      if (!depends_on_vec(e))
        return splat(real(e));
      double identity = e->kind() == ExprKind::Sum    ? 0.0
                        : e->kind() == ExprKind::RMax ? -INFINITY
                                                      : INFINITY;
      llvm::IRBuilder<> eb(entry_, entry_->begin());
      llvm::AllocaInst* acc = eb.CreateAlloca(vty(), nullptr, "vacc." + e->name());
      b_.CreateStore(llvm::ConstantFP::get(vty(), identity), acc);
      std::string var = e->name();
      auto prev = vars_.find(var);
      llvm::Value* saved = prev == vars_.end() ? nullptr : prev->second;
      for_loop("r." + var, integer(e->extent()), false, 0, [&](llvm::Value* iv) {
        vars_[var] = iv;
        llvm::Value* v = vreal(e->body());
        llvm::Value* a = b_.CreateLoad(vty(), acc);
        llvm::Value* c =
            e->kind() == ExprKind::Sum
                ? b_.CreateFAdd(a, v)
                : b_.CreateIntrinsic(e->kind() == ExprKind::RMax ? llvm::Intrinsic::maxnum
                                                                 : llvm::Intrinsic::minnum,
                                     {vty()}, {a, v});
        b_.CreateStore(c, acc);
      });
      if (saved)
        vars_[var] = saved;
      else
        vars_.erase(var);
      return b_.CreateLoad(vty(), acc);
    }
    default:
      internal_error(std::string("not vectorizable: ") + kind_name(e->kind()));
    }
  }

  std::vector<llvm::Value*> index_values(const std::vector<std::string>& vars) {
    std::vector<llvm::Value*> idx;
    for (auto& v : vars)
      idx.push_back(vars_.at(v));
    return idx;
  }

  // maxnum/minnum (not compare+select) so LLVM recognises max/min reductions and vectorizes them.
  llvm::Value* combine(ExprKind k, llvm::Value* acc, llvm::Value* v) {
    if (k == ExprKind::Sum)
      return b_.CreateFAdd(acc, v);
    return b_.CreateIntrinsic(k == ExprKind::RMax ? llvm::Intrinsic::maxnum
                                                  : llvm::Intrinsic::minnum,
                              {acc->getType()}, {acc, v});
  }

  // ---- memory ----
  // The element's address; with `inbounds` false, one that may lie outside the buffer (no wrap
  // or inbounds flags: a prefetch's).
  llvm::Value* address(const Buf& buf, const std::vector<llvm::Value*>& idx, bool inbounds = true) {
    llvm::Value* off = b_.getInt64(0);
    for (size_t i = 0; i < idx.size(); ++i) {
      llvm::Value* x =
          static_cast<int>(i) == buf.contracted ? b_.CreateSub(idx[i], buf.slice_base) : idx[i];
      off = b_.CreateAdd(b_.CreateMul(off, b_.getInt64(buf.shape[i]), "", inbounds, inbounds), x,
                         "", inbounds, inbounds);
    }
    return inbounds ? b_.CreateInBoundsGEP(buf.elt, buf.ptr, off)
                    : b_.CreateGEP(buf.elt, buf.ptr, off);
  }
  void tag(llvm::Instruction* inst, const Buf& buf) {
    inst->setMetadata(llvm::LLVMContext::MD_alias_scope, buf.scope_list);
    inst->setMetadata(llvm::LLVMContext::MD_noalias, buf.noalias_list);
  }
  llvm::Value* load(const Buf& buf, llvm::Value* addr) {
    llvm::LoadInst* l = b_.CreateLoad(buf.elt, addr);
    tag(l, buf);
    if (buf.elt == i8_)
      return b_.CreateICmpNE(l, b_.getInt8(0));
    return widen(l, buf.dtype);
  }
  void store_at(const Buf& buf, llvm::Value* addr, llvm::Value* v) {
    if (buf.elt == i8_)
      v = b_.CreateZExt(v, i8_);
    else
      v = narrow(v, buf.dtype);
    tag(b_.CreateStore(v, addr), buf);
  }
  // W consecutive elements from addr, widened to <W x float>.
  llvm::Value* vload_at(const Buf& buf, llvm::Value* addr) {
    auto* sty = llvm::FixedVectorType::get(buf.elt, static_cast<unsigned>(vec_width_));
    llvm::Value* a = b_.CreateBitCast(addr, llvm::PointerType::getUnqual(sty));
    llvm::LoadInst* l = b_.CreateAlignedLoad(sty, a, llvm::Align(dtype_bytes(buf.dtype)));
    tag(l, buf);
    return widen(l, buf.dtype);
  }
  // The same shape (scalar or vector) with another element type.
  static llvm::Type* like(llvm::Value* v, llvm::Type* elt) {
    if (auto* vt = llvm::dyn_cast<llvm::FixedVectorType>(v->getType()))
      return llvm::FixedVectorType::get(elt, vt->getNumElements());
    return elt;
  }
  // Storage value -> f32: f16 extends exactly; bf16 is the high half of an f32.
  llvm::Value* widen(llvm::Value* raw, DType d) {
    if (d == DType::F16)
      return b_.CreateFPExt(raw, like(raw, f32_));
    if (d == DType::BF16)
      return b_.CreateBitCast(b_.CreateShl(b_.CreateZExt(raw, like(raw, b_.getInt32Ty())), 16),
                              like(raw, f32_));
    return raw;
  }
  // f32 -> storage value, rounded to nearest even (bf16 by integer rounding, NaN kept a quiet NaN).
  llvm::Value* narrow(llvm::Value* v, DType d) {
    if (d == DType::F16)
      return b_.CreateFPTrunc(v, like(v, b_.getHalfTy()));
    if (d != DType::BF16)
      return v;
    llvm::Type* i32 = like(v, b_.getInt32Ty());
    llvm::Value* bits = b_.CreateBitCast(v, i32);
    llvm::Value* lsb = b_.CreateAnd(b_.CreateLShr(bits, 16), llvm::ConstantInt::get(i32, 1));
    llvm::Value* rounded =
        b_.CreateAdd(bits, b_.CreateAdd(lsb, llvm::ConstantInt::get(i32, 0x7fff)));
    llvm::Value* h = b_.CreateTrunc(b_.CreateLShr(rounded, 16), like(v, b_.getInt16Ty()));
    llvm::Value* nan = b_.CreateFCmpUNO(v, v);
    return b_.CreateSelect(nan, llvm::ConstantInt::get(like(v, b_.getInt16Ty()), 0x7fc0), h);
  }
  void store(const Buf& buf, const std::vector<std::string>& vars, llvm::Value* v) {
    store_at(buf, address(buf, index_values(vars)), v);
  }

  // ---- expressions ----
  llvm::Value* real_or_bool(const Expr& e) {
    return e->sort() == Sort::Bool ? boolean(e) : real(e);
  }

  llvm::Value* integer(const Expr& e) {
    switch (e->kind()) {
    case ExprKind::IntConst:
      return b_.getInt64(e->int_value());
    case ExprKind::DimVar:
      return b_.getInt64(p_.eval_size(e));
    case ExprKind::IndexVar: {
      auto it = vars_.find(e->name());
      AXON_CHECK(it != vars_.end(), "unbound index variable " + e->name());
      return it->second;
    }
    case ExprKind::Neg:
      return b_.CreateNeg(integer(e->arg(0)));
    case ExprKind::Add:
      return b_.CreateAdd(integer(e->arg(0)), integer(e->arg(1)));
    case ExprKind::Sub:
      return b_.CreateSub(integer(e->arg(0)), integer(e->arg(1)));
    case ExprKind::Mul:
      return b_.CreateMul(integer(e->arg(0)), integer(e->arg(1)));
    case ExprKind::Min: {
      llvm::Value *a = integer(e->arg(0)), *c = integer(e->arg(1));
      return b_.CreateSelect(b_.CreateICmpSLT(a, c), a, c);
    }
    case ExprKind::Max: {
      llvm::Value *a = integer(e->arg(0)), *c = integer(e->arg(1));
      return b_.CreateSelect(b_.CreateICmpSGT(a, c), a, c);
    }
    case ExprKind::Div:
    case ExprKind::Mod:
      return floor_divmod(e->kind(), integer(e->arg(0)), integer(e->arg(1)));
    case ExprKind::Select:
      return branch(
          e, [&](const Expr& x) { return integer(x); }, i64_);
    default:
      internal_error(std::string("not an integer expression: ") + kind_name(e->kind()));
    }
  }

  // Floor division and the divisor-signed remainder, 0 for a zero divisor (the IR's semantics).
  llvm::Value* floor_divmod(ExprKind k, llvm::Value* a, llvm::Value* d) {
    llvm::Value* zero = b_.getInt64(0);
    llvm::Value* dz = b_.CreateICmpEQ(d, zero);
    llvm::Value* safe = b_.CreateSelect(dz, b_.getInt64(1), d);
    llvm::Value* q = b_.CreateSDiv(a, safe);
    llvm::Value* r = b_.CreateSRem(a, safe);
    llvm::Value* adjust =
        b_.CreateAnd(b_.CreateICmpNE(r, zero),
                     b_.CreateICmpNE(b_.CreateICmpSLT(r, zero), b_.CreateICmpSLT(safe, zero)));
    llvm::Value* out = k == ExprKind::Div
                           ? b_.CreateSelect(adjust, b_.CreateSub(q, b_.getInt64(1)), q)
                           : b_.CreateSelect(adjust, b_.CreateAdd(r, safe), r);
    return b_.CreateSelect(dz, zero, out);
  }

  llvm::Value* boolean(const Expr& e) {
    switch (e->kind()) {
    case ExprKind::Access:
      return load(bufs_.at(e->name()), access_address(e));
    case ExprKind::Not:
      return b_.CreateNot(boolean(e->arg(0)));
    case ExprKind::And:
      return b_.CreateAnd(boolean(e->arg(0)), boolean(e->arg(1)));
    case ExprKind::Or:
      return b_.CreateOr(boolean(e->arg(0)), boolean(e->arg(1)));
    case ExprKind::Select:
      return branch(
          e, [&](const Expr& x) { return boolean(x); }, b_.getInt1Ty());
    case ExprKind::Lt:
    case ExprKind::Le:
    case ExprKind::Gt:
    case ExprKind::Ge:
    case ExprKind::Eq:
    case ExprKind::Ne: {
      Sort s = e->arg(0)->sort();
      if (s == Sort::Int) {
        llvm::Value *a = integer(e->arg(0)), *c = integer(e->arg(1));
        static const std::map<ExprKind, llvm::CmpInst::Predicate> ip = {
            {ExprKind::Lt, llvm::CmpInst::ICMP_SLT}, {ExprKind::Le, llvm::CmpInst::ICMP_SLE},
            {ExprKind::Gt, llvm::CmpInst::ICMP_SGT}, {ExprKind::Ge, llvm::CmpInst::ICMP_SGE},
            {ExprKind::Eq, llvm::CmpInst::ICMP_EQ},  {ExprKind::Ne, llvm::CmpInst::ICMP_NE}};
        return b_.CreateICmp(ip.at(e->kind()), a, c);
      }
      if (s == Sort::Bool) {
        llvm::Value *a = boolean(e->arg(0)), *c = boolean(e->arg(1));
        return e->kind() == ExprKind::Eq ? b_.CreateICmpEQ(a, c) : b_.CreateICmpNE(a, c);
      }
      llvm::Value *a = real(e->arg(0)), *c = real(e->arg(1));
      static const std::map<ExprKind, llvm::CmpInst::Predicate> fp = {
          {ExprKind::Lt, llvm::CmpInst::FCMP_OLT}, {ExprKind::Le, llvm::CmpInst::FCMP_OLE},
          {ExprKind::Gt, llvm::CmpInst::FCMP_OGT}, {ExprKind::Ge, llvm::CmpInst::FCMP_OGE},
          {ExprKind::Eq, llvm::CmpInst::FCMP_OEQ}, {ExprKind::Ne, llvm::CmpInst::FCMP_UNE}};
      return b_.CreateFCmp(fp.at(e->kind()), a, c);
    }
    default:
      internal_error(std::string("not a bool expression: ") + kind_name(e->kind()));
    }
  }

  llvm::Value* access_address(const Expr& e) {
    auto pk = packed_.find(e->name());
    if (pk != packed_.end()) {
      // [v.o][lead][v.i]: the split parts of v come straight from the loop nest.
      const Buf& src = bufs_.at(e->name());
      llvm::Value* lead = b_.getInt64(0);
      for (size_t i = 0; i < e->args().size(); ++i)
        if (i != pk->second.pos)
          lead = b_.CreateAdd(b_.CreateMul(lead, b_.getInt64(src.shape[i])), integer(e->arg(i)));
      const std::string& v = pk->second.var;
      llvm::Value* vo = parts_.at(v + ".o");
      llvm::Value* vi = parts_.at(v + ".i");
      llvm::Value* off = b_.CreateAdd(
          b_.CreateMul(b_.CreateAdd(b_.CreateMul(vo, b_.getInt64(pk->second.lead)), lead),
                       b_.getInt64(pk->second.tile)),
          vi);
      return b_.CreateInBoundsGEP(f32_, bufs_.at(e->name() + ".pack").ptr, off);
    }
    std::vector<llvm::Value*> idx;
    for (auto& a : e->args())
      idx.push_back(integer(a));
    return address(bufs_.at(e->name()), idx);
  }

  // select(c, a, b) as control flow: only the taken branch runs (a guarded out-of-range read
  // stays safe); LLVM turns it into a select instruction when both sides are safe to speculate.
  llvm::Value* branch(const Expr& e, const std::function<llvm::Value*(const Expr&)>& gen,
                      llvm::Type* ty) {
    llvm::Value* c = boolean(e->arg(0));
    llvm::BasicBlock* tb = llvm::BasicBlock::Create(ctx_, "sel.t", fn_);
    llvm::BasicBlock* fb = llvm::BasicBlock::Create(ctx_, "sel.f", fn_);
    llvm::BasicBlock* jb = llvm::BasicBlock::Create(ctx_, "sel.join", fn_);
    b_.CreateCondBr(c, tb, fb);
    b_.SetInsertPoint(tb);
    llvm::Value* tv = gen(e->arg(1));
    llvm::BasicBlock* tend = b_.GetInsertBlock();
    b_.CreateBr(jb);
    b_.SetInsertPoint(fb);
    llvm::Value* fv = gen(e->arg(2));
    llvm::BasicBlock* fend = b_.GetInsertBlock();
    b_.CreateBr(jb);
    b_.SetInsertPoint(jb);
    llvm::PHINode* phi = b_.CreatePHI(ty, 2);
    phi->addIncoming(tv, tend);
    phi->addIncoming(fv, fend);
    return phi;
  }

  llvm::Value* libm(const char* fname, std::vector<llvm::Value*> args) {
    std::vector<llvm::Type*> tys(args.size(), f32_);
    llvm::FunctionCallee f =
        mod_->getOrInsertFunction(fname, llvm::FunctionType::get(f32_, tys, false));
    if (auto* fn = llvm::dyn_cast<llvm::Function>(f.getCallee())) {
      fn->addFnAttr(llvm::Attribute::NoUnwind);
      fn->addFnAttr(llvm::Attribute::WillReturn);
      // Kernels never read errno, so math calls count as pure: LLVM may hoist and vectorize them.
      fn->setDoesNotAccessMemory();
    }
    return b_.CreateCall(f, args);
  }
  llvm::Value* intrinsic(llvm::Intrinsic::ID id, std::vector<llvm::Value*> args) {
    return b_.CreateIntrinsic(id, {f32_}, args);
  }

  llvm::Value* real(const Expr& e) {
    llvm::Value* one = llvm::ConstantFP::get(f32_, 1.0);
    switch (e->kind()) {
    case ExprKind::RealConst:
      return llvm::ConstantFP::get(f32_, e->real_value());
    case ExprKind::Access:
      return load(bufs_.at(packed_.count(e->name()) ? e->name() + ".pack" : e->name()),
                  access_address(e));
    case ExprKind::ToReal:
      return b_.CreateSIToFP(integer(e->arg(0)), f32_);
    case ExprKind::Neg:
      return b_.CreateFNeg(real(e->arg(0)));
    case ExprKind::Exp:
      return libm("expf", {real(e->arg(0))});
    case ExprKind::Log:
      return libm("logf", {real(e->arg(0))});
    case ExprKind::Sqrt:
      return intrinsic(llvm::Intrinsic::sqrt, {real(e->arg(0))});
    case ExprKind::Rsqrt:
      return b_.CreateFDiv(one, intrinsic(llvm::Intrinsic::sqrt, {real(e->arg(0))}));
    case ExprKind::Tanh: {
      // tanh(x) = 1 - 2 / (exp(2x) + 1): expf has a vector variant in libmvec, tanhf has none
      // in LLVM 14's table. Absolute error ~1e-7; checked numerically like every kernel.
      llvm::Value* e2 =
          libm("expf", {b_.CreateFMul(llvm::ConstantFP::get(f32_, 2.0), real(e->arg(0)))});
      return b_.CreateFSub(one,
                           b_.CreateFDiv(llvm::ConstantFP::get(f32_, 2.0), b_.CreateFAdd(e2, one)));
    }
    case ExprKind::Erf:
      return libm("erff", {real(e->arg(0))});
    case ExprKind::Sin:
      return libm("sinf", {real(e->arg(0))});
    case ExprKind::Cos:
      return libm("cosf", {real(e->arg(0))});
    case ExprKind::Sigmoid:
      return b_.CreateFDiv(one, b_.CreateFAdd(one, libm("expf", {b_.CreateFNeg(real(e->arg(0)))})));
    case ExprKind::Abs:
      return intrinsic(llvm::Intrinsic::fabs, {real(e->arg(0))});
    case ExprKind::Recip:
      return b_.CreateFDiv(one, real(e->arg(0)));
    case ExprKind::Add:
      return b_.CreateFAdd(real(e->arg(0)), real(e->arg(1)));
    case ExprKind::Sub:
      return b_.CreateFSub(real(e->arg(0)), real(e->arg(1)));
    case ExprKind::Mul:
      return b_.CreateFMul(real(e->arg(0)), real(e->arg(1)));
    case ExprKind::Div:
      return b_.CreateFDiv(real(e->arg(0)), real(e->arg(1)));
    case ExprKind::Pow:
      return libm("powf", {real(e->arg(0)), real(e->arg(1))});
    case ExprKind::Min:
      return intrinsic(llvm::Intrinsic::minnum, {real(e->arg(0)), real(e->arg(1))});
    case ExprKind::Max:
      return intrinsic(llvm::Intrinsic::maxnum, {real(e->arg(0)), real(e->arg(1))});
    case ExprKind::Select:
      return branch(
          e, [&](const Expr& x) { return real(x); }, f32_);
    case ExprKind::Sum:
    case ExprKind::RMax:
    case ExprKind::RMin:
      return reduction(e);
    default:
      internal_error(std::string("not a real expression: ") + kind_name(e->kind()));
    }
  }

  llvm::Value* reduction(const Expr& e) {
    if (llvm::Value* v = vector_reduction(e))
      return v;
    double identity = e->kind() == ExprKind::Sum    ? 0.0
                      : e->kind() == ExprKind::RMax ? -INFINITY
                                                    : INFINITY;
    // The accumulator lives in an entry-block alloca (mem2reg turns it into a register).
    llvm::IRBuilder<> eb(entry_, entry_->begin());
    llvm::AllocaInst* acc = eb.CreateAlloca(f32_, nullptr, "acc." + e->name());
    b_.CreateStore(llvm::ConstantFP::get(f32_, identity), acc);
    llvm::Value* n = integer(e->extent());
    std::string var = e->name();
    auto prev = vars_.find(var);
    llvm::Value* saved = prev == vars_.end() ? nullptr : prev->second;
    for_loop("r." + var, n, false, 0, [&](llvm::Value* iv) {
      vars_[var] = iv;
      llvm::Value* v = real(e->body());
      b_.CreateStore(combine(e->kind(), b_.CreateLoad(f32_, acc), v), acc);
    });
    if (saved)
      vars_[var] = saved;
    else
      vars_.erase(var);
    return b_.CreateLoad(f32_, acc);
  }

  // A scalar reduction whose body reads contiguously along the reduction variable, with an extent
  // that the target's vector width divides: W lanes of the body per step into a vector
  // accumulator, combined horizontally at the end. nullptr when it does not apply.
  llvm::Value* vector_reduction(const Expr& e) {
    int64_t w = math_lanes_;
    if (!vec_var_.empty() || w < 2 || e->body()->sort() != Sort::Real)
      return nullptr;
    int64_t n = p_.eval_size(e->extent());
    if (n < w || n % w != 0)
      return nullptr;
    std::string var = e->name();
    int saved_width = width_;
    width_ = static_cast<int>(w);
    bool ok = vectorizable(e->body());
    vec_var_ = var;
    visit(e->body(), [&](const ExprNode& x) {
      if (x.kind() != ExprKind::Access || !ok)
        return;
      bool dep = false;
      for (auto& i : x.args())
        dep = dep || depends_on_vec(i);
      if (dep && !contiguous(x.args()))
        ok = false;
    });
    vec_var_.clear();
    if (!ok) {
      width_ = saved_width;
      return nullptr;
    }
    auto prev = vars_.find(var);
    llvm::Value* saved = prev == vars_.end() ? nullptr : prev->second;
    vec_width_ = w;
    double identity = e->kind() == ExprKind::Sum    ? 0.0
                      : e->kind() == ExprKind::RMax ? -INFINITY
                                                    : INFINITY;
    llvm::IRBuilder<> eb(entry_, entry_->begin());
    llvm::AllocaInst* acc = eb.CreateAlloca(vty(), nullptr, "vred." + var);
    b_.CreateStore(llvm::ConstantFP::get(vty(), identity), acc);
    for_loop("r." + var + ".v", b_.getInt64(n / w), false, 0, [&](llvm::Value* iv) {
      vars_[var] = b_.CreateMul(iv, b_.getInt64(w));
      vec_var_ = var;
      llvm::Value* v = vreal(e->body());
      vec_var_.clear();
      b_.CreateStore(combine(e->kind(), b_.CreateLoad(vty(), acc), v), acc);
    });
    llvm::Value* a = b_.CreateLoad(vty(), acc);
    llvm::Value* out = e->kind() == ExprKind::Sum
                           ? b_.CreateFAddReduce(llvm::ConstantFP::get(f32_, 0.0), a)
                       : e->kind() == ExprKind::RMax ? b_.CreateFPMaxReduce(a)
                                                     : b_.CreateFPMinReduce(a);
    if (saved)
      vars_[var] = saved;
    else
      vars_.erase(var);
    vec_width_ = 0;
    width_ = saved_width;
    return out;
  }

  const IndexProgram& p_;
  const LoopNest& nest_;
  llvm::LLVMContext& ctx_;
  std::unique_ptr<llvm::Module> mod_;
  llvm::IRBuilder<> b_;
  bool streams_ = false; // the statement being lowered writes its output with streaming stores
  bool fence_ = false;   // some statement did: the kernel (and each worker) ends with a fence
  // The inputs the statement being lowered prefetches for its group's next outer iteration, the
  // group's outer variable (as the statement names it) and its step (see prefetch_next).
  std::set<std::string> prefetch_;
  std::string prefetch_var_;
  int64_t prefetch_step_ = 1;
  std::map<std::string, std::string>
      vector_math_; // function -> vector routine of math_lanes_ lanes
  int math_lanes_ = 0;
  int width_ = 0; // the statement's explicit vector width
  llvm::Type *f32_, *i64_, *i8_;
  std::string name_;
  llvm::Function* fn_ = nullptr;
  llvm::BasicBlock* entry_ = nullptr;
  std::map<std::string, Buf> bufs_;
  std::map<std::string, llvm::Value*> vars_;  // index variable -> value
  std::map<std::string, llvm::Value*> parts_; // split loop part (v.o / v.i) -> induction variable
  bool explicit_ok_ = false;                  // this statement may use explicit vector code
  size_t current_stmt_ = 0;                   // the statement being lowered
  llvm::Value* tid_ = nullptr;                // inside a threaded group's worker: its thread id
  int64_t scratch_used_ = 0;                  // the most scratch any group has used (bytes)
  int64_t scratch_bytes_ = 0;                 // the loop nest's, what the caller passes
  static constexpr const char* kScratch = "axon.scratch"; // the scratch block, in bufs_
  struct Packed {
    std::string var;
    int64_t tile = 0, lead = 0;
    size_t pos = 0; // the index position of var in the source
  };
  std::map<std::string, Packed> packed_; // operands read from their packed copy
  std::string vec_var_;                  // inside an explicit vector loop: its variable
  int64_t vec_width_ = 0;
};

} // namespace

int64_t scratch_bytes(const IndexProgram& p, const Schedule& s) {
  return build_loop_nest(p, s).scratch_bytes;
}

std::unique_ptr<llvm::Module> lower_to_llvm(const IndexProgram& p, const Schedule& s,
                                            const std::string& name, llvm::LLVMContext& ctx,
                                            const std::map<std::string, std::string>& vector_math,
                                            int math_lanes) {
  std::string why = validate_schedule(p, s);
  AXON_CHECK(why.empty(), "invalid schedule: " + why);
  return lower_to_llvm(p, build_loop_nest(p, s), name, ctx, vector_math, math_lanes);
}

std::unique_ptr<llvm::Module> lower_to_llvm(const IndexProgram& p, const LoopNest& nest,
                                            const std::string& name, llvm::LLVMContext& ctx,
                                            const std::map<std::string, std::string>& vector_math,
                                            int math_lanes) {
  return Lowerer(p, nest, ctx, name, vector_math, math_lanes).run();
}

} // namespace axon
