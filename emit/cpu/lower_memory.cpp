// Memory of the LLVM lowering (lower_internal.h): element addresses (packed copies and contracted
// slices included), loads and stores with alias scopes, storage types widened to and narrowed
// from f32.
#include "emit/cpu/lower_internal.h"

#include "ir/error.h"

namespace axon::lowering {

std::vector<llvm::Value*> Lowerer::index_values(const std::vector<std::string>& vars) {
  std::vector<llvm::Value*> idx;
  for (auto& v : vars)
    idx.push_back(vars_.at(v));
  return idx;
}

// The element's address; with `inbounds` false, one that may lie outside the buffer (no wrap
// or inbounds flags: a prefetch's).
llvm::Value* Lowerer::address(const Buf& buf, const std::vector<llvm::Value*>& idx, bool inbounds) {
  llvm::Value* off = b_.getInt64(0);
  for (size_t i = 0; i < idx.size(); ++i) {
    llvm::Value* x =
        static_cast<int>(i) == buf.contracted ? b_.CreateSub(idx[i], buf.slice_base) : idx[i];
    off = b_.CreateAdd(b_.CreateMul(off, b_.getInt64(buf.shape[i]), "", inbounds, inbounds), x, "",
                       inbounds, inbounds);
  }
  return inbounds ? b_.CreateInBoundsGEP(buf.elt, buf.ptr, off)
                  : b_.CreateGEP(buf.elt, buf.ptr, off);
}

void Lowerer::tag(llvm::Instruction* inst, const Buf& buf) {
  inst->setMetadata(llvm::LLVMContext::MD_alias_scope, buf.scope_list);
  inst->setMetadata(llvm::LLVMContext::MD_noalias, buf.noalias_list);
}

llvm::Value* Lowerer::load(const Buf& buf, llvm::Value* addr) {
  llvm::LoadInst* l = b_.CreateLoad(buf.elt, addr);
  tag(l, buf);
  if (buf.elt == i8_)
    return b_.CreateICmpNE(l, b_.getInt8(0));
  return widen(l, buf.dtype);
}

void Lowerer::store_at(const Buf& buf, llvm::Value* addr, llvm::Value* v) {
  if (buf.elt == i8_)
    v = b_.CreateZExt(v, i8_);
  else
    v = narrow(v, buf.dtype);
  tag(b_.CreateStore(v, addr), buf);
}

// W consecutive elements from addr, widened to <W x float>.
llvm::Value* Lowerer::vload_at(const Buf& buf, llvm::Value* addr) {
  auto* sty = llvm::FixedVectorType::get(buf.elt, static_cast<unsigned>(vec_width_));
  llvm::Value* a = b_.CreateBitCast(addr, llvm::PointerType::getUnqual(sty));
  llvm::LoadInst* l = b_.CreateAlignedLoad(sty, a, llvm::Align(dtype_bytes(buf.dtype)));
  tag(l, buf);
  return widen(l, buf.dtype);
}

// The same shape (scalar or vector) with another element type.
llvm::Type* Lowerer::like(llvm::Value* v, llvm::Type* elt) {
  if (auto* vt = llvm::dyn_cast<llvm::FixedVectorType>(v->getType()))
    return llvm::FixedVectorType::get(elt, vt->getNumElements());
  return elt;
}

// Storage value -> f32: f16 extends exactly; bf16 is the high half of an f32.
llvm::Value* Lowerer::widen(llvm::Value* raw, DType d) {
  if (d == DType::F16)
    return b_.CreateFPExt(raw, like(raw, f32_));
  if (d == DType::BF16)
    return b_.CreateBitCast(b_.CreateShl(b_.CreateZExt(raw, like(raw, b_.getInt32Ty())), 16),
                            like(raw, f32_));
  return raw;
}

// f32 -> storage value, rounded to nearest even (bf16 by integer rounding, NaN kept a quiet NaN).
llvm::Value* Lowerer::narrow(llvm::Value* v, DType d) {
  if (d == DType::F16)
    return b_.CreateFPTrunc(v, like(v, b_.getHalfTy()));
  if (d != DType::BF16)
    return v;
  llvm::Type* i32 = like(v, b_.getInt32Ty());
  llvm::Value* bits = b_.CreateBitCast(v, i32);
  llvm::Value* lsb = b_.CreateAnd(b_.CreateLShr(bits, 16), llvm::ConstantInt::get(i32, 1));
  llvm::Value* rounded = b_.CreateAdd(bits, b_.CreateAdd(lsb, llvm::ConstantInt::get(i32, 0x7fff)));
  llvm::Value* h = b_.CreateTrunc(b_.CreateLShr(rounded, 16), like(v, b_.getInt16Ty()));
  llvm::Value* nan = b_.CreateFCmpUNO(v, v);
  return b_.CreateSelect(nan, llvm::ConstantInt::get(like(v, b_.getInt16Ty()), 0x7fc0), h);
}

void Lowerer::store(const Buf& buf, const std::vector<std::string>& vars, llvm::Value* v) {
  store_at(buf, address(buf, index_values(vars)), v);
}

llvm::Value* Lowerer::access_address(const Expr& e) {
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

} // namespace axon::lowering
