//===- WeftOps.h - weft dialect operations ----------------------*- C++ -*-===//

#ifndef WEFT_DIALECT_WEFT_IR_WEFTOPS_H
#define WEFT_DIALECT_WEFT_IR_WEFTOPS_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/CastInterfaces.h"
#include "mlir/Interfaces/ControlFlowInterfaces.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "weft/Dialect/Weft/IR/TypeInference.h"
#include "weft/Dialect/Weft/IR/WeftDialect.h"
#include "weft/Dialect/Weft/IR/WeftInterfaces.h"
#include "weft/Runtime/Limits.h"

#include "weft/Dialect/Weft/IR/WeftOpsEnums.h.inc"

namespace mlir::weft {
/// Marks the ops whose operands may be integer or boolean tensors; their
/// ODS constraints say which operands.
template <typename ConcreteType>
class AcceptsIntegers
    : public OpTrait::TraitBase<ConcreteType, AcceptsIntegers> {};

/// Marks the divisions whose zero divisor, on integers, is a run-time error.
template <typename ConcreteType>
class DividesIntegers
    : public OpTrait::TraitBase<ConcreteType, DividesIntegers> {};

/// What `op` is called in a run-time error: the name of its NameLoc (the
/// front end names a division by its operator, `//`), else the op's name.
std::string getSiteName(Operation *op);

/// Checks that the ranked tensor types of `op`'s results have no negative
/// size and at most kMaxElements elements.
LogicalResult verifyBoundedShapes(Operation *op);

/// Every weft op's results have valid sizes (verifyBoundedShapes).
template <typename ConcreteType>
class BoundedShapes : public OpTrait::TraitBase<ConcreteType, BoundedShapes> {
public:
  static LogicalResult verifyTrait(Operation *op) {
    return verifyBoundedShapes(op);
  }
};

/// The model's parameters as a memory resource: `weft.update_param` writes
/// it.
struct ParamResource : public SideEffects::Resource::Base<ParamResource> {
  llvm::StringRef getName() final { return "weft.param"; }
};
} // namespace mlir::weft

#define GET_OP_CLASSES
#include "weft/Dialect/Weft/IR/WeftOps.h.inc"

#endif // WEFT_DIALECT_WEFT_IR_WEFTOPS_H
