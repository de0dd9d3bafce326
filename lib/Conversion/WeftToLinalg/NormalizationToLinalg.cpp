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
/// The longest row the one-pass forms (online softmax, Welford) take: they
/// add a row's terms one at a time, so their rounding error grows with the
/// row; a longer row takes the separate passes, whose blocked sums' error
/// does not.
constexpr int64_t kMaxOnlineRow = 1024;

/// softmax and log_softmax in three passes: the maximum along the axis,
/// the sum of exp(x - max), then the result from both.
template <typename Op> struct SoftmaxLowering : public OpConversionPattern<Op> {
  SoftmaxLowering(MLIRContext *context, bool online, int64_t sumBlock)
      : OpConversionPattern<Op>(context), online(online), sumBlock(sumBlock) {}
  static constexpr bool isLog = std::is_same_v<Op, LogSoftmaxOp>;
  /// Whether a softmax in a normalization group takes the one-pass form.
  bool online;
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
    if (online && type.getDimSize(axis) <= kMaxOnlineRow &&
        isInFusionGroup(op, FusionKind::normalization)) {
      rewriter.replaceOp(op, lowerOnline(rewriter, loc, input, type, axis));
      return success();
    }

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

  /// Online softmax: one pass keeps the running maximum m and the sum s of
  /// exp(x - m), rescaling s when m grows (one exp per element: the smaller
  /// of x and m is the one shifted); a second computes the result.
  static Value lowerOnline(OpBuilder &b, Location loc, Value input,
                           RankedTensorType type, int64_t axis) {
    Type elem = type.getElementType();
    int64_t rank = type.getRank();
    llvm::SmallVector<int64_t> rowShape(type.getShape());
    rowShape.erase(rowShape.begin() + axis);
    auto rowType = RankedTensorType::get(rowShape, elem);
    TypedAttr negInf =
        b.getFloatAttr(elem, -std::numeric_limits<double>::infinity());
    AffineMap identity = b.getMultiDimIdentityMap(rank);
    AffineMap reduced = getDroppingMap(b.getContext(), rank, {axis});
    llvm::SmallVector<utils::IteratorType> iterators(
        rank, utils::IteratorType::parallel);
    iterators[axis] = utils::IteratorType::reduction;
    auto stats = linalg::GenericOp::create(
        b, loc, TypeRange{rowType, rowType}, input,
        ValueRange{buildFilled(b, loc, rowType, negInf),
                   buildFilled(b, loc, rowType, b.getFloatAttr(elem, 0.0))},
        llvm::SmallVector<AffineMap>{identity, reduced, reduced}, iterators,
        [&](OpBuilder &nb, Location l, ValueRange args) {
          Value x = args[0], max = args[1], sum = args[2];
          Value grows =
              arith::CmpFOp::create(nb, l, arith::CmpFPredicate::OGT, x, max);
          Value shift = arith::SelectOp::create(
              nb, l, grows, arith::SubFOp::create(nb, l, max, x),
              arith::SubFOp::create(nb, l, x, max));
          // A -inf element adds nothing (and -inf - -inf would be NaN).
          Value ninf = arith::ConstantOp::create(nb, l, negInf);
          Value hidden =
              arith::CmpFOp::create(nb, l, arith::CmpFPredicate::OEQ, x, ninf);
          shift = arith::SelectOp::create(nb, l, hidden, ninf, shift);
          Value e = math::ExpOp::create(nb, l, shift);
          Value one =
              arith::ConstantOp::create(nb, l, nb.getFloatAttr(elem, 1));
          Value rescaled = arith::AddFOp::create(
              nb, l, arith::MulFOp::create(nb, l, sum, e), one);
          Value added = arith::AddFOp::create(nb, l, sum, e);
          linalg::YieldOp::create(
              nb, l,
              ValueRange{
                  arith::SelectOp::create(nb, l, grows, x, max),
                  arith::SelectOp::create(nb, l, grows, rescaled, added)});
        });
    return buildParallelGeneric(
        b, loc, type, {input, stats.getResult(0), stats.getResult(1)},
        {identity, reduced, reduced},
        [](OpBuilder &nb, Location l, ValueRange x) -> Value {
          Value shifted = arith::SubFOp::create(nb, l, x[0], x[1]);
          if (isLog)
            return arith::SubFOp::create(nb, l, shifted,
                                         math::LogOp::create(nb, l, x[2]));
          return arith::DivFOp::create(
              nb, l, math::ExpOp::create(nb, l, shifted), x[2]);
        });
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
  LayerNormLowering(MLIRContext *context, bool online, int64_t sumBlock)
      : StaticShapeLowering(context), online(online), sumBlock(sumBlock) {}
  /// Whether a layer norm in a normalization group takes Welford's form.
  bool online;
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

    if (online && count <= kMaxOnlineRow &&
        isInFusionGroup(op, FusionKind::normalization)) {
      rewriter.replaceOp(
          op, lowerWelford(rewriter, loc, adaptor, type, axes, count, eps));
      return success();
    }

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

  /// Welford's method: one pass updates the running mean and the sum of
  /// squared deviations from it with each element, the k-th (from 1, in
  /// row-major order over the normalized axes) as
  /// `mean += (x - mean) / k; squares += (x - old mean) * (x - mean)`;
  /// a second pass computes the result.
  static Value lowerWelford(OpBuilder &b, Location loc, OpAdaptor adaptor,
                            RankedTensorType type, llvm::ArrayRef<int64_t> axes,
                            int64_t count, Value eps) {
    Type elem = type.getElementType();
    int64_t rank = type.getRank();
    MLIRContext *ctx = b.getContext();
    auto rowType =
        RankedTensorType::get(type.getShape().drop_back(axes.size()), elem);
    TypedAttr zero = b.getFloatAttr(elem, 0.0);
    AffineMap identity = b.getMultiDimIdentityMap(rank);
    AffineMap reduced = getDroppingMap(ctx, rank, axes);
    llvm::SmallVector<utils::IteratorType> iterators(
        rank, utils::IteratorType::parallel);
    for (int64_t axis : axes)
      iterators[axis] = utils::IteratorType::reduction;
    auto stats = linalg::GenericOp::create(
        b, loc, TypeRange{rowType, rowType}, adaptor.getInput(),
        ValueRange{buildFilled(b, loc, rowType, zero),
                   buildFilled(b, loc, rowType, zero)},
        llvm::SmallVector<AffineMap>{identity, reduced, reduced}, iterators,
        [&](OpBuilder &nb, Location l, ValueRange args) {
          Value x = args[0], mean = args[1], squares = args[2];
          // The element's position among the normalized ones, from 1.
          Value seen = arith::ConstantIndexOp::create(nb, l, 0);
          for (int64_t axis : axes) {
            Value size =
                arith::ConstantIndexOp::create(nb, l, type.getDimSize(axis));
            seen = arith::AddIOp::create(
                nb, l, arith::MulIOp::create(nb, l, seen, size),
                linalg::IndexOp::create(nb, l, axis));
          }
          seen = arith::AddIOp::create(
              nb, l, seen, arith::ConstantIndexOp::create(nb, l, 1));
          Value k = arith::UIToFPOp::create(
              nb, l, elem,
              arith::IndexCastUIOp::create(nb, l, nb.getI64Type(), seen));
          Value delta = arith::SubFOp::create(nb, l, x, mean);
          Value newMean = arith::AddFOp::create(
              nb, l, mean, arith::DivFOp::create(nb, l, delta, k));
          Value newSquares = arith::AddFOp::create(
              nb, l, squares,
              arith::MulFOp::create(nb, l, delta,
                                    arith::SubFOp::create(nb, l, x, newMean)));
          linalg::YieldOp::create(nb, l, ValueRange{newMean, newSquares});
        });
    Value divisor =
        arith::ConstantOp::create(b, loc, b.getFloatAttr(elem, double(count)));
    AffineMap normalized =
        AffineMap::getMinorIdentityMap(rank, axes.size(), ctx);
    return buildParallelGeneric(
        b, loc, type,
        {adaptor.getInput(), stats.getResult(0), stats.getResult(1),
         adaptor.getWeight(), adaptor.getBias()},
        {identity, reduced, reduced, normalized, normalized},
        [&](OpBuilder &nb, Location l, ValueRange x) -> Value {
          Value centered = arith::SubFOp::create(nb, l, x[0], x[1]);
          return buildNormalized(nb, l, centered, x[2], divisor, eps, x[3],
                                 x[4]);
        });
  }
};
} // namespace

void mlir::weft::populateNormalizationToLinalgPatterns(
    RewritePatternSet &patterns, bool online, int64_t sumBlock) {
  MLIRContext *context = patterns.getContext();
  patterns.add<BatchNormLowering>(context);
  patterns.add<SoftmaxLowering<SoftmaxOp>, SoftmaxLowering<LogSoftmaxOp>,
               LayerNormLowering>(context, online, sumBlock);
}
