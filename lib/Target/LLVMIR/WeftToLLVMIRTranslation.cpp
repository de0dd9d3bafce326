//===- WeftToLLVMIRTranslation.cpp - weft attributes in LLVM IR -----------===//

#include "weft/Target/LLVMIR/WeftToLLVMIRTranslation.h"
#include "weft/Runtime/ABI.h"
#include "weft/Dialect/Weft/IR/WeftDialect.h"
#include "weft/Dialect/Weft/Transforms/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Target/LLVMIR/LLVMTranslationInterface.h"

using namespace mlir;

namespace {
struct WeftLLVMTranslationInterface : public LLVMTranslationDialectInterface {
  using LLVMTranslationDialectInterface::LLVMTranslationDialectInterface;

  LogicalResult convertParameterAttr(LLVM::LLVMFuncOp function, int argIdx,
                                     NamedAttribute attr,
                                     LLVM::ModuleTranslation &) const override {
    if (attr.getName() == weft::kParamAttrName)
      return success();
    return function.emitError("unexpected weft argument attribute '")
           << attr.getName() << "'";
  }
};
} // namespace

void mlir::weft::registerWeftDialectTranslation(DialectRegistry &registry) {
  registry.addExtension(+[](MLIRContext *, WeftDialect *dialect) {
    dialect->addInterfaces<WeftLLVMTranslationInterface>();
  });
}
