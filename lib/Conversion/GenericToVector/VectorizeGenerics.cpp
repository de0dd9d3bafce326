//===- VectorizeGenerics.cpp - Element-wise ops and reductions as vectors -===//
//
// Lowered to loops, an element-wise op or a reduction is a scalar loop that
// LLVM vectorizes only when it can: not a reduction of floats (it keeps
// their order), not one that stores its accumulator back to a buffer it
// cannot prove apart from the inputs, not a loop calling libm. Tiled along
// the innermost dimension and vectorized here, each op is vector code
// whatever LLVM proves. A copy that transposes is tiled into square blocks
// transposed in registers.
//
//===----------------------------------------------------------------------===//

#include "weft/Conversion/Divisors.h"
#include "weft/Conversion/GenericToVector/GenericToVector.h"
#include "weft/Conversion/TileGeneric.h"

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
#include "llvm/ADT/SetVector.h"

namespace mlir::weft {
#define GEN_PASS_DEF_WEFTVECTORIZEGENERICS
#include "weft/Conversion/Passes.h.inc"
} // namespace mlir::weft

using namespace mlir;
using namespace mlir::weft;

namespace {
/// The loop whose dimension `op`'s copy transposes to the innermost one:
/// `op` only yields its one input into its output, whose last dimension
/// is the innermost loop, and the input's last dimension is this loop.
std::optional<unsigned> getTransposedLoop(linalg::GenericOp op) {
  Block &body = op.getRegion().front();
  if (op.getNumDpsInputs() != 1 || op.getNumDpsInits() != 1 ||
      body.getOperations().size() != 1 ||
      body.getTerminator()->getOperand(0) != body.getArgument(0))
    return std::nullopt;
  AffineMap in = op.getMatchingIndexingMap(op.getDpsInputOperand(0));
  AffineMap out = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  unsigned innermost = op.getNumLoops() - 1;
  if (in.getNumResults() == 0 || out.getNumResults() == 0 ||
      !out.getResults().back().isFunctionOfDim(innermost) ||
      !in.isFunctionOfDim(innermost))
    return std::nullopt;
  auto last = dyn_cast<AffineDimExpr>(in.getResults().back());
  if (!last || last.getPosition() == innermost)
    return std::nullopt;
  return last.getPosition();
}

/// The sizes of a vector tile of `op`, one per loop, or nullopt where `op`
/// stays scalar: not static, a contraction (weft-vectorize-contractions'
/// work), with `i1` operands, with maps that do more than select, permute
/// and broadcast loops, or reading or writing the innermost loop's
/// dimension other than as an operand's last one — but for a copy that
/// transposes it, whose tiles are square blocks of up to `blockSize`.
std::optional<llvm::SmallVector<int64_t>>
getVectorTile(linalg::GenericOp op, int64_t vectorSize, int64_t blockSize) {
  if (!op.hasPureTensorSemantics() || linalg::isaContractionOpInterface(op))
    return std::nullopt;
  llvm::SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  if (ranges.empty() || llvm::any_of(ranges, ShapedType::isDynamic))
    return std::nullopt;
  AffineExpr innermost = getAffineDimExpr(ranges.size() - 1, op.getContext());
  bool readsInnermost = false, contiguous = true;
  for (OpOperand &operand : op->getOpOperands()) {
    Type element = getElementTypeOrSelf(operand.get().getType());
    if (!element.isIntOrFloat() || element.getIntOrFloatBitWidth() < 8)
      return std::nullopt;
    AffineMap map = op.getMatchingIndexingMap(&operand);
    if (!map.isProjectedPermutation(/*allowZeroInResults=*/true))
      return std::nullopt;
    std::optional<unsigned> position = map.getResultPosition(innermost);
    if (!position)
      continue;
    contiguous &= *position + 1 == map.getNumResults();
    readsInnermost = true;
  }
  if (!readsInnermost || failed(linalg::vectorizeOpPrecondition(op)))
    return std::nullopt;
  llvm::SmallVector<int64_t> sizes(ranges.size(), 1);
  if (contiguous) {
    sizes.back() = largestDivisor(ranges.back(), vectorSize);
    if (sizes.back() == 1)
      return std::nullopt;
    return sizes;
  }
  std::optional<unsigned> transposed = getTransposedLoop(op);
  if (!transposed)
    return std::nullopt;
  sizes.back() = largestDivisor(ranges.back(), blockSize);
  sizes[*transposed] = largestDivisor(ranges[*transposed], blockSize);
  if (sizes.back() == 1 || sizes[*transposed] == 1)
    return std::nullopt;
  return sizes;
}

/// Tiles `op` by `sizes` (0: not tiled) with loops of `loopType` and
/// returns the op computing a tile (null when tiling fails).
linalg::GenericOp tileOp(RewriterBase &rewriter, linalg::GenericOp op,
                         llvm::ArrayRef<int64_t> sizes,
                         scf::SCFTilingOptions::LoopType loopType) {
  scf::SCFTilingOptions options;
  options.setTileSizes(getAsIndexOpFoldResult(op.getContext(), sizes));
  options.setLoopType(loopType);
  return cast_or_null<linalg::GenericOp>(tileGeneric(rewriter, op, options));
}

/// The ops a rewriter creates and has not erased.
struct CreatedOps : public RewriterBase::Listener {
  void notifyOperationInserted(Operation *op,
                               OpBuilder::InsertPoint previous) override {
    ops.insert(op);
  }
  void notifyOperationErased(Operation *op) override { ops.remove(op); }
  llvm::SetVector<Operation *> ops;
};

struct WeftVectorizeGenericsPass
    : public weft::impl::WeftVectorizeGenericsBase<WeftVectorizeGenericsPass> {
  using WeftVectorizeGenericsBase::WeftVectorizeGenericsBase;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    CreatedOps created;
    IRRewriter rewriter(&getContext(), &created);
    llvm::SmallVector<std::pair<linalg::GenericOp, llvm::SmallVector<int64_t>>>
        ops;
    func.walk([&](linalg::GenericOp op) {
      if (auto tile = getVectorTile(op, vectorSize, blockSize))
        ops.push_back({op, *tile});
    });
    for (auto [op, tile] : ops)
      if (failed(distributeOverThreads(rewriter, op, tile)) ||
          failed(tileAndVectorize(rewriter, op, tile)))
        return signalPassFailure();

    // Vectors without the unit dimensions of the outer loops (a reduction
    // along an outer dimension then adds vectors), then reductions along
    // the innermost dimension as vector.reduction, which LLVM adds as a
    // tree (convert-vector-to-llvm's reassociate-fp-reductions). Only on
    // the code made here: the products' vector code is final.
    GreedyRewriteConfig config;
    config.setStrictness(GreedyRewriteStrictness::ExistingAndNewOps);
    RewritePatternSet unitDims(&getContext());
    vector::populateCastAwayVectorLeadingOneDimPatterns(unitDims);
    vector::MultiDimReductionOp::getCanonicalizationPatterns(unitDims,
                                                             &getContext());
    vector::populateVectorTransferPermutationMapLoweringPatterns(unitDims);
    if (failed(applyOpPatternsGreedily(created.ops.getArrayRef(),
                                       std::move(unitDims), config)))
      return signalPassFailure();
    // (The products' code has no vector.multi_reduction left.)
    llvm::SmallVector<Operation *> multiReductions;
    func.walk(
        [&](vector::MultiDimReductionOp op) { multiReductions.push_back(op); });
    RewritePatternSet reductions(&getContext());
    vector::populateVectorMultiReductionLoweringPatterns(
        reductions, vector::VectorMultiReductionLowering::InnerReduction);
    if (failed(applyOpPatternsGreedily(multiReductions, std::move(reductions),
                                       config)))
      return signalPassFailure();
  }

