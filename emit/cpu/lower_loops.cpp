// Loops of the LLVM lowering (lower_internal.h): counted loops, guarded bodies, and the walk of a
// loop list that binds index variables (split parts recombined as v = v.o * tile + v.i).
#include "emit/cpu/lower_internal.h"

#include <algorithm>

#include "ir/error.h"

namespace axon::lowering {

// Emits `for (v = 0; v < n; ++v) body(v)`; returns after the loop. `vectorize` attaches loop
// metadata asking LLVM's vectorizer to vectorize (and interleave) it.
void Lowerer::for_loop(const std::string& name, llvm::Value* n, bool vectorize, int width,
                       const std::function<void(llvm::Value*)>& body, llvm::Value* start) {
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
void Lowerer::when(llvm::Value* cond, const std::string& name, const std::function<void()>& body) {
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
void Lowerer::nest(const LoopList& ll, size_t k, const std::function<void()>& inner) {
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

size_t Lowerer::loop_pos(const std::vector<Loop>& order, const std::string& l) {
  for (size_t i = 0; i < order.size(); ++i)
    if (order[i].name == l)
      return i;
  return order.size();
}

} // namespace axon::lowering
