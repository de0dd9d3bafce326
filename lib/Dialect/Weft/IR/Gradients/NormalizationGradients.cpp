//===- NormalizationGradients.cpp - Rules of softmax and log_softmax ------===//

#include "weft/Dialect/Weft/IR/WeftBuilder.h"

using namespace mlir;
using namespace mlir::weft;

llvm::SmallVector<Value> SoftmaxOp::buildGradients(OpBuilder &b,
                                                   ValueRange gradients) {
  // y * (g - sum(g * y)) along the axis.
  WeftBuilder d(b, getLoc());
  Value g = gradients[0], y = getResult();
  Value dot = d.sum(d.mul(g, y), getNormalizedAxes(), /*keepdim=*/true);
  return {d.mul(y, d.sub(g, dot))};
}

llvm::SmallVector<Value> LogSoftmaxOp::buildGradients(OpBuilder &b,
                                                      ValueRange gradients) {
  // g - exp(y) * sum(g) along the axis.
  WeftBuilder d(b, getLoc());
  Value g = gradients[0];
  Value total = d.sum(g, getNormalizedAxes(), /*keepdim=*/true);
  return {d.sub(g, d.mul(d.exp(getResult()), total))};
}

llvm::SmallVector<Value> LayerNormOp::buildGradients(OpBuilder &b,
                                                     ValueRange gradients) {
  // The statistics are recomputed from the input (two reductions), rather
  // than kept from the forward pass, which computes them inside its
  // lowering. With x̂ = (x - mean) · rstd and ĝ = g · weight:
  // dx = rstd · (ĝ - mean(ĝ) - x̂ · mean(ĝ · x̂)) over the normalized axes;
  // the weight's gradient sums g · x̂, the bias's g, over the others.
  WeftBuilder d(b, getLoc());
  Value x = getInput(), g = gradients[0];
  int64_t rank = shapeOf(x).size(), dims = getDims();
  llvm::SmallVector<int64_t> axes =
      llvm::to_vector(llvm::seq<int64_t>(rank - dims, rank));
  llvm::SmallVector<int64_t> leading =
      llvm::to_vector(llvm::seq<int64_t>(0, rank - dims));
  Value centered = d.sub(x, d.mean(x, axes, /*keepdim=*/true));
  Value variance = d.mean(d.mul(centered, centered), axes, /*keepdim=*/true);
  Value rstd =
      d.div(d.constant(1, x),
            d.sqrt(d.add(variance, d.constant(getEps().convertToDouble(), x))));
  Value normalized = d.mul(centered, rstd);
  Value scaled = d.mul(g, getWeight());
  Value dx = d.mul(
      rstd, d.sub(d.sub(scaled, d.mean(scaled, axes, /*keepdim=*/true)),
                  d.mul(normalized, d.mean(d.mul(scaled, normalized), axes,
                                           /*keepdim=*/true))));
  return {dx, d.sum(d.mul(g, normalized), leading, /*keepdim=*/false),
          d.sum(g, leading, /*keepdim=*/false)};
}

llvm::SmallVector<Value> BatchNormOp::buildGradients(OpBuilder &b,
                                                     ValueRange gradients) {
  // Given the statistics the op is affine per channel: dx = g · weight /
  // sqrt(var + eps); the weight's gradient sums g · x̂ and the bias's g over
  // every axis but the channels'. The statistics get theirs too: in
  // evaluation mode they are buffers, whose gradients nothing uses; in
  // train mode they are the batch's (weft.batch_stats, decomposed), through
  // which the rest of the input's gradient flows.
  WeftBuilder d(b, getLoc());
  Value x = getInput(), g = gradients[0];
  int64_t rank = shapeOf(x).size();
  llvm::SmallVector<int64_t> perChannel(rank, 1);
  perChannel[1] = shapeOf(x)[1];
  auto channel = [&](Value v) { return d.reshape(v, perChannel); };
  Value rstd = d.div(d.constant(1, x),
                     d.sqrt(d.add(channel(getVar()),
                                  d.constant(getEps().convertToDouble(), x))));
  Value normalized = d.mul(d.sub(x, channel(getMean())), rstd);
  llvm::SmallVector<int64_t> others;
  for (int64_t axis = 0; axis < rank; ++axis)
    if (axis != 1)
      others.push_back(axis);
  Value scaled = d.mul(g, d.mul(channel(getWeight()), rstd));
  // d/dmean = -Σ g·w·r; d/dvar = -½ Σ g·w·(x - mean)·r³ = -½ r Σ (g·w·r)·x̂.
  Value meanGrad = d.neg(d.sum(scaled, others, /*keepdim=*/false));
  Value varGrad =
      d.mul(d.sum(d.mul(scaled, normalized), others, /*keepdim=*/false),
            d.mul(d.constant(-0.5, x), d.reshape(rstd, shapeOf(getVar()))));
  return {scaled, d.sum(d.mul(g, normalized), others, /*keepdim=*/false),
          d.sum(g, others, /*keepdim=*/false), meanGrad, varGrad};
}

llvm::SmallVector<Value> DropoutOp::buildGradients(OpBuilder &b,
                                                   ValueRange gradients) {
  // At inference dropout is the identity; in training the gradient is
  // masked and scaled as the input was.
  if (!getSeed())
    return {gradients[0], Value()};
  WeftBuilder d(b, getLoc());
  return {
      d.mul(gradients[0], d.dropoutScale(getInput(), getP().convertToDouble(),
                                         getSeed(), getKey())),
      Value()};
}
