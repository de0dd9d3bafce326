//===- Shape.cpp - Interpreting ops that move elements --------------------===//
//
// Constants (linspace) and the ops that move, keep or drop elements: casts,
// reshapes, transposes, slices, joins, select_scatter, upsampling, triu and
// tril, and dropout (the identity at inference).
//
//===----------------------------------------------------------------------===//

#include "Interpreter.h"

using namespace mlir;
using namespace mlir::weft;
using namespace mlir::weft::interp;

namespace {
/// The input's elements under the result's shape: reshape, flatten.
Array evaluateReshaped(Interpreter &in, Operation *op) {
  Array array = in.get(op->getOperand(0));
  array.shape = shapeOf(op->getResult(0));
  return array;
}

Array evalTransposeOp(Interpreter &in, TransposeOp op) {
  const Array &input = in.get(op.getInput());
  llvm::SmallVector<int64_t> shape = shapeOf(op);
  llvm::SmallVector<int64_t> inputStrides = stridesOf(input.shape);
  auto perm = *normalizeAxes(op.getPermutation(), shape.size());
  llvm::SmallVector<int64_t> strides;
  for (int64_t axis : perm)
    strides.push_back(inputStrides[axis]);
  Array result{shape, std::vector<double>(countOf(shape))};
  llvm::SmallVector<llvm::SmallVector<int64_t>> all = {strides};
  forEachIndex(shape, all, [&](int64_t flat, llvm::ArrayRef<int64_t> off) {
    result.data[flat] = input.data[off[0]];
  });
  return result;
}

Array evalSliceOp(Interpreter &in, SliceOp op) {
  const Array &input = in.get(op.getInput());
  int64_t axis = normalizeAxis(op.getAxis(), input.shape.size());
  int64_t start = static_cast<int64_t>(op.getStart());
  int64_t end = static_cast<int64_t>(op.getEnd());
  auto [outer, size, inner] = splitAtAxis(input.shape, axis);
  Array result{shapeOf(op), {}};
  for (int64_t o = 0; o < outer; ++o)
    result.data.insert(result.data.end(),
                       input.data.begin() + (o * size + start) * inner,
                       input.data.begin() + (o * size + end) * inner);
  return result;
}

Array evalSelectScatterOp(Interpreter &in, SelectScatterOp op) {
  Array result = in.get(op.getInput());
  const Array &value = in.get(op.getValue());
  int64_t axis = normalizeAxis(op.getAxis(), result.shape.size());
  auto [outer, size, inner] = splitAtAxis(result.shape, axis);
  for (int64_t o = 0; o < outer; ++o)
    std::copy_n(value.data.begin() + o * inner, inner,
                result.data.begin() + (o * size + op.getIndex()) * inner);
  return result;
}

/// concat and stack: per outer index, each input's block in turn.
Array join(Interpreter &in, Operation *op, int64_t axisAttr) {
  llvm::SmallVector<int64_t> shape = shapeOf(op->getResult(0));
  int64_t axis = normalizeAxis(axisAttr, shape.size());
  int64_t outer = countOf(llvm::ArrayRef(shape).take_front(axis));
  int64_t rowLength = countOf(llvm::ArrayRef(shape).drop_front(axis));
  Array result{shape, std::vector<double>(countOf(shape))};
  int64_t offset = 0;
  for (Value input : op->getOperands()) {
    const Array &array = in.get(input);
    int64_t block = array.data.size() / outer;
    for (int64_t o = 0; o < outer; ++o)
      std::copy_n(array.data.begin() + o * block, block,
                  result.data.begin() + o * rowLength + offset);
    offset += block;
  }
  return result;
}

Array evalConcatOp(Interpreter &in, ConcatOp op) {
  return join(in, op, op.getAxis());
}

Array evalStackOp(Interpreter &in, StackOp op) {
  return join(in, op, op.getAxis());
}

Array evalUpsampleNearestOp(Interpreter &in, UpsampleNearestOp op) {
  const Array &input = in.get(op.getInput());
  llvm::SmallVector<int64_t> shape = shapeOf(op);
  llvm::ArrayRef<int64_t> scale = op.getScale();
  int64_t planes = shape[0] * shape[1], h = input.shape[2], w = input.shape[3],
          oh = shape[2], ow = shape[3];
  Array result{shape, std::vector<double>(countOf(shape))};
  for (int64_t p = 0; p < planes; ++p)
    for (int64_t y = 0; y < oh; ++y)
      for (int64_t x = 0; x < ow; ++x)
        result.data[(p * oh + y) * ow + x] =
            input.data[(p * h + y / scale[0]) * w + x / scale[1]];
  return result;
}
/// triu and tril: element `[..., i, j]` stays where `keep(j - i)`.
Array triangle(Interpreter &in, Operation *op,
               llvm::function_ref<bool(int64_t)> keep) {
  Array result = in.get(op->getOperand(0));
  int64_t rows = result.shape.end()[-2], columns = result.shape.back();
  for (size_t flat = 0; flat < result.data.size(); ++flat) {
    int64_t i = (flat / columns) % rows, j = flat % columns;
    if (!keep(j - i))
      result.data[flat] = 0.0;
  }
  return result;
}

Array evalTriuOp(Interpreter &in, TriuOp op) {
  auto diagonal = static_cast<int64_t>(op.getDiagonal());
  return triangle(in, op, [&](int64_t offset) { return offset >= diagonal; });
}

Array evalTrilOp(Interpreter &in, TrilOp op) {
  auto diagonal = static_cast<int64_t>(op.getDiagonal());
  return triangle(in, op, [&](int64_t offset) { return offset <= diagonal; });
}

Array evalLinspaceOp(Interpreter &, LinspaceOp op) {
  Array result{shapeOf(op), {}};
  for (int64_t i = 0; i < result.shape[0]; ++i)
    result.data.push_back(op.getElement(i));
  return result;
}
} // namespace

Evaluated interp::evaluateShape(Interpreter &in, Operation *op) {
  return llvm::TypeSwitch<Operation *, Evaluated>(op)
      .Case<CastOp, DropoutOp>([&](Operation *op) {
        return in.set(op->getResult(0), in.get(op->getOperand(0)));
      })
      .Case<ReshapeOp, FlattenOp>([&](Operation *op) {
        return in.set(op->getResult(0), evaluateReshaped(in, op));
      })
      .Case([&](TransposeOp op) { return in.set(op, evalTransposeOp(in, op)); })
      .Case([&](SliceOp op) { return in.set(op, evalSliceOp(in, op)); })
      .Case([&](SelectScatterOp op) {
        return in.set(op, evalSelectScatterOp(in, op));
      })
      .Case([&](ConcatOp op) { return in.set(op, evalConcatOp(in, op)); })
      .Case([&](StackOp op) { return in.set(op, evalStackOp(in, op)); })
      .Case([&](UpsampleNearestOp op) {
        return in.set(op, evalUpsampleNearestOp(in, op));
      })
      .Case([&](TriuOp op) { return in.set(op, evalTriuOp(in, op)); })
      .Case([&](TrilOp op) { return in.set(op, evalTrilOp(in, op)); })
      .Case([&](LinspaceOp op) { return in.set(op, evalLinspaceOp(in, op)); })
      .Default([](Operation *) { return std::nullopt; });
}
