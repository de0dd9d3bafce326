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
#include "weft/Conversion/TileGeneric.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Utils/IndexingUtils.h"
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

  /// Packs the right operand B of `op` (loops in the order batch, m, n, k;
  /// one n and one k loop) into panels of w = n-tile columns, laid out
  /// [batch..., N / w, K, w]: a register tile's k steps then read w
  /// consecutive floats after w consecutive floats, where B read in place
  /// has its rows N floats apart (a power of two, at n = 256...2048, whose
  /// rows compete for the same cache sets) or its columns strided (the
  /// weight of `linear`, read through its transpose, which the packing
  /// reads directly instead). The contraction gets the loops (batch, m, n0,
  /// k, n1), its output viewed as [..., N / w, w]. Products of few rows,
  /// which read B about once anyway, stay as they are.
  LogicalResult packRightOperand(RewriterBase &rewriter,
                                 linalg::GenericOp &op) {
    linalg::ContractionDimensions dims = *getTileableContraction(op);
    if (dims.n.size() != 1 || dims.k.size() != 1)
      return success();
    unsigned n = dims.n.front(), k = dims.k.front();
    llvm::SmallVector<int64_t> ranges = op.getStaticLoopRanges();
    int64_t rows = 1;
    for (unsigned d : dims.m)
      rows *= ranges[d];
    int64_t width = largestDivisor(ranges[n], nTile);
    if (rows < minPackRows || width < 8)
      return success();
    MLIRContext *ctx = op.getContext();
    AffineExpr nExpr = getAffineDimExpr(n, ctx),
               kExpr = getAffineDimExpr(k, ctx);
    OpOperand *rhs = nullptr;
    for (OpOperand *input : op.getDpsInputOperands())
      if (op.getMatchingIndexingMap(input).isFunctionOfDim(n))
        rhs = input;
    AffineMap rhsMap = op.getMatchingIndexingMap(rhs);
    AffineMap outMap = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
    int64_t rhsRank = rhsMap.getNumResults();
    if (rhsRank < 2 || outMap.getResults().back() != nExpr)
      return success();
    AffineExpr inner = rhsMap.getResult(rhsRank - 1),
               outer = rhsMap.getResult(rhsRank - 2);
    bool rowMajor = inner == nExpr && outer == kExpr;
    if (!rowMajor && !(inner == kExpr && outer == nExpr))
      return success();
    // Rows of one panel are already contiguous panels.
    if (rowMajor && width == ranges[n])
      return success();

    // The packing: P[b..., n0, k, n1] = B[b..., k, n0 * w + n1], or read
    // from the input of the transpose that B is. Its loops are
    // (b..., n0, k, n1): the innermost walks a panel's row, contiguous in
    // the packed layout, so its stores are whole vectors; read through
    // `linear`'s transpose, its loads are gathers (the other order made
    // them scatters, slower: the MLP 0.31 -> 0.28 ms).
    Location loc = op.getLoc();
    auto rhsType = cast<RankedTensorType>(rhs->get().getType());
    int64_t batchRank = rhsRank - 2, packedRank = batchRank + 3;
    int64_t kPos = rowMajor ? batchRank : batchRank + 1;
    int64_t nPos = rowMajor ? batchRank + 1 : batchRank;
    // The source, and which dimension of B each of its dimensions is.
    Value source = rhs->get();
    llvm::SmallVector<int64_t> bDimOf =
        llvm::to_vector(llvm::seq<int64_t>(0, rhsRank));
    if (auto transpose = source.getDefiningOp<linalg::TransposeOp>()) {
      // Result dimension d is the input's dimension perm[d].
      llvm::SmallVector<int64_t> dims(rhsRank);
      for (auto [d, dim] : llvm::enumerate(transpose.getPermutation()))
        dims[dim] = d;
      if (dims.back() == kPos || dims.back() == nPos) {
        source = transpose.getInput();
        bDimOf = dims;
      }
    }
    AffineExpr panel = getAffineDimExpr(batchRank, ctx);
    AffineExpr step = getAffineDimExpr(batchRank + 1, ctx),
               lane = getAffineDimExpr(batchRank + 2, ctx);
    llvm::SmallVector<AffineExpr> bIndex, writes;
    for (int64_t d = 0; d < batchRank; ++d) {
      bIndex.push_back(getAffineDimExpr(d, ctx));
      writes.push_back(getAffineDimExpr(d, ctx));
    }
    bIndex.resize(rhsRank);
    bIndex[kPos] = step;
    writes.append({panel, step, lane});
    // The source read with its n dimension split into [n / w, w] (a view),
    // so that the packing only permutes dimensions: a copy, or a transpose
    // of blocks, that weft-vectorize-generics computes with vectors.
    auto sourceType = cast<RankedTensorType>(source.getType());
    llvm::SmallVector<AffineExpr> reads;
    llvm::SmallVector<ReassociationIndices> groups;
    llvm::SmallVector<int64_t> splitShape;
    for (auto [d, dim] : llvm::enumerate(bDimOf)) {
      int64_t first = splitShape.size();
      if (dim == nPos) {
        groups.push_back({first, first + 1});
        splitShape.append({sourceType.getDimSize(d) / width, width});
        reads.append({panel, lane});
        continue;
      }
      groups.push_back({first});
      splitShape.push_back(sourceType.getDimSize(d));
      reads.push_back(bIndex[dim]);
    }
    llvm::SmallVector<int64_t> packedShape(
        rhsType.getShape().take_front(batchRank));
    packedShape.append({ranges[n] / width, ranges[k], width});
    auto packedType =
        RankedTensorType::get(packedShape, rhsType.getElementType());
    // Outside the loops that do not change the source (a fused group's row
    // tiles, a weight's steps): packed once, not per iteration.
    Operation *packPoint = op;
    for (Operation *parent = op->getParentOp(); parent;
         parent = parent->getParentOp()) {
      auto loop = dyn_cast<LoopLikeOpInterface>(parent);
      if (!loop || !loop.isDefinedOutsideOfLoop(source))
        break;
      packPoint = parent;
    }
    OpBuilder::InsertionGuard guard(rewriter);
    rewriter.setInsertionPoint(packPoint);
    Value split = tensor::ExpandShapeOp::create(
        rewriter, loc,
        RankedTensorType::get(splitShape, rhsType.getElementType()), source,
        groups);
    Value empty = tensor::EmptyOp::create(rewriter, loc, packedShape,
                                          rhsType.getElementType());
    auto pack = linalg::GenericOp::create(
        rewriter, loc, packedType, split, empty,
        llvm::ArrayRef<AffineMap>{AffineMap::get(packedRank, 0, reads, ctx),
                                  AffineMap::get(packedRank, 0, writes, ctx)},
        llvm::SmallVector<utils::IteratorType>(packedRank,
                                               utils::IteratorType::parallel),
        [](OpBuilder &b, Location loc, ValueRange args) {
          linalg::YieldOp::create(b, loc, args[0]);
        });
    rewriter.setInsertionPoint(op);

    // The contraction over (..., n0, ..., k, n1), n1 the new last loop.
    unsigned numLoops = op.getNumLoops();
    AffineExpr n1 = getAffineDimExpr(numLoops, ctx);
    llvm::SmallVector<AffineMap> maps;
    llvm::SmallVector<Value> inputs;
    for (OpOperand *input : op.getDpsInputOperands()) {
      AffineMap map = op.getMatchingIndexingMap(input);
      if (input != rhs) {
        maps.push_back(AffineMap::get(numLoops + 1, 0, map.getResults(), ctx));
        inputs.push_back(input->get());
        continue;
      }
      llvm::SmallVector<AffineExpr> exprs(
          map.getResults().take_front(batchRank));
      exprs.append({nExpr, kExpr, n1});
      maps.push_back(AffineMap::get(numLoops + 1, 0, exprs, ctx));
      inputs.push_back(pack.getResult(0));
    }
    llvm::SmallVector<AffineExpr> outExprs(outMap.getResults());
    outExprs.push_back(n1);
    maps.push_back(AffineMap::get(numLoops + 1, 0, outExprs, ctx));
    Value init = op.getDpsInitOperand(0)->get();
    auto initType = cast<RankedTensorType>(init.getType());
    int64_t outRank = initType.getRank();
    llvm::SmallVector<int64_t> panelShape(initType.getShape().drop_back());
    panelShape.append({ranges[n] / width, width});
    llvm::SmallVector<ReassociationIndices> reassociation;
    for (int64_t i = 0; i + 1 < outRank; ++i)
      reassociation.push_back({i});
    reassociation.push_back({outRank - 1, outRank});
    auto panelType =
        RankedTensorType::get(panelShape, initType.getElementType());
    Value panels = tensor::ExpandShapeOp::create(rewriter, loc, panelType, init,
                                                 reassociation);
    llvm::SmallVector<utils::IteratorType> iterators =
        op.getIteratorTypesArray();
    iterators.push_back(utils::IteratorType::parallel);
    auto packed = linalg::GenericOp::create(rewriter, loc, panelType, inputs,
                                            panels, maps, iterators);
    IRMapping mapping;
    op.getRegion().cloneInto(&packed.getRegion(), mapping);
    Value result = tensor::CollapseShapeOp::create(
        rewriter, loc, initType, packed.getResult(0), reassociation);
    rewriter.replaceOp(op, result);
    op = packed;
    return success();
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
    int64_t multiplyAdds = computeProduct(ranges);
    if (multiplyAdds < minParallelWork)
      return success();
    llvm::SmallVector<std::pair<unsigned, int64_t>> candidates;
    for (unsigned d : dims.batch)
      candidates.push_back({d, 1});
    for (unsigned d : llvm::ArrayRef(dims.n).drop_back())
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
      Operation *tile = tileGeneric(rewriter, op, options);
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
    Operation *tile = tileGeneric(rewriter, op, options);
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
    rewriter.setInsertionPoint(op);
    if (failed(packRightOperand(rewriter, op)))
      return failure();
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
    Operation *tile = tileGeneric(rewriter, op, options);
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
