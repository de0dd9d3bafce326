//===- ReductionsInward.cpp - The weft-gpu-reductions-inward pass ---------===//

#include "weft/Conversion/GPU/GPU.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/IR/PatternMatch.h"

namespace mlir::weft {
#define GEN_PASS_DEF_WEFTGPUREDUCTIONSINWARD
#include "weft/Conversion/Passes.h.inc"
} // namespace mlir::weft

using namespace mlir;

namespace {
struct WeftGPUReductionsInwardPass
    : public weft::impl::WeftGPUReductionsInwardBase<
          WeftGPUReductionsInwardPass> {
  void runOnOperation() override {
    SmallVector<linalg::GenericOp> generics;
    getOperation().walk(
        [&](linalg::GenericOp generic) { generics.push_back(generic); });
    IRRewriter rewriter(&getContext());
    for (linalg::GenericOp generic : generics) {
      // The new order: the parallel dimensions, then the reductions, each
      // in their old order.
      SmallVector<unsigned> order;
      for (auto [d, kind] : llvm::enumerate(generic.getIteratorTypesArray()))
        if (kind == utils::IteratorType::parallel)
          order.push_back(d);
      unsigned numParallel = order.size();
      for (auto [d, kind] : llvm::enumerate(generic.getIteratorTypesArray()))
        if (kind != utils::IteratorType::parallel)
          order.push_back(d);
      if (llvm::equal(order, llvm::seq<unsigned>(0, order.size())) ||
          numParallel == 0)
        continue;
      rewriter.setInsertionPoint(generic);
      (void)linalg::interchangeGenericOp(rewriter, generic, order);
    }
  }
};
} // namespace
