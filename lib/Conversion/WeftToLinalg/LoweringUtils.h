//===- LoweringUtils.h - Helpers shared by the weft lowerings ---*- C++ -*-===//

#ifndef LIB_CONVERSION_WEFTTOLINALG_LOWERINGUTILS_H
#define LIB_CONVERSION_WEFTTOLINALG_LOWERINGUTILS_H

#include "weft/Dialect/Weft/IR/WeftOps.h"

#include "mlir/IR/AffineMap.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/Transforms/DialectConversion.h"
#include "llvm/ADT/STLFunctionalExtras.h"

namespace mlir::weft {

/// Builds the scalar body of an elementwise computation from the operands'
/// elements.
using ScalarBuilder =
    llvm::function_ref<Value(OpBuilder &, Location, ValueRange)>;

/// Whether `op` is in a `weft.fused` group of `kind`, whose lowering then
/// takes the fused form.
bool isInFusionGroup(Operation *op, FusionKind kind);

/// The static result type of a weft op, or null (the lowering then fails:
/// shape inference has not run).
RankedTensorType getStaticResultType(Operation *op);

/// A lowering that needs its op's result shape static: it fails to match
/// before shape inference, and `lowerStatic` gets the static type.
template <typename Op>
struct StaticShapeLowering : public OpConversionPattern<Op> {
  using OpConversionPattern<Op>::OpConversionPattern;

  LogicalResult
  matchAndRewrite(Op op, typename Op::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const final {
    RankedTensorType resultType = getStaticResultType(op);
    if (!resultType)
      return rewriter.notifyMatchFailure(op, "result shape is not static");
    return lowerStatic(op, adaptor, rewriter, resultType);
  }

  virtual LogicalResult lowerStatic(Op op, typename Op::Adaptor adaptor,
                                    ConversionPatternRewriter &rewriter,
                                    RankedTensorType resultType) const = 0;
};

/// The indexing map reading `operand` at each index of `result` under NumPy
/// broadcasting: leading dimensions missing from the operand are dropped and
/// a size-1 dimension stretched to a larger size is read at index 0.
AffineMap getBroadcastMap(RankedTensorType operand, RankedTensorType result);

/// A parallel `linalg.generic` computing `body` over `inputs`, each read
/// through its map in `inputMaps`, into a new tensor of `resultType`.
Value buildParallelGeneric(OpBuilder &b, Location loc,
                           RankedTensorType resultType, ValueRange inputs,
                           llvm::ArrayRef<AffineMap> inputMaps,
                           ScalarBuilder body);

/// A `linalg.generic` computing `body` over `inputs`, broadcast to
/// `resultType` with NumPy rules.
Value buildElementwise(OpBuilder &b, Location loc, RankedTensorType resultType,
                       ValueRange inputs, ScalarBuilder body);

/// The map reading a rank-1 tensor at axis `axis` of an iteration space of
/// rank `rank`: how per-channel vectors meet `[N, C, ...]` tensors.
AffineMap getAxisMap(MLIRContext *ctx, int64_t rank, int64_t axis);

/// A tensor of `type` filled with `value`.
Value buildFilled(OpBuilder &b, Location loc, RankedTensorType type,
                  TypedAttr value);

/// Combines an accumulator with an element in a reduction.
using CombineBuilder =
    llvm::function_ref<Value(OpBuilder &, Location, Value acc, Value x)>;

/// Reduces `input` over `axes` (normalized, any order), starting from
/// `identity`: a `linalg.generic` whose result drops the reduced axes.
Value buildReduction(OpBuilder &b, Location loc, Value input,
                     llvm::ArrayRef<int64_t> axes, TypedAttr identity,
                     CombineBuilder combine);

/// Sums `term(x)` (`x` itself when no `term` is given) over `axes` of
/// `input` (normalized, any order). Blocked, so that the rounding error grows
/// with the logarithm of the count rather than with the count, as pairwise
/// summation's does: each stage sums at most `block` terms per output
/// element, over the trailing reduced axes whose sizes fit a block together,
/// or over blocks of the last reduced axis (padded with zeros when no
/// divisor of its size gives a block of at least a quarter of `block`); the
/// next stage sums the partial sums the same way.
Value buildSum(OpBuilder &b, Location loc, Value input,
               llvm::ArrayRef<int64_t> axes, int64_t block,
               ScalarBuilder term = {});

/// Reduces `input` over `axes` into `init`, which has the reduced shape and
/// holds the starting values.
Value buildReductionInto(OpBuilder &b, Location loc, Value input,
                         llvm::ArrayRef<int64_t> axes, Value init,
                         CombineBuilder combine);

/// The map from the iteration space of a tensor of rank `rank` to the same
/// tensor with `axes` dropped.
AffineMap getDroppingMap(MLIRContext *ctx, int64_t rank,
                         llvm::ArrayRef<int64_t> axes);

/// The accumulator of a convolution `[N, O, ...]`: the bias `[O]` broadcast
/// along the channel axis, or zeros when there is no bias.
Value buildChannelInit(OpBuilder &b, Location loc, RankedTensorType type,
                       Value bias);

/// The body of a contraction: `args[2] + args[0] * args[1]`, with the
/// fast-math flags `reassoc` and `contract`.
void buildMultiplyAccumulate(OpBuilder &b, Location loc, ValueRange args);

/// Where `failed` holds, calls the runtime's error function for check
/// `site` with the i64 values `index` and `size` (see weft/Runtime/ABI.h).
void buildCheckFailure(OpBuilder &b, Location loc, Value failed,
                       IntegerAttr site, Value index, Value size);

/// `index`, an i32 or i64 element, as an `index` clamped into [0, size).
/// With a check `site` (an op's `weft.index_site`), an index outside the
/// range first calls the runtime's error function.
Value buildCheckedIndex(OpBuilder &b, Location loc, Value index, int64_t size,
                        IntegerAttr site);

/// `value` with its elements laid out in the static shape of `type`.
Value buildReshape(OpBuilder &b, Location loc, Value value,
                   RankedTensorType type);

} // namespace mlir::weft

#endif // LIB_CONVERSION_WEFTTOLINALG_LOWERINGUTILS_H
