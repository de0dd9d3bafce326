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
    // Functions of vectors (weft-vectorize-generics' code) all become
    // polynomials: LLVM would call libm for each element.
    llvm::SmallVector<Operation *> onVectors;
    getOperation()->walk([&](Operation *op) {
      if (op->getDialect() && op->getDialect()->getNamespace() == "math" &&
          op->getNumResults() == 1 && isa<VectorType>(op->getResultTypes()[0]))
        onVectors.push_back(op);
    });
    RewritePatternSet vectorPatterns(&getContext());
    populateMathPolynomialApproximationPatterns(vectorPatterns,
                                                [](StringRef) { return true; });
    GreedyRewriteConfig config;
    config.setStrictness(GreedyRewriteStrictness::ExistingAndNewOps);
    if (failed(applyOpPatternsGreedily(onVectors, std::move(vectorPatterns),
                                       config)))
      return signalPassFailure();
    // The polynomials' fused multiply-adds as vector.fma, which becomes
    // LLVM's fma intrinsic; convert-math-to-libm would make a math.fma of a
    // vector one call of libm's fmaf per element.
    getOperation()->walk([&](math::FmaOp fma) {
      if (!isa<VectorType>(fma.getType()))
        return;
      OpBuilder builder(fma);
      fma.replaceAllUsesWith(vector::FMAOp::create(builder, fma.getLoc(),
                                                   fma.getA(), fma.getB(),
                                                   fma.getC())
                                 .getResult());
      fma.erase();
    });

    RewritePatternSet patterns(&getContext());
    populateMathPolynomialApproximationPatterns(
        patterns, [&](StringRef name) { return all || name == "math.tanh"; });
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
