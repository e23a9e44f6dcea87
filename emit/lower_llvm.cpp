// IndexProgram + Schedule -> LLVM IR (see lower_llvm.h). One loop nest per statement: the
// scheduled loops (split loops recombined as v = v.o * T + v.i, with a guard when T does not
// divide the extent), then the statement's value; nested reductions become inner loops with an
// accumulator; a top-level reduction placed in the loop order accumulates into the output.
#include "emit/lower_llvm.h"

#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Intrinsics.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/MDBuilder.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Support/raw_ostream.h>

#include <cmath>
#include <functional>
#include <set>

#include "ir/error.h"
#include "ir/shape.h"

namespace axon {

namespace {

class Lowerer {
 public:
  Lowerer(const IndexProgram& p, const Schedule& s, llvm::LLVMContext& ctx, const std::string& name)
      : p_(p), s_(s), ctx_(ctx), mod_(std::make_unique<llvm::Module>(name, ctx)), b_(ctx) {
    f32_ = b_.getFloatTy();
    i64_ = b_.getInt64Ty();
    i8_ = b_.getInt8Ty();
    name_ = name;
    llvm::FastMathFlags fmf;
    fmf.setAllowReassoc();
    fmf.setAllowContract(true);
    b_.setFastMathFlags(fmf);
  }

  std::unique_ptr<llvm::Module> run() {
    auto* ptr_ty = llvm::PointerType::getUnqual(i8_);
    auto* fty = llvm::FunctionType::get(b_.getVoidTy(), {llvm::PointerType::getUnqual(ptr_ty)}, false);
    fn_ = llvm::Function::Create(fty, llvm::Function::ExternalLinkage, name_, mod_.get());
    fn_->addFnAttr(llvm::Attribute::NoUnwind);
    fn_->addFnAttr(llvm::Attribute::NoFree);
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
      if (t.dtype == DType::BF16 || t.dtype == DType::F16)
        user_error("the CPU backend does not support " + std::string(dtype_name(t.dtype)) + " tensors yet ('" +
                   t.name + "'); use f32");
      llvm::Value* slot = b_.CreateConstInBoundsGEP1_64(ptr_ty, bufs, i);
      llvm::Value* raw = b_.CreateLoad(ptr_ty, slot, t.name + ".raw");
      llvm::Type* elt = t.dtype == DType::Bool ? i8_ : f32_;
      Buf buf;
      buf.ptr = b_.CreateBitCast(raw, llvm::PointerType::getUnqual(elt), t.name);
      buf.elt = elt;
      buf.shape = p_.concrete_shape(t.name);
      buf.scope = mdb.createAnonymousAliasScope(domain, t.name);
      all_scopes.push_back(buf.scope);
      bufs_[t.name] = buf;
    }
    for (auto& [n, buf] : bufs_) {
      std::vector<llvm::Metadata*> others;
      for (auto* m : all_scopes)
        if (m != buf.scope) others.push_back(m);
      buf.scope_list = llvm::MDNode::get(ctx_, {buf.scope});
      buf.noalias_list = llvm::MDNode::get(ctx_, others);
    }
    for (size_t i = 0; i < p_.stmts().size(); ++i) lower_stmt(p_.stmts()[i], s_.stmts.at(i));
    b_.CreateRetVoid();
    std::string err;
    llvm::raw_string_ostream os(err);
    if (llvm::verifyFunction(*fn_, &os)) internal_error("generated LLVM IR does not verify: " + os.str());
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
  };

