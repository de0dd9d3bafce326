//===- NormalizationToLinalg.cpp - softmax and batch_norm to linalg -------===//

#include "LoweringUtils.h"
#include "weft/Conversion/WeftToLinalg/WeftToLinalg.h"
#include "weft/Dialect/Weft/IR/WeftOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace mlir::weft;

namespace {
/// softmax and log_softmax in three passes: the maximum along the axis,
/// the sum of exp(x - max), then the result from both.
template <typename Op> struct SoftmaxLowering : public OpConversionPattern<Op> {
  SoftmaxLowering(MLIRContext *context, int64_t sumBlock)
      : OpConversionPattern<Op>(context), sumBlock(sumBlock) {}
  static constexpr bool isLog = std::is_same_v<Op, LogSoftmaxOp>;
  /// The most terms a stage of the sum of exponentials adds (buildSum).
  int64_t sumBlock;

  LogicalResult
  matchAndRewrite(Op op, typename Op::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType type = getStaticResultType(op);
    if (!type)
      return rewriter.notifyMatchFailure(op, "result shape is not static");
    Location loc = op.getLoc();
    Type elem = type.getElementType();
    int64_t rank = type.getRank();
    int64_t axis =
        (*normalizeAxes({static_cast<int64_t>(op.getAxis())}, rank))[0];
    Value input = adaptor.getInput();
    AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
    AffineMap reduced = getDroppingMap(rewriter.getContext(), rank, {axis});
    Value max = buildReduction(
        rewriter, loc, input, {axis},
        rewriter.getFloatAttr(elem, -std::numeric_limits<double>::infinity()),
        [](OpBuilder &b, Location l, Value acc, Value x) -> Value {
          return arith::MaximumFOp::create(b, l, acc, x);
        });
    Value shifted = buildParallelGeneric(
        rewriter, loc, type, {input, max}, {identity, reduced},
        [](OpBuilder &b, Location l, ValueRange x) -> Value {
          return arith::SubFOp::create(b, l, x[0], x[1]);
        });
    Value sum = buildSum(rewriter, loc, shifted, {axis}, sumBlock,
                         [](OpBuilder &b, Location l, ValueRange x) -> Value {
                           return math::ExpOp::create(b, l, x[0]);
                         });
    Value result = buildParallelGeneric(
        rewriter, loc, type, {shifted, sum}, {identity, reduced},
        [](OpBuilder &b, Location l, ValueRange x) -> Value {
          if (isLog)
            return arith::SubFOp::create(b, l, x[0],
                                         math::LogOp::create(b, l, x[1]));
          return arith::DivFOp::create(b, l, math::ExpOp::create(b, l, x[0]),
                                       x[1]);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// One elementwise pass: (x - mean) / sqrt(var + eps) * weight + bias, the
/// statistics read along the channel axis.
struct BatchNormLowering : public StaticShapeLowering<BatchNormOp> {
  using StaticShapeLowering::StaticShapeLowering;

  LogicalResult lowerStatic(BatchNormOp op, OpAdaptor adaptor,
                            ConversionPatternRewriter &rewriter,
                            RankedTensorType type) const override {
    int64_t rank = type.getRank();
    AffineMap channel = getAxisMap(rewriter.getContext(), rank, 1);
    Value eps = arith::ConstantOp::create(
        rewriter, op.getLoc(),
        rewriter.getFloatAttr(type.getElementType(),
                              op.getEps().convertToDouble()));
    Value result = buildParallelGeneric(
        rewriter, op.getLoc(), type,
        {adaptor.getInput(), adaptor.getWeight(), adaptor.getBias(),
         adaptor.getMean(), adaptor.getVar()},
        {rewriter.getMultiDimIdentityMap(rank), channel, channel, channel,
         channel},
        [&](OpBuilder &b, Location l, ValueRange x) -> Value {
          Value centered = arith::SubFOp::create(b, l, x[0], x[3]);
          Value stddev = math::SqrtOp::create(
              b, l, arith::AddFOp::create(b, l, x[4], eps));
          Value normalized = arith::DivFOp::create(b, l, centered, stddev);
          Value scaled = arith::MulFOp::create(b, l, normalized, x[1]);
          return arith::AddFOp::create(b, l, scaled, x[2]);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};
/// layer_norm in three passes: the mean over the normalized dimensions, the
/// mean of the squared deviations, then the normalized, scaled and shifted
/// result (weight and bias read along the normalized dimensions).
struct LayerNormLowering : public StaticShapeLowering<LayerNormOp> {
  LayerNormLowering(MLIRContext *context, int64_t sumBlock)
      : StaticShapeLowering(context), sumBlock(sumBlock) {}
  /// The most terms a stage of the statistics' sums adds (buildSum).
  int64_t sumBlock;

  LogicalResult lowerStatic(LayerNormOp op, OpAdaptor adaptor,
                            ConversionPatternRewriter &rewriter,
                            RankedTensorType type) const override {
    Location loc = op.getLoc();
    Type elem = type.getElementType();
    MLIRContext *ctx = rewriter.getContext();
    int64_t rank = type.getRank();
    int64_t dims = static_cast<int64_t>(op.getDims());
    llvm::SmallVector<int64_t> axes =
        llvm::to_vector(llvm::seq<int64_t>(rank - dims, rank));
    int64_t count = 1;
    for (int64_t axis : axes)
      count *= type.getDimSize(axis);
    AffineMap identity = rewriter.getMultiDimIdentityMap(rank);
    AffineMap reduced = getDroppingMap(ctx, rank, axes);
    AffineMap normalized = AffineMap::getMinorIdentityMap(rank, dims, ctx);
    Value divisor = arith::ConstantOp::create(
        rewriter, loc, rewriter.getFloatAttr(elem, double(count)));
    Value eps = arith::ConstantOp::create(
        rewriter, loc,
        rewriter.getFloatAttr(elem, op.getEps().convertToDouble()));

    Value sum = buildSum(rewriter, loc, adaptor.getInput(), axes, sumBlock);
    Value centered = buildParallelGeneric(
        rewriter, loc, type, {adaptor.getInput(), sum}, {identity, reduced},
        [&](OpBuilder &b, Location l, ValueRange x) -> Value {
          return arith::SubFOp::create(
              b, l, x[0], arith::DivFOp::create(b, l, x[1], divisor));
        });
    Value squares =
        buildSum(rewriter, loc, centered, axes, sumBlock,
                 [](OpBuilder &b, Location l, ValueRange x) -> Value {
                   return arith::MulFOp::create(b, l, x[0], x[0]);
                 });
    Value result = buildParallelGeneric(
        rewriter, loc, type,
        {centered, squares, adaptor.getWeight(), adaptor.getBias()},
        {identity, reduced, normalized, normalized},
        [&](OpBuilder &b, Location l, ValueRange x) -> Value {
          return buildNormalized(b, l, x[0], x[1], divisor, eps, x[2], x[3]);
        });
    rewriter.replaceOp(op, result);
    return success();
  }

  /// `centered / sqrt(squares / count + eps) * weight + bias`.
  static Value buildNormalized(OpBuilder &b, Location l, Value centered,
                               Value squares, Value count, Value eps,
                               Value weight, Value bias) {
    Value var = arith::DivFOp::create(b, l, squares, count);
    Value stddev =
        math::SqrtOp::create(b, l, arith::AddFOp::create(b, l, var, eps));
    Value scaled = arith::MulFOp::create(
        b, l, arith::DivFOp::create(b, l, centered, stddev), weight);
    return arith::AddFOp::create(b, l, scaled, bias);
  }
};
} // namespace

void mlir::weft::populateNormalizationToLinalgPatterns(
    RewritePatternSet &patterns, int64_t sumBlock) {
  MLIRContext *context = patterns.getContext();
  patterns.add<BatchNormLowering>(context);
  patterns.add<SoftmaxLowering<SoftmaxOp>, SoftmaxLowering<LogSoftmaxOp>,
               LayerNormLowering>(context, sumBlock);
}
