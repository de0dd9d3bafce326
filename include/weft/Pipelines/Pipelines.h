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

#include "weft/Pipelines/Target.h"

#include "mlir/Support/LLVM.h"
#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include <optional>
#include <string>

namespace mlir {
class DialectRegistry;
class OpPassManager;
} // namespace mlir

namespace mlir::weft {

struct PipelineStage {
  /// The stage whose form the pipeline's output has.
  Stage stage;
  /// The name `weft-opt` registers the pipeline under.
  llvm::StringRef pipelineName;
  llvm::StringRef description;
  /// Textual pass pipeline, in `mlir-opt` syntax, anchored on the module.
  llvm::StringRef passes;
};

/// The stages of the CPU target, in order: weft, fused, linalg, loops,
/// llvm-mlir.
llvm::ArrayRef<PipelineStage> getCpuStages();
/// The stages of the cuda target, in order: weft, fused, linalg (shared with
/// the CPU), gpu, nvvm, llvm-mlir.
llvm::ArrayRef<PipelineStage> getCudaStages();
llvm::ArrayRef<PipelineStage> getStages(Target target);

/// Whether `arch` names an NVIDIA architecture: sm_ and a number, with an
/// optional feature-set suffix (sm_90a, sm_100f).
bool isGpuArch(llvm::StringRef arch);

/// The PTX ISA version NVPTX should emit for `gpuArch` (`sm_90`), as a
/// target feature (`+ptx80`).
std::string getPtxFeatures(llvm::StringRef gpuArch);

/// CUDA's libdevice (math functions as LLVM bitcode), which kernels that
/// compute f64 logarithms or cosines need: under $CUDA_HOME, $CUDA_PATH or
/// /usr/local/cuda.
std::optional<std::string> findLibdevice();

/// Appends the passes of `stage` to `pm`; the nvvm stage targets `gpuArch`,
/// linking libdevice where found.
mlir::LogicalResult addStagePasses(mlir::OpPassManager &pm,
                                   const PipelineStage &stage,
                                   llvm::StringRef gpuArch = kDefaultGpuArch);

/// Every dialect, extension and interface a weft compilation touches.
void registerWeftDialects(mlir::DialectRegistry &registry);

/// weft's own passes, the upstream passes its pipelines use, and one named
/// pipeline per stage plus `weft-cpu-pipeline` and `weft-cuda-pipeline` for
/// the whole ladders (the cuda ones take `{chip=sm_NN}`).
void registerWeftPassesAndPipelines();

} // namespace mlir::weft

#endif // WEFT_PIPELINES_PIPELINES_H
