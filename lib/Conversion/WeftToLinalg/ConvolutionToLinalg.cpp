//===- ConvolutionToLinalg.cpp - conv2d and pooling to linalg -------------===//
//
// A convolution is a matrix product (im2col): the input's windows, read at
// `out * stride + window * dilation` from a zero-padded copy, are laid out as
// a [C*KH*KW, N*OH*OW] matrix that the weight, seen as [O, C*KH*KW],
// multiplies; weft-vectorize-contractions then computes it as any matmul.
// A transposed convolution is the product of the kernel with the input's
// pixels, each kernel tap's slice of it added at its place (col2im).
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

/// `lhs` `[M, K]` times `rhs` `[K, N]`, a product weft-vectorize-contractions
/// computes.
Value buildProduct(OpBuilder &b, Location loc, Value lhs, Value rhs) {
  MLIRContext *ctx = b.getContext();
  auto lhsType = cast<RankedTensorType>(lhs.getType());
  auto rhsType = cast<RankedTensorType>(rhs.getType());
  auto type = RankedTensorType::get(
      {lhsType.getDimSize(0), rhsType.getDimSize(1)}, lhsType.getElementType());
  Value zeros =
      buildFilled(b, loc, type, b.getFloatAttr(type.getElementType(), 0.0));
  AffineExpr m, k, n;
  bindDims(ctx, m, k, n);
  using utils::IteratorType;
  return linalg::GenericOp::create(
             b, loc, type, ValueRange{lhs, rhs}, zeros,
             llvm::ArrayRef<AffineMap>{AffineMap::get(3, 0, {m, k}, ctx),
                                       AffineMap::get(3, 0, {k, n}, ctx),
                                       AffineMap::get(3, 0, {m, n}, ctx)},
             {IteratorType::parallel, IteratorType::reduction,
              IteratorType::parallel},
             buildMultiplyAccumulate)
      .getResult(0);
}

/// The result `[N, O, OH, OW]` of a convolution computed channel-major,
/// `channels` `[O, N, OH, OW]`, plus `bias` `[O]` where there is one.
Value buildBatchMajor(OpBuilder &b, Location loc, RankedTensorType resultType,
                      Value channels, Value bias) {
  MLIRContext *ctx = b.getContext();
  AffineExpr n, o, h, w;
  bindDims(ctx, n, o, h, w);
  llvm::SmallVector<Value> inputs = {channels};
  llvm::SmallVector<AffineMap> maps = {AffineMap::get(4, 0, {o, n, h, w}, ctx)};
  if (bias) {
    inputs.push_back(bias);
    maps.push_back(getAxisMap(ctx, 4, 1));
  }
  return buildParallelGeneric(
      b, loc, resultType, inputs, maps,
      [](OpBuilder &b, Location l, ValueRange x) -> Value {
        if (x.size() == 1)
          return x[0];
        return arith::AddFOp::create(b, l, x[0], x[1]);
      });
}

/// `dest` with its slice at `offsets`, `sizes`, `strides` (rank-reduced to
/// `sliceType`) set to `combine(input, slice)`, `input` read through
/// `inputMap`: computed into the slice itself, so that bufferization writes
/// `dest` in place.
Value buildIntoSlice(OpBuilder &b, Location loc, Value dest,
                     RankedTensorType sliceType,
                     llvm::ArrayRef<int64_t> offsets,
                     llvm::ArrayRef<int64_t> sizes,
                     llvm::ArrayRef<int64_t> strides, Value input,
                     AffineMap inputMap,
                     function_ref<Value(OpBuilder &, Location, Value, Value)>
                         combine) {
  Value slice = tensor::ExtractSliceOp::create(
      b, loc, sliceType, dest, ValueRange{}, ValueRange{}, ValueRange{},
      b.getDenseI64ArrayAttr(offsets), b.getDenseI64ArrayAttr(sizes),
      b.getDenseI64ArrayAttr(strides));
  int64_t rank = sliceType.getRank();
  auto computed = linalg::GenericOp::create(
      b, loc, sliceType, input, slice,
      llvm::ArrayRef<AffineMap>{
          inputMap, AffineMap::getMultiDimIdentityMap(rank, b.getContext())},
      llvm::SmallVector<utils::IteratorType>(rank,
                                             utils::IteratorType::parallel),
      [&](OpBuilder &b, Location l, ValueRange args) {
        linalg::YieldOp::create(b, l, combine(b, l, args[0], args[1]));
      });
  return tensor::InsertSliceOp::create(
      b, loc, computed.getResult(0), dest, ValueRange{}, ValueRange{},
      ValueRange{}, b.getDenseI64ArrayAttr(offsets),
      b.getDenseI64ArrayAttr(sizes), b.getDenseI64ArrayAttr(strides));
}

