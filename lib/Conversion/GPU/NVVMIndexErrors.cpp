//===- NVVMIndexErrors.cpp - The weft-nvvm-index-errors pass --------------===//

#include "weft/Conversion/GPU/GPU.h"
#include "weft/Runtime/ABI.h"

#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/IR/Builders.h"

namespace mlir::weft {
#define GEN_PASS_DEF_WEFTNVVMINDEXERRORS
#include "weft/Conversion/Passes.h.inc"
} // namespace mlir::weft

using namespace mlir;

namespace {
/// The address space of CUDA's global memory.
constexpr unsigned kGlobalAddressSpace = 1;

/// Gives `declaration` (void(i64 site, i64 index, i64 size)) a body that
/// stores its arguments in the record `recordAddress` points to, unless a
/// thread did so before:
///
///   record = (i64 *)*recordAddress
///   if (cmpxchg(&record[0], 0, 1) succeeded)
///     record[1..3] = site, index, size
void defineReporter(LLVM::LLVMFuncOp declaration,
                    LLVM::GlobalOp recordAddress) {
  MLIRContext *context = declaration.getContext();
  Location loc = declaration.getLoc();
  Type i64 = IntegerType::get(context, 64);
  auto ptr = LLVM::LLVMPointerType::get(context);
  OpBuilder b(context);
  Block *entry = declaration.addEntryBlock(b);
  Block *store = new Block(), *done = new Block();
  declaration.getBody().push_back(store);
  declaration.getBody().push_back(done);

  b.setInsertionPointToEnd(entry);
  Value address = LLVM::AddressOfOp::create(b, loc, recordAddress);
  Value word = LLVM::LoadOp::create(b, loc, i64, address);
  Value record = LLVM::IntToPtrOp::create(b, loc, ptr, word);
  Value zero = LLVM::ConstantOp::create(b, loc, i64, 0);
  Value one = LLVM::ConstantOp::create(b, loc, i64, 1);
  Value swap = LLVM::AtomicCmpXchgOp::create(b, loc, record, zero, one,
                                             LLVM::AtomicOrdering::acq_rel,
                                             LLVM::AtomicOrdering::monotonic);
  Value first = LLVM::ExtractValueOp::create(b, loc, swap, 1);
  LLVM::CondBrOp::create(b, loc, first, store, done);

  b.setInsertionPointToEnd(store);
  for (auto [i, value] : llvm::enumerate(entry->getArguments())) {
    Value field = LLVM::GEPOp::create(b, loc, ptr, i64, record,
                                      ArrayRef<LLVM::GEPArg>{int32_t(i + 1)});
    LLVM::StoreOp::create(b, loc, value, field);
  }
  LLVM::BrOp::create(b, loc, done);
  b.setInsertionPointToEnd(done);
  LLVM::ReturnOp::create(b, loc, ValueRange());
}

struct WeftNVVMIndexErrorsPass
    : public weft::impl::WeftNVVMIndexErrorsBase<WeftNVVMIndexErrorsPass> {
  void runOnOperation() override {
    gpu::GPUModuleOp module = getOperation();
    // convert-gpu-to-nvvm gives the declaration a C-interface wrapper that
    // calls `_mlir_ciface_weft_index_error`, which is then the external.
    LLVM::LLVMFuncOp declaration;
    for (std::string name : {"_mlir_ciface_" + weft::kIndexErrorFunction.str(),
                             weft::kIndexErrorFunction.str()}) {
      auto func = module.lookupSymbol<LLVM::LLVMFuncOp>(name);
      if (func && func.isExternal())
        declaration = func;
    }
    if (!declaration)
      return;
    // Zero until the runtime loads the module and stores the record's
    // address.
    OpBuilder builder = OpBuilder::atBlockBegin(module.getBody());
    auto i64 = builder.getI64Type();
    auto recordAddress = LLVM::GlobalOp::create(
        builder, module.getLoc(), i64, /*isConstant=*/false,
        LLVM::Linkage::External, weft::kIndexErrorRecordGlobal,
        builder.getI64IntegerAttr(0), /*alignment=*/8, kGlobalAddressSpace);
    defineReporter(declaration, recordAddress);
  }
};
} // namespace
