// Scalar expressions of the LLVM lowering (lower_internal.h): integers, booleans, reals, element
// functions (libm and intrinsics), nested reductions.
#include "emit/cpu/lower_internal.h"

#include <cmath>

#include "ir/error.h"

namespace axon::lowering {

// maxnum/minnum (not compare+select) so LLVM recognises max/min reductions and vectorizes them.
llvm::Value* Lowerer::combine(ExprKind k, llvm::Value* acc, llvm::Value* v) {
  if (k == ExprKind::Sum)
    return b_.CreateFAdd(acc, v);
  return b_.CreateIntrinsic(k == ExprKind::RMax ? llvm::Intrinsic::maxnum : llvm::Intrinsic::minnum,
                            {acc->getType()}, {acc, v});
}

llvm::Value* Lowerer::real_or_bool(const Expr& e) {
  return e->sort() == Sort::Bool ? boolean(e) : real(e);
}

llvm::Value* Lowerer::integer(const Expr& e) {
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
llvm::Value* Lowerer::floor_divmod(ExprKind k, llvm::Value* a, llvm::Value* d) {
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

llvm::Value* Lowerer::boolean(const Expr& e) {
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

// select(c, a, b) as control flow: only the taken branch runs (a guarded out-of-range read
// stays safe); LLVM turns it into a select instruction when both sides are safe to speculate.
llvm::Value* Lowerer::branch(const Expr& e, const std::function<llvm::Value*(const Expr&)>& gen,
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

llvm::Value* Lowerer::libm(const char* fname, std::vector<llvm::Value*> args) {
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

llvm::Value* Lowerer::intrinsic(llvm::Intrinsic::ID id, std::vector<llvm::Value*> args) {
  return b_.CreateIntrinsic(id, {f32_}, args);
}

llvm::Value* Lowerer::real(const Expr& e) {
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

llvm::Value* Lowerer::reduction(const Expr& e) {
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

} // namespace axon::lowering
