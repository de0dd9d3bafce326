//===- ElementwiseToLinalg.cpp - Elementwise weft ops to linalg -----------===//
//
// Unary and binary elementwise ops and explicit broadcasts become one
// `linalg.generic` each, reading broadcast operands through indexing maps so
// no stretched copy is ever materialized.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "weft/Conversion/WeftToLinalg/WeftToLinalg.h"
#include "weft/Dialect/Weft/IR/WeftOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace mlir::weft;

namespace {
Value zeroLike(OpBuilder &b, Location loc, Value x) {
  return arith::ConstantOp::create(b, loc, b.getFloatAttr(x.getType(), 0.0));
}

/// The scalar computation of each elementwise op.
template <typename Op>
Value buildScalar(OpBuilder &b, Location loc, ValueRange x);

template <> Value buildScalar<NegOp>(OpBuilder &b, Location loc, ValueRange x) {
  return arith::NegFOp::create(b, loc, x[0]);
}
template <>
Value buildScalar<ReluOp>(OpBuilder &b, Location loc, ValueRange x) {
  return arith::MaximumFOp::create(b, loc, x[0], zeroLike(b, loc, x[0]));
}
template <>
Value buildScalar<SigmoidOp>(OpBuilder &b, Location loc, ValueRange x) {
  Value one =
      arith::ConstantOp::create(b, loc, b.getFloatAttr(x[0].getType(), 1.0));
  Value negExp =
      math::ExpOp::create(b, loc, arith::NegFOp::create(b, loc, x[0]));
  return arith::DivFOp::create(b, loc, one,
                               arith::AddFOp::create(b, loc, one, negExp));
}
template <>
Value buildScalar<TanhOp>(OpBuilder &b, Location loc, ValueRange x) {
  return math::TanhOp::create(b, loc, x[0]);
}
template <> Value buildScalar<ExpOp>(OpBuilder &b, Location loc, ValueRange x) {
  return math::ExpOp::create(b, loc, x[0]);
}
template <> Value buildScalar<LogOp>(OpBuilder &b, Location loc, ValueRange x) {
  return math::LogOp::create(b, loc, x[0]);
}
template <>
Value buildScalar<SqrtOp>(OpBuilder &b, Location loc, ValueRange x) {
  return math::SqrtOp::create(b, loc, x[0]);
}
template <> Value buildScalar<SinOp>(OpBuilder &b, Location loc, ValueRange x) {
  return math::SinOp::create(b, loc, x[0]);
}
template <> Value buildScalar<CosOp>(OpBuilder &b, Location loc, ValueRange x) {
  return math::CosOp::create(b, loc, x[0]);
}
template <>
Value buildScalar<GeluOp>(OpBuilder &b, Location loc, ValueRange x) {
  Type type = x[0].getType();
  auto constant = [&](double v) {
    return arith::ConstantOp::create(b, loc, b.getFloatAttr(type, v));
  };
  Value scaled = arith::MulFOp::create(b, loc, x[0], constant(M_SQRT1_2));
  Value cdf = arith::AddFOp::create(b, loc, constant(1.0),
                                    math::ErfOp::create(b, loc, scaled));
  Value half = arith::MulFOp::create(b, loc, x[0], constant(0.5));
  return arith::MulFOp::create(b, loc, half, cdf);
}
template <>
Value buildScalar<SiluOp>(OpBuilder &b, Location loc, ValueRange x) {
  return arith::MulFOp::create(b, loc, x[0], buildScalar<SigmoidOp>(b, loc, x));
}
template <> Value buildScalar<AddOp>(OpBuilder &b, Location loc, ValueRange x) {
  return arith::AddFOp::create(b, loc, x[0], x[1]);
}
template <> Value buildScalar<SubOp>(OpBuilder &b, Location loc, ValueRange x) {
  return arith::SubFOp::create(b, loc, x[0], x[1]);
}
template <> Value buildScalar<MulOp>(OpBuilder &b, Location loc, ValueRange x) {
  return arith::MulFOp::create(b, loc, x[0], x[1]);
}
template <> Value buildScalar<DivOp>(OpBuilder &b, Location loc, ValueRange x) {
  return arith::DivFOp::create(b, loc, x[0], x[1]);
}
template <> Value buildScalar<PowOp>(OpBuilder &b, Location loc, ValueRange x) {
  return math::PowFOp::create(b, loc, x[0], x[1]);
}
template <>
Value buildScalar<MaximumOp>(OpBuilder &b, Location loc, ValueRange x) {
  return arith::MaximumFOp::create(b, loc, x[0], x[1]);
}
template <>
Value buildScalar<MinimumOp>(OpBuilder &b, Location loc, ValueRange x) {
  return arith::MinimumFOp::create(b, loc, x[0], x[1]);
}
/// An explicit broadcast copies its operand; the map does the stretching.
template <>
Value buildScalar<BroadcastOp>(OpBuilder &, Location, ValueRange x) {
  return x[0];
}

template <typename Op>
struct ElementwiseLowering : public OpConversionPattern<Op> {
  using OpConversionPattern<Op>::OpConversionPattern;

  LogicalResult
  matchAndRewrite(Op op, typename Op::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType resultType = getStaticResultType(op);
    if (!resultType)
      return rewriter.notifyMatchFailure(op, "result shape is not static");
    Value result = buildElementwise(rewriter, op.getLoc(), resultType,
                                    adaptor.getOperands(), buildScalar<Op>);
    rewriter.replaceOp(op, result);
    return success();
  }
};
} // namespace

void mlir::weft::populateElementwiseToLinalgPatterns(
    RewritePatternSet &patterns) {
  patterns.add<ElementwiseLowering<NegOp>, ElementwiseLowering<ReluOp>,
               ElementwiseLowering<SigmoidOp>, ElementwiseLowering<TanhOp>,
               ElementwiseLowering<ExpOp>, ElementwiseLowering<LogOp>,
               ElementwiseLowering<SqrtOp>, ElementwiseLowering<SinOp>,
               ElementwiseLowering<CosOp>, ElementwiseLowering<GeluOp>,
               ElementwiseLowering<SiluOp>, ElementwiseLowering<AddOp>,
               ElementwiseLowering<SubOp>, ElementwiseLowering<MulOp>,
               ElementwiseLowering<DivOp>, ElementwiseLowering<PowOp>,
               ElementwiseLowering<MaximumOp>, ElementwiseLowering<MinimumOp>,
               ElementwiseLowering<BroadcastOp>>(patterns.getContext());
}
