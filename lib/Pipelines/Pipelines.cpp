//===- Pipelines.cpp - The named weft pipelines, stage by stage -----------===//

#include "weft/Pipelines/Pipelines.h"

#include "weft/Conversion/Passes.h"
#include "weft/Dialect/Weft/IR/WeftDialect.h"
#include "weft/Dialect/Weft/Transforms/Passes.h"
#include "weft/Target/LLVMIR/WeftToLLVMIRTranslation.h"
#include "weft/Transforms/Passes.h"

#include "mlir/Dialect/GPU/Transforms/Passes.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"
#include "mlir/Target/LLVM/NVVM/Target.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/GPU/GPUToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/NVVM/NVVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/OpenMP/OpenMPToLLVMIRTranslation.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FileSystem.h"
#include <cstdlib>

using namespace mlir;
using namespace mlir::weft;

// The stages every target shares, down to linalg on tensors.
static const PipelineStage weftStage = {
    Stage::Weft, "weft-frontend",
    "Inline user functions, infer static shapes, forward parameter "
    "updates, decompose losses, build gradients, canonicalize (weft dialect)",
    "inline,symbol-dce,func.func(weft-shape-inference,weft-forward-param-"
    "updates),canonicalize,cse,"
    "func.func(weft-decompose,weft-differentiate),canonicalize,cse"};
static const PipelineStage fusedStage = {
    Stage::Fused, "weft-fuse",
    "Group ops into weft.fused regions: attention, normalizations, "
    "contraction epilogues, reductions, elementwise chains",
    "func.func(weft-fuse-attention,weft-fuse-normalizations,"
    "weft-fuse-epilogues,weft-fuse-reductions,weft-fuse-elementwise)"};
static const PipelineStage linalgStage = {
    Stage::Linalg, "weft-lower-to-linalg",
    "Lift parameters to arguments, lower weft to linalg on tensors "
    "(scatter_add as loops over its sources) and fuse each group's linalg "
    "ops",
    "weft-lift-params,convert-weft-to-linalg{scatter-loops=true},"
    "func.func(weft-lower-fusion-groups),canonicalize,cse"};

static const PipelineStage cpuStages[] = {
    weftStage,
    fusedStage,
    linalgStage,
    {Stage::Loops, "weft-cpu-bufferize-to-loops",
     "Vectorize products, element-wise ops and reductions, bufferize "
     "(one-shot, across function boundaries), lower the other linalg ops to "
     "scf loops on memrefs, one function per loop nest",
     "eliminate-empty-tensors,"
     "func.func(weft-vectorize-contractions,weft-vectorize-generics),"
     "canonicalize,cse,func.func(loop-invariant-subset-hoisting),"
     "weft-update-in-place,"
     "one-shot-bufferize{bufferize-function-boundaries "
     "function-boundary-type-conversion=identity-layout-map},"
     "weft-drop-updated-results,cse,canonicalize,"
     "buffer-deallocation-pipeline,convert-memref-copy-to-linalg,"
     "convert-linalg-to-loops,canonicalize,cse,weft-outline-loop-nests"},
    {Stage::LLVMMLIR, "weft-cpu-loops-to-llvm",
     "Lower loops, memrefs, arith and math to the LLVM dialect; allocations "
     "go to the runtime, which reports one that fails",
     "convert-bufferization-to-memref,"
     "func.func(scf-forall-to-parallel),convert-scf-to-openmp,"
     "convert-vector-to-scf{full-unroll=true},"
     "expand-strided-metadata,lower-affine,"
     "convert-vector-to-llvm{reassociate-fp-reductions=true},"
     "finalize-memref-to-llvm{use-generic-functions=true},convert-scf-to-cf,"
     "arith-expand,weft-approximate-math,convert-math-to-libm,"
     "convert-to-llvm,convert-openmp-to-llvm,reconcile-unrealized-casts"},
};

