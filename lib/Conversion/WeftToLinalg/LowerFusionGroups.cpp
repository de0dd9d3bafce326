//===- LowerFusionGroups.cpp - The weft-lower-fusion-groups pass ----------===//
//
// Once convert-weft-to-linalg has lowered the ops inside each `weft.fused`
// group, the group's linalg ops are fused according to its kind, and the
// group is dissolved into the enclosing function.
//
//===----------------------------------------------------------------------===//

#include "weft/Conversion/Divisors.h"
#include "weft/Conversion/WeftToLinalg/WeftToLinalg.h"
#include "weft/Dialect/Weft/IR/WeftOps.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::weft {
#define GEN_PASS_DEF_WEFTLOWERFUSIONGROUPS
#include "weft/Conversion/Passes.h.inc"
} // namespace mlir::weft

using namespace mlir;
using namespace mlir::weft;

namespace {
/// Merges each elementwise `linalg.generic` of the group into its consumers,
/// reductions included, so that the values between them are never stored.
LogicalResult fuseElementwiseGenerics(FusedOp group) {
  RewritePatternSet patterns(group.getContext());
  linalg::populateElementwiseOpsFusionPatterns(
      patterns, [](OpOperand *) { return true; });
  return applyPatternsGreedily(group.getBody(), std::move(patterns));
}

bool hasReduction(linalg::LinalgOp op) { return op.getNumReductionLoops() > 0; }

/// Rows of the epilogue computed per tile: a divisor of `rows` up to 16.
int64_t getRowTile(int64_t rows) { return largestDivisor(rows, 16); }

/// Tiles the epilogue (the group's result, a parallel generic) by rows and
/// computes the contraction it reads tile by tile in the same loop, together
/// with the contraction's initial value (zeros or the bias); its other
/// operands (a transposed weight, a padded image) are computed once, before.
LogicalResult tileEpilogue(FusedOp group) {
  auto yield = cast<YieldOp>(group.getBody().front().getTerminator());
  auto epilogue = yield.getValues()[0].getDefiningOp<linalg::GenericOp>();
  if (!epilogue || hasReduction(epilogue) || epilogue.getNumDpsInits() != 1)
    return success();
  auto contractionFeedsIt = llvm::any_of(epilogue->getOperands(), [](Value v) {
    auto producer = v.getDefiningOp<linalg::LinalgOp>();
    return producer && hasReduction(producer);
  });
  int64_t rank = epilogue.getNumLoops();
  if (!contractionFeedsIt || rank < 2)
    return success();

  // Every leading dimension one at a time, the rows in tiles, the columns
  // whole.
  IRRewriter rewriter(group.getContext());
  llvm::ArrayRef<int64_t> shape =
      cast<RankedTensorType>(epilogue.getResult(0).getType()).getShape();
  llvm::SmallVector<OpFoldResult> tileSizes(rank - 2, rewriter.getIndexAttr(1));
  tileSizes.push_back(rewriter.getIndexAttr(getRowTile(shape[rank - 2])));
  tileSizes.push_back(rewriter.getIndexAttr(0));
  scf::SCFTileAndFuseOptions options;
  options.tilingOptions.setTileSizes(tileSizes);
  options.setFusionControlFn(
      [](tensor::ExtractSliceOp, OpResult producer, bool isDestination)
          -> std::optional<scf::SCFTileAndFuseOptions::ControlFnResult> {
        auto linalgOp = dyn_cast<linalg::LinalgOp>(producer.getOwner());
        if (linalgOp && (isDestination || hasReduction(linalgOp)))
          return scf::SCFTileAndFuseOptions::ControlFnResult{};
        return std::nullopt;
      });
  rewriter.setInsertionPoint(epilogue);
  FailureOr<scf::SCFTileAndFuseResult> tiled =
      scf::tileConsumerAndFuseProducersUsingSCF(
          rewriter, cast<TilingInterface>(epilogue.getOperation()), options);
  if (failed(tiled))
    return epilogue.emitError("cannot tile the epilogue of a fusion group");
  for (auto [original, replacement] : tiled->replacements)
    rewriter.replaceAllUsesWith(original, replacement);
  return success();
}

/// Erases the group's ops whose results are no longer used.
void eraseDeadOps(FusedOp group) {
  // Users before their producers, so that a chain of dead ops goes at once.
  llvm::SmallVector<Operation *> ops =
      llvm::map_to_vector(group.getBody().front().without_terminator(),
                          [](Operation &op) { return &op; });
  for (Operation *op : llvm::reverse(ops))
    if (isOpTriviallyDead(op))
      op->erase();
}

/// Replaces the group by its body.
void dissolve(FusedOp group) {
  Block &body = group.getBody().front();
  auto yield = cast<YieldOp>(body.getTerminator());
  for (auto [arg, input] : llvm::zip(body.getArguments(), group.getInputs()))
    arg.replaceAllUsesWith(input);
  group->replaceAllUsesWith(yield.getValues());
  yield.erase();
  group->getBlock()->getOperations().splice(Block::iterator(group),
                                            body.getOperations());
  group.erase();
}

struct WeftLowerFusionGroupsPass
    : public weft::impl::WeftLowerFusionGroupsBase<WeftLowerFusionGroupsPass> {
  using WeftLowerFusionGroupsBase::WeftLowerFusionGroupsBase;
  void runOnOperation() override {
    llvm::SmallVector<FusedOp> groups;
    getOperation().walk([&](FusedOp group) { groups.push_back(group); });
    for (FusedOp group : groups) {
      bool inWeft = false;
      group.getBody().walk([&](Operation *op) {
        inWeft |= isa<WeftDialect>(op->getDialect()) && !isa<YieldOp>(op);
      });
      if (inWeft) {
        group.emitError("lower the group's ops to linalg first "
                        "(run convert-weft-to-linalg)");
        return signalPassFailure();
      }
      FusionKind kind = group.getKind();
      if (kind != FusionKind::attention &&
          failed(fuseElementwiseGenerics(group)))
        return signalPassFailure();
      if (kind == FusionKind::epilogue && tileEpilogues &&
          failed(tileEpilogue(group)))
        return signalPassFailure();
      eraseDeadOps(group);
      dissolve(group);
    }
  }
};
} // namespace
