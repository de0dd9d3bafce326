//===- ContractionToLinalg.cpp - matmul and linear to linalg --------------===//

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
/// A (batched) matrix product is a `linalg.generic` over (batch..., m, k, n)
/// whose operand maps broadcast the batch dimensions. With k outside n, the
/// innermost loop of `C[m, n] += A[m, k] * B[k, n]` walks rows of B and C
/// contiguously, so LLVM vectorizes it; the i-j-k order would read B by
/// columns.
struct MatmulLowering : public StaticShapeLowering<MatmulOp> {
  using StaticShapeLowering::StaticShapeLowering;

  LogicalResult lowerStatic(MatmulOp op, OpAdaptor adaptor,
                            ConversionPatternRewriter &rewriter,
                            RankedTensorType resultType) const override {
    Location loc = op.getLoc();
    Value zero =
        buildFilled(rewriter, loc, resultType,
                    rewriter.getFloatAttr(resultType.getElementType(), 0.0));
    Value lhs = adaptor.getLhs(), rhs = adaptor.getRhs();
    MLIRContext *ctx = rewriter.getContext();
    int64_t rank = resultType.getRank(), batchRank = rank - 2;
    AffineExpr m = getAffineDimExpr(batchRank, ctx);
    AffineExpr k = getAffineDimExpr(batchRank + 1, ctx);
    AffineExpr n = getAffineDimExpr(batchRank + 2, ctx);
    // An operand's batch dimensions, aligned at the right with the result's.
    auto operandMap = [&](Value operand, AffineExpr row, AffineExpr col) {
      auto type = cast<RankedTensorType>(operand.getType());
      auto batchOf = [](RankedTensorType t) {
        return RankedTensorType::get(t.getShape().drop_back(2),
                                     t.getElementType());
      };
      AffineMap batch = getBroadcastMap(batchOf(type), batchOf(resultType));
      llvm::SmallVector<AffineExpr> exprs(batch.getResults());
      exprs.append({row, col});
      return AffineMap::get(rank + 1, 0, exprs, ctx);
    };
    llvm::SmallVector<AffineExpr> outExprs;
    for (int64_t i = 0; i < batchRank; ++i)
      outExprs.push_back(getAffineDimExpr(i, ctx));
    outExprs.append({m, n});
    llvm::SmallVector<AffineMap> maps = {
        operandMap(lhs, m, k), operandMap(rhs, k, n),
        AffineMap::get(rank + 1, 0, outExprs, ctx)};
    llvm::SmallVector<utils::IteratorType> iterators(
        rank + 1, utils::IteratorType::parallel);
    iterators[batchRank + 1] = utils::IteratorType::reduction;
    auto generic = linalg::GenericOp::create(
        rewriter, loc, resultType, ValueRange{lhs, rhs}, zero, maps, iterators,
        buildMultiplyAccumulate);
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

/// `input[..., k] * weight[n, k]` summed over k, on top of the broadcast
/// bias (or zeros). The weight is transposed to [k, n] first, so that the
/// reduction `linalg.generic` over (..., k, n) has the contiguous, vectorizable
/// innermost loop of a matrix product; the copy costs one pass over the
/// weight per call.
struct LinearLowering : public StaticShapeLowering<LinearOp> {
  using StaticShapeLowering::StaticShapeLowering;

  LogicalResult lowerStatic(LinearOp op, OpAdaptor adaptor,
                            ConversionPatternRewriter &rewriter,
                            RankedTensorType resultType) const override {
    Location loc = op.getLoc();
    Type elem = resultType.getElementType();
    Value init =
        adaptor.getBias()
            ? buildElementwise(
                  rewriter, loc, resultType, adaptor.getBias(),
                  [](OpBuilder &, Location, ValueRange x) { return x[0]; })
            : buildFilled(rewriter, loc, resultType,
                          rewriter.getFloatAttr(elem, 0.0));

    auto weightType = cast<RankedTensorType>(adaptor.getWeight().getType());
    Value transposed =
        linalg::TransposeOp::create(
            rewriter, loc, adaptor.getWeight(),
            tensor::EmptyOp::create(
                rewriter, loc,
                llvm::ArrayRef<int64_t>{weightType.getDimSize(1),
                                        weightType.getDimSize(0)},
                elem),
            llvm::ArrayRef<int64_t>{1, 0})
            .getResult()[0];

    MLIRContext *ctx = rewriter.getContext();
    int64_t rank = resultType.getRank();
    // Iteration dims: the result's leading ones, then k, then n.
    AffineExpr k = getAffineDimExpr(rank - 1, ctx);
    AffineExpr n = getAffineDimExpr(rank, ctx);
    llvm::SmallVector<AffineExpr> inputExprs, outputExprs;
    for (int64_t i = 0; i + 1 < rank; ++i) {
      inputExprs.push_back(getAffineDimExpr(i, ctx));
      outputExprs.push_back(getAffineDimExpr(i, ctx));
    }
    inputExprs.push_back(k);
    outputExprs.push_back(n);
    llvm::SmallVector<AffineMap> maps = {
        AffineMap::get(rank + 1, 0, inputExprs, ctx),
        AffineMap::get(rank + 1, 0, {k, n}, ctx),
        AffineMap::get(rank + 1, 0, outputExprs, ctx)};
    llvm::SmallVector<utils::IteratorType> iterators(
        rank + 1, utils::IteratorType::parallel);
    iterators[rank - 1] = utils::IteratorType::reduction;

    auto generic = linalg::GenericOp::create(
        rewriter, loc, resultType, ValueRange{adaptor.getInput(), transposed},
        init, maps, iterators, buildMultiplyAccumulate);
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};
} // namespace

void mlir::weft::populateContractionToLinalgPatterns(
    RewritePatternSet &patterns) {
  patterns.add<MatmulLowering, LinearLowering>(patterns.getContext());
}
