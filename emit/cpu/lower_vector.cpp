// Explicit vector code of the LLVM lowering (lower_internal.h): expressions on <W x float>, the
// target's vector math routines, vector reductions.
#include "emit/cpu/lower_internal.h"

#include <algorithm>
#include <cmath>

#include "emit/cpu/vector_math.h"
#include "ir/error.h"

namespace axon::lowering {

// Expressions made of arithmetic, min/max, sqrt, loads and nested reductions are evaluated
// lane-parallel on <W x float>; anything else (math calls, selects, conditions) keeps the
// scalar form and LLVM's loop vectorizer (which maps math calls to libmvec).
// The vector routine for a math function at the statement's vector width, or "".
const char* Lowerer::math_function(ExprKind k) {
  return k == ExprKind::Exp       ? "exp"
         : k == ExprKind::Log     ? "log"
         : k == ExprKind::Tanh    ? "tanh"
         : k == ExprKind::Erf     ? "erf"
         : k == ExprKind::Sigmoid ? "exp"
                                  : nullptr;
}

std::string Lowerer::math_routine(ExprKind k) const {
  const char* f = math_function(k);
  if (!f || width_ != math_lanes_ || !vector_math_.count(f))
    return "";
  return vector_math_.at(f);
}

bool Lowerer::vectorizable(const Expr& e) const {
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

llvm::Type* Lowerer::vty() {
  return llvm::FixedVectorType::get(f32_, static_cast<unsigned>(vec_width_));
}

// A call of a vector math routine (pure: kernels never read errno).
// Function k (exp, log, tanh, erf) of every lane: the target's vector routine, or the backend's
// own implementation where the target asks for it (emit/cpu/vector_math.h).
llvm::Value* Lowerer::vmath(ExprKind k, llvm::Value* x) {
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

llvm::Value* Lowerer::splat(llvm::Value* v) {
  return b_.CreateVectorSplat(static_cast<unsigned>(vec_width_), v);
}

bool Lowerer::depends_on_vec(const Expr& e) {
  for (auto& v : free_index_vars(e))
    if (v == vec_var_)
      return true;
  return false;
}

// Lane-wise fallback: evaluate `scalar` once per lane with the vector variable at base + lane.
llvm::Value* Lowerer::per_lane(const std::function<llvm::Value*()>& scalar) {
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
bool Lowerer::contiguous(const std::vector<Expr>& idx) {
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

llvm::Value* Lowerer::vload(const Expr& e) {
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

// The output's W elements at the vector variable's lanes: one vector load when the vector
// variable indexes the last dimension, else one load per lane.
llvm::Value* Lowerer::vload_out(const Buf& out, const std::vector<std::string>& vars) {
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

void Lowerer::vstore(const Buf& out, const std::vector<std::string>& vars, llvm::Value* v) {
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

llvm::Value* Lowerer::vreal(const Expr& e) {
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
    return b_.CreateFDiv(one,
                         b_.CreateFAdd(one, vmath(ExprKind::Exp, b_.CreateFNeg(vreal(e->arg(0))))));
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

// A scalar reduction whose body reads contiguously along the reduction variable, with an extent
// that the target's vector width divides: W lanes of the body per step into a vector
// accumulator, combined horizontally at the end. nullptr when it does not apply.
llvm::Value* Lowerer::vector_reduction(const Expr& e) {
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

} // namespace axon::lowering
