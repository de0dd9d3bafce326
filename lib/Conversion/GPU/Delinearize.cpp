//===- Delinearize.cpp - Loop indices of a linear position ----------------===//

#include "Delinearize.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;

SmallVector<Value> mlir::weft::delinearize(OpBuilder &b, Location loc,
                                           Value linear, ValueRange sizes) {
  SmallVector<Value> indices(sizes.size());
  for (int64_t d = sizes.size() - 1; d > 0; --d) {
    indices[d] = arith::RemUIOp::create(b, loc, linear, sizes[d]);
    linear = arith::DivUIOp::create(b, loc, linear, sizes[d]);
  }
  if (!sizes.empty())
    indices[0] = linear;
  return indices;
}
