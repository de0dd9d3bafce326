//===- AttentionToLinalg.cpp - Scaled dot-product attention to linalg -----===//
//
// Alone, attention decomposes into weft ops the same conversion lowers — the
// score product, the softmax, the product with the values — around one
// `linalg.generic` that scales the scores and sets the hidden ones to -inf:
// for causal attention those above the diagonal, found by comparing the
// iteration indices, and those where the mask, read through a broadcasting
// map, is false.
//
// In a `weft.fused attention` group it is computed flash-style: an `scf.for`
// over blocks of keys carries, per query, the running maximum `m` of the
// scores, the running sum `l` of exp(score - m), and the running output
// `acc`; each block rescales `l` and `acc` by exp(m_old - m_new) when the
// maximum grows. Only a [queries x block] tile of scores exists at a time.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "weft/Conversion/Divisors.h"
#include "weft/Conversion/WeftToLinalg/WeftToLinalg.h"
#include "weft/Dialect/Weft/IR/WeftOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

#include <cmath>

using namespace mlir;
using namespace mlir::weft;

namespace {
/// The factor the scores are multiplied by.
double getScale(AttentionOp op, RankedTensorType queryType) {
  return op.getScale() ? op.getScale()->convertToDouble()
                       : 1.0 / std::sqrt(double(queryType.getShape().back()));
}

/// The scores' scaled value, or -inf where the mask (`x[1]`, when present)
/// is false or, for causal attention, where the key position `col` lies
/// after the query position `row`.
Value buildMaskedScore(OpBuilder &b, Location l, ValueRange x, double scale,
                       Value row, Value col) {
  Type elem = x[0].getType();
  Value factor = arith::ConstantOp::create(b, l, b.getFloatAttr(elem, scale));
  Value value = arith::MulFOp::create(b, l, x[0], factor);
  Value negInf = arith::ConstantOp::create(
      b, l, b.getFloatAttr(elem, -std::numeric_limits<double>::infinity()));
  if (x.size() > 1)
    value = arith::SelectOp::create(b, l, x[1], value, negInf);
  if (!row)
    return value;
  Value future =
      arith::CmpIOp::create(b, l, arith::CmpIPredicate::ugt, col, row);
  return arith::SelectOp::create(b, l, future, negInf, value);
}

struct AttentionLowering : public StaticShapeLowering<AttentionOp> {
  using StaticShapeLowering::StaticShapeLowering;

  LogicalResult lowerStatic(AttentionOp op, OpAdaptor adaptor,
                            ConversionPatternRewriter &rewriter,
                            RankedTensorType resultType) const override {
    if (isInFusionGroup(op, FusionKind::attention))
      return rewriter.notifyMatchFailure(op, "lowered flash-style");
    Location loc = op.getLoc();
    auto queryType = cast<RankedTensorType>(adaptor.getQuery().getType());
    auto keyType = cast<RankedTensorType>(adaptor.getKey().getType());
    Type elem = resultType.getElementType();
    int64_t rank = resultType.getRank();
    double scale = getScale(op, queryType);

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
          if (!causal)
            return buildMaskedScore(b, l, x, scale, Value(), Value());
          return buildMaskedScore(b, l, x, scale,
                                  linalg::IndexOp::create(b, l, rank - 2),
                                  linalg::IndexOp::create(b, l, rank - 1));
        });
    Value probs = SoftmaxOp::create(rewriter, loc, scoreType, scaled,
                                    rewriter.getI64IntegerAttr(-1));
    rewriter.replaceOpWithNewOp<MatmulOp>(op, resultType, probs,
                                          adaptor.getValue());
    return success();
  }
};

/// Keys per block: a divisor of the key count from 16 to `maxBlock`, or all
/// keys.
int64_t getKeyBlock(int64_t keys, int64_t maxBlock) {
  constexpr int64_t kMinBlock = 16;
  if (keys <= maxBlock)
    return keys;
  int64_t block = largestDivisor(keys, maxBlock);
  return block >= kMinBlock ? block : keys;
}

