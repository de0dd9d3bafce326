//===- Interpreter.h - Reference interpreter of the weft dialect -*- C++
//-*-===//
//
// A direct, unoptimized evaluation of a shape-inferred weft function, in
// float64 throughout (the result is rounded to its declared dtype at the
// end). It shares nothing with the lowering, so tests use it as an
// independent check of the JIT.
//
//===----------------------------------------------------------------------===//

#ifndef WEFT_EXECUTION_INTERPRETER_H
#define WEFT_EXECUTION_INTERPRETER_H

#include "weft/Runtime/TensorIO.h"

namespace mlir::func {
class FuncOp;
}

namespace mlir::weft {

/// Evaluates `func` (inlined, shapes inferred, parameters still `weft.param`
/// ops) on `inputs`, reading parameters from `params` by name.
llvm::Expected<Tensor> interpret(func::FuncOp func,
                                 llvm::ArrayRef<const Tensor *> inputs,
                                 const TensorMap &params);

} // namespace mlir::weft

#endif // WEFT_EXECUTION_INTERPRETER_H
