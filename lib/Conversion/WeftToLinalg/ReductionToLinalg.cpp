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
/// The reduction of `input` over `axes` computed by `Op`: sums add their
/// terms blockwise, at most `sumBlock` at a time (buildSum); a maximum takes
/// them in order.
template <typename Op>
Value buildTotal(OpBuilder &b, Location loc, Value input,
                 llvm::ArrayRef<int64_t> axes, int64_t sumBlock) {
  return buildSum(b, loc, input, axes, sumBlock);
}
template <>
Value buildTotal<MaxOp>(OpBuilder &b, Location loc, Value input,
                        llvm::ArrayRef<int64_t> axes, int64_t) {
  Type elem = cast<RankedTensorType>(input.getType()).getElementType();
  return buildReduction(
      b, loc, input, axes,
      b.getFloatAttr(elem, -std::numeric_limits<double>::infinity()),
      [](OpBuilder &nb, Location l, Value acc, Value x) -> Value {
        return arith::MaximumFOp::create(nb, l, acc, x);
      });
}

template <typename Op>
struct ReductionLowering : public StaticShapeLowering<Op> {
  ReductionLowering(MLIRContext *context, int64_t sumBlock)
      : StaticShapeLowering<Op>(context), sumBlock(sumBlock) {}
  int64_t sumBlock;

  LogicalResult lowerStatic(Op op, typename Op::Adaptor adaptor,
                            ConversionPatternRewriter &rewriter,
                            RankedTensorType resultType) const override {
    // A static result implies a ranked input.
    auto inputType = cast<RankedTensorType>(adaptor.getInput().getType());
    int64_t rank = inputType.getRank();
    llvm::SmallVector<int64_t> all =
        llvm::to_vector(llvm::seq<int64_t>(0, rank));
    std::optional<llvm::ArrayRef<int64_t>> axesAttr = op.getAxes();
    auto axes = normalizeAxes(axesAttr ? *axesAttr : llvm::ArrayRef(all), rank);
    if (!axes)
      return rewriter.notifyMatchFailure(op, "invalid axes");

    Location loc = op.getLoc();
    Type elem = resultType.getElementType();
    int64_t count = 1;
    for (int64_t axis : *axes)
      count *= inputType.getDimSize(axis);
    Value result =
        buildTotal<Op>(rewriter, loc, adaptor.getInput(), *axes, sumBlock);
    auto reducedType = cast<RankedTensorType>(result.getType());
    if (std::is_same_v<Op, MeanOp>) {
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
/// argmax: one reduction generic with two accumulators, the running maximum
/// and its index; a strict comparison keeps the first maximum.
struct ArgmaxLowering : public StaticShapeLowering<ArgmaxOp> {
  using StaticShapeLowering::StaticShapeLowering;

  LogicalResult lowerStatic(ArgmaxOp op, OpAdaptor adaptor,
                            ConversionPatternRewriter &rewriter,
                            RankedTensorType resultType) const override {
    // A static result implies a ranked input.
    auto inputType = cast<RankedTensorType>(adaptor.getInput().getType());
    Location loc = op.getLoc();
    int64_t rank = inputType.getRank();
    int64_t axis =
        (*normalizeAxes({static_cast<int64_t>(op.getAxis())}, rank))[0];
    Type elem = inputType.getElementType();
    auto valueType = RankedTensorType::get(resultType.getShape(), elem);
    Value values = buildFilled(
        rewriter, loc, valueType,
        rewriter.getFloatAttr(elem, -std::numeric_limits<double>::infinity()));
    Value indices =
        buildFilled(rewriter, loc, resultType, rewriter.getI64IntegerAttr(0));
    AffineMap reduced = getDroppingMap(rewriter.getContext(), rank, {axis});
    llvm::SmallVector<utils::IteratorType> iterators(
        rank, utils::IteratorType::parallel);
    iterators[axis] = utils::IteratorType::reduction;
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{valueType, resultType}, adaptor.getInput(),
        ValueRange{values, indices},
        llvm::ArrayRef<AffineMap>{rewriter.getMultiDimIdentityMap(rank),
                                  reduced, reduced},
        iterators, [&](OpBuilder &b, Location l, ValueRange args) {
          Value position = arith::IndexCastOp::create(
              b, l, b.getI64Type(), linalg::IndexOp::create(b, l, axis));
          Value larger = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGT,
                                               args[0], args[1]);
          linalg::YieldOp::create(
              b, l,
              ValueRange{
                  arith::SelectOp::create(b, l, larger, args[0], args[1]),
                  arith::SelectOp::create(b, l, larger, position, args[2])});
        });
    rewriter.replaceOp(op, generic.getResult(1));
    return success();
  }
};
} // namespace

void mlir::weft::populateReductionToLinalgPatterns(RewritePatternSet &patterns,
                                                   int64_t sumBlock) {
  MLIRContext *context = patterns.getContext();
  patterns.add<ReductionLowering<SumOp>, ReductionLowering<MeanOp>,
               ReductionLowering<MaxOp>>(context, sumBlock);
  patterns.add<ArgmaxLowering>(context);
}
