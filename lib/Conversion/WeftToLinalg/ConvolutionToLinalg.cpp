//===- ConvolutionToLinalg.cpp - conv2d and pooling to linalg -------------===//
//
// A convolution is a matrix product (im2col): the input's windows, read at
// `out * stride + window * dilation` from a zero-padded copy, are laid out as
// a [N, C*KH*KW, OH*OW] matrix that the weight, seen as [O, C*KH*KW],
// multiplies; weft-vectorize-contractions then computes it as any matmul.
// Grouped convolution is one `linalg.generic` over the output's dimensions
// plus the window's, picking the input channel with a floordiv. Pooling is a
// window reduction over the -inf- or zero-padded input; adaptive average
// pooling is a contraction with two constant averaging matrices.
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
/// `input` `[N, C, H, W]` padded by `padding` on both sides of H and W.
Value padSpatial(OpBuilder &b, Location loc, Value input,
                 llvm::ArrayRef<int64_t> padding, TypedAttr value) {
  if (padding[0] == 0 && padding[1] == 0)
    return input;
  auto type = cast<RankedTensorType>(input.getType());
  llvm::SmallVector<int64_t> shape(type.getShape());
  shape[2] += 2 * padding[0];
  shape[3] += 2 * padding[1];
  llvm::SmallVector<OpFoldResult> pads = {b.getIndexAttr(0), b.getIndexAttr(0),
                                          b.getIndexAttr(padding[0]),
                                          b.getIndexAttr(padding[1])};
  Value padValue = arith::ConstantOp::create(b, loc, value);
  return tensor::PadOp::create(
      b, loc, RankedTensorType::get(shape, type.getElementType()), input, pads,
      pads, padValue);
}

/// The loops of a convolution: n, o (parallel); c, kh, kw (reduction);
/// oh, ow (parallel). With the output's width innermost, the inner loop
/// walks a row of the output and of the input (stride 1) contiguously and
/// LLVM vectorizes it; a kernel-innermost order runs 3- or 5-long loops.
llvm::SmallVector<utils::IteratorType> getConvIterators() {
  using utils::IteratorType;
  return {IteratorType::parallel,  IteratorType::parallel,
          IteratorType::reduction, IteratorType::reduction,
          IteratorType::reduction, IteratorType::parallel,
          IteratorType::parallel};
}

/// `out * stride + window * dilation` for one spatial axis.
AffineExpr windowIndex(AffineExpr out, AffineExpr window, int64_t stride,
                       int64_t dilation) {
  return out * stride + window * dilation;
}

