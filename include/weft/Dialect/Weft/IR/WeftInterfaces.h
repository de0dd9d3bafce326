//===- WeftInterfaces.h - weft op families ----------------------*- C++ -*-===//

#ifndef WEFT_DIALECT_WEFT_IR_WEFTINTERFACES_H
#define WEFT_DIALECT_WEFT_IR_WEFTINTERFACES_H

#include "weft/Dialect/Weft/IR/TypeInference.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "llvm/ADT/Sequence.h"
#include "llvm/ADT/SmallVector.h"
#include <string>

#include "weft/Dialect/Weft/IR/WeftInterfaces.h.inc"

#endif // WEFT_DIALECT_WEFT_IR_WEFTINTERFACES_H
