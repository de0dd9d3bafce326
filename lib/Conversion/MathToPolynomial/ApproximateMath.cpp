//===- ApproximateMath.cpp - The weft-approximate-math pass ---------------===//
//
// A call to libm's tanhf in a loop keeps LLVM from vectorizing the loop;
// the same function as a polynomial in arith ops vectorizes like any other
// arithmetic. MLIR's approximation (Eigen's) is accurate to a few ulp over
// the whole f32 range. Only tanh on the CPU, every function on the GPU: see
// the pass description for why.
//
//===----------------------------------------------------------------------===//

#include "weft/Conversion/MathToPolynomial/MathToPolynomial.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::weft {
#define GEN_PASS_DEF_WEFTAPPROXIMATEMATH
#include "weft/Conversion/Passes.h.inc"
} // namespace mlir::weft

using namespace mlir;

namespace {
struct WeftApproximateMathPass
    : public weft::impl::WeftApproximateMathBase<WeftApproximateMathPass> {
  using Base::Base;
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    populateMathPolynomialApproximationPatterns(
        patterns, [&](StringRef name) { return all || name == "math.tanh"; });
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
