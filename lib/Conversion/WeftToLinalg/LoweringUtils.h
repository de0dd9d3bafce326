//===- LoweringUtils.h - Helpers shared by the weft lowerings ---*- C++ -*-===//

#ifndef LIB_CONVERSION_WEFTTOLINALG_LOWERINGUTILS_H
#define LIB_CONVERSION_WEFTTOLINALG_LOWERINGUTILS_H

#include "mlir/IR/AffineMap.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/STLFunctionalExtras.h"

namespace mlir::weft {

/// Builds the scalar body of an elementwise computation from the operands'
/// elements.
using ScalarBuilder =
    llvm::function_ref<Value(OpBuilder &, Location, ValueRange)>;

/// The static result type of a weft op, or null (the lowering then fails:
/// shape inference has not run).
RankedTensorType getStaticResultType(Operation *op);

/// The indexing map reading `operand` at each index of `result` under NumPy
/// broadcasting: leading dimensions missing from the operand are dropped and
/// a size-1 dimension stretched to a larger size is read at index 0.
AffineMap getBroadcastMap(RankedTensorType operand, RankedTensorType result);

/// A `linalg.generic` computing `body` over `inputs`, broadcast to
/// `resultType`.
Value buildElementwise(OpBuilder &b, Location loc, RankedTensorType resultType,
                       ValueRange inputs, ScalarBuilder body);

/// A tensor of `type` filled with `value`.
Value buildFilled(OpBuilder &b, Location loc, RankedTensorType type,
                  TypedAttr value);

/// `value` with its elements laid out in the static shape of `type`.
Value buildReshape(OpBuilder &b, Location loc, Value value,
                   RankedTensorType type);

} // namespace mlir::weft

#endif // LIB_CONVERSION_WEFTTOLINALG_LOWERINGUTILS_H
