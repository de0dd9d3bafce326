//===- FuseEpilogues.cpp - Elementwise consumers into their contraction ---===//
//
// A contraction (ContractionOpInterface: matmul, linear, conv2d) whose only
// user starts a chain of elementwise ops of the same shape (bias, activation,
// residual add, scaling) forms one group with the chain, so that the
// epilogue runs on each tile of the product while it is in cache.
//
//===----------------------------------------------------------------------===//

#include "FusionGroups.h"
#include "weft/Dialect/Weft/Transforms/Passes.h"

namespace mlir::weft {
#define GEN_PASS_DEF_WEFTFUSEEPILOGUES
#include "weft/Dialect/Weft/Transforms/Passes.h.inc"
} // namespace mlir::weft

using namespace mlir;
using namespace mlir::weft;

namespace {
/// The only user of `op`'s single result, if it is an elementwise op that
/// keeps the result's type.
Operation *getEpilogueUser(Operation *op) {
  if (op->getNumResults() != 1 || !op->getResult(0).hasOneUse())
    return nullptr;
  Operation *user = *op->getUsers().begin();
  if (!isFusibleElementwise(user) || user->getNumResults() != 1 ||
      user->getResult(0).getType() != op->getResult(0).getType())
    return nullptr;
  return user;
}

struct WeftFuseEpiloguesPass
    : public weft::impl::WeftFuseEpiloguesBase<WeftFuseEpiloguesPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal())
      return;
    llvm::SmallVector<Operation *> contractions;
    for (Operation &op : func.getBody().front())
      if (isa<ContractionOpInterface>(op))
        contractions.push_back(&op);
    for (Operation *contraction : contractions) {
      Operation *last = getEpilogueUser(contraction);
      if (!last)
        continue;
      while (Operation *next = getEpilogueUser(last))
        last = next;
      // The chain's other operands may bring elementwise producers of their
      // own (a residual computed just for this add); the producers of the
      // contraction's operands, which come before it, stay out.
      llvm::SetVector<Operation *> group = growGroup(last, [&](Operation *op) {
        return op == contraction ||
               (isFusibleElementwise(op) && contraction->isBeforeInBlock(op));
      });
      if (group.contains(contraction))
        outlineGroup(group.getArrayRef(), FusionKind::epilogue);
    }
  }
};
} // namespace
