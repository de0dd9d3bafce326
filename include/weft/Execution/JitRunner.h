//===- JitRunner.h - Running lowered functions on the CPU JIT ---*- C++ -*-===//

#ifndef WEFT_EXECUTION_JITRUNNER_H
#define WEFT_EXECUTION_JITRUNNER_H

#include "weft/Runtime/Tensor.h"

#include "llvm/Support/Error.h"
#include <memory>
#include <string>
#include <vector>

namespace mlir {
class ExecutionEngine;
class ModuleOp;
} // namespace mlir

namespace mlir::weft {

/// A module in the LLVM dialect compiled by the ORC JIT for the host CPU.
class JitProgram {
public:
  /// Compiles `module`; every public function must carry
  /// `llvm.emit_c_interface`.
  static llvm::Expected<JitProgram> compile(ModuleOp module);
  JitProgram(JitProgram &&);
  ~JitProgram();

  /// Calls `symbol` with memref arguments viewing `args` and returns its one
  /// result, a tensor of `resultDType` and rank `resultRank`; an error when
  /// the program looked up an index out of range.
  llvm::Expected<Tensor> call(llvm::StringRef symbol,
                              llvm::ArrayRef<Tensor *> args, DType resultDType,
                              int64_t resultRank);

private:
  JitProgram(std::unique_ptr<ExecutionEngine> engine,
             std::vector<std::string> indexSites);
  std::unique_ptr<ExecutionEngine> engine;
  /// Where each index check of the program is: "'embedding' at f.weft:3:5".
  std::vector<std::string> indexSites;
};

} // namespace mlir::weft

#endif // WEFT_EXECUTION_JITRUNNER_H
