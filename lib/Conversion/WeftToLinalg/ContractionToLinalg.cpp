//===- ContractionToLinalg.cpp - matmul and linear to linalg --------------===//

#include "LoweringUtils.h"
#include "weft/Conversion/WeftToLinalg/WeftToLinalg.h"
#include "weft/Dialect/Weft/IR/WeftOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace mlir::weft;

namespace {
/// The product of two matrices is `linalg.matmul`; a batched product is a
/// `linalg.generic` over (batch..., m, n, k) whose operand maps broadcast the
/// batch dimensions.
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
    if (resultType.getRank() == 2) {
      auto matmul = linalg::MatmulOp::create(
          rewriter, loc, ValueRange{lhs, rhs}, ValueRange{zero});
      rewriter.replaceOp(op, matmul.getResult(0));
      return success();
    }

    MLIRContext *ctx = rewriter.getContext();
    int64_t rank = resultType.getRank(), batchRank = rank - 2;
    AffineExpr m = getAffineDimExpr(batchRank, ctx);
    AffineExpr n = getAffineDimExpr(batchRank + 1, ctx);
    AffineExpr k = getAffineDimExpr(batchRank + 2, ctx);
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
    for (int64_t i = 0; i < rank; ++i)
      outExprs.push_back(getAffineDimExpr(i, ctx));
    llvm::SmallVector<AffineMap> maps = {
        operandMap(lhs, m, k), operandMap(rhs, k, n),
        AffineMap::get(rank + 1, 0, outExprs, ctx)};
    llvm::SmallVector<utils::IteratorType> iterators(
        rank, utils::IteratorType::parallel);
    iterators.push_back(utils::IteratorType::reduction);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, resultType, ValueRange{lhs, rhs}, zero, maps, iterators,
        buildMultiplyAccumulate);
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

/// `input[..., k] * weight[n, k]` summed over k, on top of the broadcast
/// bias (or zeros): one reduction `linalg.generic` whose iteration space is
/// the result's dimensions followed by k.
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

    MLIRContext *ctx = rewriter.getContext();
    int64_t rank = resultType.getRank();
    // Iteration dims: d0..d(rank-1) are the result's, d(rank) is k.
    llvm::SmallVector<AffineExpr> inputExprs, outputExprs;
    for (int64_t i = 0; i + 1 < rank; ++i)
      inputExprs.push_back(getAffineDimExpr(i, ctx));
    inputExprs.push_back(getAffineDimExpr(rank, ctx));
    for (int64_t i = 0; i < rank; ++i)
      outputExprs.push_back(getAffineDimExpr(i, ctx));
    AffineExpr n = getAffineDimExpr(rank - 1, ctx);
    AffineExpr k = getAffineDimExpr(rank, ctx);
    llvm::SmallVector<AffineMap> maps = {
        AffineMap::get(rank + 1, 0, inputExprs, ctx),
        AffineMap::get(rank + 1, 0, {n, k}, ctx),
        AffineMap::get(rank + 1, 0, outputExprs, ctx)};
    llvm::SmallVector<utils::IteratorType> iterators(
        rank, utils::IteratorType::parallel);
    iterators.push_back(utils::IteratorType::reduction);

    auto generic = linalg::GenericOp::create(
        rewriter, loc, resultType,
        ValueRange{adaptor.getInput(), adaptor.getWeight()}, init, maps,
        iterators, buildMultiplyAccumulate);
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};
} // namespace

void mlir::weft::populateContractionToLinalgPatterns(
    RewritePatternSet &patterns) {
  patterns.add<MatmulLowering, LinearLowering>(patterns.getContext());
}
