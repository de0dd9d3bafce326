//===- WeftBuilder.cpp - Weft ops by their formulas -----------------------===//

#include "weft/Dialect/Weft/IR/WeftBuilder.h"

using namespace mlir;
using namespace mlir::weft;

llvm::ArrayRef<int64_t> mlir::weft::shapeOf(Value value) {
  return cast<RankedTensorType>(value.getType()).getShape();
}

int64_t mlir::weft::normalizedAxis(Value tensor, int64_t axis) {
  auto type = cast<RankedTensorType>(tensor.getType());
  return (*normalizeAxes({axis}, type.getRank()))[0];
}

Type mlir::weft::elementTypeOf(Value value) {
  return cast<TensorType>(value.getType()).getElementType();
}

Value WeftBuilder::constant(double value, Value like) {
  Type elem = elementTypeOf(like);
  auto type = RankedTensorType::get({}, elem);
  Attribute scalar =
      isa<FloatType>(elem)
          ? Attribute(b.getFloatAttr(elem, value))
          : Attribute(b.getIntegerAttr(elem, static_cast<int64_t>(value)));
  return ConstantOp::create(b, loc, DenseElementsAttr::get(type, scalar));
}

Value WeftBuilder::constantMatrix(llvm::ArrayRef<double> values, int64_t rows,
                                  int64_t columns, Value like) {
  Type elem = elementTypeOf(like);
  auto type = RankedTensorType::get({rows, columns}, elem);
  llvm::SmallVector<Attribute> elements;
  for (double value : values)
    elements.push_back(b.getFloatAttr(elem, value));
  return ConstantOp::create(b, loc, DenseElementsAttr::get(type, elements));
}

Value WeftBuilder::zerosLike(Value like) {
  return broadcast(constant(0.0, like), shapeOf(like));
}

Value WeftBuilder::compare(ComparePredicate predicate, Value x, Value y) {
  return CompareOp::create(b, loc, predicate, x, y);
}
Value WeftBuilder::where(Value condition, Value x, Value y) {
  return WhereOp::create(b, loc, condition, x, y);
}
Value WeftBuilder::dropoutScale(Value like, double p, Value seed, int64_t key) {
  if (p >= 1)
    return zerosLike(like);
  Value uniform =
      RandomOp::create(b, loc, like.getType(), Distribution::uniform,
                       IntegerAttr(), static_cast<uint64_t>(key), seed);
  Value keep = compare(ComparePredicate::ge, uniform, constant(p, like));
  return where(keep, constant(1.0 / (1.0 - p), like), constant(0, like));
}

Value WeftBuilder::tieShare(ComparePredicate predicate, Value x, Value y) {
  Value tie = where(compare(ComparePredicate::eq, x, y), constant(0.5, x),
                    constant(0, x));
  return where(compare(predicate, x, y), constant(1, x), tie);
}
Value WeftBuilder::convert(Value x, Type elementType) {
  auto type = cast<RankedTensorType>(x.getType());
  return ConvertOp::create(b, loc, type.clone(elementType), x);
}

