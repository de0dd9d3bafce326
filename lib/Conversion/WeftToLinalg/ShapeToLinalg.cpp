//===- ShapeToLinalg.cpp - Constants, casts, reshapes, transposes ---------===//
//
// Constants (weft.constant, linspace) and the ops that move, keep or drop
// elements: casts, reshapes, slices, joins, transposes, triu and tril.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "weft/Conversion/WeftToLinalg/WeftToLinalg.h"
#include "weft/Dialect/Weft/IR/WeftOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace mlir::weft;

namespace {
/// Splat constants of more elements than this are filled when the program
/// runs: as a global, `ones([42246999, 3])` took 40 s and 2.4 GB to compile,
/// emitting half a gigabyte of ones only to copy them.
constexpr int64_t kMaxGlobalSplatElements = 1 << 16;

struct ConstantLowering : public OpConversionPattern<ConstantOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(ConstantOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto value = cast<TypedAttr>(op.getValue());
    auto splat = dyn_cast<SplatElementsAttr>(value);
    if (splat && splat.getNumElements() > kMaxGlobalSplatElements) {
      rewriter.replaceOp(op, buildFilled(rewriter, op.getLoc(),
                                         cast<RankedTensorType>(op.getType()),
                                         splat.getSplatValue<TypedAttr>()));
      return success();
    }
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(op, value);
    return success();
  }
};

struct CastLowering : public OpConversionPattern<CastOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(CastOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOpWithNewOp<tensor::CastOp>(op, op.getType(),
                                                adaptor.getInput());
    return success();
  }
};

/// reshape and flatten only rename the shape.
template <typename Op> struct ReshapeLowering : public StaticShapeLowering<Op> {
  using StaticShapeLowering<Op>::StaticShapeLowering;

  LogicalResult lowerStatic(Op op, typename Op::Adaptor adaptor,
                            ConversionPatternRewriter &rewriter,
                            RankedTensorType resultType) const override {
    rewriter.replaceOp(op, buildReshape(rewriter, op.getLoc(),
                                        adaptor.getInput(), resultType));
    return success();
  }
};

/// Inference mode: dropout is the identity (it usually folds away before).
struct DropoutLowering : public OpConversionPattern<DropoutOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(DropoutOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, adaptor.getInput());
    return success();
  }
};

