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
#include "weft/Runtime/ABI.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Transforms/DialectConversion.h"

using namespace mlir;
using namespace mlir::weft;

namespace {
Value zeroLike(OpBuilder &b, Location loc, Value x) {
  return arith::ConstantOp::create(b, loc, b.getZeroAttr(x.getType()));
}

bool isFloat(Value x) { return isa<FloatType>(x.getType()); }

/// Python's remainder of integers: it has the divisor's sign.
Value buildIntegerRem(OpBuilder &b, Location loc, Value x, Value y) {
  Value rem = arith::RemSIOp::create(b, loc, x, y);
  Value zero = zeroLike(b, loc, x);
  Value nonzero =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, rem, zero);
  Value remNegative =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, rem, zero);
  Value divisorNegative =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, y, zero);
  Value signsDiffer =
      arith::XOrIOp::create(b, loc, remNegative, divisorNegative);
  Value adjust = arith::AndIOp::create(b, loc, nonzero, signsDiffer);
  Value adjusted = arith::AddIOp::create(b, loc, rem, y);
  return arith::SelectOp::create(b, loc, adjust, adjusted, rem);
}

/// The scalar computation of each elementwise op.
template <typename Op>
Value buildScalar(OpBuilder &b, Location loc, ValueRange x);

template <> Value buildScalar<NegOp>(OpBuilder &b, Location loc, ValueRange x) {
  if (isFloat(x[0]))
    return arith::NegFOp::create(b, loc, x[0]);
  return arith::SubIOp::create(b, loc, zeroLike(b, loc, x[0]), x[0]);
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
template <> Value buildScalar<ErfOp>(OpBuilder &b, Location loc, ValueRange x) {
  return math::ErfOp::create(b, loc, x[0]);
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
  if (isFloat(x[0]))
    return arith::AddFOp::create(b, loc, x[0], x[1]);
  return arith::AddIOp::create(b, loc, x[0], x[1]);
}
template <> Value buildScalar<SubOp>(OpBuilder &b, Location loc, ValueRange x) {
  if (isFloat(x[0]))
    return arith::SubFOp::create(b, loc, x[0], x[1]);
  return arith::SubIOp::create(b, loc, x[0], x[1]);
}
template <> Value buildScalar<MulOp>(OpBuilder &b, Location loc, ValueRange x) {
  if (isFloat(x[0]))
    return arith::MulFOp::create(b, loc, x[0], x[1]);
  return arith::MulIOp::create(b, loc, x[0], x[1]);
}
template <>
Value buildScalar<FloorDivOp>(OpBuilder &b, Location loc, ValueRange x) {
  if (!isFloat(x[0]))
    return arith::FloorDivSIOp::create(b, loc, x[0], x[1]);
  return math::FloorOp::create(b, loc,
                               arith::DivFOp::create(b, loc, x[0], x[1]));
}
template <> Value buildScalar<RemOp>(OpBuilder &b, Location loc, ValueRange x) {
  if (!isFloat(x[0]))
    return buildIntegerRem(b, loc, x[0], x[1]);
  Value quotient = buildScalar<FloorDivOp>(b, loc, x);
  return arith::SubFOp::create(b, loc, x[0],
                               arith::MulFOp::create(b, loc, quotient, x[1]));
}
template <>
Value buildScalar<WhereOp>(OpBuilder &b, Location loc, ValueRange x) {
  return arith::SelectOp::create(b, loc, x[0], x[1], x[2]);
}
template <> Value buildScalar<DivOp>(OpBuilder &b, Location loc, ValueRange x) {
  return arith::DivFOp::create(b, loc, x[0], x[1]);
}
template <> Value buildScalar<PowOp>(OpBuilder &b, Location loc, ValueRange x) {
  return math::PowFOp::create(b, loc, x[0], x[1]);
}
template <>
Value buildScalar<MaximumOp>(OpBuilder &b, Location loc, ValueRange x) {
  if (isFloat(x[0]))
    return arith::MaximumFOp::create(b, loc, x[0], x[1]);
  return arith::MaxSIOp::create(b, loc, x[0], x[1]);
}
template <>
Value buildScalar<MinimumOp>(OpBuilder &b, Location loc, ValueRange x) {
  if (isFloat(x[0]))
    return arith::MinimumFOp::create(b, loc, x[0], x[1]);
  return arith::MinSIOp::create(b, loc, x[0], x[1]);
}
/// An explicit broadcast copies its operand; the map does the stretching.
template <>
Value buildScalar<BroadcastOp>(OpBuilder &, Location, ValueRange x) {
  return x[0];
}

template <typename Op>
struct ElementwiseLowering : public StaticShapeLowering<Op> {
  using StaticShapeLowering<Op>::StaticShapeLowering;

  LogicalResult lowerStatic(Op op, typename Op::Adaptor adaptor,
                            ConversionPatternRewriter &rewriter,
                            RankedTensorType resultType) const override {
    Value result = buildElementwise(rewriter, op.getLoc(), resultType,
                                    adaptor.getOperands(), buildScalar<Op>);
    rewriter.replaceOp(op, result);
    return success();
  }
};

/// `//` and `%`. On integers a zero divisor fails the op's check site and
/// divides by 1 instead, and -1 divides by negation, which wraps at the most
/// negative integer as PyTorch's does where the machine's division traps.
template <typename Op>
struct DivisionLowering : public StaticShapeLowering<Op> {
  using StaticShapeLowering<Op>::StaticShapeLowering;

  LogicalResult lowerStatic(Op op, typename Op::Adaptor adaptor,
                            ConversionPatternRewriter &rewriter,
                            RankedTensorType resultType) const override {
    auto site = op->template getAttrOfType<IntegerAttr>(kIndexSiteAttrName);
    auto body = [&](OpBuilder &b, Location loc, ValueRange x) -> Value {
      if (isFloat(x[0]))
        return buildScalar<Op>(b, loc, x);
      Type type = x[1].getType();
      auto constant = [&](int64_t v) -> Value {
        return arith::ConstantOp::create(b, loc, b.getIntegerAttr(type, v));
      };
      auto equals = [&](Value v, int64_t c) -> Value {
        return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, v,
                                     constant(c));
      };
      Value isZero = equals(x[1], 0), isMinusOne = equals(x[1], -1);
      if (site) {
        Value none = arith::ConstantOp::create(b, loc, b.getI64IntegerAttr(0));
        buildCheckFailure(b, loc, isZero, site, none, none);
      }
      Value divisor = arith::SelectOp::create(
          b, loc, arith::OrIOp::create(b, loc, isZero, isMinusOne), constant(1),
          x[1]);
      Value result = buildScalar<Op>(b, loc, ValueRange{x[0], divisor});
      if (!std::is_same_v<Op, FloorDivOp>)
        return result; // x % 1 is x % -1, 0.
      Value negated = arith::SubIOp::create(b, loc, constant(0), x[0]);
      return arith::SelectOp::create(b, loc, isMinusOne, negated, result);
    };
    rewriter.replaceOp(op, buildElementwise(rewriter, op.getLoc(), resultType,
                                            adaptor.getOperands(), body));
    return success();
  }
};

