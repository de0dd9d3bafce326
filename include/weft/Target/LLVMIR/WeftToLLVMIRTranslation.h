//===- WeftToLLVMIRTranslation.h - weft attributes in LLVM IR ---*- C++ -*-===//

#ifndef WEFT_TARGET_LLVMIR_WEFTTOLLVMIRTRANSLATION_H
#define WEFT_TARGET_LLVMIR_WEFTTOLLVMIRTRANSLATION_H

namespace mlir {
class DialectRegistry;
namespace weft {

/// Tells the LLVM IR export what weft's attributes mean there: the
/// `weft.param` argument attribute names a parameter for the runtime and has
/// no LLVM counterpart.
void registerWeftDialectTranslation(DialectRegistry &registry);

} // namespace weft
} // namespace mlir

#endif // WEFT_TARGET_LLVMIR_WEFTTOLLVMIRTRANSLATION_H