/// concat and stack write each input into its slice of the result with
/// `tensor.insert_slice`; for stack the slice has size 1 along the new axis
/// and the input fills it rank-reduced.
template <typename Op> struct JoinLowering : public OpConversionPattern<Op> {
  using OpConversionPattern<Op>::OpConversionPattern;
  static constexpr bool isStack = std::is_same_v<Op, StackOp>;

  LogicalResult
  matchAndRewrite(Op op, typename Op::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType = getStaticResultType(op);
    if (!resultType)
      return rewriter.notifyMatchFailure(op, "result shape is not static");
    int64_t rank = resultType.getRank();
    int64_t axis =
        (*normalizeAxes({static_cast<int64_t>(op.getAxis())}, rank))[0];
    Value result =
        tensor::EmptyOp::create(rewriter, op.getLoc(), resultType.getShape(),
                                resultType.getElementType());
    int64_t offset = 0;
    for (Value input : adaptor.getInputs()) {
      llvm::SmallVector<int64_t> sizes(resultType.getShape());
      sizes[axis] =
          isStack ? 1
                  : cast<RankedTensorType>(input.getType()).getDimSize(axis);
      // An empty input (`zeros([B, T - P])` with T = P) adds nothing; its
      // slice would start past the end of the result.
      if (sizes[axis] == 0)
        continue;
      llvm::SmallVector<int64_t> offsets(rank, 0);
      offsets[axis] = offset;
      offset += sizes[axis];
      result = tensor::InsertSliceOp::create(
          rewriter, op.getLoc(), input, result, ValueRange{}, ValueRange{},
          ValueRange{}, rewriter.getDenseI64ArrayAttr(offsets),
          rewriter.getDenseI64ArrayAttr(sizes),
          rewriter.getDenseI64ArrayAttr(llvm::SmallVector<int64_t>(rank, 1)));
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// The static offsets, sizes and unit strides of `size` indices from
/// `start` along `axis` of a tensor of `shape`, all of every other axis.
struct AxisRange {
  AxisRange(OpBuilder &b, llvm::ArrayRef<int64_t> shape, int64_t axis,
            int64_t start, int64_t size) {
    llvm::SmallVector<int64_t> starts(shape.size(), 0), extents(shape);
    starts[axis] = start;
    extents[axis] = size;
    offsets = b.getDenseI64ArrayAttr(starts);
    sizes = b.getDenseI64ArrayAttr(extents);
    strides =
        b.getDenseI64ArrayAttr(llvm::SmallVector<int64_t>(shape.size(), 1));
  }
  DenseI64ArrayAttr offsets, sizes, strides;
};

/// A slice is a `tensor.extract_slice`, rank-reduced when it drops its axis.
struct SliceLowering : public StaticShapeLowering<SliceOp> {
  using StaticShapeLowering::StaticShapeLowering;

  LogicalResult lowerStatic(SliceOp op, OpAdaptor adaptor,
                            ConversionPatternRewriter &rewriter,
                            RankedTensorType resultType) const override {
    // A static result implies a ranked input.
    auto inputType = cast<RankedTensorType>(adaptor.getInput().getType());
    int64_t rank = inputType.getRank();
    int64_t axis =
        (*normalizeAxes({static_cast<int64_t>(op.getAxis())}, rank))[0];
    auto start = static_cast<int64_t>(op.getStart());
    AxisRange range(rewriter, inputType.getShape(), axis, start,
                    static_cast<int64_t>(op.getEnd()) - start);
    rewriter.replaceOpWithNewOp<tensor::ExtractSliceOp>(
        op, resultType, adaptor.getInput(), ValueRange{}, ValueRange{},
        ValueRange{}, range.offsets, range.sizes, range.strides);
    return success();
  }
};

/// select_scatter is a rank-reducing `tensor.insert_slice` of one index.
struct SelectScatterLowering : public StaticShapeLowering<SelectScatterOp> {
  using StaticShapeLowering::StaticShapeLowering;

  LogicalResult lowerStatic(SelectScatterOp op, OpAdaptor adaptor,
                            ConversionPatternRewriter &rewriter,
                            RankedTensorType resultType) const override {
    int64_t rank = resultType.getRank();
    int64_t axis =
        (*normalizeAxes({static_cast<int64_t>(op.getAxis())}, rank))[0];
    AxisRange range(rewriter, resultType.getShape(), axis,
                    static_cast<int64_t>(op.getIndex()), 1);
    rewriter.replaceOpWithNewOp<tensor::InsertSliceOp>(
        op, adaptor.getValue(), adaptor.getInput(), ValueRange{}, ValueRange{},
        ValueRange{}, range.offsets, range.sizes, range.strides);
    return success();
  }
};

/// Nearest upsampling reads input pixel (h / s0, w / s1) for output (h, w).
struct UpsampleNearestLowering : public StaticShapeLowering<UpsampleNearestOp> {
  using StaticShapeLowering::StaticShapeLowering;

  LogicalResult lowerStatic(UpsampleNearestOp op, OpAdaptor adaptor,
                            ConversionPatternRewriter &rewriter,
                            RankedTensorType resultType) const override {
    MLIRContext *ctx = rewriter.getContext();
    AffineExpr n, c, h, w;
    bindDims(ctx, n, c, h, w);
    llvm::ArrayRef<int64_t> scale = op.getScale();
    rewriter.replaceOp(
        op,
        buildParallelGeneric(
            rewriter, op.getLoc(), resultType, adaptor.getInput(),
            AffineMap::get(
                4, 0, {n, c, h.floorDiv(scale[0]), w.floorDiv(scale[1])}, ctx),
            [](OpBuilder &, Location, ValueRange x) { return x[0]; }));
    return success();
  }
};

struct TransposeLowering : public StaticShapeLowering<TransposeOp> {
  using StaticShapeLowering::StaticShapeLowering;

  LogicalResult lowerStatic(TransposeOp op, OpAdaptor adaptor,
                            ConversionPatternRewriter &rewriter,
                            RankedTensorType resultType) const override {
    auto perm = normalizeAxes(op.getPermutation(), resultType.getRank());
    if (!perm)
      return rewriter.notifyMatchFailure(op, "invalid permutation");
    Value init =
        tensor::EmptyOp::create(rewriter, op.getLoc(), resultType.getShape(),
                                resultType.getElementType());
    auto transpose = linalg::TransposeOp::create(
        rewriter, op.getLoc(), adaptor.getInput(), init, *perm);
    rewriter.replaceOp(op, transpose.getResult());
    return success();
  }
};
/// triu and tril: a parallel generic that keeps the element where
/// `j - i` compares with the diagonal as the op says, else gives zero.
template <typename Op>
struct TriangleLowering : public StaticShapeLowering<Op> {
  using StaticShapeLowering<Op>::StaticShapeLowering;

  LogicalResult lowerStatic(Op op, typename Op::Adaptor adaptor,
                            ConversionPatternRewriter &rewriter,
                            RankedTensorType resultType) const override {
    int64_t rank = resultType.getRank();
    Type elem = resultType.getElementType();
    int64_t diagonal = static_cast<int64_t>(op.getDiagonal());
    arith::CmpIPredicate keep = std::is_same_v<Op, TriuOp>
                                    ? arith::CmpIPredicate::sge
                                    : arith::CmpIPredicate::sle;
    Value result = buildParallelGeneric(
        rewriter, op.getLoc(), resultType, {adaptor.getInput()},
        {rewriter.getMultiDimIdentityMap(rank)},
        [&](OpBuilder &b, Location loc, ValueRange x) -> Value {
          Value i = linalg::IndexOp::create(b, loc, rank - 2);
          Value j = linalg::IndexOp::create(b, loc, rank - 1);
          Value offset = arith::SubIOp::create(b, loc, j, i);
          Value kept = arith::CmpIOp::create(
              b, loc, keep, offset,
              arith::ConstantIndexOp::create(b, loc, diagonal));
          Value zero = arith::ConstantOp::create(b, loc, b.getZeroAttr(elem));
          return arith::SelectOp::create(b, loc, kept, x[0], zero);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// linspace: element i is `start + i * step` in the first half and
/// `end - (n - 1 - i) * step` in the second, in f64, rounded once; one
/// element is `start`.
struct LinspaceLowering : public StaticShapeLowering<LinspaceOp> {
  using StaticShapeLowering::StaticShapeLowering;

  LogicalResult lowerStatic(LinspaceOp op, OpAdaptor,
                            ConversionPatternRewriter &rewriter,
                            RankedTensorType resultType) const override {
    auto elem = cast<FloatType>(resultType.getElementType());
    int64_t n = resultType.getDimSize(0);
    double start = op.getStart().convertToDouble();
    double end = op.getEnd().convertToDouble();
    double step = n > 1 ? (end - start) / double(n - 1) : 0.0;
    Value result = buildParallelGeneric(
        rewriter, op.getLoc(), resultType, {}, {},
        [&](OpBuilder &b, Location loc, ValueRange) -> Value {
          Type f64 = b.getF64Type();
          auto constant = [&](double v) -> Value {
            return arith::ConstantOp::create(b, loc, b.getF64FloatAttr(v));
          };
          auto asF64 = [&](Value index) -> Value {
            Value i64 =
                arith::IndexCastOp::create(b, loc, b.getI64Type(), index);
            return arith::SIToFPOp::create(b, loc, f64, i64);
          };
          Value i = linalg::IndexOp::create(b, loc, 0);
          Value fromStart = arith::AddFOp::create(
              b, loc, constant(start),
              arith::MulFOp::create(b, loc, asF64(i), constant(step)));
          Value rest = arith::SubIOp::create(
              b, loc, arith::ConstantIndexOp::create(b, loc, n - 1), i);
          Value fromEnd = arith::SubFOp::create(
              b, loc, constant(end),
              arith::MulFOp::create(b, loc, asF64(rest), constant(step)));
          // One element is the start.
          Value firstHalf = arith::CmpIOp::create(
              b, loc, arith::CmpIPredicate::slt, i,
              arith::ConstantIndexOp::create(b, loc, n == 1 ? 1 : n / 2));
          Value value =
              arith::SelectOp::create(b, loc, firstHalf, fromStart, fromEnd);
          return elem.isF64()
                     ? value
                     : Value(arith::TruncFOp::create(b, loc, elem, value));
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};
} // namespace

void mlir::weft::populateShapeToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<ConstantLowering, CastLowering, ReshapeLowering<ReshapeOp>,
               ReshapeLowering<FlattenOp>, DropoutLowering, TransposeLowering,
               SliceLowering, SelectScatterLowering, UpsampleNearestLowering,
               JoinLowering<ConcatOp>, JoinLowering<StackOp>,
               TriangleLowering<TriuOp>, TriangleLowering<TrilOp>,
               LinspaceLowering>(patterns.getContext());
}