/// `value` restricted to `rows` entries from `start` along `axis`.
Value sliceAxis(OpBuilder &b, Location loc, Value value, Value start,
                int64_t rows, int64_t axis) {
  auto type = cast<RankedTensorType>(value.getType());
  llvm::SmallVector<OpFoldResult> offsets(type.getRank(), b.getIndexAttr(0));
  llvm::SmallVector<OpFoldResult> sizes =
      llvm::map_to_vector(type.getShape(), [&](int64_t size) -> OpFoldResult {
        return b.getIndexAttr(size);
      });
  llvm::SmallVector<OpFoldResult> strides(type.getRank(), b.getIndexAttr(1));
  offsets[axis] = start;
  sizes[axis] = b.getIndexAttr(rows);
  return tensor::ExtractSliceOp::create(b, loc, value, offsets, sizes, strides);
}

/// `init[..., i, j] + sum_r lhs[..., i, r] * rhs[..., r, j]`, looping over
/// (batch..., i, r, j): the innermost loop walks rows of `rhs` and `init`
/// contiguously, so LLVM vectorizes it.
Value buildBatchedContraction(OpBuilder &b, Location loc, Value lhs, Value rhs,
                              Value init) {
  MLIRContext *ctx = b.getContext();
  int64_t rank = cast<RankedTensorType>(init.getType()).getRank();
  int64_t batch = rank - 2;
  AffineExpr i = getAffineDimExpr(batch, ctx);
  AffineExpr r = getAffineDimExpr(batch + 1, ctx);
  AffineExpr j = getAffineDimExpr(batch + 2, ctx);
  auto map = [&](AffineExpr row, AffineExpr col) {
    llvm::SmallVector<AffineExpr> exprs;
    for (int64_t d = 0; d < batch; ++d)
      exprs.push_back(getAffineDimExpr(d, ctx));
    exprs.append({row, col});
    return AffineMap::get(rank + 1, 0, exprs, ctx);
  };
  llvm::SmallVector<AffineMap> maps = {map(i, r), map(r, j), map(i, j)};
  llvm::SmallVector<utils::IteratorType> iterators(
      rank + 1, utils::IteratorType::parallel);
  iterators[batch + 1] = utils::IteratorType::reduction;
  return linalg::GenericOp::create(b, loc, init.getType(), ValueRange{lhs, rhs},
                                   init, maps, iterators,
                                   buildMultiplyAccumulate)
      .getResult(0);
}

struct FlashAttentionLowering : public StaticShapeLowering<AttentionOp> {
  FlashAttentionLowering(MLIRContext *context, int64_t maxKeyBlock)
      : StaticShapeLowering(context), maxKeyBlock(maxKeyBlock) {}

