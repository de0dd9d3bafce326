//===- ReductionToLinalg.cpp - sum, mean and max to linalg ----------------===//

#include "LoweringUtils.h"
#include "weft/Conversion/WeftToLinalg/WeftToLinalg.h"
#include "weft/Dialect/Weft/IR/WeftOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace mlir::weft;

namespace {
/// What distinguishes one reduction from another: its identity, how it
/// combines two elements, and whether the total is divided by the count.
struct ReductionKind {
  double identity;
  CombineBuilder combine;
  bool average;
};

Value addValues(OpBuilder &b, Location loc, Value acc, Value x) {
  return arith::AddFOp::create(b, loc, acc, x);
}
Value maxValues(OpBuilder &b, Location loc, Value acc, Value x) {
  return arith::MaximumFOp::create(b, loc, acc, x);
}

template <typename Op> ReductionKind getKind();
template <> ReductionKind getKind<SumOp>() { return {0.0, addValues, false}; }
template <> ReductionKind getKind<MeanOp>() { return {0.0, addValues, true}; }
template <> ReductionKind getKind<MaxOp>() {
  return {-std::numeric_limits<double>::infinity(), maxValues, false};
}

template <typename Op>
struct ReductionLowering : public OpConversionPattern<Op> {
  using OpConversionPattern<Op>::OpConversionPattern;

  LogicalResult
  matchAndRewrite(Op op, typename Op::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType = getStaticResultType(op);
    auto inputType = dyn_cast<RankedTensorType>(adaptor.getInput().getType());
    if (!resultType || !inputType)
      return rewriter.notifyMatchFailure(op, "shapes are not static");
    int64_t rank = inputType.getRank();
    llvm::SmallVector<int64_t> all =
        llvm::to_vector(llvm::seq<int64_t>(0, rank));
    std::optional<llvm::ArrayRef<int64_t>> axesAttr = op.getAxes();
    auto axes = normalizeAxes(axesAttr ? *axesAttr : llvm::ArrayRef(all), rank);
    if (!axes)
      return rewriter.notifyMatchFailure(op, "invalid axes");

    ReductionKind kind = getKind<Op>();
    Location loc = op.getLoc();
    Type elem = resultType.getElementType();
    int64_t count = 1;
    for (int64_t axis : *axes)
      count *= inputType.getDimSize(axis);
    Value result = buildReduction(rewriter, loc, adaptor.getInput(), *axes,
                                  rewriter.getFloatAttr(elem, kind.identity),
                                  kind.combine);
    auto reducedType = cast<RankedTensorType>(result.getType());
    if (kind.average) {
      Value divisor = arith::ConstantOp::create(
          rewriter, loc, rewriter.getFloatAttr(elem, double(count)));
      result = buildElementwise(
          rewriter, loc, reducedType, result,
          [&](OpBuilder &b, Location bodyLoc, ValueRange x) {
            return arith::DivFOp::create(b, bodyLoc, x[0], divisor);
          });
    }
    if (reducedType != resultType)
      result = buildReshape(rewriter, loc, result, resultType);
    rewriter.replaceOp(op, result);
    return success();
  }
};
} // namespace

void mlir::weft::populateReductionToLinalgPatterns(
    RewritePatternSet &patterns) {
  patterns.add<ReductionLowering<SumOp>, ReductionLowering<MeanOp>,
               ReductionLowering<MaxOp>>(patterns.getContext());
}