  /// With at least `min-parallel-elements` iterations, splits `op` over
  /// threads: an `scf.forall` over its outermost parallel loop that its
  /// vector `tile` spans one element of (not the innermost, nor a
  /// transposing copy's block rows), one slice per iteration. Every element
  /// is computed as without threads. `op` becomes the op inside.
  LogicalResult distributeOverThreads(RewriterBase &rewriter,
                                      linalg::GenericOp &op,
                                      llvm::ArrayRef<int64_t> tile) {
    llvm::SmallVector<int64_t> ranges = op.getStaticLoopRanges();
    int64_t iterations = computeProduct(ranges);
    if (iterations < minParallelElements)
      return success();
    llvm::SmallVector<utils::IteratorType> iterators =
        op.getIteratorTypesArray();
    for (unsigned d = 0; d + 1 < ranges.size(); ++d) {
      if (iterators[d] != utils::IteratorType::parallel || ranges[d] < 2 ||
          tile[d] != 1)
        continue;
      llvm::SmallVector<int64_t> sizes(ranges.size(), 0);
      sizes[d] = 1;
      linalg::GenericOp slice = tileOp(
          rewriter, op, sizes, scf::SCFTilingOptions::LoopType::ForallOp);
      if (!slice)
        return op.emitError("cannot split the op over threads");
      op = slice;
      return success();
    }
    return success();
  }

  /// Tiles `op` by `tile` (a size per loop) and vectorizes the tile.
  LogicalResult tileAndVectorize(RewriterBase &rewriter, linalg::GenericOp op,
                                 llvm::ArrayRef<int64_t> tile) {
    llvm::SmallVector<int64_t> ranges = op.getStaticLoopRanges();
    llvm::SmallVector<int64_t> sizes;
    // 0: not tiled.
    for (auto [size, range] : llvm::zip(tile, ranges))
      sizes.push_back(size == range ? 0 : size);
    linalg::GenericOp vectorTile =
        tileOp(rewriter, op, sizes, scf::SCFTilingOptions::LoopType::ForOp);
    if (!vectorTile)
      return op.emitError("cannot tile the op into vectors");
    rewriter.setInsertionPoint(vectorTile);
    FailureOr<linalg::VectorizationResult> vectorized =
        linalg::vectorize(rewriter, vectorTile);
    if (failed(vectorized))
      return vectorTile->emitError("cannot vectorize the op's tile");
    rewriter.replaceOp(vectorTile, vectorized->replacements);
    return success();
  }
};
} // namespace