struct CompareLowering : public StaticShapeLowering<CompareOp> {
  using StaticShapeLowering::StaticShapeLowering;

  LogicalResult lowerStatic(CompareOp op, OpAdaptor adaptor,
                            ConversionPatternRewriter &rewriter,
                            RankedTensorType resultType) const override {
    ComparePredicate predicate = op.getPredicate();
    auto body = [&](OpBuilder &b, Location loc, ValueRange x) -> Value {
      if (isFloat(x[0])) {
        // Ordered predicates, except `!=`, which holds for NaN.
        arith::CmpFPredicate p = arith::CmpFPredicate::OEQ;
        switch (predicate) {
        case ComparePredicate::eq:
          p = arith::CmpFPredicate::OEQ;
          break;
        case ComparePredicate::ne:
          p = arith::CmpFPredicate::UNE;
          break;
        case ComparePredicate::lt:
          p = arith::CmpFPredicate::OLT;
          break;
        case ComparePredicate::le:
          p = arith::CmpFPredicate::OLE;
          break;
        case ComparePredicate::gt:
          p = arith::CmpFPredicate::OGT;
          break;
        case ComparePredicate::ge:
          p = arith::CmpFPredicate::OGE;
          break;
        }
        return arith::CmpFOp::create(b, loc, p, x[0], x[1]);
      }
      arith::CmpIPredicate p = arith::CmpIPredicate::eq;
      switch (predicate) {
      case ComparePredicate::eq:
        p = arith::CmpIPredicate::eq;
        break;
      case ComparePredicate::ne:
        p = arith::CmpIPredicate::ne;
        break;
      case ComparePredicate::lt:
        p = arith::CmpIPredicate::slt;
        break;
      case ComparePredicate::le:
        p = arith::CmpIPredicate::sle;
        break;
      case ComparePredicate::gt:
        p = arith::CmpIPredicate::sgt;
        break;
      case ComparePredicate::ge:
        p = arith::CmpIPredicate::sge;
        break;
      }
      return arith::CmpIOp::create(b, loc, p, x[0], x[1]);
    };
    rewriter.replaceOp(op, buildElementwise(rewriter, op.getLoc(), resultType,
                                            adaptor.getOperands(), body));
    return success();
  }
};

