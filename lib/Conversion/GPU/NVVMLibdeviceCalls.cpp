//===- NVVMLibdeviceCalls.cpp - The weft-nvvm-libdevice-calls pass --------===//

#include "weft/Conversion/GPU/GPU.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/LLVMIR/NVVMDialect.h"
#include "llvm/ADT/StringSet.h"

namespace mlir::weft {
#define GEN_PASS_DEF_WEFTNVVMLIBDEVICECALLS
#include "weft/Conversion/Passes.h.inc"
} // namespace mlir::weft

using namespace mlir;

namespace {
/// Whether a target of `module` links a libdevice bitcode file.
bool linksLibdevice(gpu::GPUModuleOp module) {
  ArrayAttr targets = module.getTargetsAttr();
  if (!targets)
    return false;
  for (auto target : targets.getAsRange<NVVM::NVVMTargetAttr>())
    if (ArrayAttr link = target ? target.getLink() : ArrayAttr())
      for (auto file : link.getAsRange<StringAttr>())
        if (file.getValue().contains("libdevice"))
          return true;
  return false;
}

struct WeftNVVMLibdeviceCallsPass
    : public weft::impl::WeftNVVMLibdeviceCallsBase<
          WeftNVVMLibdeviceCallsPass> {
  void runOnOperation() override {
    gpu::GPUModuleOp module = getOperation();
    if (linksLibdevice(module))
      return;
    llvm::StringSet<> reported;
    module.walk([&](LLVM::CallOp call) {
      std::optional<StringRef> callee = call.getCallee();
      if (!callee || !callee->starts_with("__nv_") ||
          !reported.insert(*callee).second)
        return;
      call.emitError() << "this kernel calls libdevice's '" << *callee
                       << "', which weft links from a CUDA toolkit, and none "
                          "was found (set CUDA_HOME to one)";
      signalPassFailure();
    });
  }
};
} // namespace
