//===- Normalization.cpp - Interpreting softmax and the norms -------------===//

#include "Interpreter.h"

#include <cmath>

using namespace mlir;
using namespace mlir::weft;
using namespace mlir::weft::interp;

namespace {
/// softmax, or log_softmax when `log`, along `axisAttr`.
Array softmax(Interpreter &in, Operation *op, int64_t axisAttr, bool log) {
  const Array &input = in.get(op->getOperand(0));
  int64_t axis = normalizeAxis(axisAttr, input.shape.size());
  auto [outer, size, inner] = splitAtAxis(input.shape, axis);
  Array result{input.shape, std::vector<double>(input.data.size())};
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t j = 0; j < inner; ++j) {
      auto at = [&](int64_t i) { return (o * size + i) * inner + j; };
      double max = -INFINITY, sum = 0;
      for (int64_t i = 0; i < size; ++i)
        max = std::max(max, input.data[at(i)]);
      for (int64_t i = 0; i < size; ++i)
        sum += std::exp(input.data[at(i)] - max);
      for (int64_t i = 0; i < size; ++i) {
        double shifted = input.data[at(i)] - max;
        result.data[at(i)] =
            log ? shifted - std::log(sum) : std::exp(shifted) / sum;
      }
    }
  return result;
}

Array evalSoftmaxOp(Interpreter &in, SoftmaxOp op) {
  return softmax(in, op, op.getAxis(), /*log=*/false);
}

Array evalLogSoftmaxOp(Interpreter &in, LogSoftmaxOp op) {
  return softmax(in, op, op.getAxis(), /*log=*/true);
}

Array evalBatchNormOp(Interpreter &in, BatchNormOp op) {
  const Array &x = in.get(op.getInput());
  const Array &weight = in.get(op.getWeight()), &bias = in.get(op.getBias());
  const Array &mean = in.get(op.getMean()), &var = in.get(op.getVar());
  double eps = op.getEps().convertToDouble();
  int64_t channels = x.shape[1];
  int64_t inner = countOf(llvm::ArrayRef(x.shape).drop_front(2));
  Array result{x.shape, std::vector<double>(x.data.size())};
  for (size_t i = 0; i < x.data.size(); ++i) {
    int64_t c = (i / inner) % channels;
    result.data[i] = (x.data[i] - mean.data[c]) / std::sqrt(var.data[c] + eps) *
                         weight.data[c] +
                     bias.data[c];
  }
  return result;
}

Array evalLayerNormOp(Interpreter &in, LayerNormOp op) {
  const Array &x = in.get(op.getInput());
  const Array &weight = in.get(op.getWeight()), &bias = in.get(op.getBias());
  double eps = op.getEps().convertToDouble();
  int64_t dims = static_cast<int64_t>(op.getDims());
  int64_t group = countOf(llvm::ArrayRef(x.shape).take_back(dims));
  Array result{x.shape, std::vector<double>(x.data.size())};
  for (size_t start = 0; start < x.data.size(); start += group) {
    double mean = 0, var = 0;
    for (int64_t i = 0; i < group; ++i)
      mean += x.data[start + i];
    mean /= group;
    for (int64_t i = 0; i < group; ++i)
      var += (x.data[start + i] - mean) * (x.data[start + i] - mean);
    var /= group;
    for (int64_t i = 0; i < group; ++i)
      result.data[start + i] =
          (x.data[start + i] - mean) / std::sqrt(var + eps) * weight.data[i] +
          bias.data[i];
  }
  return result;
}
} // namespace

Evaluated interp::evaluateNormalization(Interpreter &in, Operation *op) {
  return llvm::TypeSwitch<Operation *, Evaluated>(op)
      .Case([&](SoftmaxOp op) { return in.set(op, evalSoftmaxOp(in, op)); })
      .Case(
          [&](LogSoftmaxOp op) { return in.set(op, evalLogSoftmaxOp(in, op)); })
      .Case([&](BatchNormOp op) { return in.set(op, evalBatchNormOp(in, op)); })
      .Case([&](LayerNormOp op) { return in.set(op, evalLayerNormOp(in, op)); })
      .Default([](Operation *) { return std::nullopt; });
}
