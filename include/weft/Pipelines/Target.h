//===- Target.h - What a compilation targets and the stages -----*- C++ -*-===//
//
// The targets and the stages of the compilation ladder, named once: the
// driver's `--target` and `--emit`, the REPL's `:target` and `:emit`, and
// the pipelines (Pipelines.h) read their names from the tables behind these
// functions. Small on purpose, so that code which only needs to know the
// target (the JIT) does not include the pipelines.
//
//===----------------------------------------------------------------------===//

#ifndef WEFT_PIPELINES_TARGET_H
#define WEFT_PIPELINES_TARGET_H

#include "llvm/ADT/StringRef.h"
#include <optional>

namespace mlir::weft {

/// What the code is compiled for: the host CPU (through the JIT) or NVIDIA
/// GPUs (PTX, launched by host code on the JIT).
enum class Target { CPU, CUDA };

/// The GPU architecture the cuda target compiles for unless told otherwise.
inline constexpr llvm::StringLiteral kDefaultGpuArch = "sm_90";

/// The name of `target` (`cpu`, `cuda`).
llvm::StringRef targetName(Target target);
/// The target named `name`.
std::optional<Target> parseTarget(llvm::StringRef name);

/// The stages `--emit` can stop at, in pipeline order. `loops` is a stage
/// of the CPU target only; `gpu`, `nvvm` and `ptx` of the cuda target only.
enum class Stage {
  AST,
  Weft,
  Fused,
  Linalg,
  Loops,
  GPU,
  NVVM,
  LLVMMLIR,
  LLVM,
  Asm,
  PTX
};

/// The name of `stage` (`ast`, `weft`, ..., `llvm-mlir`, ..., `ptx`).
llvm::StringRef stageName(Stage stage);
/// The stage named `name`.
std::optional<Stage> parseStage(llvm::StringRef name);
/// Every stage name, `|`-separated, in order, for help texts.
llvm::StringRef stageNames();
/// Whether `target` compiles through `stage`.
bool hasStage(Target target, Stage stage);

} // namespace mlir::weft

#endif // WEFT_PIPELINES_TARGET_H
