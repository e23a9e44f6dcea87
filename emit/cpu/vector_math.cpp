// The backend's own vector exp and tanh (see vector_math.h).
#include "emit/cpu/vector_math.h"

#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Intrinsics.h>

#include <cmath>

#include "ir/error.h"

namespace axon {

llvm::Value* inline_exp(llvm::IRBuilder<>& b, llvm::Value* x) {
  // Exact IEEE arithmetic: the kernel's fast-math flags would let LLVM reassociate the two-part
  // reduction or the two-step scaling, which is what keeps the error and the subnormals right.
  llvm::IRBuilder<>::FastMathFlagGuard exact(b);
  b.clearFastMathFlags();
  auto* vty = llvm::cast<llvm::FixedVectorType>(x->getType());
  unsigned lanes = vty->getNumElements();
  auto* ity = llvm::FixedVectorType::get(b.getInt32Ty(), lanes);
  auto f = [&](double v) { return llvm::ConstantFP::get(vty, v); };
  auto i = [&](int v) { return llvm::ConstantInt::get(ity, v); };
  // Clamp to [-174, 175]: e^x is 0 below about -104 and +inf above about 88.7 either way, and the
  // clamp keeps n within [-252, 253], where both halves of 2^n are normal floats. NaN lanes take
  // the lower bound here (unordered compare) and are restored at the end.
  llvm::Value* xc = b.CreateSelect(b.CreateFCmpULT(x, f(-174.0)), f(-174.0), x);
  xc = b.CreateSelect(b.CreateFCmpOGT(xc, f(175.0)), f(175.0), xc);
  llvm::Value* n =
      b.CreateUnaryIntrinsic(llvm::Intrinsic::rint, b.CreateFMul(xc, f(1.0 / std::log(2.0))));
  // r = x - n ln2 with ln2 = hi + lo, hi its float rounding: the first fma is exact for |n| <= 253.
  float ln2_hi = static_cast<float>(std::log(2.0));
  double ln2_lo = std::log(2.0) - static_cast<double>(ln2_hi);
  auto fma = [&](llvm::Value* a, llvm::Value* m, llvm::Value* c) {
    return b.CreateIntrinsic(llvm::Intrinsic::fma, {vty}, {a, m, c});
  };
  llvm::Value* neg_n = b.CreateFNeg(n);
  llvm::Value* r = fma(neg_n, f(ln2_hi), xc);
  r = fma(neg_n, f(ln2_lo), r);
  // e^r = 1 + r + r^2 (c2 + c3 r + ... + c6 r^4), Horner from the highest power. The coefficients
  // are a least-squares fit of relative error on Chebyshev nodes of [-ln2/2, ln2/2] (Lawson
  // iterations toward minimax), rounded to float; experiments/vector_math/fit.py reproduces them.
  static const float c[] = {1.0f,         1.0f,          0.49999994f,  0.16666521f,
                            0.041668389f, 0.0083687101f, 0.0013814613f};
  llvm::Value* p = f(c[6]);
  for (int k = 5; k >= 0; --k)
    p = fma(p, r, f(c[k]));
  // 2^n = 2^n1 * 2^n2, n1 = floor(n / 2), each built in the exponent field.
  llvm::Value* ni = b.CreateFPToSI(n, ity);
  llvm::Value* n1 = b.CreateAShr(ni, i(1));
  llvm::Value* n2 = b.CreateSub(ni, n1);
  auto pow2 = [&](llvm::Value* k) {
    return b.CreateBitCast(b.CreateShl(b.CreateAdd(k, i(127)), i(23)), vty);
  };
  llvm::Value* y = b.CreateFMul(b.CreateFMul(p, pow2(n1)), pow2(n2));
  return b.CreateSelect(b.CreateFCmpUNO(x, x), x, y);
}

llvm::Value* inline_tanh(llvm::IRBuilder<>& b, llvm::Value* x) {
  llvm::IRBuilder<>::FastMathFlagGuard exact(b);
  b.clearFastMathFlags();
  auto* vty = llvm::cast<llvm::FixedVectorType>(x->getType());
  auto f = [&](double v) { return llvm::ConstantFP::get(vty, v); };
  auto fma = [&](llvm::Value* a, llvm::Value* m, llvm::Value* c) {
    return b.CreateIntrinsic(llvm::Intrinsic::fma, {vty}, {a, m, c});
  };
  // tanh is odd: work on a = |x| and give the result x's sign (so -0 stays -0).
  llvm::Value* a = b.CreateUnaryIntrinsic(llvm::Intrinsic::fabs, x);
  // Small a: tanh(a) = a + a^3 P(a^2), no cancellation. The coefficients are a least-squares fit
  // of relative error on Chebyshev nodes of [0, 0.625] (Lawson iterations toward minimax; fit error
  // 9e-9), rounded to float; experiments/vector_math/fit.py reproduces them.
  static const float c[] = {-0.33333281f, 0.13331442f, -0.053739715f, 0.020639088f, -0.0057049873f};
  llvm::Value* z = b.CreateFMul(a, a);
  llvm::Value* p = f(c[4]);
  for (int k = 3; k >= 0; --k)
    p = fma(p, z, f(c[k]));
  llvm::Value* small = fma(b.CreateFMul(a, z), p, a);
  // a >= 0.625: tanh(a) = 1 - 2 / (e^2a + 1). Here tanh(a) > 0.55 and 2 / (e^2a + 1) < 0.45, so the
  // subtraction loses nothing to cancellation. e^2a overflows to +inf for large a, which gives 1;
  // NaN stays NaN.
  llvm::Value* e = inline_exp(b, b.CreateFAdd(a, a));
  llvm::Value* large = b.CreateFSub(f(1.0), b.CreateFDiv(f(2.0), b.CreateFAdd(e, f(1.0))));
  llvm::Value* t = b.CreateSelect(b.CreateFCmpOLT(a, f(0.625)), small, large);
  return b.CreateBinaryIntrinsic(llvm::Intrinsic::copysign, t, x);
}

llvm::Value* inline_vector_math(llvm::IRBuilder<>& b, const std::string& function, llvm::Value* x) {
  if (function == "exp")
    return inline_exp(b, x);
  if (function == "tanh")
    return inline_tanh(b, x);
  internal_error("no inline implementation of " + function);
}

} // namespace axon
