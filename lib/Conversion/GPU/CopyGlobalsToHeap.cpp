//===- CopyGlobalsToHeap.cpp - The weft-copy-globals-to-heap pass ---------===//

#include "weft/Conversion/GPU/GPU.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"
#include "llvm/ADT/MapVector.h"

namespace mlir::weft {
#define GEN_PASS_DEF_WEFTCOPYGLOBALSTOHEAP
#include "weft/Conversion/Passes.h.inc"
} // namespace mlir::weft

using namespace mlir;

namespace {
struct WeftCopyGlobalsToHeapPass
    : public weft::impl::WeftCopyGlobalsToHeapBase<WeftCopyGlobalsToHeapPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal())
      return;
    // One copy per global, made at the entry: globals are constants, so the
    // copy serves every use, in loops too.
    llvm::MapVector<StringAttr, SmallVector<memref::GetGlobalOp>> uses;
    func.walk([&](memref::GetGlobalOp op) {
      uses[op.getNameAttr().getAttr()].push_back(op);
    });
    // The builder's insertion point is an op of the entry block, maybe one
    // of the get_globals: they are erased once all copies are made.
    auto builder = OpBuilder::atBlockBegin(&func.getBody().front());
    for (auto &[name, ops] : uses) {
      memref::GetGlobalOp first = ops.front();
      auto type = cast<MemRefType>(first.getType());
      Location loc = first.getLoc();
      auto heap = memref::AllocOp::create(builder, loc, type,
                                          builder.getI64IntegerAttr(64));
      auto global = memref::GetGlobalOp::create(builder, loc, type, name);
      memref::CopyOp::create(builder, loc, global, heap);
      for (memref::GetGlobalOp op : ops)
        op.replaceAllUsesWith(heap.getResult());
    }
    for (auto &[name, ops] : uses)
      for (memref::GetGlobalOp op : ops)
        op.erase();
  }
};
} // namespace