  // ---- loops ----
  // Emits `for (v = 0; v < n; ++v) body(v)`; returns after the loop. `vectorize` attaches loop
  // metadata asking LLVM's vectorizer to vectorize (and interleave) it.
  void for_loop(const std::string& name, llvm::Value* n, bool vectorize, int width,
                const std::function<void(llvm::Value*)>& body) {
    llvm::BasicBlock* pre = b_.GetInsertBlock();
    llvm::BasicBlock* head = llvm::BasicBlock::Create(ctx_, name + ".head", fn_);
    llvm::BasicBlock* bodyb = llvm::BasicBlock::Create(ctx_, name + ".body", fn_);
    llvm::BasicBlock* exit = llvm::BasicBlock::Create(ctx_, name + ".exit", fn_);
    b_.CreateBr(head);
    b_.SetInsertPoint(head);
    llvm::PHINode* v = b_.CreatePHI(i64_, 2, name);
    v->addIncoming(b_.getInt64(0), pre);
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
        md.push_back(llvm::MDNode::get(ctx_, {llvm::MDString::get(ctx_, "llvm.loop.vectorize.width"),
                                              llvm::ConstantAsMetadata::get(b_.getInt32(static_cast<uint32_t>(width)))}));
      llvm::MDNode* loop_id = llvm::MDNode::getDistinct(ctx_, md);
      loop_id->replaceOperandWith(0, loop_id);
      back->setMetadata(llvm::LLVMContext::MD_loop, loop_id);
    }
    b_.SetInsertPoint(exit);
  }

  // Runs `inner` inside the scheduled loops of `order` (recombining split vars), binding vars_.
  void nest(const std::vector<std::string>& order, size_t k, const StmtSchedule& ss,
            const std::map<std::string, int64_t>& extents, const std::function<void()>& inner) {
    if (k == order.size()) {
      // Guards for split loops whose tile does not divide the extent.
      std::vector<llvm::Value*> guards;
      for (auto& [v, t] : ss.split)
        if (extents.count(v) && extents.at(v) % t != 0 && vars_.count(v))
          guards.push_back(b_.CreateICmpSLT(vars_[v], b_.getInt64(extents.at(v))));
      if (guards.empty()) {
        inner();
        return;
      }
      llvm::Value* ok = guards[0];
      for (size_t i = 1; i < guards.size(); ++i) ok = b_.CreateAnd(ok, guards[i]);
      llvm::BasicBlock* yes = llvm::BasicBlock::Create(ctx_, "guard.in", fn_);
      llvm::BasicBlock* done = llvm::BasicBlock::Create(ctx_, "guard.done", fn_);
      b_.CreateCondBr(ok, yes, done);
      b_.SetInsertPoint(yes);
      inner();
      b_.CreateBr(done);
      b_.SetInsertPoint(done);
      return;
    }
    const std::string& l = order[k];
    std::string var = l;
    bool outer = false, innerp = false;
    if (l.size() > 2 && (l.compare(l.size() - 2, 2, ".o") == 0 || l.compare(l.size() - 2, 2, ".i") == 0)) {
      var = l.substr(0, l.size() - 2);
      outer = l.back() == 'o';
      innerp = !outer;
    }
    int64_t n = extents.at(var);
    int64_t trip = n;
    if (outer) trip = (n + ss.split.at(var) - 1) / ss.split.at(var);
    if (innerp) trip = std::min(ss.split.at(var), n);
    bool vec = ss.vectorize == l;
    for_loop(l, b_.getInt64(trip), vec, ss.vector_width, [&](llvm::Value* iv) {
      parts_[l] = iv;
      if (!outer && !innerp) {
        vars_[var] = iv;
      } else if (parts_.count(var + ".o") && parts_.count(var + ".i") &&
                 (innerp || order_pos(order, var + ".i") < k)) {
        vars_[var] = b_.CreateAdd(b_.CreateMul(parts_[var + ".o"], b_.getInt64(ss.split.at(var))),
                                  parts_[var + ".i"], var);
      }
      nest(order, k + 1, ss, extents, inner);
    });
    parts_.erase(l);
    vars_.erase(var);
  }

  static size_t order_pos(const std::vector<std::string>& order, const std::string& l) {
    for (size_t i = 0; i < order.size(); ++i)
      if (order[i] == l) return i;
    return order.size();
  }

