//===- IndexingToLinalg.cpp - Lookups by index to linalg ------------------===//
//
// Embedding, gather and index_select are parallel `linalg.generic`s over the
// result: each element reads its index, converts it to `index`, and extracts
// the source element. The source is read from the body, not as an operand,
// because the element read depends on a value rather than on the iteration
// indices alone. Each index is checked (buildCheckedIndex): one out of range
// is reported to the runtime and never read.
//
// scatter_add, their gradient, is a reduction over the index's axis for
// every element of the result, adding the sources whose index names it: no
// two iterations write one element, so it is parallel and deterministic
// (the GPU's block reductions take it), at the cost of reading every source
// along the axis for each element — for an embedding's gradient, every
// position for every entry of the table. With `scatter-loops` (the CPU) it
// is instead a sequential loop nest over the sources, each added to the
// element its index names: one add per source, in the same order.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "weft/Conversion/WeftToLinalg/WeftToLinalg.h"
#include "weft/Dialect/Weft/IR/WeftOps.h"
#include "weft/Runtime/ABI.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace mlir::weft;

namespace {
struct EmbeddingLowering : public StaticShapeLowering<EmbeddingOp> {
  using StaticShapeLowering::StaticShapeLowering;

  LogicalResult lowerStatic(EmbeddingOp op, OpAdaptor adaptor,
                            ConversionPatternRewriter &rewriter,
                            RankedTensorType resultType) const override {
    int64_t rank = resultType.getRank();
    Value table = adaptor.getTable();
    int64_t rows = cast<RankedTensorType>(table.getType()).getDimSize(0);
    auto site = op->getAttrOfType<IntegerAttr>(kIndexSiteAttrName);
    // The indices are read at every position but the feature one.
    AffineMap indicesMap =
        AffineMap::getMultiDimIdentityMap(rank, rewriter.getContext())
            .getMajorSubMap(rank - 1);
    Value result = buildParallelGeneric(
        rewriter, op.getLoc(), resultType, adaptor.getIndices(), indicesMap,
        [&](OpBuilder &b, Location loc, ValueRange x) -> Value {
          Value row = buildCheckedIndex(b, loc, x[0], rows, site);
          Value column = linalg::IndexOp::create(b, loc, rank - 1);
          return tensor::ExtractOp::create(b, loc, table,
                                           ValueRange{row, column});
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// gather and index_select: the result at `(i0, ..., ik)` is the input at
/// the same position with the index read through `indexMap` replacing
/// position `axis`.
template <typename Op>
struct AxisLookupLowering : public StaticShapeLowering<Op> {
  using StaticShapeLowering<Op>::StaticShapeLowering;

  LogicalResult lowerStatic(Op op, typename Op::Adaptor adaptor,
                            ConversionPatternRewriter &rewriter,
                            RankedTensorType resultType) const override {
    int64_t rank = resultType.getRank();
    int64_t axis =
        (*normalizeAxes({static_cast<int64_t>(op.getAxis())}, rank))[0];
    MLIRContext *ctx = rewriter.getContext();
    // gather reads its index at every position; index_select along the axis.
    AffineMap indexMap = std::is_same_v<Op, GatherOp>
                             ? AffineMap::getMultiDimIdentityMap(rank, ctx)
                             : getAxisMap(ctx, rank, axis);
    Value input = adaptor.getInput();
    int64_t size = cast<RankedTensorType>(input.getType()).getDimSize(axis);
    auto site = op->template getAttrOfType<IntegerAttr>(kIndexSiteAttrName);
    Value result = buildParallelGeneric(
        rewriter, op.getLoc(), resultType, adaptor.getIndex(), indexMap,
        [&](OpBuilder &b, Location loc, ValueRange x) -> Value {
          llvm::SmallVector<Value> position;
          for (int64_t d = 0; d < rank; ++d)
            position.push_back(d == axis
                                   ? buildCheckedIndex(b, loc, x[0], size, site)
                                   : Value(linalg::IndexOp::create(b, loc, d)));
          return tensor::ExtractOp::create(b, loc, input, position);
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// scatter_add: loops over the result's dimensions (parallel) and the
/// index's extent along the axis, `j` (reduction); the index and the source
/// are read at the result's position with `j` along the axis.
/// With `loops`, a sequential loop nest over the sources instead.
struct ScatterAddLowering : public StaticShapeLowering<ScatterAddOp> {
  ScatterAddLowering(MLIRContext *context, bool loops)
      : StaticShapeLowering(context), loops(loops) {}
  bool loops;

  LogicalResult lowerStatic(ScatterAddOp op, OpAdaptor adaptor,
                            ConversionPatternRewriter &rewriter,
                            RankedTensorType resultType) const override {
    // The verifier checked the axis.
    int64_t rank = resultType.getRank();
    int64_t axis = (op.getAxis() + rank) % rank;
    if (loops) {
      rewriter.replaceOp(op, buildLoops(rewriter, op.getLoc(), adaptor, axis));
      return success();
    }
    MLIRContext *ctx = rewriter.getContext();
    llvm::SmallVector<AffineExpr> sourceExprs;
    for (int64_t d = 0; d < rank; ++d)
      sourceExprs.push_back(getAffineDimExpr(d == axis ? rank : d, ctx));
    AffineMap sourceMap = AffineMap::get(rank + 1, 0, sourceExprs, ctx);
    llvm::SmallVector<utils::IteratorType> iterators(
        rank, utils::IteratorType::parallel);
    iterators.push_back(utils::IteratorType::reduction);
    auto generic = linalg::GenericOp::create(
        rewriter, op.getLoc(), resultType,
        ValueRange{adaptor.getIndex(), adaptor.getSrc()}, adaptor.getInput(),
        llvm::ArrayRef<AffineMap>{
            sourceMap, sourceMap,
            AffineMap::getMultiDimIdentityMap(rank + 1, ctx)
                .getMajorSubMap(rank)},
        iterators, [&](OpBuilder &b, Location loc, ValueRange args) {
          Value position = arith::IndexCastOp::create(
              b, loc, args[0].getType(), linalg::IndexOp::create(b, loc, axis));
          Value named = arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq,
                                              args[0], position);
          Value zero = arith::ConstantOp::create(
              b, loc, b.getFloatAttr(args[1].getType(), 0.0));
          Value added = arith::SelectOp::create(b, loc, named, args[1], zero);
          linalg::YieldOp::create(
              b, loc,
              arith::AddFOp::create(b, loc, args[2], added).getResult());
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }

  /// For each source position in row-major order, the input's element its
  /// index names along `axis` gains the source's value; an index out of
  /// range adds nothing.
  static Value buildLoops(OpBuilder &b, Location loc, OpAdaptor adaptor,
                          int64_t axis) {
    auto sourceType = cast<RankedTensorType>(adaptor.getSrc().getType());
    int64_t size =
        cast<RankedTensorType>(adaptor.getInput().getType()).getDimSize(axis);
    Value zero = arith::ConstantIndexOp::create(b, loc, 0);
    Value one = arith::ConstantIndexOp::create(b, loc, 1);
    llvm::SmallVector<Value> lower(sourceType.getRank(), zero),
        steps(sourceType.getRank(), one), upper;
    for (int64_t extent : sourceType.getShape())
      upper.push_back(arith::ConstantIndexOp::create(b, loc, extent));
    scf::LoopNest nest = scf::buildLoopNest(
        b, loc, lower, upper, steps, ValueRange{adaptor.getInput()},
        [&](OpBuilder &nb, Location l, ValueRange position,
            ValueRange accumulated) -> scf::ValueVector {
          Value index =
              tensor::ExtractOp::create(nb, l, adaptor.getIndex(), position);
          Value value =
              tensor::ExtractOp::create(nb, l, adaptor.getSrc(), position);
          Value count = arith::ConstantOp::create(
              nb, l, nb.getIntegerAttr(index.getType(), size));
          Value zeroIndex = arith::ConstantOp::create(
              nb, l, nb.getIntegerAttr(index.getType(), 0));
          Value inRange = arith::AndIOp::create(
              nb, l,
              arith::CmpIOp::create(nb, l, arith::CmpIPredicate::sge, index,
                                    zeroIndex),
              arith::CmpIOp::create(nb, l, arith::CmpIPredicate::slt, index,
                                    count));
          auto added = scf::IfOp::create(
              nb, l, inRange,
              [&](OpBuilder &tb, Location tl) {
                llvm::SmallVector<Value> target(position);
                target[axis] = arith::IndexCastOp::create(
                    tb, tl, tb.getIndexType(), index);
                Value old =
                    tensor::ExtractOp::create(tb, tl, accumulated[0], target);
                Value sum = arith::AddFOp::create(tb, tl, old, value);
                scf::YieldOp::create(tb, tl,
                                     tensor::InsertOp::create(
                                         tb, tl, sum, accumulated[0], target)
                                         .getResult());
              },
              [&](OpBuilder &eb, Location el) {
                scf::YieldOp::create(eb, el, accumulated[0]);
              });
          return {added.getResult(0)};
        });
    return nest.results.front();
  }
};
} // namespace

void mlir::weft::populateIndexingToLinalgPatterns(RewritePatternSet &patterns,
                                                  bool scatterLoops) {
  patterns.add<EmbeddingLowering, AxisLookupLowering<GatherOp>,
               AxisLookupLowering<IndexSelectOp>>(patterns.getContext());
  patterns.add<ScatterAddLowering>(patterns.getContext(), scatterLoops);
}
