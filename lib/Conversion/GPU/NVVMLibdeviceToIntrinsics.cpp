//===- NVVMLibdeviceToIntrinsics.cpp - weft-nvvm-libdevice-to-intrinsics --===//

#include "weft/Conversion/GPU/GPU.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/Builders.h"
#include "llvm/ADT/StringSwitch.h"

namespace mlir::weft {
#define GEN_PASS_DEF_WEFTNVVMLIBDEVICETOINTRINSICS
#include "weft/Conversion/Passes.h.inc"
} // namespace mlir::weft

using namespace mlir;

namespace {
/// The LLVM intrinsic op that computes the libdevice function `function`
/// (`__nv_sqrtf`), if PTX has an instruction for it.
std::optional<StringRef> getIntrinsic(StringRef function, Type type) {
  // libdevice names the f32 version with an `f`: __nv_sqrtf, __nv_sqrt.
  StringRef name = function.drop_front(strlen("__nv_"));
  if (type.isF32())
    name.consume_back("f");
  return llvm::StringSwitch<std::optional<StringRef>>(name)
      .Case("fabs", LLVM::FAbsOp::getOperationName())
      .Case("ceil", LLVM::FCeilOp::getOperationName())
      .Case("copysign", LLVM::CopySignOp::getOperationName())
      .Case("floor", LLVM::FFloorOp::getOperationName())
      .Case("fma", LLVM::FMAOp::getOperationName())
      .Case("sqrt", LLVM::SqrtOp::getOperationName())
      .Case("trunc", LLVM::FTruncOp::getOperationName())
      .Default(std::nullopt);
}

struct WeftNVVMLibdeviceToIntrinsicsPass
    : public weft::impl::WeftNVVMLibdeviceToIntrinsicsBase<
          WeftNVVMLibdeviceToIntrinsicsPass> {
  void runOnOperation() override {
    gpu::GPUModuleOp module = getOperation();
    OpBuilder builder(&getContext());
    module.walk([&](LLVM::CallOp call) {
      std::optional<StringRef> callee = call.getCallee();
      if (!callee || !callee->starts_with("__nv_") ||
          call.getNumResults() != 1 ||
          !isa<FloatType>(call.getResult().getType()))
        return;
      Type type = call.getResult().getType();
      std::optional<StringRef> intrinsic = getIntrinsic(*callee, type);
      if (!intrinsic)
        return;
      // The intrinsics take the call's operands and give its result type.
      OperationState state(call.getLoc(), *intrinsic);
      state.addOperands(call.getArgOperands());
      state.addTypes(type);
      builder.setInsertionPoint(call);
      call.getResult().replaceAllUsesWith(builder.create(state)->getResult(0));
      call.erase();
    });
    for (auto function :
         llvm::make_early_inc_range(module.getOps<LLVM::LLVMFuncOp>()))
      if (function.isExternal() && function.getName().starts_with("__nv_") &&
          SymbolTable::symbolKnownUseEmpty(function, module))
        function.erase();
  }
};
} // namespace
