//===- ContractionGradients.cpp - Rules of matmul and linear --------------===//

#include "weft/Dialect/Weft/IR/WeftBuilder.h"

using namespace mlir;
using namespace mlir::weft;

llvm::SmallVector<Value> MatmulOp::buildGradients(OpBuilder &b,
                                                  ValueRange gradients) {
  // g @ rhsᵀ and lhsᵀ @ g, summed over the batch axes each operand was
  // broadcast along.
  WeftBuilder d(b, getLoc());
  Value g = gradients[0], lhs = getLhs(), rhs = getRhs();
  return {d.unbroadcast(d.matmul(g, d.transposeLastTwo(rhs)), lhs),
          d.unbroadcast(d.matmul(d.transposeLastTwo(lhs), g), rhs)};
}

llvm::SmallVector<Value> LinearOp::buildGradients(OpBuilder &b,
                                                  ValueRange gradients) {
  // With the leading axes as rows, g `[P, N]` and the input `[P, K]`:
  // the input's gradient g @ weight, the weight's gᵀ @ input, the bias's
  // the column sums of g.
  WeftBuilder d(b, getLoc());
  Value input = getInput(), weight = getWeight();
  llvm::ArrayRef<int64_t> inputShape = shapeOf(input);
  int64_t rows = 1;
  for (int64_t size : inputShape.drop_back())
    rows *= size;
  int64_t outputs = shapeOf(weight)[0], inputs = shapeOf(weight)[1];
  Value g = d.reshape(gradients[0], {rows, outputs});
  Value x = d.reshape(input, {rows, inputs});
  llvm::SmallVector<Value> result = {d.reshape(d.matmul(g, weight), inputShape),
                                     d.matmul(d.transposeLastTwo(g), x)};
  if (getBias())
    result.push_back(d.sum(g, {0}, /*keepdim=*/false));
  return result;
}
