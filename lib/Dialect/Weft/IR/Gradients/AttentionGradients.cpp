//===- AttentionGradients.cpp - The rule of attention ---------------------===//

#include "weft/Dialect/Weft/IR/WeftBuilder.h"

#include <cmath>

using namespace mlir;
using namespace mlir::weft;

llvm::SmallVector<Value> AttentionOp::buildGradients(OpBuilder &b,
                                                     ValueRange gradients) {
  // The probabilities P = softmax(masked q·kᵀ·scale) are recomputed (the
  // forward, flash-style, never holds them), then, with O = P·v:
  // dv = Pᵀ·g, dP = g·vᵀ, dS = P ⊙ (dP − rowsum(dP ⊙ P)),
  // dq = dS·k·scale, dk = dSᵀ·q·scale. Hidden scores have P = 0 and so no
  // gradient; the mask has none.
  WeftBuilder d(b, getLoc());
  Value q = getQuery(), k = getKey(), v = getValue(), g = gradients[0];
  llvm::ArrayRef<int64_t> qShape = shapeOf(q);
  int64_t tq = qShape[qShape.size() - 2], depth = qShape.back();
  int64_t tk = shapeOf(k)[qShape.size() - 2];
  double scale = getScale() ? getScale()->convertToDouble()
                            : 1.0 / std::sqrt(double(depth));
  Value scores =
      d.mul(d.matmul(q, d.transposeLastTwo(k)), d.constant(scale, q));
  Value hidden = d.constant(-INFINITY, q);
  if (getCausal()) {
    // Key j is visible from query i when j <= i.
    llvm::SmallVector<double> below;
    for (int64_t i = 0; i < tq; ++i)
      for (int64_t j = 0; j < tk; ++j)
        below.push_back(j <= i ? 1.0 : 0.0);
    Value visible =
        d.compare(ComparePredicate::gt, d.constantMatrix(below, tq, tk, q),
                  d.constant(0, q));
    scores = d.where(visible, scores, hidden);
  }
  if (Value mask = getMask())
    scores = d.where(mask, scores, hidden);
  Value probs = d.softmax(scores, -1);
  int64_t last = shapeOf(probs).size() - 1;
  Value dProbs = d.matmul(g, d.transposeLastTwo(v));
  Value dScores = d.mul(probs, d.sub(dProbs, d.sum(d.mul(dProbs, probs), {last},
                                                   /*keepdim=*/true)));
  Value scaled = d.mul(dScores, d.constant(scale, q));
  llvm::SmallVector<Value> result = {d.matmul(scaled, k),
                                     d.matmul(d.transposeLastTwo(scaled), q),
                                     d.matmul(d.transposeLastTwo(probs), g)};
  if (getMask())
    result.push_back(Value());
  return result;
}
