//===- KernelModule.cpp - The weft-gpu-kernel-module pass -----------------===//

#include "weft/Conversion/GPU/GPU.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/SymbolTable.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringExtras.h"

namespace mlir::weft {
#define GEN_PASS_DEF_WEFTGPUKERNELMODULE
#include "weft/Conversion/Passes.h.inc"
} // namespace mlir::weft

using namespace mlir;

namespace {
/// `name` with every character PTX does not allow in an identifier replaced
/// by `_`.
std::string toIdentifier(StringRef name) {
  std::string identifier = name.str();
  for (char &c : identifier)
    if (!llvm::isAlnum(c) && c != '_' && c != '$')
      c = '_';
  return identifier;
}

struct WeftGPUKernelModulePass
    : public weft::impl::WeftGPUKernelModuleBase<WeftGPUKernelModulePass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto gpuModules = llvm::to_vector(module.getOps<gpu::GPUModuleOp>());
    if (gpuModules.empty())
      return;
    SymbolTable moduleTable(module);
    auto builder = OpBuilder::atBlockBegin(module.getBody());
    auto kernels =
        gpu::GPUModuleOp::create(builder, module.getLoc(), "kernels");
    moduleTable.insert(kernels);
    SymbolTable kernelTable(kernels);

    llvm::DenseMap<SymbolRefAttr, SymbolRefAttr> moved;
    for (gpu::GPUModuleOp old : gpuModules) {
      StringAttr oldModule = old.getSymNameAttr();
      // Outlined modules hold one kernel each, and their names are unique.
      bool single = llvm::hasSingleElement(old.getOps<gpu::GPUFuncOp>());
      for (Operation &op :
           llvm::make_early_inc_range(old.getBody()->without_terminator())) {
        auto kernel = dyn_cast<gpu::GPUFuncOp>(op);
        if (!kernel) {
          // Declarations the kernels call, the same in every module.
          auto name = SymbolTable::getSymbolName(&op);
          if (!name || !kernelTable.lookup(name))
            kernelTable.insert(op.clone());
          continue;
        }
        StringAttr oldName = kernel.getNameAttr();
        std::string name = single ? toIdentifier(oldModule.getValue())
                                  : toIdentifier(oldModule.getValue()) + "_" +
                                        toIdentifier(oldName.getValue());
        kernel->remove();
        kernel.setName(name);
        StringAttr newName = kernelTable.insert(kernel);
        moved[SymbolRefAttr::get(oldModule,
                                 {FlatSymbolRefAttr::get(oldName)})] =
            SymbolRefAttr::get(kernels.getSymNameAttr(),
                               {FlatSymbolRefAttr::get(newName)});
      }
      moduleTable.erase(old);
    }
    module.walk([&](gpu::LaunchFuncOp launch) {
      auto it = moved.find(launch.getKernel());
      if (it != moved.end())
        launch.setKernelAttr(it->second);
    });
  }
};
} // namespace
