// LoopNest -> LLVM IR (see lower_llvm.h): the driver. One loop nest per statement: its loops
// (split loops recombined as v = v.o * T + v.i, with a guard when T does not divide the extent),
// then the statement's value; nested reductions become inner loops with an accumulator; a lifted
// top-level reduction accumulates into the output. Loops, guards, fusion groups, contracted slices
// and the scratch layout all come from the loop nest (emit/loop_nest.h), never from the Schedule;
// the lowering's ideas live one per file (lower_internal.h lists them).
#include "emit/cpu/lower_llvm.h"

#include <llvm/IR/MDBuilder.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Support/raw_ostream.h>

#include "emit/cpu/lower_internal.h"
#include "ir/error.h"

namespace axon {

namespace lowering {

Lowerer::Lowerer(const IndexProgram& p, const LoopNest& nest, llvm::LLVMContext& ctx,
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

std::unique_ptr<llvm::Module> Lowerer::run() {
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

} // namespace lowering

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
  return lowering::Lowerer(p, nest, ctx, name, vector_math, math_lanes).run();
}

} // namespace axon
