//===- ReductionIdentity.h - Where a GPU reduction starts -------*- C++ -*-===//

#ifndef WEFT_LIB_CONVERSION_GPU_REDUCTIONIDENTITY_H
#define WEFT_LIB_CONVERSION_GPU_REDUCTIONIDENTITY_H

#include "mlir/Dialect/GPU/IR/GPUDialect.h"

namespace mlir::weft {

/// The value a fold of `kind` over values of `type` starts from: 0 for add,
/// 1 for mul, -inf for the maxima, +inf for the minima (float types), 0 or
/// 1 for integers.
TypedAttr getReductionIdentity(gpu::AllReduceOperation kind, Type type);

} // namespace mlir::weft

#endif // WEFT_LIB_CONVERSION_GPU_REDUCTIONIDENTITY_H
