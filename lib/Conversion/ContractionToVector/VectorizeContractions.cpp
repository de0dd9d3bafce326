//===- VectorizeContractions.cpp - Register-tiled contractions ------------===//
//
// A matrix product as a loop nest over scalars reloads and stores the
// accumulator at every step. Tiled into register-sized blocks and computed
// with vectors, each step of the reduction is a few broadcasts and fused
// multiply-adds on an accumulator that never leaves the registers.
//
//===----------------------------------------------------------------------===//

#include "weft/Conversion/ContractionToVector/ContractionToVector.h"
#include "weft/Conversion/Divisors.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorTransforms.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Transforms/LoopInvariantCodeMotionUtils.h"

namespace mlir::weft {
#define GEN_PASS_DEF_WEFTVECTORIZECONTRACTIONS
#include "weft/Conversion/Passes.h.inc"
} // namespace mlir::weft

using namespace mlir;
using namespace mlir::weft;

namespace {
/// Whether `op` is a contraction this pass tiles: static, float, with the
/// body `out + lhs * rhs` and maps that only select and permute loops.
std::optional<linalg::ContractionDimensions>
getTileableContraction(linalg::GenericOp op) {
  if (!linalg::isaContractionOpInterface(op) || !op.hasPureTensorSemantics() ||
      op.getNumDpsInputs() != 2 || op.hasIndexSemantics())
    return std::nullopt;
  for (int64_t size : op.getStaticLoopRanges())
    if (ShapedType::isDynamic(size))
      return std::nullopt;
  FailureOr<linalg::ContractionDimensions> dims =
      linalg::inferContractionDims(op);
  if (failed(dims) || dims->m.empty() || dims->n.empty() || dims->k.empty())
    return std::nullopt;
  return *dims;
}

/// Tiles `op` with `options`, replaces it, and returns the op computing a
/// tile (null when tiling fails).
Operation *tileOp(RewriterBase &rewriter, linalg::GenericOp op,
                  const scf::SCFTilingOptions &options) {
  rewriter.setInsertionPoint(op);
  FailureOr<scf::SCFTilingResult> tiled = scf::tileUsingSCF(
      rewriter, cast<TilingInterface>(op.getOperation()), options);
  if (failed(tiled))
    return nullptr;
  rewriter.replaceOp(op, tiled->replacements);
  return tiled->tiledOps.back();
}

struct WeftVectorizeContractionsPass
    : public weft::impl::WeftVectorizeContractionsBase<
          WeftVectorizeContractionsPass> {
  using WeftVectorizeContractionsBase::WeftVectorizeContractionsBase;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    IRRewriter rewriter(&getContext());
    llvm::SmallVector<linalg::GenericOp> contractions;
    func.walk([&](linalg::GenericOp op) {
      if (getTileableContraction(op))
        contractions.push_back(op);
    });
    for (linalg::GenericOp op : contractions)
      if (failed(tileAndVectorize(rewriter, op)))
        return signalPassFailure();

    // The vectorizer multiplies broadcasts and reduces: one vector.contract.
    RewritePatternSet contracts(&getContext());
    vector::populateVectorReductionToContractPatterns(contracts);
    vector::populateVectorTransferPermutationMapLoweringPatterns(contracts);
    if (failed(applyPatternsGreedily(func, std::move(contracts))))
      return signalPassFailure();
    // Then without the unit dimensions of batch and outer row loops.
    RewritePatternSet unitDims(&getContext());
    vector::populateCastAwayVectorLeadingOneDimPatterns(unitDims);
    if (failed(applyPatternsGreedily(func, std::move(unitDims))))
      return signalPassFailure();

    // Outer products of broadcast rows and column vectors.
    RewritePatternSet patterns(&getContext());
    vector::populateVectorContractLoweringPatterns(
        patterns, vector::VectorContractLowering::OuterProduct);
    vector::populateVectorTransferPermutationMapLoweringPatterns(patterns);
    vector::populateVectorTransposeLoweringPatterns(
        patterns, vector::VectorTransposeLowering::EltWise);
    vector::populateVectorOuterProductLoweringPatterns(patterns);
    if (failed(applyPatternsGreedily(func, std::move(patterns))))
      return signalPassFailure();

    // The accumulator tile out of the k loops, innermost loop first.
    func.walk([&](scf::ForOp loop) {
      hoistLoopInvariantSubsets(rewriter,
                                cast<LoopLikeOpInterface>(loop.getOperation()));
    });
  }

