//===- AttentionToLinalg.cpp - Scaled dot-product attention to linalg -----===//
//
// Attention decomposes into weft ops the same conversion lowers — the score
// product, the softmax, the product with the values — around one
// `linalg.generic` that scales the scores and sets the hidden ones to -inf:
// for causal attention those above the diagonal, found by comparing the
// iteration indices, and those where the mask, read through a broadcasting
// map, is false.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "weft/Conversion/WeftToLinalg/WeftToLinalg.h"
#include "weft/Dialect/Weft/IR/WeftOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Transforms/DialectConversion.h"

#include <cmath>

using namespace mlir;
using namespace mlir::weft;

namespace {
struct AttentionLowering : public StaticShapeLowering<AttentionOp> {
  using StaticShapeLowering::StaticShapeLowering;

  LogicalResult lowerStatic(AttentionOp op, OpAdaptor adaptor,
                            ConversionPatternRewriter &rewriter,
                            RankedTensorType resultType) const override {
    Location loc = op.getLoc();
    auto queryType = cast<RankedTensorType>(adaptor.getQuery().getType());
    auto keyType = cast<RankedTensorType>(adaptor.getKey().getType());
    Type elem = resultType.getElementType();
    int64_t rank = resultType.getRank();
    double scale = op.getScale()
                       ? op.getScale()->convertToDouble()
                       : 1.0 / std::sqrt(double(queryType.getShape().back()));

    llvm::SmallVector<int64_t> perm =
        llvm::to_vector(llvm::seq<int64_t>(0, rank));
    std::swap(perm[rank - 1], perm[rank - 2]);
    llvm::SmallVector<int64_t> keyShape(keyType.getShape());
    std::swap(keyShape[rank - 1], keyShape[rank - 2]);
    Value keyT = TransposeOp::create(
        rewriter, loc, RankedTensorType::get(keyShape, elem), adaptor.getKey(),
        rewriter.getDenseI64ArrayAttr(perm));
    llvm::SmallVector<int64_t> scoreShape(queryType.getShape());
    scoreShape.back() = keyType.getDimSize(rank - 2);
    auto scoreType = RankedTensorType::get(scoreShape, elem);
    Value scores =
        MatmulOp::create(rewriter, loc, scoreType, adaptor.getQuery(), keyT);

    bool causal = op.getCausal();
    llvm::SmallVector<Value> inputs = {scores};
    llvm::SmallVector<AffineMap> maps = {rewriter.getMultiDimIdentityMap(rank)};
    if (Value mask = adaptor.getMask()) {
      inputs.push_back(mask);
      maps.push_back(
          getBroadcastMap(cast<RankedTensorType>(mask.getType()), scoreType));
    }
    Value scaled = buildParallelGeneric(
        rewriter, loc, scoreType, inputs, maps,
        [&](OpBuilder &b, Location l, ValueRange x) -> Value {
          Value factor =
              arith::ConstantOp::create(b, l, b.getFloatAttr(elem, scale));
          Value value = arith::MulFOp::create(b, l, x[0], factor);
          Value negInf = arith::ConstantOp::create(
              b, l,
              b.getFloatAttr(elem, -std::numeric_limits<double>::infinity()));
          if (x.size() > 1)
            value = arith::SelectOp::create(b, l, x[1], value, negInf);
          if (!causal)
            return value;
          Value row = linalg::IndexOp::create(b, l, rank - 2);
          Value col = linalg::IndexOp::create(b, l, rank - 1);
          Value future =
              arith::CmpIOp::create(b, l, arith::CmpIPredicate::ugt, col, row);
          return arith::SelectOp::create(b, l, future, negInf, value);
        });
    Value probs = SoftmaxOp::create(rewriter, loc, scoreType, scaled,
                                    rewriter.getI64IntegerAttr(-1));
    rewriter.replaceOpWithNewOp<MatmulOp>(op, resultType, probs,
                                          adaptor.getValue());
    return success();
  }
};
} // namespace

void mlir::weft::populateAttentionToLinalgPatterns(
    RewritePatternSet &patterns) {
  patterns.add<AttentionLowering>(patterns.getContext());
}
