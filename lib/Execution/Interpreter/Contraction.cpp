//===- Contraction.cpp - Interpreting matmul and linear -------------------===//

#include "Interpreter.h"

using namespace mlir;
using namespace mlir::weft;
using namespace mlir::weft::interp;

namespace {
Array evalMatmulOp(Interpreter &in, MatmulOp op) {
  const Array &a = in.get(op.getLhs()), &b = in.get(op.getRhs());
  llvm::SmallVector<int64_t> shape = shapeOf(op);
  int64_t m = a.shape.end()[-2], k = a.shape.back(), n = b.shape.back();
  llvm::ArrayRef<int64_t> batch = llvm::ArrayRef(shape).drop_back(2);
  // Matrix offsets of each operand per batch index, broadcast.
  llvm::SmallVector<llvm::SmallVector<int64_t>> strides = {
      broadcastStrides(llvm::ArrayRef(a.shape).drop_back(2), batch),
      broadcastStrides(llvm::ArrayRef(b.shape).drop_back(2), batch)};
  Array result{shape, std::vector<double>(countOf(shape), 0.0)};
  forEachIndex(batch, strides, [&](int64_t flat, llvm::ArrayRef<int64_t> off) {
    const double *x = &a.data[off[0] * m * k];
    const double *y = &b.data[off[1] * k * n];
    double *z = &result.data[flat * m * n];
    for (int64_t i = 0; i < m; ++i)
      for (int64_t p = 0; p < k; ++p)
        for (int64_t j = 0; j < n; ++j)
          z[i * n + j] += x[i * k + p] * y[p * n + j];
  });
  return result;
}

Array evalLinearOp(Interpreter &in, LinearOp op) {
  const Array &x = in.get(op.getInput());
  const Array &w = in.get(op.getWeight());
  const Array *bias = op.getBias() ? &in.get(op.getBias()) : nullptr;
  int64_t k = x.shape.back(), n = w.shape[0];
  int64_t rows = countOf(x.shape) / k;
  Array result{shapeOf(op), std::vector<double>(rows * n)};
  for (int64_t r = 0; r < rows; ++r)
    for (int64_t j = 0; j < n; ++j) {
      double acc = bias ? bias->data[j] : 0.0;
      for (int64_t p = 0; p < k; ++p)
        acc += x.data[r * k + p] * w.data[j * k + p];
      result.data[r * n + j] = acc;
    }
  return result;
}
} // namespace

Evaluated interp::evaluateContraction(Interpreter &in, Operation *op) {
  return llvm::TypeSwitch<Operation *, Evaluated>(op)
      .Case([&](MatmulOp op) { return in.set(op, evalMatmulOp(in, op)); })
      .Case([&](LinearOp op) { return in.set(op, evalLinearOp(in, op)); })
      .Default([](Operation *) { return std::nullopt; });
}
