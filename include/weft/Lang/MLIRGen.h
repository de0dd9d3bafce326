//===- MLIRGen.h - From the syntax tree to the weft dialect -----*- C++ -*-===//

#ifndef WEFT_LANG_MLIRGEN_H
#define WEFT_LANG_MLIRGEN_H

#include "weft/Lang/AST.h"

#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Error.h"
#include <optional>

namespace mlir {
class MLIRContext;
class ModuleOp;
} // namespace mlir

namespace mlir::weft {

/// The function a compilation starts from: a top-level `def` or a method of
/// a model.
struct EntryPoint {
  const ModelAST *model = nullptr;
  const FunctionAST *function = nullptr;
  /// Its symbol in the generated module: `name` or `Model.name`.
  std::string symbol;
};

/// Finds `name`: `Model.method`, a top-level function, or the method of that
/// name of the only model that has one.
llvm::Expected<EntryPoint> findEntryPoint(const ModuleAST &module,
                                          llvm::StringRef name);

/// Generates the weft dialect for every function and model method of
/// `module`, with `entry` public and everything else private. `dims` gives
/// the sizes of symbolic dimensions: every symbol in the entry point's
/// signature must have one; elsewhere, an unbound symbol is a dynamic size.
/// Errors are emitted as MLIR diagnostics at `file:line:col` locations;
/// the result is then null. `learningRate`, when given, replaces the `lr`
/// of every optimizer the program declares (`weft train --lr`).
OwningOpRef<ModuleOp> mlirGen(MLIRContext &context,
                              const llvm::SourceMgr &sourceMgr,
                              const ModuleAST &module, const EntryPoint &entry,
                              const llvm::StringMap<int64_t> &dims,
                              uint64_t seed,
                              std::optional<double> learningRate = {});

} // namespace mlir::weft

#endif // WEFT_LANG_MLIRGEN_H
