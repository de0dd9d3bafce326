//===- IndexingToLinalg.cpp - embedding lookups to linalg -----------------===//
//
// A lookup is a parallel `linalg.generic` over the result: each element
// reads its index, converts it to `index`, and extracts the table entry.
// The table is read from the body, not as an operand, because the element
// read depends on a value rather than on the iteration indices alone.
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
struct EmbeddingLowering : public OpConversionPattern<EmbeddingOp> {
  using OpConversionPattern::OpConversionPattern;

  LogicalResult
  matchAndRewrite(EmbeddingOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType = getStaticResultType(op);
    if (!resultType)
      return rewriter.notifyMatchFailure(op, "result shape is not static");
    int64_t rank = resultType.getRank();
    Value table = adaptor.getTable();
    // The indices are read at every position but the feature one.
    AffineMap indicesMap =
        AffineMap::getMultiDimIdentityMap(rank, rewriter.getContext())
            .getMajorSubMap(rank - 1);
    Value result = buildParallelGeneric(
        rewriter, op.getLoc(), resultType, adaptor.getIndices(), indicesMap,
        [&](OpBuilder &b, Location loc, ValueRange x) -> Value {
          Value row =
              arith::IndexCastOp::create(b, loc, b.getIndexType(), x[0]);
          Value column = linalg::IndexOp::create(b, loc, rank - 1);
          return tensor::ExtractOp::create(b, loc, table,
                                           ValueRange{row, column});
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};
} // namespace

void mlir::weft::populateIndexingToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<EmbeddingLowering>(patterns.getContext());
}
