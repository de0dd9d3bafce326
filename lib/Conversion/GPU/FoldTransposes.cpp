//===- FoldTransposes.cpp - The weft-gpu-fold-transposes pass -------------===//

#include "weft/Conversion/GPU/GPU.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"

namespace mlir::weft {
#define GEN_PASS_DEF_WEFTGPUFOLDTRANSPOSES
#include "weft/Conversion/Passes.h.inc"
} // namespace mlir::weft

using namespace mlir;

namespace {
/// Makes `generic` read `transpose`'s input where it read its result
/// through `operand`: the input's index `permutation[i]` is the result's
/// index `i`.
void readThroughTranspose(linalg::GenericOp generic, OpOperand &operand,
                          linalg::TransposeOp transpose) {
  AffineMap map = generic.getMatchingIndexingMap(&operand);
  ArrayRef<int64_t> permutation = transpose.getPermutation();
  SmallVector<AffineExpr> results(map.getNumResults());
  for (auto [i, source] : llvm::enumerate(permutation))
    results[source] = map.getResult(i);
  SmallVector<Attribute> maps(generic.getIndexingMaps().getValue());
  maps[operand.getOperandNumber()] = AffineMapAttr::get(
      AffineMap::get(map.getNumDims(), 0, results, generic.getContext()));
  generic.setIndexingMapsAttr(ArrayAttr::get(generic.getContext(), maps));
  operand.set(transpose.getInput());
}

struct WeftGPUFoldTransposesPass
    : public weft::impl::WeftGPUFoldTransposesBase<WeftGPUFoldTransposesPass> {
  void runOnOperation() override {
    SmallVector<linalg::TransposeOp> transposes;
    getOperation().walk([&](linalg::TransposeOp transpose) {
      transposes.push_back(transpose);
    });
    for (linalg::TransposeOp transpose : transposes) {
      if (!transpose.hasPureTensorSemantics())
        continue;
      for (OpOperand &use :
           llvm::make_early_inc_range(transpose.getResult()[0].getUses())) {
        auto generic = dyn_cast<linalg::GenericOp>(use.getOwner());
        if (generic && generic.isDpsInput(&use))
          readThroughTranspose(generic, use, transpose);
      }
      if (transpose.getResult()[0].use_empty())
        transpose.erase();
    }
  }
};
} // namespace