  /// Splits `op` over an `scf.forall` (threads, once lowered to OpenMP) on
  /// its first parallel loop with more than one tile: a batch loop, else
  /// the panels of n-tile columns, else the outer rows, else row tiles.
  /// Each thread computes whole output tiles, so the result does not depend
  /// on the thread count. `op` becomes the contraction inside the forall.
  LogicalResult distributeOverThreads(RewriterBase &rewriter,
                                      linalg::GenericOp &op) {
    linalg::ContractionDimensions dims = *getTileableContraction(op);
    llvm::SmallVector<int64_t> ranges = op.getStaticLoopRanges();
    // Waking the threads costs microseconds: small products run alone.
    int64_t multiplyAdds = 1;
    for (int64_t range : ranges)
      multiplyAdds *= range;
    if (multiplyAdds < minParallelWork)
      return success();
    llvm::SmallVector<std::pair<unsigned, int64_t>> candidates;
    for (unsigned d : dims.batch)
      candidates.push_back({d, 1});
    candidates.push_back(
        {dims.n.back(), largestDivisor(ranges[dims.n.back()], nTile)});
    for (unsigned d : llvm::ArrayRef(dims.m).drop_back())
      candidates.push_back({d, 1});
    candidates.push_back(
        {dims.m.back(), largestDivisor(ranges[dims.m.back()], mTile)});
    for (auto [dim, size] : candidates) {
      if (ranges[dim] / size < 2)
        continue;
      llvm::SmallVector<int64_t> sizes(ranges.size(), 0);
      sizes[dim] = size;
      scf::SCFTilingOptions options;
      options.setTileSizes(getAsIndexOpFoldResult(&getContext(), sizes));
      options.setLoopType(scf::SCFTilingOptions::LoopType::ForallOp);
      Operation *tile = tileOp(rewriter, op, options);
      if (!tile)
        return op.emitError("cannot distribute the contraction over threads");
      op = cast<linalg::GenericOp>(tile);
      return success();
    }
    return success();
  }

  /// Splits a long reduction into blocks of about `k-block` steps, in an
  /// `scf.for` around the row tiles: the block of the right operand that a
  /// panel of columns reads then stays in cache while every row tile uses
  /// it, instead of the whole column panel streaming in from memory.
  LogicalResult blockReduction(RewriterBase &rewriter, linalg::GenericOp &op) {
    linalg::ContractionDimensions dims = *getTileableContraction(op);
    unsigned k = dims.k.back();
    int64_t range = op.getStaticLoopRanges()[k];
    int64_t block = largestDivisor(range, kBlock);
    if (range <= 2 * kBlock || block < kBlock / 2)
      return success();
    llvm::SmallVector<int64_t> sizes(op.getNumLoops(), 0);
    sizes[k] = block;
    scf::SCFTilingOptions options;
    options.setTileSizes(getAsIndexOpFoldResult(&getContext(), sizes));
    Operation *tile = tileOp(rewriter, op, options);
    if (!tile)
      return op.emitError("cannot block the contraction's reduction");
    op = cast<linalg::GenericOp>(tile);
    return success();
  }

  LogicalResult tileAndVectorize(RewriterBase &rewriter, linalg::GenericOp op) {
    // Loops in the order (batch, m, n, k), the form whose vectors lower to
    // outer products.
    linalg::ContractionDimensions dims = *getTileableContraction(op);
    llvm::SmallVector<unsigned> canonical;
    for (auto group : {dims.batch, dims.m, dims.n, dims.k})
      canonical.append(group.begin(), group.end());
    rewriter.setInsertionPoint(op);
    FailureOr<linalg::GenericOp> interchanged =
        linalg::interchangeGenericOp(rewriter, op, canonical);
    if (failed(interchanged))
      return op.emitError("cannot reorder the contraction's loops");
    op = *interchanged;
    if (failed(distributeOverThreads(rewriter, op)))
      return failure();
    if (failed(blockReduction(rewriter, op)))
      return failure();
    dims = *getTileableContraction(op);
    llvm::SmallVector<int64_t> ranges = op.getStaticLoopRanges();
    // Every loop one at a time but the innermost m, n and k loops, which
    // step by a register tile.
    llvm::SmallVector<int64_t> sizes(ranges.size(), 1);
    sizes[dims.m.back()] = largestDivisor(ranges[dims.m.back()], mTile);
    sizes[dims.n.back()] = largestDivisor(ranges[dims.n.back()], nTile);
    sizes[dims.k.back()] = largestDivisor(ranges[dims.k.back()], kTile);
    llvm::SmallVector<int64_t> order;
    for (auto group : {dims.batch, dims.n, dims.m, dims.k})
      order.append(group.begin(), group.end());

    scf::SCFTilingOptions options;
    options.setTileSizes(getAsIndexOpFoldResult(&getContext(), sizes));
    options.setInterchange(order);
    Operation *tile = tileOp(rewriter, op, options);
    if (!tile)
      return op.emitError("cannot tile the contraction");
    rewriter.setInsertionPoint(tile);
    FailureOr<linalg::VectorizationResult> vectorized =
        linalg::vectorize(rewriter, tile, /*inputVectorSizes=*/{},
                          /*inputScalableVecDims=*/{},
                          /*vectorizeNDExtract=*/false,
                          /*flatten1DDepthwiseConv=*/false,
                          /*assumeDynamicDimsMatchVecSizes=*/false,
                          /*createNamedContraction=*/true);
    if (failed(vectorized))
      return tile->emitError("cannot vectorize the contraction's tile");
    rewriter.replaceOp(tile, vectorized->replacements);
    return success();
  }
};
} // namespace
