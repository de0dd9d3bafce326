//===- ReductionGradients.cpp - Rules of sum, mean and max ----------------===//

#include "weft/Dialect/Weft/IR/WeftBuilder.h"

using namespace mlir;
using namespace mlir::weft;

/// The number of elements `op` combines into each of its results.
static int64_t countReduced(ReductionOpInterface op, Value input) {
  int64_t count = 1;
  for (int64_t axis : op.getReducedAxes())
    count *= shapeOf(input)[axis];
  return count;
}

llvm::SmallVector<Value> SumOp::buildGradients(OpBuilder &b,
                                               ValueRange gradients) {
  return {WeftBuilder(b, getLoc())
              .expandReduced(gradients[0], getInput(), getReducedAxes(),
                             getKeepdim())};
}

llvm::SmallVector<Value> MeanOp::buildGradients(OpBuilder &b,
                                                ValueRange gradients) {
  WeftBuilder d(b, getLoc());
  Value g =
      d.div(gradients[0],
            d.constant(double(countReduced(*this, getInput())), gradients[0]));
  return {d.expandReduced(g, getInput(), getReducedAxes(), getKeepdim())};
}

llvm::SmallVector<Value> MaxOp::buildGradients(OpBuilder &b,
                                               ValueRange gradients) {
  // To the maximal elements, shared equally among ties (as PyTorch's
  // maximum over all elements; over an axis PyTorch gives it all to one).
  WeftBuilder d(b, getLoc());
  llvm::SmallVector<int64_t> axes = getReducedAxes();
  Value input = getInput();
  Value atMax =
      d.compare(ComparePredicate::eq, input,
                d.expandReduced(getResult(), input, axes, getKeepdim()));
  Value mask = d.where(atMax, d.constant(1, input), d.constant(0, input));
  Value ties = d.broadcast(d.sum(mask, axes, /*keepdim=*/true), shapeOf(input));
  Value g = d.expandReduced(gradients[0], input, axes, getKeepdim());
  return {d.div(d.mul(g, mask), ties)};
}
