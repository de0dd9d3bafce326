//===- Attention.cpp - Interpreting scaled dot-product attention ----------===//

#include "Interpreter.h"

#include <cmath>

using namespace mlir;
using namespace mlir::weft;
using namespace mlir::weft::interp;

namespace {
Array evalAttentionOp(Interpreter &in, AttentionOp op) {
  const Array &q = in.get(op.getQuery());
  const Array &k = in.get(op.getKey());
  const Array &v = in.get(op.getValue());
  int64_t tq = q.shape.end()[-2], d = q.shape.back();
  int64_t tk = k.shape.end()[-2], dv = v.shape.back();
  int64_t batches = countOf(llvm::ArrayRef(q.shape).drop_back(2));
  double scale = op.getScale() ? op.getScale()->convertToDouble()
                               : 1.0 / std::sqrt(double(d));
  // The mask's offset for each score, broadcast to [..., Tq, Tk].
  std::vector<double> visibleMask;
  if (Value mask = op.getMask()) {
    llvm::SmallVector<int64_t> scores(q.shape);
    scores.back() = tk;
    const Array &m = in.get(mask);
    llvm::SmallVector<llvm::SmallVector<int64_t>> strides = {
        broadcastStrides(m.shape, scores)};
    visibleMask.resize(countOf(scores));
    forEachIndex(scores, strides,
                 [&](int64_t flat, llvm::ArrayRef<int64_t> off) {
                   visibleMask[flat] = m.data[off[0]];
                 });
  }
  Array result{shapeOf(op), std::vector<double>(batches * tq * dv, 0.0)};
  std::vector<double> weights(tk);
  for (int64_t b = 0; b < batches; ++b)
    for (int64_t i = 0; i < tq; ++i) {
      // Positions after i are masked out of causal attention.
      int64_t visible = op.getCausal() ? std::min(i + 1, tk) : tk;
      double max = -INFINITY, sum = 0;
      for (int64_t j = 0; j < visible; ++j) {
        double s = 0;
        for (int64_t c = 0; c < d; ++c)
          s += q.data[(b * tq + i) * d + c] * k.data[(b * tk + j) * d + c];
        bool hidden =
            !visibleMask.empty() && visibleMask[(b * tq + i) * tk + j] == 0;
        weights[j] = hidden ? -INFINITY : s * scale;
        max = std::max(max, weights[j]);
      }
      for (int64_t j = 0; j < visible; ++j)
        sum += weights[j] = std::exp(weights[j] - max);
      for (int64_t j = 0; j < visible; ++j)
        for (int64_t c = 0; c < dv; ++c)
          result.data[(b * tq + i) * dv + c] +=
              weights[j] / sum * v.data[(b * tk + j) * dv + c];
    }
  return result;
}
} // namespace

Evaluated interp::evaluateAttention(Interpreter &in, Operation *op) {
  return llvm::TypeSwitch<Operation *, Evaluated>(op)
      .Case([&](AttentionOp op) { return in.set(op, evalAttentionOp(in, op)); })
      .Default([](Operation *) { return std::nullopt; });
}
