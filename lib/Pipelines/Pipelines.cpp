//===- Pipelines.cpp - The named weft pipelines, stage by stage -----------===//

#include "weft/Pipelines/Pipelines.h"

#include "weft/Conversion/Passes.h"
#include "weft/Dialect/Weft/IR/WeftDialect.h"
#include "weft/Dialect/Weft/Transforms/Passes.h"
#include "weft/Target/LLVMIR/WeftToLLVMIRTranslation.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/OpenMP/OpenMPToLLVMIRTranslation.h"

using namespace mlir;
using namespace mlir::weft;

static const PipelineStage cpuStages[] = {
    {"weft", "weft-frontend",
     "Inline user functions, infer static shapes, canonicalize (weft dialect)",
     "inline,symbol-dce,func.func(weft-shape-inference),canonicalize,cse"},
    {"fused", "weft-fuse",
     "Group ops into weft.fused regions: attention, normalizations, "
     "contraction epilogues, reductions, elementwise chains",
     "func.func(weft-fuse-attention,weft-fuse-normalizations,"
     "weft-fuse-epilogues,weft-fuse-reductions,weft-fuse-elementwise)"},
    {"linalg", "weft-lower-to-linalg",
     "Lift parameters to arguments, lower weft to linalg on tensors and fuse "
     "each group's linalg ops",
     "weft-lift-params,convert-weft-to-linalg,"
     "func.func(weft-lower-fusion-groups),canonicalize,cse"},
    {"loops", "weft-cpu-bufferize-to-loops",
     "Bufferize (one-shot, across function boundaries), lower linalg to scf "
     "loops on memrefs, one function per loop nest",
     "func.func(weft-vectorize-contractions),canonicalize,cse,"
     "one-shot-bufferize{bufferize-function-boundaries "
     "function-boundary-type-conversion=identity-layout-map},"
     "buffer-deallocation-pipeline,convert-memref-copy-to-linalg,"
     "convert-linalg-to-loops,canonicalize,cse,weft-outline-loop-nests"},
    {"llvm-mlir", "weft-cpu-loops-to-llvm",
     "Lower loops, memrefs, arith and math to the LLVM dialect",
     "convert-bufferization-to-memref,"
     "func.func(scf-forall-to-parallel),convert-scf-to-openmp,"
     "convert-vector-to-scf{full-unroll=true},"
     "expand-strided-metadata,lower-affine,convert-vector-to-llvm,"
     "finalize-memref-to-llvm,convert-scf-to-cf,arith-expand,"
     "weft-approximate-math,convert-math-to-libm,"
     "convert-to-llvm,convert-openmp-to-llvm,reconcile-unrealized-casts"},
};

llvm::ArrayRef<PipelineStage> mlir::weft::getCpuStages() { return cpuStages; }

LogicalResult mlir::weft::addStagePasses(OpPassManager &pm,
                                         const PipelineStage &stage) {
  return parsePassPipeline(stage.passes, pm, llvm::errs());
}

void mlir::weft::registerWeftDialects(DialectRegistry &registry) {
  registry.insert<mlir::weft::WeftDialect>();
  registerAllDialects(registry);
  registerAllExtensions(registry);
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  registerOpenMPDialectTranslation(registry);
  registerWeftDialectTranslation(registry);
}

void mlir::weft::registerWeftPassesAndPipelines() {
  registerAllPasses();
  registerWeftPasses();
  registerWeftConversionPasses();
  for (const PipelineStage &stage : cpuStages)
    PassPipelineRegistration<>(
        stage.pipelineName, stage.description,
        [&stage](OpPassManager &pm) { (void)addStagePasses(pm, stage); });
  PassPipelineRegistration<>("weft-cpu-pipeline",
                             "Every CPU stage, from the weft dialect to LLVM",
                             [](OpPassManager &pm) {
                               for (const PipelineStage &stage : cpuStages)
                                 (void)addStagePasses(pm, stage);
                             });
}
