//===- Delinearize.h - Loop indices of a linear position --------*- C++ -*-===//

#ifndef WEFT_LIB_CONVERSION_GPU_DELINEARIZE_H
#define WEFT_LIB_CONVERSION_GPU_DELINEARIZE_H

#include "mlir/IR/Builders.h"

namespace mlir::weft {

/// The indices of the linear position `linear` (less than the product of
/// `sizes`) in loops of `sizes`, the last loop varying fastest (row-major).
SmallVector<Value> delinearize(OpBuilder &b, Location loc, Value linear,
                               ValueRange sizes);

} // namespace mlir::weft

#endif // WEFT_LIB_CONVERSION_GPU_DELINEARIZE_H