static const PipelineStage cudaStages[] = {
    weftStage,
    fusedStage,
    {Stage::Linalg, "weft-cuda-lower-to-linalg",
     "As the CPU's linalg stage, but epilogues not tiled by rows, "
     "attention's key blocks up to 512 (each tile and block would be kernel "
     "launches), and sums in blocks of up to 8192 terms (a "
     "block of 256 threads adds them 32 to a thread, then as a tree)",
     "weft-lift-params,convert-weft-to-linalg{max-key-block=512 "
     "sum-block=8192},"
     "func.func(weft-lower-fusion-groups{tile-epilogues=false}),canonicalize,"
     "cse"},
    {Stage::GPU, "weft-cuda-bufferize-to-kernels",
     "Bufferize, map matrix products to shared-memory tiled kernels, the "
     "other linalg ops to parallel loops and the loops to GPU kernels, "
     "outlined into one gpu.module",
     "func.func(weft-gpu-fold-transposes,weft-gpu-split-fills),"
     "weft-update-in-place,"
     "one-shot-bufferize{bufferize-function-boundaries "
     "function-boundary-type-conversion=identity-layout-map},"
     "weft-drop-updated-results,"
     "convert-memref-copy-to-linalg,func.func(weft-copy-globals-to-heap),"
     "buffer-deallocation-pipeline,func.func(weft-gpu-map-products,"
     "weft-gpu-map-reductions,weft-gpu-reductions-inward),"
     "convert-linalg-to-parallel-loops,"
     "canonicalize,"
     "func.func(weft-gpu-map-parallel-loops),"
     "convert-parallel-loops-to-gpu,gpu-launch-sink-index-computations,"
     "gpu-kernel-outlining,"
     "weft-gpu-kernel-module,canonicalize,cse"},
    {Stage::NVVM, "weft-cuda-kernels-to-nvvm",
     "Attach the NVVM target (--gpu-arch) and lower the kernels to the NVVM "
     "and LLVM dialects, math functions as polynomials",
     "gpu.module(math-expand-ops{ops=powf},weft-approximate-math{all=true},"
     "expand-strided-metadata,lower-affine,convert-scf-to-cf,"
     "convert-gpu-to-nvvm,weft-nvvm-index-errors,"
     "weft-nvvm-libdevice-to-intrinsics,weft-nvvm-libdevice-calls,"
     "reconcile-unrealized-casts,canonicalize,cse)"},
    {Stage::LLVMMLIR, "weft-cuda-to-llvm",
     "Compile the kernels to PTX (gpu.binary) and lower the host code, whose "
     "allocations go to the weft CUDA runtime, to the LLVM dialect",
     "gpu-module-to-binary{format=isa},convert-bufferization-to-memref,"
     "expand-strided-metadata,lower-affine,convert-scf-to-cf,arith-expand,"
     "convert-math-to-libm,finalize-memref-to-llvm{use-generic-functions=true},"
     "gpu-to-llvm,convert-to-llvm,reconcile-unrealized-casts"},
};

llvm::ArrayRef<PipelineStage> mlir::weft::getCpuStages() { return cpuStages; }
llvm::ArrayRef<PipelineStage> mlir::weft::getCudaStages() { return cudaStages; }
llvm::ArrayRef<PipelineStage> mlir::weft::getStages(Target target) {
  return target == Target::CUDA ? getCudaStages() : getCpuStages();
}

bool mlir::weft::isGpuArch(llvm::StringRef arch) {
  if (!arch.consume_front("sm_"))
    return false;
  llvm::StringRef digits = arch.take_while(llvm::isDigit);
  llvm::StringRef suffix = arch.drop_front(digits.size());
  return !digits.empty() && (suffix.empty() || suffix == "a" || suffix == "f");
}

std::string mlir::weft::getPtxFeatures(llvm::StringRef gpuArch) {
  // The oldest PTX ISA that knows the architecture; CUDA 12.0 drivers and
  // later load PTX 8.0.
  unsigned version = 0;
  if (gpuArch.consume_front("sm_"))
    gpuArch.take_while(llvm::isDigit).getAsInteger(10, version);
  if (version >= 120)
    return "+ptx87";
  if (version >= 100)
    return "+ptx86";
  return "+ptx80";
}

