//===- WeftToLinalg.cpp - The convert-weft-to-linalg pass -----------------===//

#include "weft/Conversion/WeftToLinalg/WeftToLinalg.h"
#include "weft/Dialect/Weft/IR/WeftOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

namespace mlir::weft {
#define GEN_PASS_DEF_CONVERTWEFTTOLINALG
#include "weft/Conversion/Passes.h.inc"
} // namespace mlir::weft

using namespace mlir;
using namespace mlir::weft;

namespace {
struct ConvertWeftToLinalgPass
    : public weft::impl::ConvertWeftToLinalgBase<ConvertWeftToLinalgPass> {
  void runOnOperation() override {
    // A parameter that reaches this pass was never lifted: say so plainly
    // instead of a generic legalization failure.
    WalkResult params = getOperation().walk([](ParamOp op) {
      op.emitError("parameter '")
          << op.getName() << "' must be lifted to a function argument first "
          << "(run weft-lift-params)";
      return WalkResult::interrupt();
    });
    if (params.wasInterrupted())
      return signalPassFailure();

    ConversionTarget target(getContext());
    target.addLegalDialect<arith::ArithDialect, linalg::LinalgDialect,
                           math::MathDialect, tensor::TensorDialect,
                           func::FuncDialect>();
    target.addIllegalDialect<WeftDialect>();

    RewritePatternSet patterns(&getContext());
    populateElementwiseToLinalgPatterns(patterns);
    populateContractionToLinalgPatterns(patterns);
    populateReductionToLinalgPatterns(patterns);
    populateConvolutionToLinalgPatterns(patterns);
    populateNormalizationToLinalgPatterns(patterns);
    populateIndexingToLinalgPatterns(patterns);
    populateAttentionToLinalgPatterns(patterns);
    populateShapeToLinalgPatterns(patterns);
    populateTopKToLinalgPatterns(patterns);
    populateRandomToLinalgPatterns(patterns);
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