/// The scalar conversion between two element types, as `tensor.to(dtype)`.
Value buildConversion(OpBuilder &b, Location loc, Value x, Type to) {
  Type from = x.getType();
  if (from == to)
    return x;
  auto fromInt = dyn_cast<IntegerType>(from);
  auto toInt = dyn_cast<IntegerType>(to);
  // Booleans are unsigned (true is 1); other integers are signed.
  bool fromBool = fromInt && fromInt.getWidth() == 1;
  if (fromInt && toInt) {
    if (fromInt.getWidth() > toInt.getWidth())
      return arith::TruncIOp::create(b, loc, to, x);
    if (fromBool)
      return arith::ExtUIOp::create(b, loc, to, x);
    return arith::ExtSIOp::create(b, loc, to, x);
  }
  if (fromInt)
    return fromBool ? Value(arith::UIToFPOp::create(b, loc, to, x))
                    : Value(arith::SIToFPOp::create(b, loc, to, x));
  if (toInt)
    return arith::FPToSIOp::create(b, loc, to, x);
  if (from.getIntOrFloatBitWidth() < to.getIntOrFloatBitWidth())
    return arith::ExtFOp::create(b, loc, to, x);
  return arith::TruncFOp::create(b, loc, to, x);
}

struct ConvertLowering : public StaticShapeLowering<ConvertOp> {
  using StaticShapeLowering::StaticShapeLowering;

  LogicalResult lowerStatic(ConvertOp op, OpAdaptor adaptor,
                            ConversionPatternRewriter &rewriter,
                            RankedTensorType resultType) const override {
    Type to = resultType.getElementType();
    auto body = [&](OpBuilder &b, Location loc, ValueRange x) {
      return buildConversion(b, loc, x[0], to);
    };
    rewriter.replaceOp(op, buildElementwise(rewriter, op.getLoc(), resultType,
                                            adaptor.getOperands(), body));
    return success();
  }
};
} // namespace

void mlir::weft::populateElementwiseToLinalgPatterns(
    RewritePatternSet &patterns) {
  patterns
      .add<ElementwiseLowering<NegOp>, ElementwiseLowering<ReluOp>,
           ElementwiseLowering<SigmoidOp>, ElementwiseLowering<TanhOp>,
           ElementwiseLowering<ExpOp>, ElementwiseLowering<LogOp>,
           ElementwiseLowering<SqrtOp>, ElementwiseLowering<SinOp>,
           ElementwiseLowering<CosOp>, ElementwiseLowering<GeluOp>,
           ElementwiseLowering<ErfOp>, ElementwiseLowering<SiluOp>,
           ElementwiseLowering<AddOp>, ElementwiseLowering<SubOp>,
           ElementwiseLowering<MulOp>, ElementwiseLowering<DivOp>,
           DivisionLowering<FloorDivOp>, DivisionLowering<RemOp>,
           ElementwiseLowering<PowOp>, ElementwiseLowering<MaximumOp>,
           ElementwiseLowering<MinimumOp>, ElementwiseLowering<WhereOp>,
           ElementwiseLowering<BroadcastOp>, CompareLowering, ConvertLowering>(
          patterns.getContext());
}
