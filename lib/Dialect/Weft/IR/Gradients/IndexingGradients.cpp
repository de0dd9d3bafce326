//===- IndexingGradients.cpp - Rules of the lookups by index --------------===//
//
// gather, index_select and embedding read elements where indices say; their
// gradients add the result's gradient back at those positions (scatter_add),
// summed where an element was read several times. The indices have none.
//
//===----------------------------------------------------------------------===//

#include "weft/Dialect/Weft/IR/WeftBuilder.h"

using namespace mlir;
using namespace mlir::weft;

llvm::SmallVector<Value> GatherOp::buildGradients(OpBuilder &b,
                                                  ValueRange gradients) {
  WeftBuilder d(b, getLoc());
  return {d.scatterAdd(d.zerosLike(getInput()), getAxis(), getIndex(),
                       gradients[0]),
          Value()};
}

llvm::SmallVector<Value> IndexSelectOp::buildGradients(OpBuilder &b,
                                                       ValueRange gradients) {
  // The index vector stretched over the result's other axes, as gather's.
  WeftBuilder d(b, getLoc());
  llvm::ArrayRef<int64_t> shape = shapeOf(getResult());
  int64_t axis = normalizedAxis(getResult(), getAxis());
  llvm::SmallVector<int64_t> along(shape.size(), 1);
  along[axis] = shape[axis];
  Value index = d.broadcast(d.reshape(getIndex(), along), shape);
  return {d.scatterAdd(d.zerosLike(getInput()), axis, index, gradients[0]),
          Value()};
}

llvm::SmallVector<Value> EmbeddingOp::buildGradients(OpBuilder &b,
                                                     ValueRange gradients) {
  // The lookups as rows `[N, dim]`, each adding its gradient to its row of
  // the table.
  WeftBuilder d(b, getLoc());
  llvm::ArrayRef<int64_t> table = shapeOf(getTable());
  int64_t lookups = 1;
  for (int64_t size : shapeOf(getIndices()))
    lookups *= size;
  Value rows =
      d.broadcast(d.reshape(getIndices(), {lookups, 1}), {lookups, table[1]});
  Value g = d.reshape(gradients[0], {lookups, table[1]});
  return {Value(), d.scatterAdd(d.zerosLike(getTable()), 0, rows, g)};
}

llvm::SmallVector<Value> ScatterAddOp::buildGradients(OpBuilder &b,
                                                      ValueRange gradients) {
  // The input passes through; each source element reads where it was added.
  WeftBuilder d(b, getLoc());
  Value g = gradients[0];
  return {g, Value(), d.gather(g, getAxis(), getIndex())};
}

llvm::SmallVector<Value> TopKOp::buildGradients(OpBuilder &b,
                                                ValueRange gradients) {
  // The values' gradient goes back to the positions they were taken from.
  WeftBuilder d(b, getLoc());
  int64_t axis = normalizedAxis(getInput(), getAxis());
  return {
      d.scatterAdd(d.zerosLike(getInput()), axis, getIndices(), gradients[0])};
}