/// The convolution of `input` (padded) with `weight` `[O, C, KH, KW]`, added
/// to `init` `[N, O, OH, OW]`, as a product of the weight with the matrix of
/// the input's windows.
Value buildIm2colConvolution(OpBuilder &b, Location loc, Value input,
                             Value weight, Value init,
                             llvm::ArrayRef<int64_t> stride,
                             llvm::ArrayRef<int64_t> dilation) {
  MLIRContext *ctx = b.getContext();
  auto inputType = cast<RankedTensorType>(input.getType());
  auto weightType = cast<RankedTensorType>(weight.getType());
  auto initType = cast<RankedTensorType>(init.getType());
  Type elem = initType.getElementType();
  // columns[n, c, kh, kw, oh, ow], all copies.
  auto columnsType =
      RankedTensorType::get({inputType.getDimSize(0), weightType.getDimSize(1),
                             weightType.getDimSize(2), weightType.getDimSize(3),
                             initType.getDimSize(2), initType.getDimSize(3)},
                            elem);
  AffineExpr n, c, kh, kw, oh, ow;
  bindDims(ctx, n, c, kh, kw, oh, ow);
  Value columns = buildParallelGeneric(
      b, loc, columnsType, input,
      AffineMap::get(6, 0,
                     {n, c, windowIndex(oh, kh, stride[0], dilation[0]),
                      windowIndex(ow, kw, stride[1], dilation[1])},
                     ctx),
      [](OpBuilder &, Location, ValueRange x) { return x[0]; });
  Value matrix = tensor::CollapseShapeOp::create(
      b, loc, columns,
      llvm::ArrayRef<ReassociationIndices>{{0}, {1, 2, 3}, {4, 5}});
  Value weights = tensor::CollapseShapeOp::create(
      b, loc, weight, llvm::ArrayRef<ReassociationIndices>{{0}, {1, 2, 3}});
  llvm::SmallVector<ReassociationIndices> pixels = {{0}, {1}, {2, 3}};
  Value acc = tensor::CollapseShapeOp::create(b, loc, init, pixels);

  // result[n, o, p] += weights[o, r] * matrix[n, r, p] over (n, o, r, p).
  AffineExpr o, r, p;
  bindDims(ctx, n, o, r, p);
  llvm::SmallVector<AffineMap> maps = {AffineMap::get(4, 0, {o, r}, ctx),
                                       AffineMap::get(4, 0, {n, r, p}, ctx),
                                       AffineMap::get(4, 0, {n, o, p}, ctx)};
  using utils::IteratorType;
  auto product = linalg::GenericOp::create(
      b, loc, acc.getType(), ValueRange{weights, matrix}, acc, maps,
      {IteratorType::parallel, IteratorType::parallel, IteratorType::reduction,
       IteratorType::parallel},
      buildMultiplyAccumulate);
  return tensor::ExpandShapeOp::create(b, loc, initType, product.getResult(0),
                                       pixels);
}

struct Conv2dLowering : public StaticShapeLowering<Conv2dOp> {
  using StaticShapeLowering::StaticShapeLowering;