  LogicalResult lowerStatic(AttentionOp op, OpAdaptor adaptor,
                            ConversionPatternRewriter &rewriter,
                            RankedTensorType resultType) const override {
    if (!isInFusionGroup(op, FusionKind::attention))
      return rewriter.notifyMatchFailure(op, "not in an attention group");
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    Value query = adaptor.getQuery(), key = adaptor.getKey(),
          value = adaptor.getValue(), mask = adaptor.getMask();
    auto queryType = cast<RankedTensorType>(query.getType());
    Type elem = resultType.getElementType();
    int64_t rank = resultType.getRank(), batch = rank - 2;
    int64_t keys = cast<RankedTensorType>(key.getType()).getDimSize(batch);
    int64_t block = getKeyBlock(keys, maxKeyBlock);
    double scale = getScale(op, queryType);
    bool causal = op.getCausal();

    llvm::SmallVector<int64_t> rowShape(resultType.getShape().drop_back());
    auto rowType = RankedTensorType::get(rowShape, elem);
    llvm::SmallVector<int64_t> tileShape(rowShape);
    tileShape.push_back(block);
    auto tileType = RankedTensorType::get(tileShape, elem);
    TypedAttr negInf =
        rewriter.getFloatAttr(elem, -std::numeric_limits<double>::infinity());
    TypedAttr zero = rewriter.getFloatAttr(elem, 0.0);
    AffineMap tileMap = rewriter.getMultiDimIdentityMap(rank);
    AffineMap rowOfTile = getDroppingMap(ctx, rank, {rank - 1});
    auto isNegInf = [&](OpBuilder &b, Location l, Value x) -> Value {
      Value c = arith::ConstantOp::create(b, l, negInf);
      return arith::CmpFOp::create(b, l, arith::CmpFPredicate::OEQ, x, c);
    };

    // The keys transposed once, [..., D, Tk], so each block's product with
    // the queries walks them contiguously.
    auto keyType = cast<RankedTensorType>(key.getType());
    llvm::SmallVector<int64_t> perm =
        llvm::to_vector(llvm::seq<int64_t>(0, rank));
    std::swap(perm[rank - 1], perm[rank - 2]);
    llvm::SmallVector<int64_t> keyTShape(keyType.getShape());
    std::swap(keyTShape[rank - 1], keyTShape[rank - 2]);
    Value keyT =
        linalg::TransposeOp::create(
            rewriter, loc, key,
            tensor::EmptyOp::create(rewriter, loc, keyTShape, elem), perm)
            .getResult()[0];

    Value start = arith::ConstantIndexOp::create(rewriter, loc, 0);
    Value end = arith::ConstantIndexOp::create(rewriter, loc, keys);
    Value step = arith::ConstantIndexOp::create(rewriter, loc, block);
    llvm::SmallVector<Value> inits = {
        buildFilled(rewriter, loc, rowType, negInf),
        buildFilled(rewriter, loc, rowType, zero),
        buildFilled(rewriter, loc, resultType, zero)};
    auto loop = scf::ForOp::create(
        rewriter, loc, start, end, step, inits,
        [&](OpBuilder &b, Location l, Value j, ValueRange state) {
          Value maxSoFar = state[0], sum = state[1], acc = state[2];
          // The block's scores, scaled and masked.
          Value keysJ = sliceAxis(b, l, keyT, j, block, rank - 1);
          Value valuesJ = sliceAxis(b, l, value, j, block, batch);
          Value scores = buildBatchedContraction(
              b, l, query, keysJ, buildFilled(b, l, tileType, zero));
          llvm::SmallVector<Value> inputs = {scores};
          llvm::SmallVector<AffineMap> maps = {tileMap};
          if (mask) {
            auto maskType = cast<RankedTensorType>(mask.getType());
            Value maskJ = mask;
            if (maskType.getShape().back() != 1 && block != keys)
              maskJ = sliceAxis(b, l, mask, j, block, maskType.getRank() - 1);
            inputs.push_back(maskJ);
            maps.push_back(getBroadcastMap(
                cast<RankedTensorType>(maskJ.getType()), tileType));
          }
          Value masked = buildParallelGeneric(
              b, l, tileType, inputs, maps,
              [&](OpBuilder &nb, Location nl, ValueRange x) -> Value {
                if (!causal)
                  return buildMaskedScore(nb, nl, x, scale, Value(), Value());
                Value col = arith::AddIOp::create(
                    nb, nl, j, linalg::IndexOp::create(nb, nl, rank - 1));
                return buildMaskedScore(nb, nl, x, scale,
                                        linalg::IndexOp::create(nb, nl, batch),
                                        col);
              });
          // The new maximum, and the factor that rescales what was summed
          // under the old one (1 while every score seen is -inf). The
          // carried values are updated in place, as scf.for's bufferization
          // wants.
          Value blockMax = buildReduction(
              b, l, masked, {rank - 1}, negInf,
              [](OpBuilder &nb, Location nl, Value acc, Value x) -> Value {
                return arith::MaximumFOp::create(nb, nl, acc, x);
              });
          AffineMap rowIdentity = b.getMultiDimIdentityMap(rank - 1);
          auto stats = linalg::GenericOp::create(
              b, l, TypeRange{rowType, rowType}, ValueRange{blockMax},
              ValueRange{maxSoFar,
                         tensor::EmptyOp::create(b, l, rowShape, elem)},
              llvm::SmallVector<AffineMap>(3, rowIdentity),
              llvm::SmallVector<utils::IteratorType>(
                  rank - 1, utils::IteratorType::parallel),
              [&](OpBuilder &nb, Location nl, ValueRange x) {
                Value newMax = arith::MaximumFOp::create(nb, nl, x[1], x[0]);
                Value factor = math::ExpOp::create(
                    nb, nl, arith::SubFOp::create(nb, nl, x[1], newMax));
                Value one =
                    arith::ConstantOp::create(nb, nl, nb.getFloatAttr(elem, 1));
                factor = arith::SelectOp::create(
                    nb, nl, isNegInf(nb, nl, newMax), one, factor);
                linalg::YieldOp::create(nb, nl, ValueRange{newMax, factor});
              });
          Value newMax = stats.getResult(0), factor = stats.getResult(1);
          // exp(score - max), 0 for a hidden score.
          Value probs = buildParallelGeneric(
              b, l, tileType, {masked, newMax}, {tileMap, rowOfTile},
              [&](OpBuilder &nb, Location nl, ValueRange x) -> Value {
                Value p = math::ExpOp::create(
                    nb, nl, arith::SubFOp::create(nb, nl, x[0], x[1]));
                Value zeroValue = arith::ConstantOp::create(nb, nl, zero);
                return arith::SelectOp::create(nb, nl, isNegInf(nb, nl, x[0]),
                                               zeroValue, p);
              });
          auto rescale = [&](Value stored, AffineMap factorMap) {
            auto type = cast<RankedTensorType>(stored.getType());
            return linalg::GenericOp::create(
                       b, l, type, factor, stored,
                       llvm::SmallVector<AffineMap>{
                           factorMap, b.getMultiDimIdentityMap(type.getRank())},
                       llvm::SmallVector<utils::IteratorType>(
                           type.getRank(), utils::IteratorType::parallel),
                       [](OpBuilder &nb, Location nl, ValueRange x) {
                         linalg::YieldOp::create(
                             nb, nl,
                             arith::MulFOp::create(nb, nl, x[1], x[0])
                                 .getResult());
                       })
                .getResult(0);
          };
          Value newSum = buildReductionInto(
              b, l, probs, {rank - 1}, rescale(sum, rowIdentity),
              [](OpBuilder &nb, Location nl, Value acc, Value x) -> Value {
                return arith::AddFOp::create(nb, nl, acc, x);
              });
          Value newAcc = buildBatchedContraction(b, l, probs, valuesJ,
                                                 rescale(acc, rowOfTile));
          scf::YieldOp::create(b, l, ValueRange{newMax, newSum, newAcc});
        });
    Value result = buildParallelGeneric(
        rewriter, loc, resultType, {loop.getResult(2), loop.getResult(1)},
        {tileMap, rowOfTile},
        [](OpBuilder &b, Location l, ValueRange x) -> Value {
          return arith::DivFOp::create(b, l, x[0], x[1]);
        });
    rewriter.replaceOp(op, result);
    return success();
  }

  int64_t maxKeyBlock;
};
} // namespace

void mlir::weft::populateAttentionToLinalgPatterns(RewritePatternSet &patterns,
                                                   int64_t maxKeyBlock) {
  patterns.add<AttentionLowering>(patterns.getContext());
  patterns.add<FlashAttentionLowering>(patterns.getContext(), maxKeyBlock);
}
