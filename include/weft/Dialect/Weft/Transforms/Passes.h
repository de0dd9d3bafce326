//===- Passes.h - weft dialect passes ---------------------------*- C++ -*-===//

#ifndef WEFT_DIALECT_WEFT_TRANSFORMS_PASSES_H
#define WEFT_DIALECT_WEFT_TRANSFORMS_PASSES_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Pass/Pass.h"
#include "weft/Dialect/Weft/IR/WeftDialect.h"

namespace mlir::weft {

/// Name of the argument attribute holding a lifted parameter's name.
inline constexpr llvm::StringLiteral kParamAttrName = "weft.param";

#define GEN_PASS_DECL
#include "weft/Dialect/Weft/Transforms/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "weft/Dialect/Weft/Transforms/Passes.h.inc"

} // namespace mlir::weft

#endif // WEFT_DIALECT_WEFT_TRANSFORMS_PASSES_H