  void lower_stmt(const IndexStmt& st, const StmtSchedule& ss) {
    const Buf& out = bufs_.at(st.out);
    std::map<std::string, int64_t> extents;
    for (size_t i = 0; i < st.vars.size(); ++i) extents[st.vars[i]] = out.shape[i];
    const ExprNode* red = top_reduction(st);
    bool lifted = false;
    if (red) {
      for (auto& l : ss.order)
        if (l == red->name() || l == red->name() + ".o" || l == red->name() + ".i") lifted = true;
      if (lifted) extents[red->name()] = p_.eval_size(red->extent());
    }
    if (!lifted) {
      nest(ss.order, 0, ss, extents, [&] { store(out, st.vars, real_or_bool(st.value)); });
      return;
    }
    // Initialise the output with the reduction's identity, then accumulate in the scheduled order.
    double identity = red->kind() == ExprKind::Sum ? 0.0 : red->kind() == ExprKind::RMax ? -INFINITY : INFINITY;
    StmtSchedule init;
    init.order = st.vars;
    init.vectorize = st.vars.empty() ? "" : st.vars.back();
    nest(init.order, 0, init, extents, [&] { store(out, st.vars, llvm::ConstantFP::get(f32_, identity)); });
    nest(ss.order, 0, ss, extents, [&] {
      llvm::Value* addr = address(out, index_values(st.vars));
      llvm::Value* cur = load(out, addr);
      llvm::Value* v = real(red->body());
      store_at(out, addr, combine(red->kind(), cur, v));
    });
  }

  std::vector<llvm::Value*> index_values(const std::vector<std::string>& vars) {
    std::vector<llvm::Value*> idx;
    for (auto& v : vars) idx.push_back(vars_.at(v));
    return idx;
  }

  // maxnum/minnum (not compare+select) so LLVM recognises max/min reductions and vectorizes them.
  llvm::Value* combine(ExprKind k, llvm::Value* acc, llvm::Value* v) {
    if (k == ExprKind::Sum) return b_.CreateFAdd(acc, v);
    return intrinsic(k == ExprKind::RMax ? llvm::Intrinsic::maxnum : llvm::Intrinsic::minnum, {acc, v});
  }

  // ---- memory ----
  llvm::Value* address(const Buf& buf, const std::vector<llvm::Value*>& idx) {
    llvm::Value* off = b_.getInt64(0);
    for (size_t i = 0; i < idx.size(); ++i)
      off = b_.CreateAdd(b_.CreateMul(off, b_.getInt64(buf.shape[i]), "", true, true), idx[i], "", true, true);
    return b_.CreateInBoundsGEP(buf.elt, buf.ptr, off);
  }
  void tag(llvm::Instruction* inst, const Buf& buf) {
    inst->setMetadata(llvm::LLVMContext::MD_alias_scope, buf.scope_list);
    inst->setMetadata(llvm::LLVMContext::MD_noalias, buf.noalias_list);
  }
  llvm::Value* load(const Buf& buf, llvm::Value* addr) {
    llvm::LoadInst* l = b_.CreateLoad(buf.elt, addr);
    tag(l, buf);
    if (buf.elt == i8_) return b_.CreateICmpNE(l, b_.getInt8(0));
    return l;
  }
  void store_at(const Buf& buf, llvm::Value* addr, llvm::Value* v) {
    if (buf.elt == i8_) v = b_.CreateZExt(v, i8_);
    tag(b_.CreateStore(v, addr), buf);
  }
  void store(const Buf& buf, const std::vector<std::string>& vars, llvm::Value* v) {
    store_at(buf, address(buf, index_values(vars)), v);
  }

  // ---- expressions ----
  llvm::Value* real_or_bool(const Expr& e) { return e->sort() == Sort::Bool ? boolean(e) : real(e); }

