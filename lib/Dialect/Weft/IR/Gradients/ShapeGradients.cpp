//===- ShapeGradients.cpp - Rules of the ops that move elements -----------===//
//
// broadcast, reshape, flatten, transpose and cast: the gradient moves back
// to where each element came from (summed where one element was copied to
// several places).
//
//===----------------------------------------------------------------------===//

#include "weft/Dialect/Weft/IR/WeftBuilder.h"

using namespace mlir;
using namespace mlir::weft;

llvm::SmallVector<Value> BroadcastOp::buildGradients(OpBuilder &b,
                                                     ValueRange gradients) {
  return {WeftBuilder(b, getLoc()).unbroadcast(gradients[0], getInput())};
}

llvm::SmallVector<Value> ReshapeOp::buildGradients(OpBuilder &b,
                                                   ValueRange gradients) {
  return {WeftBuilder(b, getLoc()).reshape(gradients[0], shapeOf(getInput()))};
}

llvm::SmallVector<Value> FlattenOp::buildGradients(OpBuilder &b,
                                                   ValueRange gradients) {
  return {WeftBuilder(b, getLoc()).reshape(gradients[0], shapeOf(getInput()))};
}

llvm::SmallVector<Value> TransposeOp::buildGradients(OpBuilder &b,
                                                     ValueRange gradients) {
  llvm::ArrayRef<int64_t> permutation = getPermutation();
  int64_t rank = permutation.size();
  llvm::SmallVector<int64_t> inverse(rank);
  for (int64_t i = 0; i < rank; ++i)
    inverse[(permutation[i] + rank) % rank] = i;
  return {WeftBuilder(b, getLoc()).transpose(gradients[0], inverse)};
}

llvm::SmallVector<Value> CastOp::buildGradients(OpBuilder &b,
                                                ValueRange gradients) {
  if (gradients[0].getType() == getInput().getType())
    return {gradients[0]};
  return {CastOp::create(b, getLoc(), getInput().getType(), gradients[0])};
}
