//===- SplitFills.cpp - The weft-gpu-split-fills pass ---------------------===//

#include "weft/Conversion/GPU/GPU.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"

namespace mlir::weft {
#define GEN_PASS_DEF_WEFTGPUSPLITFILLS
#include "weft/Conversion/Passes.h.inc"
} // namespace mlir::weft

using namespace mlir;

namespace {
struct WeftGPUSplitFillsPass
    : public weft::impl::WeftGPUSplitFillsBase<WeftGPUSplitFillsPass> {
  void runOnOperation() override {
    SmallVector<linalg::FillOp> fills;
    getOperation().walk([&](linalg::FillOp fill) {
      if (fill.hasPureTensorSemantics())
        fills.push_back(fill);
    });
    for (linalg::FillOp fill : fills) {
      Value result = fill.getResult(0);
      // Every use but the first gets a fill of its own, next to the fill.
      for (OpOperand &use :
           llvm::make_early_inc_range(llvm::drop_begin(result.getUses()))) {
        OpBuilder b(fill);
        use.set(b.clone(*fill)->getResult(0));
      }
    }
  }
};
} // namespace