/// Kernels of at most this many taps, with output rows of at least this
/// many pixels, copy their windows one tap at a time.
constexpr int64_t kMaxTapCopies = 64, kMinTapRow = 8;

/// `columns[c, kh, kw, n, oh, ow]` = `input[n, c, oh * stride + kh *
/// dilation, ow * stride + kw * dilation]` (`input` padded). A
/// convolution's kernel has few taps: one copy per tap, from a strided
/// slice of the input, whose rows weft-vectorize-generics copies as
/// vectors. A weight gradient's "kernel" is a result's size (LeNet-5's
/// first: 784 taps of 5 x 5): one gather over all six loops.
Value buildWindowColumns(OpBuilder &b, Location loc, Value input,
                         RankedTensorType columnsType,
                         llvm::ArrayRef<int64_t> stride,
                         llvm::ArrayRef<int64_t> dilation) {
  MLIRContext *ctx = b.getContext();
  llvm::ArrayRef<int64_t> shape = columnsType.getShape();
  int64_t channels = shape[0], kernel[2] = {shape[1], shape[2]};
  int64_t batch = shape[3], oh = shape[4], ow = shape[5];
  if (kernel[0] * kernel[1] > kMaxTapCopies || ow < kMinTapRow) {
    AffineExpr c, kh, kw, n, y, x;
    bindDims(ctx, c, kh, kw, n, y, x);
    return buildParallelGeneric(
        b, loc, columnsType, input,
        AffineMap::get(6, 0,
                       {n, c, windowIndex(y, kh, stride[0], dilation[0]),
                        windowIndex(x, kw, stride[1], dilation[1])},
                       ctx),
        [](OpBuilder &, Location, ValueRange v) { return v[0]; });
  }
  Type elem = columnsType.getElementType();
  Value columns = tensor::EmptyOp::create(b, loc, shape, elem);
  auto windowType = RankedTensorType::get({batch, channels, oh, ow}, elem);
  auto tapType = RankedTensorType::get({channels, batch, oh, ow}, elem);
  AffineExpr c, n, y, x;
  bindDims(ctx, c, n, y, x);
  // The channels and the batch swap places; the rows stay contiguous.
  AffineMap fromWindow = AffineMap::get(4, 0, {n, c, y, x}, ctx);
  for (int64_t kh = 0; kh < kernel[0]; ++kh) {
    for (int64_t kw = 0; kw < kernel[1]; ++kw) {
      Value window = tensor::ExtractSliceOp::create(
          b, loc, windowType, input, ValueRange{}, ValueRange{}, ValueRange{},
          b.getDenseI64ArrayAttr({0, 0, kh * dilation[0], kw * dilation[1]}),
          b.getDenseI64ArrayAttr(windowType.getShape()),
          b.getDenseI64ArrayAttr({1, 1, stride[0], stride[1]}));
      columns = buildIntoSlice(
          b, loc, columns, tapType, {0, kh, kw, 0, 0, 0},
          {channels, 1, 1, batch, oh, ow}, {1, 1, 1, 1, 1, 1}, window,
          fromWindow, [](OpBuilder &, Location, Value in, Value) { return in; });
    }
  }
  return columns;
}