  llvm::Value* integer(const Expr& e) {
    switch (e->kind()) {
      case ExprKind::IntConst: return b_.getInt64(e->int_value());
      case ExprKind::DimVar: return b_.getInt64(p_.eval_size(e));
      case ExprKind::IndexVar: {
        auto it = vars_.find(e->name());
        AXON_CHECK(it != vars_.end(), "unbound index variable " + e->name());
        return it->second;
      }
      case ExprKind::Neg: return b_.CreateNeg(integer(e->arg(0)));
      case ExprKind::Add: return b_.CreateAdd(integer(e->arg(0)), integer(e->arg(1)));
      case ExprKind::Sub: return b_.CreateSub(integer(e->arg(0)), integer(e->arg(1)));
      case ExprKind::Mul: return b_.CreateMul(integer(e->arg(0)), integer(e->arg(1)));
      case ExprKind::Min: {
        llvm::Value *a = integer(e->arg(0)), *c = integer(e->arg(1));
        return b_.CreateSelect(b_.CreateICmpSLT(a, c), a, c);
      }
      case ExprKind::Max: {
        llvm::Value *a = integer(e->arg(0)), *c = integer(e->arg(1));
        return b_.CreateSelect(b_.CreateICmpSGT(a, c), a, c);
      }
      case ExprKind::Div:
      case ExprKind::Mod: return floor_divmod(e->kind(), integer(e->arg(0)), integer(e->arg(1)));
      case ExprKind::Select: return branch(e, [&](const Expr& x) { return integer(x); }, i64_);
      default: internal_error(std::string("not an integer expression: ") + kind_name(e->kind()));
    }
  }

  // Floor division and the divisor-signed remainder, 0 for a zero divisor (the IR's semantics).
  llvm::Value* floor_divmod(ExprKind k, llvm::Value* a, llvm::Value* d) {
    llvm::Value* zero = b_.getInt64(0);
    llvm::Value* dz = b_.CreateICmpEQ(d, zero);
    llvm::Value* safe = b_.CreateSelect(dz, b_.getInt64(1), d);
    llvm::Value* q = b_.CreateSDiv(a, safe);
    llvm::Value* r = b_.CreateSRem(a, safe);
    llvm::Value* adjust = b_.CreateAnd(b_.CreateICmpNE(r, zero),
                                       b_.CreateICmpNE(b_.CreateICmpSLT(r, zero), b_.CreateICmpSLT(safe, zero)));
    llvm::Value* out = k == ExprKind::Div ? b_.CreateSelect(adjust, b_.CreateSub(q, b_.getInt64(1)), q)
                                          : b_.CreateSelect(adjust, b_.CreateAdd(r, safe), r);
    return b_.CreateSelect(dz, zero, out);
  }

