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

llvm::SmallVector<Value> DetachOp::buildGradients(OpBuilder &, ValueRange) {
  return {Value()};
}

llvm::SmallVector<Value> ConcatOp::buildGradients(OpBuilder &b,
                                                  ValueRange gradients) {
  // Each input's range of the result.
  WeftBuilder d(b, getLoc());
  int64_t axis = normalizedAxis(getResult(), getAxis());
  llvm::SmallVector<Value> result;
  int64_t start = 0;
  for (Value input : getInputs()) {
    int64_t end = start + shapeOf(input)[axis];
    result.push_back(d.slice(gradients[0], axis, start, end));
    start = end;
  }
  return result;
}

llvm::SmallVector<Value> StackOp::buildGradients(OpBuilder &b,
                                                 ValueRange gradients) {
  // Each input's index along the new axis.
  WeftBuilder d(b, getLoc());
  int64_t axis = normalizedAxis(getResult(), getAxis());
  llvm::SmallVector<Value> result;
  for (int64_t i = 0, e = getInputs().size(); i < e; ++i)
    result.push_back(d.slice(gradients[0], axis, i, i + 1, /*drop=*/true));
  return result;
}

llvm::SmallVector<Value> SliceOp::buildGradients(OpBuilder &b,
                                                 ValueRange gradients) {
  // The gradient in its range, zeros before and after it.
  WeftBuilder d(b, getLoc());
  llvm::ArrayRef<int64_t> inputShape = shapeOf(getInput());
  int64_t axis = normalizedAxis(getInput(), getAxis());
  int64_t size = inputShape[axis];
  // The result's extent along the axis gives the end (a clamped one too);
  // the verifier keeps the start in range.
  int64_t start = getStart();
  int64_t end = getDrop() ? start + 1 : start + shapeOf(getResult())[axis];
  llvm::SmallVector<int64_t> pieceShape(inputShape);
  pieceShape[axis] = end - start;
  Value g = d.reshape(gradients[0], pieceShape);
  auto zeros = [&](int64_t length) {
    llvm::SmallVector<int64_t> shape(inputShape);
    shape[axis] = length;
    return d.broadcast(d.constant(0, g), shape);
  };
  llvm::SmallVector<Value> pieces;
  if (start > 0)
    pieces.push_back(zeros(start));
  pieces.push_back(g);
  if (end < size)
    pieces.push_back(zeros(size - end));
  return {d.concat(pieces, axis)};
}

llvm::SmallVector<Value> SelectScatterOp::buildGradients(OpBuilder &b,
                                                         ValueRange gradients) {
  // The input's gradient is the result's with the replaced index zeroed;
  // the value's, the result's at that index.
  WeftBuilder d(b, getLoc());
  Value g = gradients[0];
  int64_t axis = normalizedAxis(g, getAxis());
  int64_t index = getIndex();
  return {d.selectScatter(g, d.zerosLike(getValue()), axis, index),
          d.slice(g, axis, index, index + 1, /*drop=*/true)};
}

llvm::SmallVector<Value> TriuOp::buildGradients(OpBuilder &b,
                                                ValueRange gradients) {
  return {TriuOp::create(b, getLoc(), gradients[0], getDiagonalAttr())};
}

llvm::SmallVector<Value> TrilOp::buildGradients(OpBuilder &b,
                                                ValueRange gradients) {
  return {TrilOp::create(b, getLoc(), gradients[0], getDiagonalAttr())};
}

llvm::SmallVector<Value>
UpsampleNearestOp::buildGradients(OpBuilder &b, ValueRange gradients) {
  // Each input pixel's copies summed: the result `[N, C, H·sh, W·sw]` as
  // `[N, C, H, sh, W, sw]`, summed over the copies.
  WeftBuilder d(b, getLoc());
  llvm::ArrayRef<int64_t> shape = shapeOf(getInput());
  llvm::ArrayRef<int64_t> scale = getScale();
  Value blocks = d.reshape(gradients[0], {shape[0], shape[1], shape[2],
                                          scale[0], shape[3], scale[1]});
  return {d.sum(blocks, {3, 5}, /*keepdim=*/false)};
}