  LogicalResult lowerStatic(Conv2dOp op, OpAdaptor adaptor,
                            ConversionPatternRewriter &rewriter,
                            RankedTensorType resultType) const override {
    Location loc = op.getLoc();
    Type elem = resultType.getElementType();
    auto weightType = cast<RankedTensorType>(adaptor.getWeight().getType());
    llvm::ArrayRef<int64_t> stride = op.getStride(),
                            dilation = op.getDilation();
    int64_t groups = static_cast<int64_t>(op.getGroups());

    Value input = padSpatial(rewriter, loc, adaptor.getInput(), op.getPadding(),
                             rewriter.getFloatAttr(elem, 0.0));
    Value init = buildChannelInit(rewriter, loc, resultType, adaptor.getBias());
    if (groups == 1) {
      rewriter.replaceOp(op, buildIm2colConvolution(rewriter, loc, input,
                                                    adaptor.getWeight(), init,
                                                    stride, dilation));
      return success();
    }

    MLIRContext *ctx = rewriter.getContext();
    AffineExpr n, o, c, kh, kw, oh, ow;
    bindDims(ctx, n, o, c, kh, kw, oh, ow);
    int64_t outPerGroup = weightType.getDimSize(0) / groups;
    int64_t inPerGroup = weightType.getDimSize(1);
    AffineExpr channel =
        groups == 1 ? c : o.floorDiv(outPerGroup) * inPerGroup + c;
    llvm::SmallVector<AffineMap> maps = {
        AffineMap::get(7, 0,
                       {n, channel, windowIndex(oh, kh, stride[0], dilation[0]),
                        windowIndex(ow, kw, stride[1], dilation[1])},
                       ctx),
        AffineMap::get(7, 0, {o, c, kh, kw}, ctx),
        AffineMap::get(7, 0, {n, o, oh, ow}, ctx)};
    auto generic = linalg::GenericOp::create(
        rewriter, loc, resultType, ValueRange{input, adaptor.getWeight()}, init,
        maps, getConvIterators(), buildMultiplyAccumulate);
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

/// A transposed convolution is a stride-1 convolution of the input spread
/// out by the stride (zeros between its pixels), padded by
/// `dilation * (k - 1) - padding` (plus output_padding after), with the
/// kernel flipped and its two channel dimensions swapped.
struct ConvTranspose2dLowering : public StaticShapeLowering<ConvTranspose2dOp> {
  using StaticShapeLowering::StaticShapeLowering;

  LogicalResult lowerStatic(ConvTranspose2dOp op, OpAdaptor adaptor,
                            ConversionPatternRewriter &rewriter,
                            RankedTensorType resultType) const override {
    Location loc = op.getLoc();
    Type elem = resultType.getElementType();
    auto inputType = cast<RankedTensorType>(adaptor.getInput().getType());
    auto weightType = cast<RankedTensorType>(adaptor.getWeight().getType());
    llvm::ArrayRef<int64_t> stride = op.getStride(), padding = op.getPadding(),
                            outputPadding = op.getOutputPadding(),
                            dilation = op.getDilation();
    int64_t kh = weightType.getDimSize(2), kw = weightType.getDimSize(3);

    // Spread the input: pixel (i, j) moves to (i * s0, j * s1).
    Value input = adaptor.getInput();
    if (stride[0] > 1 || stride[1] > 1) {
      llvm::SmallVector<int64_t> shape(inputType.getShape());
      shape[2] = (shape[2] - 1) * stride[0] + 1;
      shape[3] = (shape[3] - 1) * stride[1] + 1;
      Value zeros =
          buildFilled(rewriter, loc, RankedTensorType::get(shape, elem),
                      rewriter.getFloatAttr(elem, 0.0));
      input = tensor::InsertSliceOp::create(
          rewriter, loc, input, zeros, ValueRange{}, ValueRange{}, ValueRange{},
          rewriter.getDenseI64ArrayAttr({0, 0, 0, 0}),
          rewriter.getDenseI64ArrayAttr(inputType.getShape()),
          rewriter.getDenseI64ArrayAttr({1, 1, stride[0], stride[1]}));
    }
    // Pad (or, where the padding exceeds the kernel's reach, crop).
    int64_t low[2], high[2];
    int64_t kernel[2] = {kh, kw};
    for (int axis = 0; axis < 2; ++axis) {
      low[axis] = dilation[axis] * (kernel[axis] - 1) - padding[axis];
      high[axis] = low[axis] + outputPadding[axis];
    }
    auto spreadType = cast<RankedTensorType>(input.getType());
    llvm::SmallVector<int64_t> padded(spreadType.getShape());
    llvm::SmallVector<OpFoldResult> lowPads(4, rewriter.getIndexAttr(0));
    llvm::SmallVector<OpFoldResult> highPads(4, rewriter.getIndexAttr(0));
    for (int axis = 0; axis < 2; ++axis) {
      lowPads[2 + axis] =
          rewriter.getIndexAttr(std::max<int64_t>(low[axis], 0));
      highPads[2 + axis] =
          rewriter.getIndexAttr(std::max<int64_t>(high[axis], 0));
      padded[2 + axis] +=
          std::max<int64_t>(low[axis], 0) + std::max<int64_t>(high[axis], 0);
    }
    Value zero = arith::ConstantOp::create(rewriter, loc,
                                           rewriter.getFloatAttr(elem, 0.0));
    input = tensor::PadOp::create(rewriter, loc,
                                  RankedTensorType::get(padded, elem), input,
                                  lowPads, highPads, zero);
    if (low[0] < 0 || low[1] < 0 || high[0] < 0 || high[1] < 0) {
      llvm::SmallVector<int64_t> offsets = {0, 0, std::max<int64_t>(-low[0], 0),
                                            std::max<int64_t>(-low[1], 0)};
      llvm::SmallVector<int64_t> sizes(padded);
      for (int axis = 0; axis < 2; ++axis)
        sizes[2 + axis] -=
            offsets[2 + axis] + std::max<int64_t>(-high[axis], 0);
      input = tensor::ExtractSliceOp::create(
          rewriter, loc, RankedTensorType::get(sizes, elem), input,
          ValueRange{}, ValueRange{}, ValueRange{},
          rewriter.getDenseI64ArrayAttr(offsets),
          rewriter.getDenseI64ArrayAttr(sizes),
          rewriter.getDenseI64ArrayAttr({1, 1, 1, 1}));
    }

    Value init = buildChannelInit(rewriter, loc, resultType, adaptor.getBias());
    MLIRContext *ctx = rewriter.getContext();
    // The kernel flipped, its channel dimensions swapped to [O, C, KH, KW].
    AffineExpr d0, d1, d2, d3;
    bindDims(ctx, d0, d1, d2, d3);
    auto flippedType = RankedTensorType::get(
        {weightType.getDimSize(1), weightType.getDimSize(0), kh, kw}, elem);
    Value flipped = buildParallelGeneric(
        rewriter, loc, flippedType, adaptor.getWeight(),
        AffineMap::get(4, 0, {d1, d0, (kh - 1) - d2, (kw - 1) - d3}, ctx),
        [](OpBuilder &, Location, ValueRange x) { return x[0]; });
    rewriter.replaceOp(op, buildIm2colConvolution(rewriter, loc, input, flipped,
                                                  init, {1, 1}, dilation));
    return success();
  }
};

/// Max and average pooling: a window reduction over the padded input, with
/// the window loops outside the output's (as for convolution). The window's
/// extent enters the generic as an operand of shape [KH, KW] that the body
/// never reads, which is how linalg learns the loop bounds.
template <typename Op> struct Pool2dLowering : public StaticShapeLowering<Op> {
  using StaticShapeLowering<Op>::StaticShapeLowering;
  static constexpr bool isMax = std::is_same_v<Op, MaxPool2dOp>;

  LogicalResult lowerStatic(Op op, typename Op::Adaptor adaptor,
                            ConversionPatternRewriter &rewriter,
                            RankedTensorType resultType) const override {
    Location loc = op.getLoc();
    Type elem = resultType.getElementType();
    llvm::ArrayRef<int64_t> kernel = op.getKernel(), stride = op.getStride();
    double identity = isMax ? -std::numeric_limits<double>::infinity() : 0.0;
    TypedAttr identityAttr = rewriter.getFloatAttr(elem, identity);

    Value input = padSpatial(rewriter, loc, adaptor.getInput(), op.getPadding(),
                             identityAttr);
    Value window = tensor::EmptyOp::create(rewriter, loc, kernel, elem);
    Value init = buildFilled(rewriter, loc, resultType, identityAttr);

    MLIRContext *ctx = rewriter.getContext();
    AffineExpr n, c, kh, kw, oh, ow;
    bindDims(ctx, n, c, kh, kw, oh, ow);
    llvm::SmallVector<AffineMap> maps = {
        AffineMap::get(6, 0,
                       {n, c, windowIndex(oh, kh, stride[0], 1),
                        windowIndex(ow, kw, stride[1], 1)},
                       ctx),
        AffineMap::get(6, 0, {kh, kw}, ctx),
        AffineMap::get(6, 0, {n, c, oh, ow}, ctx)};
    using utils::IteratorType;
    llvm::SmallVector<IteratorType> iterators = {
        IteratorType::parallel,  IteratorType::parallel,
        IteratorType::reduction, IteratorType::reduction,
        IteratorType::parallel,  IteratorType::parallel};
    auto generic = linalg::GenericOp::create(
        rewriter, loc, resultType, ValueRange{input, window}, init, maps,
        iterators, [](OpBuilder &b, Location l, ValueRange args) {
          Value combined =
              isMax ? arith::MaximumFOp::create(b, l, args[2], args[0])
                          .getResult()
                    : arith::AddFOp::create(b, l, args[2], args[0]).getResult();
          linalg::YieldOp::create(b, l, combined);
        });
    Value result = generic.getResult(0);
    if (!isMax) {
      Value count = arith::ConstantOp::create(
          rewriter, loc,
          rewriter.getFloatAttr(elem, double(kernel[0] * kernel[1])));
      result =
          buildElementwise(rewriter, loc, resultType, result,
                           [&](OpBuilder &b, Location l, ValueRange x) {
                             return arith::DivFOp::create(b, l, x[0], count);
                           });
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// The [out, in] matrix averaging the windows of adaptive pooling along one
/// axis: row i is 1/len over [floor(i*in/out), ceil((i+1)*in/out)).
DenseElementsAttr averagingMatrix(Type elem, int64_t out, int64_t in) {
  llvm::SmallVector<llvm::APFloat> values;
  const llvm::fltSemantics &semantics =
      cast<FloatType>(elem).getFloatSemantics();
  for (int64_t i = 0; i < out; ++i) {
    int64_t begin = (i * in) / out, end = ((i + 1) * in + out - 1) / out;
    for (int64_t j = 0; j < in; ++j) {
      llvm::APFloat v(j >= begin && j < end ? 1.0 / double(end - begin) : 0.0);
      bool lost;
      v.convert(semantics, llvm::APFloat::rmNearestTiesToEven, &lost);
      values.push_back(v);
    }
  }
  return DenseElementsAttr::get(RankedTensorType::get({out, in}, elem), values);
}

struct AdaptiveAvgPool2dLowering
    : public StaticShapeLowering<AdaptiveAvgPool2dOp> {
  using StaticShapeLowering::StaticShapeLowering;

  LogicalResult lowerStatic(AdaptiveAvgPool2dOp op, OpAdaptor adaptor,
                            ConversionPatternRewriter &rewriter,
                            RankedTensorType resultType) const override {
    // A static result implies a ranked input.
    auto inputType = cast<RankedTensorType>(adaptor.getInput().getType());
    Location loc = op.getLoc();
    Type elem = resultType.getElementType();
    Value rows = arith::ConstantOp::create(
        rewriter, loc,
        averagingMatrix(elem, resultType.getDimSize(2),
                        inputType.getDimSize(2)));
    Value cols = arith::ConstantOp::create(
        rewriter, loc,
        averagingMatrix(elem, resultType.getDimSize(3),
                        inputType.getDimSize(3)));
    Value init = buildFilled(rewriter, loc, resultType,
                             rewriter.getFloatAttr(elem, 0.0));

    MLIRContext *ctx = rewriter.getContext();
    AffineExpr n, c, i, j, h, w;
    bindDims(ctx, n, c, i, j, h, w);
    llvm::SmallVector<AffineMap> maps = {
        AffineMap::get(6, 0, {n, c, h, w}, ctx),
        AffineMap::get(6, 0, {i, h}, ctx), AffineMap::get(6, 0, {j, w}, ctx),
        AffineMap::get(6, 0, {n, c, i, j}, ctx)};
    llvm::SmallVector<utils::IteratorType> iterators(
        4, utils::IteratorType::parallel);
    iterators.append(2, utils::IteratorType::reduction);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, resultType, ValueRange{adaptor.getInput(), rows, cols},
        init, maps, iterators, [](OpBuilder &b, Location l, ValueRange args) {
          Value weight = arith::MulFOp::create(b, l, args[1], args[2]);
          Value term = arith::MulFOp::create(b, l, args[0], weight);
          linalg::YieldOp::create(
              b, l, arith::AddFOp::create(b, l, args[3], term).getResult());
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};
} // namespace

void mlir::weft::populateConvolutionToLinalgPatterns(
    RewritePatternSet &patterns) {
  patterns
      .add<Conv2dLowering, ConvTranspose2dLowering, Pool2dLowering<MaxPool2dOp>,
           Pool2dLowering<AvgPool2dOp>, AdaptiveAvgPool2dLowering>(
          patterns.getContext());
}