  llvm::Value* boolean(const Expr& e) {
    switch (e->kind()) {
      case ExprKind::Access: return load(bufs_.at(e->name()), access_address(e));
      case ExprKind::Not: return b_.CreateNot(boolean(e->arg(0)));
      case ExprKind::And: return b_.CreateAnd(boolean(e->arg(0)), boolean(e->arg(1)));
      case ExprKind::Or: return b_.CreateOr(boolean(e->arg(0)), boolean(e->arg(1)));
      case ExprKind::Select: return branch(e, [&](const Expr& x) { return boolean(x); }, b_.getInt1Ty());
      case ExprKind::Lt: case ExprKind::Le: case ExprKind::Gt: case ExprKind::Ge: case ExprKind::Eq: case ExprKind::Ne: {
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
      default: internal_error(std::string("not a bool expression: ") + kind_name(e->kind()));
    }
  }

  llvm::Value* access_address(const Expr& e) {
    std::vector<llvm::Value*> idx;
    for (auto& a : e->args()) idx.push_back(integer(a));
    return address(bufs_.at(e->name()), idx);
  }

  // select(c, a, b) as control flow: only the taken branch runs (a guarded out-of-range read
  // stays safe); LLVM turns it into a select instruction when both sides are safe to speculate.
  llvm::Value* branch(const Expr& e, const std::function<llvm::Value*(const Expr&)>& gen, llvm::Type* ty) {
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
    llvm::FunctionCallee f = mod_->getOrInsertFunction(fname, llvm::FunctionType::get(f32_, tys, false));
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
      case ExprKind::RealConst: return llvm::ConstantFP::get(f32_, e->real_value());
      case ExprKind::Access: return load(bufs_.at(e->name()), access_address(e));
      case ExprKind::ToReal: return b_.CreateSIToFP(integer(e->arg(0)), f32_);
      case ExprKind::Neg: return b_.CreateFNeg(real(e->arg(0)));
      case ExprKind::Exp: return libm("expf", {real(e->arg(0))});
      case ExprKind::Log: return libm("logf", {real(e->arg(0))});
      case ExprKind::Sqrt: return intrinsic(llvm::Intrinsic::sqrt, {real(e->arg(0))});
      case ExprKind::Rsqrt: return b_.CreateFDiv(one, intrinsic(llvm::Intrinsic::sqrt, {real(e->arg(0))}));
      case ExprKind::Tanh: return libm("tanhf", {real(e->arg(0))});
      case ExprKind::Erf: return libm("erff", {real(e->arg(0))});
      case ExprKind::Sin: return libm("sinf", {real(e->arg(0))});
      case ExprKind::Cos: return libm("cosf", {real(e->arg(0))});
      case ExprKind::Sigmoid:
        return b_.CreateFDiv(one, b_.CreateFAdd(one, libm("expf", {b_.CreateFNeg(real(e->arg(0)))})));
      case ExprKind::Abs: return intrinsic(llvm::Intrinsic::fabs, {real(e->arg(0))});
      case ExprKind::Recip: return b_.CreateFDiv(one, real(e->arg(0)));
      case ExprKind::Add: return b_.CreateFAdd(real(e->arg(0)), real(e->arg(1)));
      case ExprKind::Sub: return b_.CreateFSub(real(e->arg(0)), real(e->arg(1)));
      case ExprKind::Mul: return b_.CreateFMul(real(e->arg(0)), real(e->arg(1)));
      case ExprKind::Div: return b_.CreateFDiv(real(e->arg(0)), real(e->arg(1)));
      case ExprKind::Pow: return libm("powf", {real(e->arg(0)), real(e->arg(1))});
      case ExprKind::Min: return intrinsic(llvm::Intrinsic::minnum, {real(e->arg(0)), real(e->arg(1))});
      case ExprKind::Max: return intrinsic(llvm::Intrinsic::maxnum, {real(e->arg(0)), real(e->arg(1))});
      case ExprKind::Select: return branch(e, [&](const Expr& x) { return real(x); }, f32_);
      case ExprKind::Sum: case ExprKind::RMax: case ExprKind::RMin: return reduction(e);
      default: internal_error(std::string("not a real expression: ") + kind_name(e->kind()));
    }
  }

  llvm::Value* reduction(const Expr& e) {
    double identity = e->kind() == ExprKind::Sum ? 0.0 : e->kind() == ExprKind::RMax ? -INFINITY : INFINITY;
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
    if (saved) vars_[var] = saved; else vars_.erase(var);
    return b_.CreateLoad(f32_, acc);
  }

  const IndexProgram& p_;
  const Schedule& s_;
  llvm::LLVMContext& ctx_;
  std::unique_ptr<llvm::Module> mod_;
  llvm::IRBuilder<> b_;
  llvm::Type *f32_, *i64_, *i8_;
  std::string name_;
  llvm::Function* fn_ = nullptr;
  llvm::BasicBlock* entry_ = nullptr;
  std::map<std::string, Buf> bufs_;
  std::map<std::string, llvm::Value*> vars_;   // index variable -> value
  std::map<std::string, llvm::Value*> parts_;  // split loop part (v.o / v.i) -> induction variable
};

}  // namespace

std::unique_ptr<llvm::Module> lower_to_llvm(const IndexProgram& p, const Schedule& s, const std::string& name,
                                            llvm::LLVMContext& ctx) {
  std::string why = validate_schedule(p, s);
  AXON_CHECK(why.empty(), "invalid schedule: " + why);
  return Lowerer(p, s, ctx, name).run();
}

}  // namespace axon
