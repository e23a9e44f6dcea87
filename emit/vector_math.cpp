// The backend's own vector exp (see vector_math.h).
#include "emit/vector_math.h"

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
  llvm::Value* n = b.CreateUnaryIntrinsic(llvm::Intrinsic::rint, b.CreateFMul(xc, f(1.0 / std::log(2.0))));
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
  // iterations toward minimax), rounded to float.
  static const float c[] = {1.0f, 1.0f, 0.49999994f, 0.16666521f, 0.041668389f, 0.0083687101f, 0.0013814613f};
  llvm::Value* p = f(c[6]);
  for (int k = 5; k >= 0; --k) p = fma(p, r, f(c[k]));
  // 2^n = 2^n1 * 2^n2, n1 = floor(n / 2), each built in the exponent field.
  llvm::Value* ni = b.CreateFPToSI(n, ity);
  llvm::Value* n1 = b.CreateAShr(ni, i(1));
  llvm::Value* n2 = b.CreateSub(ni, n1);
  auto pow2 = [&](llvm::Value* k) { return b.CreateBitCast(b.CreateShl(b.CreateAdd(k, i(127)), i(23)), vty); };
  llvm::Value* y = b.CreateFMul(b.CreateFMul(p, pow2(n1)), pow2(n2));
  return b.CreateSelect(b.CreateFCmpUNO(x, x), x, y);
}

llvm::Value* inline_vector_math(llvm::IRBuilder<>& b, const std::string& function, llvm::Value* x) {
  if (function == "exp") return inline_exp(b, x);
  internal_error("no inline implementation of " + function);
}

}  // namespace axon
