//===- ScanGradients.cpp - The rule of cumsum -----------------------------===//

#include "weft/Dialect/Weft/IR/WeftBuilder.h"

using namespace mlir;
using namespace mlir::weft;

llvm::SmallVector<Value> CumsumOp::buildGradients(OpBuilder &b,
                                                  ValueRange gradients) {
  // Element i feeds every running sum from i on: the reversed running sum
  // of g, total(g) - cumsum(g) + g.
  WeftBuilder d(b, getLoc());
  Value g = gradients[0];
  int64_t axis = getAxis() < 0 ? getAxis() + shapeOf(g).size() : getAxis();
  return {
      d.add(d.sub(d.sum(g, {axis}, /*keepdim=*/true), d.cumsum(g, axis)), g)};
}
