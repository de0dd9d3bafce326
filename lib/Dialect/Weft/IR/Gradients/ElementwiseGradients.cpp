//===- ElementwiseGradients.cpp - Rules of where and convert --------------===//
//
// The unary and binary ops' rules are in their ODS definitions; these two
// take a condition or change the dtype.
//
//===----------------------------------------------------------------------===//

#include "weft/Dialect/Weft/IR/WeftBuilder.h"

using namespace mlir;
using namespace mlir::weft;

llvm::SmallVector<Value> WhereOp::buildGradients(OpBuilder &b,
                                                 ValueRange gradients) {
  WeftBuilder d(b, getLoc());
  Value g = gradients[0], zero = d.constant(0, g);
  return {Value(), d.unbroadcast(d.where(getCondition(), g, zero), getOnTrue()),
          d.unbroadcast(d.where(getCondition(), zero, g), getOnFalse())};
}

llvm::SmallVector<Value> ConvertOp::buildGradients(OpBuilder &b,
                                                   ValueRange gradients) {
  // Only a conversion between float types passes a gradient on.
  Type from = cast<TensorType>(getInput().getType()).getElementType();
  if (!isa<FloatType>(from))
    return {Value()};
  return {WeftBuilder(b, getLoc()).convert(gradients[0], from)};
}
