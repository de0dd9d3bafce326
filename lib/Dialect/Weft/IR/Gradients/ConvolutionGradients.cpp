//===- ConvolutionGradients.cpp - Rules of conv2d and conv_transpose2d ----===//
//
// Each is the other's input gradient: conv2d's is a conv_transpose2d of the
// result's gradient with the same weight, conv_transpose2d's a conv2d. The
// weight's gradient correlates the input with the result's gradient: a
// conv2d with the batch as the channels (both transposed to `[C, N, ...]`),
// stride and dilation swapping roles, cropped to the kernel. A grouped
// conv2d does this per group.
//
//===----------------------------------------------------------------------===//

#include "weft/Dialect/Weft/IR/WeftBuilder.h"

using namespace mlir;
using namespace mlir::weft;

namespace {
constexpr int64_t kSwapBatchAndChannels[] = {1, 0, 2, 3};

/// The gradient of a one-group conv2d's weight `[O, C, KH, KW]`:
/// sum over n, oh, ow of g[n, o, oh, ow] · x[n, c, oh·s + kh·d − p, ...].
Value conv2dWeightGradient(WeftBuilder &d, Value x, Value g,
                           llvm::ArrayRef<int64_t> kernel,
                           llvm::ArrayRef<int64_t> stride,
                           llvm::ArrayRef<int64_t> padding,
                           llvm::ArrayRef<int64_t> dilation) {
  Value correlated = d.conv2d(d.transpose(x, kSwapBatchAndChannels),
                              d.transpose(g, kSwapBatchAndChannels),
                              /*stride=*/dilation, padding,
                              /*dilation=*/stride);
  return d.transpose(d.cropSpatial(correlated, kernel[0], kernel[1]),
                     kSwapBatchAndChannels);
}

/// The gradients of the input and the weight of a one-group conv2d.
std::pair<Value, Value> conv2dGradients(WeftBuilder &d, Value x, Value weight,
                                        Value g, llvm::ArrayRef<int64_t> stride,
                                        llvm::ArrayRef<int64_t> padding,
                                        llvm::ArrayRef<int64_t> dilation) {
  llvm::ArrayRef<int64_t> in = shapeOf(x), out = shapeOf(g);
  llvm::ArrayRef<int64_t> kernel = shapeOf(weight).drop_front(2);
  // The output padding that gives the transposed convolution the input's
  // size back (the rows a stride skipped at the end).
  llvm::SmallVector<int64_t> outputPadding;
  for (int i = 0; i < 2; ++i)
    outputPadding.push_back(in[2 + i] -
                            ((out[2 + i] - 1) * stride[i] - 2 * padding[i] +
                             dilation[i] * (kernel[i] - 1) + 1));
  return {
      d.convTranspose2d(g, weight, stride, padding, outputPadding, dilation),
      conv2dWeightGradient(d, x, g, kernel, stride, padding, dilation)};
}
} // namespace

llvm::SmallVector<Value> Conv2dOp::buildGradients(OpBuilder &b,
                                                  ValueRange gradients) {
  WeftBuilder d(b, getLoc());
  Value x = getInput(), weight = getWeight(), g = gradients[0];
  int64_t groups = getGroups();
  int64_t inPerGroup = shapeOf(x)[1] / groups;
  int64_t outPerGroup = shapeOf(weight)[0] / groups;
  llvm::SmallVector<Value> inputGradients, weightGradients;
  for (int64_t i = 0; i < groups; ++i) {
    auto part = [&](Value v, int64_t per) {
      return groups == 1
                 ? v
                 : d.slice(v, v == weight ? 0 : 1, i * per, (i + 1) * per);
    };
    auto [dx, dw] = conv2dGradients(
        d, part(x, inPerGroup), part(weight, outPerGroup), part(g, outPerGroup),
        getStride(), getPadding(), getDilation());
    inputGradients.push_back(dx);
    weightGradients.push_back(dw);
  }
  llvm::SmallVector<Value> result = {d.concat(inputGradients, 1),
                                     d.concat(weightGradients, 0)};
  if (getBias())
    result.push_back(d.sum(g, {0, 2, 3}, /*keepdim=*/false));
  return result;
}

llvm::SmallVector<Value>
ConvTranspose2dOp::buildGradients(OpBuilder &b, ValueRange gradients) {
  // The input's gradient is the conv2d of g with the weight; the weight's
  // `[I, O, KH, KW]` sums x[n, i, h, w] · g[n, o, h·s + kh·d − p, ...]: a
  // conv2d of g by x with the batch as the channels.
  WeftBuilder d(b, getLoc());
  Value x = getInput(), weight = getWeight(), g = gradients[0];
  llvm::ArrayRef<int64_t> kernel = shapeOf(weight).drop_front(2);
  llvm::ArrayRef<int64_t> stride = getStride(), padding = getPadding(),
                          dilation = getDilation();
  Value correlated = d.conv2d(d.transpose(g, kSwapBatchAndChannels),
                              d.transpose(x, kSwapBatchAndChannels),
                              /*stride=*/dilation, padding,
                              /*dilation=*/stride);
  llvm::SmallVector<Value> result = {
      d.conv2d(g, weight, stride, padding, dilation),
      d.transpose(d.cropSpatial(correlated, kernel[0], kernel[1]),
                  kSwapBatchAndChannels)};
  if (getBias())
    result.push_back(d.sum(g, {0, 2, 3}, /*keepdim=*/false));
  return result;
}
