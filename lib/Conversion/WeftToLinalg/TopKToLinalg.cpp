//===- TopKToLinalg.cpp - topk, cumsum and cumprod to linalg --------------===//
//
// Both families compare every element of a row with every other, which is
// O(n^2) per row but needs no sorting network, no sequential loop and no
// scatter: each is a pair of plain `linalg.generic`s that parallelize and
// fuse like any other. The rows these ops meet in the examples are short
// (beam candidates, vocabularies, noise schedules).
//
//   topk:  rank[i] = #{ j : x[j] > x[i], or x[j] == x[i] and j < i }, a
//          permutation of 0..n-1; output position p takes the element whose
//          rank is p.
//   scans: out[i] = combine over j <= i of x[j].
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "weft/Conversion/WeftToLinalg/WeftToLinalg.h"
#include "weft/Dialect/Weft/IR/WeftOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace mlir::weft;

namespace {
/// Maps of an iteration space of rank `rank + 1` whose last dimension `j`
/// runs along `axis`: `self` reads position `(d0, ..., dk)` and `other`
/// the same position with `j` along `axis`.
struct PairMaps {
  AffineMap self, other;
};
PairMaps getPairMaps(MLIRContext *ctx, int64_t rank, int64_t axis) {
  llvm::SmallVector<AffineExpr> self, other;
  for (int64_t d = 0; d < rank; ++d) {
    self.push_back(getAffineDimExpr(d, ctx));
    other.push_back(getAffineDimExpr(d == axis ? rank : d, ctx));
  }
  return {AffineMap::get(rank + 1, 0, self, ctx),
          AffineMap::get(rank + 1, 0, other, ctx)};
}

llvm::SmallVector<utils::IteratorType> getPairIterators(int64_t rank) {
  llvm::SmallVector<utils::IteratorType> iterators(
      rank, utils::IteratorType::parallel);
  iterators.push_back(utils::IteratorType::reduction);
  return iterators;
}

Value buildEmpty(OpBuilder &b, Location loc, RankedTensorType type) {
  return tensor::EmptyOp::create(b, loc, type.getShape(),
                                 type.getElementType());
}

struct TopKLowering : public OpConversionPattern<TopKOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(TopKOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    auto valuesType = dyn_cast<RankedTensorType>(op.getValues().getType());
    auto indicesType = dyn_cast<RankedTensorType>(op.getIndices().getType());
    auto inputType = cast<RankedTensorType>(adaptor.getInput().getType());
    if (!valuesType || !valuesType.hasStaticShape() || !indicesType ||
        !inputType.hasStaticShape())
      return rewriter.notifyMatchFailure(op, "shapes are not static");
    int64_t rank = inputType.getRank();
    int64_t axis =
        (*normalizeAxes({static_cast<int64_t>(op.getAxis())}, rank))[0];
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    Type i64 = rewriter.getI64Type();
    PairMaps maps = getPairMaps(ctx, rank, axis);
    Value input = adaptor.getInput();

    // rank[i]: how many elements come before element i in descending order.
    auto ranksType = RankedTensorType::get(inputType.getShape(), i64);
    Value zeros =
        buildFilled(rewriter, loc, ranksType, rewriter.getI64IntegerAttr(0));
    auto ranks = linalg::GenericOp::create(
        rewriter, loc, ranksType, ValueRange{input, input}, zeros,
        {maps.self, maps.other, maps.self}, getPairIterators(rank),
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value i = linalg::IndexOp::create(b, l, axis);
          Value j = linalg::IndexOp::create(b, l, rank);
          Value greater = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OGT,
                                                args[1], args[0]);
          Value equal = arith::CmpFOp::create(b, l, arith::CmpFPredicate::OEQ,
                                              args[1], args[0]);
          Value earlier =
              arith::CmpIOp::create(b, l, arith::CmpIPredicate::ult, j, i);
          Value before = arith::OrIOp::create(
              b, l, greater, arith::AndIOp::create(b, l, equal, earlier));
          Value one = arith::ExtUIOp::create(b, l, i64, before);
          linalg::YieldOp::create(
              b, l, Value(arith::AddIOp::create(b, l, args[2], one)));
        });

    // Output position p along the axis takes the element of rank p.
    auto selected = linalg::GenericOp::create(
        rewriter, loc, TypeRange{valuesType, indicesType},
        ValueRange{input, ranks.getResult(0)},
        ValueRange{buildEmpty(rewriter, loc, valuesType),
                   buildEmpty(rewriter, loc, indicesType)},
        {maps.other, maps.other, maps.self, maps.self}, getPairIterators(rank),
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value p = arith::IndexCastOp::create(
              b, l, i64, linalg::IndexOp::create(b, l, axis));
          Value i = arith::IndexCastOp::create(
              b, l, i64, linalg::IndexOp::create(b, l, rank));
          Value hit =
              arith::CmpIOp::create(b, l, arith::CmpIPredicate::eq, args[1], p);
          linalg::YieldOp::create(
              b, l,
              ValueRange{arith::SelectOp::create(b, l, hit, args[0], args[2]),
                         arith::SelectOp::create(b, l, hit, i, args[3])});
        });
    rewriter.replaceOp(op, selected.getResults());
    return success();
  }
};

template <typename Op> struct ScanLowering : public StaticShapeLowering<Op> {
  using StaticShapeLowering<Op>::StaticShapeLowering;

  LogicalResult lowerStatic(Op op, typename Op::Adaptor adaptor,
                            ConversionPatternRewriter &rewriter,
                            RankedTensorType resultType) const override {
    int64_t rank = resultType.getRank();
    int64_t axis =
        (*normalizeAxes({static_cast<int64_t>(op.getAxis())}, rank))[0];
    Location loc = op.getLoc();
    constexpr bool isSum = std::is_same_v<Op, CumsumOp>;
    Type elem = resultType.getElementType();
    Value init = buildFilled(rewriter, loc, resultType,
                             rewriter.getFloatAttr(elem, isSum ? 0.0 : 1.0));
    PairMaps maps = getPairMaps(rewriter.getContext(), rank, axis);
    auto scan = linalg::GenericOp::create(
        rewriter, loc, resultType, adaptor.getInput(), init,
        {maps.other, maps.self}, getPairIterators(rank),
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value i = linalg::IndexOp::create(b, l, axis);
          Value j = linalg::IndexOp::create(b, l, rank);
          Value included =
              arith::CmpIOp::create(b, l, arith::CmpIPredicate::ule, j, i);
          Value combined =
              isSum ? Value(arith::AddFOp::create(b, l, args[1], args[0]))
                    : Value(arith::MulFOp::create(b, l, args[1], args[0]));
          linalg::YieldOp::create(b, l,
                                  Value(arith::SelectOp::create(
                                      b, l, included, combined, args[1])));
        });
    rewriter.replaceOp(op, scan.getResult(0));
    return success();
  }
};
} // namespace

void mlir::weft::populateTopKToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<TopKLowering, ScanLowering<CumsumOp>, ScanLowering<CumprodOp>>(
      patterns.getContext());
}
