//===- ElementTypes.h - MLIR element types as runtime dtypes ----*- C++ -*-===//

#ifndef WEFT_EXECUTION_ELEMENTTYPES_H
#define WEFT_EXECUTION_ELEMENTTYPES_H

#include "weft/Runtime/Tensor.h"

#include "mlir/IR/Types.h"

namespace mlir::weft {

/// The runtime dtype of a tensor element type (f32, f64, i32 or i64).
DType dtypeOf(Type elementType);

} // namespace mlir::weft

#endif // WEFT_EXECUTION_ELEMENTTYPES_H
