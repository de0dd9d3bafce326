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
/// The intrinsic that computes `function` (`__nv_sqrtf`), created with the
/// call's operands; null for a function without one.
Operation *createIntrinsic(OpBuilder &b, LLVM::CallOp call,
                           StringRef function) {
  // libdevice names the f32 version with an `f`: __nv_sqrtf, __nv_sqrt.
  StringRef name = function.drop_front(strlen("__nv_"));
  if (call.getNumResults() == 1 && call.getResult().getType().isF32())
    name.consume_back("f");
  Location loc = call.getLoc();
  Type type = call.getNumResults() == 1 ? call.getResult().getType() : Type();
  ValueRange args = call.getArgOperands();
  auto create = [&](auto tag) -> Operation * {
    using IntrinsicOp = decltype(tag);
    return IntrinsicOp::create(b, loc, type, args);
  };
  return llvm::StringSwitch<std::function<Operation *()>>(name)
      .Case("fabs", [&] { return create(LLVM::FAbsOp()); })
      .Case("ceil", [&] { return create(LLVM::FCeilOp()); })
      .Case("copysign", [&] { return create(LLVM::CopySignOp()); })
      .Case("floor", [&] { return create(LLVM::FFloorOp()); })
      .Case("fma", [&] { return create(LLVM::FMAOp()); })
      .Case("sqrt", [&] { return create(LLVM::SqrtOp()); })
      .Case("trunc", [&] { return create(LLVM::FTruncOp()); })
      .Default([] { return nullptr; })();
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
      builder.setInsertionPoint(call);
      if (Operation *intrinsic = createIntrinsic(builder, call, *callee)) {
        call.getResult().replaceAllUsesWith(intrinsic->getResult(0));
        call.erase();
      }
    });
    for (auto function :
         llvm::make_early_inc_range(module.getOps<LLVM::LLVMFuncOp>()))
      if (function.isExternal() && function.getName().starts_with("__nv_") &&
          SymbolTable::symbolKnownUseEmpty(function, module))
        function.erase();
  }
};
} // namespace
