//===- TopK.cpp - Interpreting topk and the scans -------------------------===//

#include "Interpreter.h"

#include <algorithm>

using namespace mlir;
using namespace mlir::weft;
using namespace mlir::weft::interp;

namespace {
llvm::Error evalTopKOp(Interpreter &in, TopKOp op) {
  const Array &input = in.get(op.getInput());
  int64_t axis = normalizeAxis(op.getAxis(), input.shape.size());
  auto [outer, size, inner] = splitAtAxis(input.shape, axis);
  int64_t k = op.getK();
  Array top{shapeOf(op.getValues()), std::vector<double>(outer * k * inner)};
  Array positions{top.shape, top.data};
  std::vector<int64_t> order(size);
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t i = 0; i < inner; ++i) {
      auto at = [&](int64_t j) {
        return input.data[(o * size + j) * inner + i];
      };
      for (int64_t j = 0; j < size; ++j)
        order[j] = j;
      // Descending; equal elements keep their order.
      std::stable_sort(order.begin(), order.end(),
                       [&](int64_t a, int64_t b) { return at(a) > at(b); });
      for (int64_t p = 0; p < k; ++p) {
        top.data[(o * k + p) * inner + i] = at(order[p]);
        positions.data[(o * k + p) * inner + i] = order[p];
      }
    }
  llvm::cantFail(in.set(op.getValues(), std::move(top)));
  return in.set(op.getIndices(), std::move(positions));
}

/// cumsum, or cumprod when `product`, along `axisAttr`.
Array scan(Interpreter &in, Operation *op, int64_t axisAttr, bool product) {
  const Array &input = in.get(op->getOperand(0));
  int64_t axis = normalizeAxis(axisAttr, input.shape.size());
  auto [outer, size, inner] = splitAtAxis(input.shape, axis);
  Array result{input.shape, input.data};
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t j = 1; j < size; ++j)
      for (int64_t i = 0; i < inner; ++i) {
        double &x = result.data[(o * size + j) * inner + i];
        double previous = result.data[(o * size + j - 1) * inner + i];
        x = product ? previous * x : previous + x;
      }
  return result;
}

Array evalCumsumOp(Interpreter &in, CumsumOp op) {
  return scan(in, op, op.getAxis(), /*product=*/false);
}

Array evalCumprodOp(Interpreter &in, CumprodOp op) {
  return scan(in, op, op.getAxis(), /*product=*/true);
}
} // namespace

Evaluated interp::evaluateTopK(Interpreter &in, Operation *op) {
  return llvm::TypeSwitch<Operation *, Evaluated>(op)
      .Case([&](TopKOp op) { return evalTopKOp(in, op); })
      .Case([&](CumsumOp op) { return in.set(op, evalCumsumOp(in, op)); })
      .Case([&](CumprodOp op) { return in.set(op, evalCumprodOp(in, op)); })
      .Default([](Operation *) { return std::nullopt; });
}
