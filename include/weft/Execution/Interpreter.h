//===- Interpreter.h - Reference interpreter --------------------*- C++ -*-===//
//
// A direct, unoptimized evaluation of a shape-inferred weft function, in
// float64 throughout (the results are rounded to their declared dtypes at
// the end). It shares with the compiler only the shape rules and the
// meanings the ODS definitions spell out (each elementwise op's `evaluate`,
// linspace's elements), so tests use it as an independent check
// of the JIT. The evaluators are grouped by op family as the lowerings are
// (lib/Execution/Interpreter/).
//
//===----------------------------------------------------------------------===//

#ifndef WEFT_EXECUTION_INTERPRETER_H
#define WEFT_EXECUTION_INTERPRETER_H

#include "weft/Runtime/TensorIO.h"

#include <vector>

namespace mlir::func {
class FuncOp;
}

namespace mlir::weft {

/// Evaluates `func` (inlined, shapes inferred, parameters still `weft.param`
/// ops) on `inputs`, reading parameters from `params` by name; returns its
/// results in order. The parameters it updates (`weft.update_param`) take
/// their new values in `params`.
llvm::Expected<std::vector<Tensor>>
interpret(func::FuncOp func, llvm::ArrayRef<const Tensor *> inputs,
          TensorMap &params);

} // namespace mlir::weft

#endif // WEFT_EXECUTION_INTERPRETER_H
