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

#include "weft/Dialect/Weft/IR/WeftOpsEnums.h.inc"

namespace mlir::weft {
/// Marks the ops whose operands may be integer or boolean tensors; their
/// ODS constraints say which operands.
template <typename ConcreteType>
class AcceptsIntegers
    : public OpTrait::TraitBase<ConcreteType, AcceptsIntegers> {};

/// The model's parameters as a memory resource: `weft.update_param` writes
/// it.
struct ParamResource : public SideEffects::Resource::Base<ParamResource> {
  llvm::StringRef getName() final { return "weft.param"; }
};
} // namespace mlir::weft

#define GET_OP_CLASSES
#include "weft/Dialect/Weft/IR/WeftOps.h.inc"

#endif // WEFT_DIALECT_WEFT_IR_WEFTOPS_H