std::optional<std::string> mlir::weft::findLibdevice() {
  for (const char *variable : {"CUDA_HOME", "CUDA_PATH"})
    if (const char *root = std::getenv(variable))
      if (auto path =
              (llvm::Twine(root) + "/nvvm/libdevice/libdevice.10.bc").str();
          llvm::sys::fs::exists(path))
        return path;
  std::string standard = "/usr/local/cuda/nvvm/libdevice/libdevice.10.bc";
  if (llvm::sys::fs::exists(standard))
    return standard;
  return std::nullopt;
}

LogicalResult mlir::weft::addStagePasses(OpPassManager &pm,
                                         const PipelineStage &stage,
                                         llvm::StringRef gpuArch) {
  // The target attribute carries --gpu-arch, so it is not part of the
  // stage's fixed text.
  if (stage.stage == Stage::NVVM) {
    GpuNVVMAttachTargetOptions options;
    options.chip = gpuArch.str();
    options.features = getPtxFeatures(gpuArch);
    if (std::optional<std::string> libdevice = findLibdevice())
      options.linkLibs.push_back(*libdevice);
    pm.addPass(createGpuNVVMAttachTarget(options));
  }
  return parsePassPipeline(stage.passes, pm, llvm::errs());
}

namespace {
struct CudaPipelineOptions : public PassPipelineOptions<CudaPipelineOptions> {
  Option<std::string> chip{*this, "chip",
                           llvm::cl::desc("The GPU architecture"),
                           llvm::cl::init(kDefaultGpuArch.str())};
};
} // namespace

void mlir::weft::registerWeftDialects(DialectRegistry &registry) {
  registry.insert<mlir::weft::WeftDialect>();
  registerAllDialects(registry);
  registerAllExtensions(registry);
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  registerOpenMPDialectTranslation(registry);
  // The cuda target: gpu.module -> PTX, gpu.binary -> host globals.
  registerGPUDialectTranslation(registry);
  // Without it, translating a gpu.binary crashes.
  gpu::registerOffloadingLLVMTranslationInterfaceExternalModels(registry);
  registerNVVMDialectTranslation(registry);
  NVVM::registerNVVMTargetInterfaceExternalModels(registry);
  registerWeftDialectTranslation(registry);
}

void mlir::weft::registerWeftPassesAndPipelines() {
  registerAllPasses();
  registerWeftPasses();
  registerWeftConversionPasses();
  registerWeftLoopPasses();
  for (const PipelineStage &stage : cpuStages)
    PassPipelineRegistration<>(
        stage.pipelineName, stage.description,
        [&stage](OpPassManager &pm) { (void)addStagePasses(pm, stage); });
  // The shared stages are registered once, with the CPU's.
  for (const PipelineStage &stage : cudaStages) {
    if (llvm::any_of(cpuStages, [&](const PipelineStage &cpu) {
          return cpu.pipelineName == stage.pipelineName;
        }))
      continue;
    // Only the nvvm stage depends on the architecture.
    if (stage.stage == Stage::NVVM)
      PassPipelineRegistration<CudaPipelineOptions>(
          stage.pipelineName, stage.description,
          [&stage](OpPassManager &pm, const CudaPipelineOptions &options) {
            (void)addStagePasses(pm, stage, options.chip);
          });
    else
      PassPipelineRegistration<>(
          stage.pipelineName, stage.description,
          [&stage](OpPassManager &pm) { (void)addStagePasses(pm, stage); });
  }
  PassPipelineRegistration<>("weft-cpu-pipeline",
                             "Every CPU stage, from the weft dialect to LLVM",
                             [](OpPassManager &pm) {
                               for (const PipelineStage &stage : cpuStages)
                                 (void)addStagePasses(pm, stage);
                             });
  PassPipelineRegistration<CudaPipelineOptions>(
      "weft-cuda-pipeline",
      "Every cuda stage, from the weft dialect to PTX and host code in the "
      "LLVM dialect",
      [](OpPassManager &pm, const CudaPipelineOptions &options) {
        for (const PipelineStage &stage : cudaStages)
          (void)addStagePasses(pm, stage, options.chip);
      });
}
