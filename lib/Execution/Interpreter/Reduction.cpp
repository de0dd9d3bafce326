//===- Reduction.cpp - Interpreting sum, mean, max and argmax -------------===//

#include "Interpreter.h"

#include <cmath>

using namespace mlir;
using namespace mlir::weft;
using namespace mlir::weft::interp;

namespace {
/// Combines the elements of the reduced axes with `combine`, from
/// `identity`; `average` divides by their count.
Array reduce(Interpreter &in, ReductionOpInterface op, double identity,
             double (*combine)(double, double), bool average) {
  const Array &input = in.get(op->getOperand(0));
  // Accumulate into an array shaped like the input with reduced axes of
  // size 1; its element count equals the result's.
  llvm::SmallVector<int64_t> kept(input.shape);
  int64_t count = 1;
  llvm::SmallVector<int64_t> axes = op.getReducedAxes();
  for (int64_t axis : axes) {
    count *= kept[axis];
    kept[axis] = 1;
  }
  Array result{shapeOf(op->getResult(0)),
               std::vector<double>(countOf(kept), identity)};
  llvm::SmallVector<int64_t> keptStrides = stridesOf(kept);
  for (int64_t axis : axes)
    keptStrides[axis] = 0;
  llvm::SmallVector<llvm::SmallVector<int64_t>> strides = {keptStrides};
  forEachIndex(
      input.shape, strides, [&](int64_t flat, llvm::ArrayRef<int64_t> off) {
        result.data[off[0]] = combine(result.data[off[0]], input.data[flat]);
      });
  if (average)
    for (double &v : result.data)
      v /= count;
  return result;
}

double add(double a, double b) { return a + b; }
/// NaN wins, as in the compiled code.
double larger(double a, double b) { return std::isnan(a) || a > b ? a : b; }

Array evalSumOp(Interpreter &in, SumOp op) {
  return reduce(in, op, 0.0, add, /*average=*/false);
}
Array evalMeanOp(Interpreter &in, MeanOp op) {
  return reduce(in, op, 0.0, add, /*average=*/true);
}
Array evalMaxOp(Interpreter &in, MaxOp op) {
  return reduce(in, op, -INFINITY, larger, /*average=*/false);
}

Array evalArgmaxOp(Interpreter &in, ArgmaxOp op) {
  const Array &input = in.get(op.getInput());
  int64_t axis = normalizeAxis(op.getAxis(), input.shape.size());
  auto [outer, size, inner] = splitAtAxis(input.shape, axis);
  Array result{shapeOf(op), std::vector<double>(outer * inner)};
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t j = 0; j < inner; ++j) {
      int64_t best = 0;
      for (int64_t i = 1; i < size; ++i)
        if (input.data[(o * size + i) * inner + j] >
            input.data[(o * size + best) * inner + j])
          best = i;
      result.data[o * inner + j] = best;
    }
  return result;
}
} // namespace

Evaluated interp::evaluateReduction(Interpreter &in, Operation *op) {
  return llvm::TypeSwitch<Operation *, Evaluated>(op)
      .Case([&](SumOp op) { return in.set(op, evalSumOp(in, op)); })
      .Case([&](MeanOp op) { return in.set(op, evalMeanOp(in, op)); })
      .Case([&](MaxOp op) { return in.set(op, evalMaxOp(in, op)); })
      .Case([&](ArgmaxOp op) { return in.set(op, evalArgmaxOp(in, op)); })
      .Default([](Operation *) { return std::nullopt; });
}
