//===- WeftBuilder.h - Weft ops by their formulas ---------------*- C++ -*-===//
//
// The vocabulary the gradient rules (DifferentiableOpInterface) and the
// decompositions (the losses) are written in: weft ops with inferred types,
// built at one place, so that a rule reads as its formula
// (`d.mul(g, d.sub(d.constant(1, y), d.mul(y, y)))`).
//
//===----------------------------------------------------------------------===//

#ifndef WEFT_DIALECT_WEFT_IR_WEFTBUILDER_H
#define WEFT_DIALECT_WEFT_IR_WEFTBUILDER_H

#include "weft/Dialect/Weft/IR/WeftOps.h"

#include "mlir/IR/Builders.h"

namespace mlir::weft {

class WeftBuilder {
public:
  WeftBuilder(OpBuilder &b, Location loc) : b(b), loc(loc) {}

  /// A rank-0 constant of `like`'s element type (a float or an integer).
  Value constant(double value, Value like);
  Value zerosLike(Value like);
  /// A constant `[rows, columns]` of `like`'s element type, row-major.
  Value constantMatrix(llvm::ArrayRef<double> values, int64_t rows,
                       int64_t columns, Value like);

  /// An op of `Op` on `operands`, its type inferred.
  template <typename Op, typename... Operands> Value create(Operands... x) {
    return Op::create(b, loc, x...);
  }
  Value add(Value x, Value y) { return create<AddOp>(x, y); }
  Value sub(Value x, Value y) { return create<SubOp>(x, y); }
  Value mul(Value x, Value y) { return create<MulOp>(x, y); }
  Value div(Value x, Value y) { return create<DivOp>(x, y); }
  Value pow(Value x, Value y) { return create<PowOp>(x, y); }
  Value floorDiv(Value x, Value y) { return create<FloorDivOp>(x, y); }
  Value neg(Value x) { return create<NegOp>(x); }
  Value exp(Value x) { return create<ExpOp>(x); }
  Value log(Value x) { return create<LogOp>(x); }
  Value sin(Value x) { return create<SinOp>(x); }
  Value cos(Value x) { return create<CosOp>(x); }
  Value erf(Value x) { return create<ErfOp>(x); }
  Value sigmoid(Value x) { return create<SigmoidOp>(x); }
  Value maximum(Value x, Value y) { return create<MaximumOp>(x, y); }
  Value compare(ComparePredicate predicate, Value x, Value y);
  Value where(Value condition, Value x, Value y);
  /// Train-mode dropout's factor per element of `like`'s shape: 1 / (1 - p)
  /// where the uniform number drawn at (`seed`, `key`) is at least `p`,
  /// else 0.
  Value dropoutScale(Value like, double p, Value seed, int64_t key);
  /// 1 where `x predicate y` holds, 0.5 where `x == y`, else 0: the share
  /// of the gradient `maximum` (`gt`) or `minimum` (`lt`) gives `x`.
  Value tieShare(ComparePredicate predicate, Value x, Value y);
  /// `x` converted to `elementType`.
  Value convert(Value x, Type elementType);

  Value sum(Value x, llvm::ArrayRef<int64_t> axes, bool keepdim);
  /// The sum and the mean of every element: scalars.
  Value sumAll(Value x);
  Value meanAll(Value x);
  Value mean(Value x, llvm::ArrayRef<int64_t> axes, bool keepdim);
  Value logSoftmax(Value x, int64_t axis);
  Value softmax(Value x, int64_t axis);
  Value sqrt(Value x) { return create<SqrtOp>(x); }
  /// Indices `start` to `end` of `x` along `axis`; with `drop`, one index
  /// and the axis removed.
  Value slice(Value x, int64_t axis, int64_t start, int64_t end,
              bool drop = false);
  /// `x` `[A, B, H, W]` cropped to `[A, B, h, w]` (its first rows and
  /// columns).
  Value cropSpatial(Value x, int64_t h, int64_t w);
  Value concat(ValueRange values, int64_t axis);
  Value selectScatter(Value x, Value value, int64_t axis, int64_t index);
  Value cumsum(Value x, int64_t axis);
  Value cumprod(Value x, int64_t axis);
  /// conv2d and conv_transpose2d without bias, one group.
  Value conv2d(Value x, Value weight, llvm::ArrayRef<int64_t> stride,
               llvm::ArrayRef<int64_t> padding,
               llvm::ArrayRef<int64_t> dilation);
  Value convTranspose2d(Value x, Value weight, llvm::ArrayRef<int64_t> stride,
                        llvm::ArrayRef<int64_t> padding,
                        llvm::ArrayRef<int64_t> outputPadding,
                        llvm::ArrayRef<int64_t> dilation);
  Value reshape(Value x, llvm::ArrayRef<int64_t> shape);
  Value broadcast(Value x, llvm::ArrayRef<int64_t> shape);
  Value transpose(Value x, llvm::ArrayRef<int64_t> permutation);
  Value matmul(Value x, Value y);
  Value gather(Value x, int64_t axis, Value index);
  Value scatterAdd(Value input, int64_t axis, Value index, Value src);
  /// `x` with its last two axes swapped.
  Value transposeLastTwo(Value x);

  /// `g`, the gradient of a result that `operand` was broadcast into,
  /// summed over the broadcast axes back to `operand`'s shape.
  Value unbroadcast(Value g, Value operand);
  /// `g`, of a reduction's result type (reduced `axes` dropped unless
  /// `keepdim`), stretched back over the axes to `input`'s shape.
  Value expandReduced(Value g, Value input, llvm::ArrayRef<int64_t> axes,
                      bool keepdim);

  OpBuilder &builder() { return b; }
  Location location() const { return loc; }

private:
  OpBuilder &b;
  Location loc;
};

/// The static shape of `value`'s ranked tensor type, and its element type.
llvm::ArrayRef<int64_t> shapeOf(Value value);
Type elementTypeOf(Value value);

/// `tensor`'s axis `axis`, counted from 0 when it counts from the end (the
/// op's verifier checked the range).
int64_t normalizedAxis(Value tensor, int64_t axis);

} // namespace mlir::weft

#endif // WEFT_DIALECT_WEFT_IR_WEFTBUILDER_H