Value WeftBuilder::sum(Value x, llvm::ArrayRef<int64_t> axes, bool keepdim) {
  if (axes.empty())
    return x;
  return SumOp::create(b, loc, x, b.getDenseI64ArrayAttr(axes),
                       keepdim ? b.getUnitAttr() : UnitAttr());
}
Value WeftBuilder::sumAll(Value x) {
  return sum(x, llvm::to_vector(llvm::seq<int64_t>(0, shapeOf(x).size())),
             /*keepdim=*/false);
}
Value WeftBuilder::meanAll(Value x) {
  if (shapeOf(x).empty())
    return x;
  return MeanOp::create(b, loc, x,
                        b.getDenseI64ArrayAttr(llvm::to_vector(
                            llvm::seq<int64_t>(0, shapeOf(x).size()))),
                        UnitAttr());
}
Value WeftBuilder::mean(Value x, llvm::ArrayRef<int64_t> axes, bool keepdim) {
  return MeanOp::create(b, loc, x, b.getDenseI64ArrayAttr(axes),
                        keepdim ? b.getUnitAttr() : UnitAttr());
}
Value WeftBuilder::slice(Value x, int64_t axis, int64_t start, int64_t end,
                         bool drop) {
  return SliceOp::create(b, loc, x, b.getI64IntegerAttr(axis),
                         b.getI64IntegerAttr(start), b.getI64IntegerAttr(end),
                         drop ? b.getUnitAttr() : UnitAttr());
}
Value WeftBuilder::cropSpatial(Value x, int64_t h, int64_t w) {
  llvm::ArrayRef<int64_t> shape = shapeOf(x);
  if (shape[2] != h)
    x = slice(x, 2, 0, h);
  if (shape[3] != w)
    x = slice(x, 3, 0, w);
  return x;
}
Value WeftBuilder::concat(ValueRange values, int64_t axis) {
  if (values.size() == 1)
    return values.front();
  return ConcatOp::create(b, loc, values, b.getI64IntegerAttr(axis));
}
Value WeftBuilder::selectScatter(Value x, Value value, int64_t axis,
                                 int64_t index) {
  return SelectScatterOp::create(b, loc, x, value, b.getI64IntegerAttr(axis),
                                 b.getI64IntegerAttr(index));
}
Value WeftBuilder::cumsum(Value x, int64_t axis) {
  return CumsumOp::create(b, loc, x, b.getI64IntegerAttr(axis));
}
Value WeftBuilder::cumprod(Value x, int64_t axis) {
  return CumprodOp::create(b, loc, x, b.getI64IntegerAttr(axis));
}
Value WeftBuilder::conv2d(Value x, Value weight, llvm::ArrayRef<int64_t> stride,
                          llvm::ArrayRef<int64_t> padding,
                          llvm::ArrayRef<int64_t> dilation) {
  return Conv2dOp::create(
      b, loc, x, weight, Value(), b.getDenseI64ArrayAttr(stride),
      b.getDenseI64ArrayAttr(padding), b.getDenseI64ArrayAttr(dilation),
      b.getI64IntegerAttr(1));
}
Value WeftBuilder::convTranspose2d(Value x, Value weight,
                                   llvm::ArrayRef<int64_t> stride,
                                   llvm::ArrayRef<int64_t> padding,
                                   llvm::ArrayRef<int64_t> outputPadding,
                                   llvm::ArrayRef<int64_t> dilation) {
  return ConvTranspose2dOp::create(
      b, loc, x, weight, Value(), b.getDenseI64ArrayAttr(stride),
      b.getDenseI64ArrayAttr(padding), b.getDenseI64ArrayAttr(outputPadding),
      b.getDenseI64ArrayAttr(dilation));
}
Value WeftBuilder::softmax(Value x, int64_t axis) {
  return SoftmaxOp::create(b, loc, x, b.getI64IntegerAttr(axis));
}
Value WeftBuilder::logSoftmax(Value x, int64_t axis) {
  return LogSoftmaxOp::create(b, loc, x, b.getI64IntegerAttr(axis));
}
Value WeftBuilder::reshape(Value x, llvm::ArrayRef<int64_t> shape) {
  if (shapeOf(x) == shape)
    return x;
  return ReshapeOp::create(b, loc, x, b.getDenseI64ArrayAttr(shape));
}
Value WeftBuilder::broadcast(Value x, llvm::ArrayRef<int64_t> shape) {
  if (shapeOf(x) == shape)
    return x;
  return BroadcastOp::create(b, loc, x, b.getDenseI64ArrayAttr(shape));
}
Value WeftBuilder::transpose(Value x, llvm::ArrayRef<int64_t> permutation) {
  return TransposeOp::create(b, loc, x, b.getDenseI64ArrayAttr(permutation));
}
Value WeftBuilder::matmul(Value x, Value y) {
  return MatmulOp::create(b, loc, x, y);
}
Value WeftBuilder::gather(Value x, int64_t axis, Value index) {
  return GatherOp::create(b, loc, x, b.getI64IntegerAttr(axis), index);
}
Value WeftBuilder::scatterAdd(Value input, int64_t axis, Value index,
                              Value src) {
  return ScatterAddOp::create(b, loc, input, b.getI64IntegerAttr(axis), index,
                              src);
}
Value WeftBuilder::transposeLastTwo(Value x) {
  int64_t rank = shapeOf(x).size();
  llvm::SmallVector<int64_t> permutation =
      llvm::to_vector(llvm::seq<int64_t>(0, rank));
  std::swap(permutation[rank - 1], permutation[rank - 2]);
  return transpose(x, permutation);
}

Value WeftBuilder::unbroadcast(Value g, Value operand) {
  llvm::ArrayRef<int64_t> to = shapeOf(operand);
  llvm::ArrayRef<int64_t> from = shapeOf(g);
  if (from == to)
    return g;
  // Leading axes the operand lacks, and axes it has with size 1 that the
  // result stretched.
  int64_t offset = from.size() - to.size();
  llvm::SmallVector<int64_t> axes =
      llvm::to_vector(llvm::seq<int64_t>(0, offset));
  for (auto [i, size] : llvm::enumerate(to))
    if (size == 1 && from[offset + i] != 1)
      axes.push_back(offset + i);
  return reshape(sum(g, axes, /*keepdim=*/false), to);
}

Value WeftBuilder::expandReduced(Value g, Value input,
                                 llvm::ArrayRef<int64_t> axes, bool keepdim) {
  llvm::SmallVector<int64_t> kept(shapeOf(input));
  for (int64_t axis : axes)
    kept[axis] = 1;
  // A scalar (every axis reduced) broadcasts as it is.
  Value value = keepdim || shapeOf(g).empty() ? g : reshape(g, kept);
  return broadcast(value, shapeOf(input));
}
