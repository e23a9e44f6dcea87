// Vector math built into the LLVM backend, for targets whose ISA description asks for it
// (llvm.vector_math: {"exp": "inline"}) instead of a library routine such as libmvec's.
#pragma once

#include <llvm/IR/IRBuilder.h>

#include <string>

#include "isa/isa.h" // kInlineVectorMath, kInlineVectorMathFunctions

namespace axon {

// e^x for every lane of a <N x float>, as straight-line IR (no call): x = n ln2 + r with n the
// nearest integer to x / ln2 (ln2 in two parts, so r is exact to a few ulp), e^r by a degree-6
// polynomial fitted for relative error on |r| <= ln2 / 2 (fit error 4e-9, under float rounding),
// then 2^n applied in two halves so results in the subnormal range round once instead of
// flushing to zero. Overflow gives +inf, x below about -104 gives 0, NaN gives NaN. Under 1 ulp
// from the correctly rounded result (tests/emit/vector_math_test.cpp sweeps 2.3e7 floats from
// -110 to 100: worst 0.88 ulp).
llvm::Value* inline_exp(llvm::IRBuilder<>& b, llvm::Value* x);

// tanh(x) for every lane, as straight-line IR: |x| < 0.625 by an odd polynomial (degree 11,
// fitted for relative error), otherwise 1 - 2 / (e^2|x| + 1) with inline_exp; the sign of x put
// back last. +-inf give +-1, NaN gives NaN. Under 2 ulp (the targets' accuracy_ulp for tanh;
// tests/emit/vector_math_test.cpp sweeps it).
llvm::Value* inline_tanh(llvm::IRBuilder<>& b, llvm::Value* x);

// The built-in implementation of `function` (one of kInlineVectorMathFunctions) applied to x.
llvm::Value* inline_vector_math(llvm::IRBuilder<>& b, const std::string& function, llvm::Value* x);

} // namespace axon