/// The convolution of `input` (padded) with `weight` `[O, C, KH, KW]`, plus
/// `bias`, as one product of the weight with the matrix of the windows of
/// the whole batch, `[C * KH * KW, N * OH * OW]`: wide enough for full
/// vectors and a register tile's reuse where a batched product with
/// OH * OW columns per image has neither (LeNet-5's second convolution: 100
/// columns per image).
Value buildIm2colConvolution(OpBuilder &b, Location loc, Value input,
                             Value weight, Value bias,
                             RankedTensorType resultType,
                             llvm::ArrayRef<int64_t> stride,
                             llvm::ArrayRef<int64_t> dilation) {
  auto weightType = cast<RankedTensorType>(weight.getType());
  Type elem = resultType.getElementType();
  int64_t batch = resultType.getDimSize(0), out = resultType.getDimSize(1);
  int64_t oh = resultType.getDimSize(2), ow = resultType.getDimSize(3);
  auto columnsType =
      RankedTensorType::get({weightType.getDimSize(1), weightType.getDimSize(2),
                             weightType.getDimSize(3), batch, oh, ow},
                            elem);
  Value columns =
      buildWindowColumns(b, loc, input, columnsType, stride, dilation);
  Value matrix = tensor::CollapseShapeOp::create(
      b, loc, columns,
      llvm::ArrayRef<ReassociationIndices>{{0, 1, 2}, {3, 4, 5}});
  Value weights = tensor::CollapseShapeOp::create(
      b, loc, weight, llvm::ArrayRef<ReassociationIndices>{{0}, {1, 2, 3}});
  Value channels = tensor::ExpandShapeOp::create(
      b, loc, RankedTensorType::get({out, batch, oh, ow}, elem),
      buildProduct(b, loc, weights, matrix),
      llvm::ArrayRef<ReassociationIndices>{{0}, {1, 2, 3}});
  return buildBatchMajor(b, loc, resultType, channels, bias);
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
    if (groups == 1) {
      rewriter.replaceOp(
          op, buildIm2colConvolution(rewriter, loc, input, adaptor.getWeight(),
                                     adaptor.getBias(), resultType, stride,
                                     dilation));
      return success();
    }
    Value init = buildChannelInit(rewriter, loc, resultType, adaptor.getBias());

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

/// A transposed convolution scatters the kernel scaled by each input pixel
/// (col2im, as PyTorch computes it): one product gives
/// `columns[o, kh, kw, n, h, w] = sum_i weight[i, o, kh, kw] * x[n, i, h, w]`,
/// and each kernel tap's `[O, N, H, W]` slice of it is added at rows
/// `h * stride + kh * dilation` and the matching columns of a buffer that
/// holds every tap's reach; the output is that buffer with `padding` cut
/// from both sides (and `output_padding` rows kept after). Against a
/// convolution of the input spread out by the stride and padded by the
/// kernel's reach, this skips the products with the spread and the padding's
/// zeros. Channel-major, as conv2d: the batch's pixels are one product's
/// columns.
struct ConvTranspose2dLowering : public StaticShapeLowering<ConvTranspose2dOp> {
  using StaticShapeLowering::StaticShapeLowering;

  LogicalResult lowerStatic(ConvTranspose2dOp op, OpAdaptor adaptor,
                            ConversionPatternRewriter &rewriter,
                            RankedTensorType resultType) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    Type elem = resultType.getElementType();
    auto inputType = cast<RankedTensorType>(adaptor.getInput().getType());
    auto weightType = cast<RankedTensorType>(adaptor.getWeight().getType());
    llvm::ArrayRef<int64_t> stride = op.getStride(), padding = op.getPadding(),
                            dilation = op.getDilation();
    int64_t batch = inputType.getDimSize(0), in = inputType.getDimSize(1);
    int64_t out = weightType.getDimSize(1);
    int64_t kernel[2] = {weightType.getDimSize(2), weightType.getDimSize(3)};
    int64_t size[2] = {inputType.getDimSize(2), inputType.getDimSize(3)};

    // The kernel as the [O * KH * KW, I] matrix, the input as [I, N * H * W].
    AffineExpr d0, d1, d2, d3;
    bindDims(ctx, d0, d1, d2, d3);
    auto copy = [](OpBuilder &, Location, ValueRange x) { return x[0]; };
    Value kernelMatrix = tensor::CollapseShapeOp::create(
        rewriter, loc,
        buildParallelGeneric(
            rewriter, loc,
            RankedTensorType::get({out, kernel[0], kernel[1], in}, elem),
            adaptor.getWeight(), AffineMap::get(4, 0, {d3, d0, d1, d2}, ctx),
            copy),
        llvm::ArrayRef<ReassociationIndices>{{0, 1, 2}, {3}});
    Value pixels = tensor::CollapseShapeOp::create(
        rewriter, loc,
        buildParallelGeneric(
            rewriter, loc,
            RankedTensorType::get({in, batch, size[0], size[1]}, elem),
            adaptor.getInput(), AffineMap::get(4, 0, {d1, d0, d2, d3}, ctx),
            copy),
        llvm::ArrayRef<ReassociationIndices>{{0}, {1, 2, 3}});
    Value columns = tensor::ExpandShapeOp::create(
        rewriter, loc,
        RankedTensorType::get(
            {out, kernel[0], kernel[1], batch, size[0], size[1]}, elem),
        buildProduct(rewriter, loc, kernelMatrix, pixels),
        llvm::ArrayRef<ReassociationIndices>{{0, 1, 2}, {3, 4, 5}});

    // The buffer every tap reaches: (size - 1) * stride + (kernel - 1) *
    // dilation + 1 rows, and the output's last rows beyond them.
    llvm::SmallVector<int64_t> reach = {out, batch, 0, 0};
    for (int axis = 0; axis < 2; ++axis) {
      int64_t full = (size[axis] - 1) * stride[axis] +
                     (kernel[axis] - 1) * dilation[axis] + 1;
      reach[2 + axis] =
          std::max(full, padding[axis] + resultType.getDimSize(2 + axis));
    }
    Value sums = buildFilled(rewriter, loc, RankedTensorType::get(reach, elem),
                             rewriter.getFloatAttr(elem, 0.0));
    llvm::SmallVector<int64_t> tapShape = {out, batch, size[0], size[1]};
    auto tapType = RankedTensorType::get(tapShape, elem);
    for (int64_t kh = 0; kh < kernel[0]; ++kh) {
      for (int64_t kw = 0; kw < kernel[1]; ++kw) {
        Value tap = tensor::ExtractSliceOp::create(
            rewriter, loc, tapType, columns, ValueRange{}, ValueRange{},
            ValueRange{}, rewriter.getDenseI64ArrayAttr({0, kh, kw, 0, 0, 0}),
            rewriter.getDenseI64ArrayAttr({out, 1, 1, batch, size[0], size[1]}),
            rewriter.getDenseI64ArrayAttr({1, 1, 1, 1, 1, 1}));
        sums = buildIntoSlice(
            rewriter, loc, sums, tapType,
            {0, 0, kh * dilation[0], kw * dilation[1]}, tapShape,
            {1, 1, stride[0], stride[1]}, tap,
            rewriter.getMultiDimIdentityMap(4),
            [](OpBuilder &b, Location l, Value in, Value sum) -> Value {
              return arith::AddFOp::create(b, l, sum, in);
            });
      }
    }
    Value cropped = tensor::ExtractSliceOp::create(
        rewriter, loc,
        RankedTensorType::get(
            {out, batch, resultType.getDimSize(2), resultType.getDimSize(3)},
            elem),
        sums, ValueRange{}, ValueRange{}, ValueRange{},
        rewriter.getDenseI64ArrayAttr({0, 0, padding[0], padding[1]}),
        rewriter.getDenseI64ArrayAttr(
            {out, batch, resultType.getDimSize(2), resultType.getDimSize(3)}),
        rewriter.getDenseI64ArrayAttr({1, 1, 1, 1}));
    rewriter.replaceOp(op, buildBatchMajor(rewriter, loc, resultType, cropped,
                                           adaptor.getBias()));
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
