//===- ElementTypes.cpp - MLIR element types as runtime dtypes ------------===//

#include "weft/Execution/ElementTypes.h"

#include "mlir/IR/BuiltinTypes.h"

using namespace mlir;

mlir::weft::DType mlir::weft::dtypeOf(Type elementType) {
  if (elementType.isInteger(1))
    return DType::Bool;
  if (elementType.isInteger(32))
    return DType::I32;
  if (elementType.isInteger(64))
    return DType::I64;
  return elementType.isF64() ? DType::F64 : DType::F32;
}
