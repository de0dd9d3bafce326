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
