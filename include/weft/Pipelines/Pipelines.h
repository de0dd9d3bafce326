//===- Pipelines.h - The named weft pipelines, stage by stage ---*- C++ -*-===//
//
// A compilation is a ladder of stages. Each stage is a textual pass pipeline
// that takes the module from the previous stage's form to its own; the
// driver's `--emit=<stage>` stops after that stage, and `weft-opt` knows
// each stage as a named pipeline. The stages down to `linalg` are shared by
// every target; a target supplies the rest.
//
//===----------------------------------------------------------------------===//

#ifndef WEFT_PIPELINES_PIPELINES_H
#define WEFT_PIPELINES_PIPELINES_H

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

namespace mlir {
class DialectRegistry;
class OpPassManager;
} // namespace mlir

namespace mlir::weft {

struct PipelineStage {
  /// The `--emit=` name of the stage's output.
  llvm::StringRef stage;
  /// The name `weft-opt` registers the pipeline under.
  llvm::StringRef pipelineName;
  llvm::StringRef description;
  /// Textual pass pipeline, in `mlir-opt` syntax, anchored on the module.
  llvm::StringRef passes;
};

/// The stages of the CPU target, in order: weft, linalg, loops, llvm-mlir.
llvm::ArrayRef<PipelineStage> getCpuStages();

/// Appends the passes of `stage` to `pm`.
mlir::LogicalResult addStagePasses(mlir::OpPassManager &pm,
                                   const PipelineStage &stage);

/// Every dialect, extension and interface a weft compilation touches.
void registerWeftDialects(mlir::DialectRegistry &registry);

/// weft's own passes, the upstream passes its pipelines use, and one named
/// pipeline per stage plus `weft-cpu-pipeline` for the whole CPU ladder.
void registerWeftPassesAndPipelines();

} // namespace mlir::weft

#endif // WEFT_PIPELINES_PIPELINES_H
