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
  int64_t axis = normalizedAxis(g, getAxis());
  return {
      d.add(d.sub(d.sum(g, {axis}, /*keepdim=*/true), d.cumsum(g, axis)), g)};
}

llvm::SmallVector<Value> CumprodOp::buildGradients(OpBuilder &b,
                                                   ValueRange gradients) {
  // d y_j / d x_i = prod_{k <= j, k != i} x_k for j >= i: the exclusive
  // product before i, E_i, times R_ij = prod_{i < k <= j} x_k. Written
  // without dividing by x_i, so that zeros are exact: with the scanned
  // axis last, R is the running product along k of [T, T] rows holding
  // x_k where k > i and 1 elsewhere, and dx_i = E_i · sum_{j >= i} g_j R_ij.
  // Quadratic in the axis' length.
  WeftBuilder d(b, getLoc());
  Value x = getInput(), g = gradients[0];
  int64_t rank = shapeOf(x).size();
  int64_t axis = normalizedAxis(x, getAxis());
  llvm::SmallVector<int64_t> toLast =
      llvm::to_vector(llvm::seq<int64_t>(0, rank));
  toLast.erase(toLast.begin() + axis);
  toLast.push_back(axis);
  llvm::SmallVector<int64_t> fromLast(rank);
  for (int64_t i = 0; i < rank; ++i)
    fromLast[toLast[i]] = i;
  bool moved = axis != rank - 1;
  if (moved) {
    x = d.transpose(x, toLast);
    g = d.transpose(g, toLast);
  }
  llvm::ArrayRef<int64_t> shape = shapeOf(x);
  int64_t length = shape.back();
  llvm::SmallVector<double> after, onOrAfter;
  for (int64_t i = 0; i < length; ++i)
    for (int64_t k = 0; k < length; ++k) {
      after.push_back(k > i ? 1.0 : 0.0);
      onOrAfter.push_back(k >= i ? 1.0 : 0.0);
    }
  Value zero = d.constant(0, x);
  Value later = d.compare(ComparePredicate::gt,
                          d.constantMatrix(after, length, length, x), zero);
  Value notEarlier =
      d.compare(ComparePredicate::gt,
                d.constantMatrix(onOrAfter, length, length, x), zero);
  llvm::SmallVector<int64_t> square(shape);
  square.push_back(length);
  llvm::SmallVector<int64_t> rows(shape);
  rows.insert(rows.end() - 1, 1);
  Value running = d.cumprod(
      d.where(later, d.broadcast(d.reshape(x, rows), square), d.constant(1, x)),
      rank);
  Value weighted =
      d.where(notEarlier, d.mul(running, d.reshape(g, rows)), zero);
  Value total = d.sum(weighted, {rank}, /*keepdim=*/false);
  // E: the running product shifted by one, 1 first.
  llvm::SmallVector<int64_t> one(shape);
  one.back() = 1;
  Value exclusive =
      d.concat({d.broadcast(d.constant(1, x), one),
                d.slice(d.cumprod(x, rank - 1), rank - 1, 0, length - 1)},
               rank - 1);
  Value dx = length == 1 ? total : d.mul(exclusive, total);
  return {moved ? d.transpose(dx, fromLast) : dx};
}
