//===- Decompose.cpp - The weft-decompose pass ----------------------------===//
//
// Each loss, train-mode batch statistics and train-mode dropout become the
// weft ops that define them, once shapes are known, so that their
// gradients, lowerings and interpretation are those ops'.
//
//===----------------------------------------------------------------------===//

#include "weft/Dialect/Weft/IR/WeftBuilder.h"
#include "weft/Dialect/Weft/IR/WeftOps.h"
#include "weft/Dialect/Weft/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mlir::weft {
#define GEN_PASS_DEF_WEFTDECOMPOSE
#include "weft/Dialect/Weft/Transforms/Passes.h.inc"
} // namespace mlir::weft

using namespace mlir;
using namespace mlir::weft;

namespace {
bool hasStaticShapes(Operation *op) {
  return llvm::all_of(op->getOperandTypes(), [](Type type) {
    auto ranked = dyn_cast<RankedTensorType>(type);
    return ranked && ranked.hasStaticShape();
  });
}

/// The losses `losses` combined as `reduction` says.
Value reduce(WeftBuilder &d, Value losses, LossReduction reduction) {
  switch (reduction) {
  case LossReduction::none:
    return losses;
  case LossReduction::sum:
    return d.sumAll(losses);
  case LossReduction::mean:
    return d.meanAll(losses);
  }
  llvm_unreachable("a loss reduction");
}

/// What the losses over classes share: per element, the negated
/// log-probability of the target class times its weight, and the weight
/// (0 where the target is `ignore_index`).
struct ClassTerms {
  Value losses, weights, valid;
};

ClassTerms buildClassTerms(Operation *loss, WeftBuilder &d, Value logProbs,
                           Value target, Value weight, int64_t ignoreIndex) {
  llvm::ArrayRef<int64_t> shape = shapeOf(target);
  Value valid = d.compare(ComparePredicate::ne, target,
                          d.constant(double(ignoreIndex), target));
  // An ignored target reads class 0, whose value the weight 0 discards;
  // every other target is checked against the classes where the gather
  // reads it, which errors name after the loss. (A product, not a `where`,
  // so that the driver's check of input indices, which follows values
  // through the ops that move elements, does not meet the ignored ones.)
  Value safe = d.mul(target, d.convert(valid, elementTypeOf(target)));
  llvm::SmallVector<int64_t> withClass(shape);
  withClass.insert(withClass.begin() + 1, 1);
  WeftBuilder lookup(
      d.builder(), NameLoc::get(StringAttr::get(loss->getContext(),
                                                loss->getName().stripDialect()),
                                loss->getLoc()));
  Value picked =
      d.reshape(lookup.gather(logProbs, 1, d.reshape(safe, withClass)), shape);
  int64_t count = 1;
  for (int64_t size : shape)
    count *= size;
  Value weights =
      weight
          ? d.reshape(lookup.gather(weight, 0, d.reshape(safe, {count})), shape)
          : d.broadcast(d.constant(1, logProbs), shape);
  weights = d.where(valid, weights, d.constant(0, logProbs));
  return {d.neg(d.mul(picked, weights)), weights, valid};
}

/// A class loss's reduction: the mean divides by the counted weights.
Value reduceClassLoss(WeftBuilder &d, Value losses, Value weights,
                      LossReduction reduction) {
  if (reduction != LossReduction::mean)
    return reduce(d, losses, reduction);
  return d.div(d.sumAll(losses), d.sumAll(weights));
}

Value defineNllLoss(NllLossOp op, WeftBuilder &d) {
  ClassTerms terms = buildClassTerms(op, d, op.getInput(), op.getTarget(),
                                     op.getWeight(), op.getIgnoreIndex());
  return reduceClassLoss(d, terms.losses, terms.weights, op.getReduction());
}

Value defineCrossEntropy(CrossEntropyOp op, WeftBuilder &d) {
  Value logProbs = d.logSoftmax(op.getInput(), 1);
  ClassTerms terms = buildClassTerms(op, d, logProbs, op.getTarget(),
                                     op.getWeight(), op.getIgnoreIndex());
  double smoothing = op.getLabelSmoothing().convertToDouble();
  LossReduction reduction = op.getReduction();
  if (smoothing == 0)
    return reduceClassLoss(d, terms.losses, terms.weights, reduction);
  // Label smoothing mixes in the (weighted) mean over the classes of the
  // negated log-probabilities, as PyTorch's.
  llvm::ArrayRef<int64_t> inputShape = shapeOf(op.getInput());
  int64_t classes = inputShape[1];
  Value weighted = logProbs;
  if (Value weight = op.getWeight()) {
    llvm::SmallVector<int64_t> along(inputShape.size(), 1);
    along[1] = classes;
    weighted = d.mul(logProbs, d.reshape(weight, along));
  }
  Value smooth = d.neg(d.sum(weighted, {1}, /*keepdim=*/false));
  smooth = d.where(terms.valid, smooth, d.constant(0, smooth));
  Value keep = d.constant(1 - smoothing, logProbs);
  Value spread = d.constant(smoothing / classes, logProbs);
  if (reduction == LossReduction::none)
    return d.add(d.mul(keep, terms.losses), d.mul(spread, smooth));
  Value total = d.add(d.mul(keep, d.sumAll(terms.losses)),
                      d.mul(spread, d.sumAll(smooth)));
  return reduction == LossReduction::mean
             ? d.div(total, d.sumAll(terms.weights))
             : total;
}

template <typename Op> Value definePointwiseLoss(Op op, WeftBuilder &d) {
  Value difference = d.sub(op.getInput(), op.getTarget());
  Value losses = std::is_same_v<Op, MseLossOp>
                     ? d.mul(difference, difference)
                     : d.maximum(difference, d.neg(difference));
  return reduce(d, losses, op.getReduction());
}

Value defineBinaryCrossEntropyWithLogits(BinaryCrossEntropyWithLogitsOp op,
                                         WeftBuilder &d) {
  Value x = op.getInput(), t = op.getTarget();
  Value one = d.constant(1, x);
  // softplus(-x) = m + log(exp(-m) + exp(-x - m)), m = max(-x, 0): no
  // exponential overflows.
  Value m = d.maximum(d.neg(x), d.constant(0, x));
  Value softplus =
      d.add(m, d.log(d.add(d.exp(d.neg(m)), d.exp(d.sub(d.neg(x), m)))));
  Value logWeight = one;
  if (Value positive = op.getPosWeight())
    logWeight = d.add(d.mul(d.sub(positive, one), t), one);
  Value losses = d.add(d.mul(d.sub(one, t), x), d.mul(logWeight, softplus));
  if (Value weight = op.getWeight())
    losses = d.mul(losses, weight);
  return reduce(d, losses, op.getReduction());
}

/// Train-mode batch statistics: the mean over every axis but the
/// channels', and the sum of the squared deviations from it divided by n
/// and by n - 1.
llvm::SmallVector<Value> defineBatchStats(BatchStatsOp op, WeftBuilder &d) {
  Value x = op.getInput();
  llvm::ArrayRef<int64_t> shape = shapeOf(x);
  llvm::SmallVector<int64_t> others;
  int64_t count = 1;
  for (auto [axis, size] : llvm::enumerate(shape))
    if (axis != 1) {
      others.push_back(axis);
      count *= size;
    }
  Value mean = d.mean(x, others, /*keepdim=*/true);
  Value deviations = d.sub(x, mean);
  Value squares =
      d.sum(d.mul(deviations, deviations), others, /*keepdim=*/false);
  return {d.reshape(mean, {shape[1]}),
          d.div(squares, d.constant(double(count), x)),
          d.div(squares, d.constant(double(count - 1), x))};
}

/// Train-mode dropout: the input times its scaled mask.
Value defineDropout(DropoutOp op, WeftBuilder &d) {
  Value x = op.getInput();
  return d.mul(x, d.dropoutScale(x, op.getP().convertToDouble(), op.getSeed(),
                                 op.getKey()));
}

/// Rewrites an `Op` by its definition once its operands' shapes are static.
template <typename Op, auto define> struct Decompose : OpRewritePattern<Op> {
  using OpRewritePattern<Op>::OpRewritePattern;
  LogicalResult matchAndRewrite(Op op,
                                PatternRewriter &rewriter) const override {
    if (!hasStaticShapes(op))
      return failure();
    WeftBuilder d(rewriter, op.getLoc());
    rewriter.replaceOp(op, define(op, d));
    return success();
  }
};

/// Train-mode dropout (with a seed); at inference it folds away.
struct DecomposeDropout : OpRewritePattern<DropoutOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(DropoutOp op,
                                PatternRewriter &rewriter) const override {
    if (!op.getSeed() || !hasStaticShapes(op))
      return failure();
    WeftBuilder d(rewriter, op.getLoc());
    rewriter.replaceOp(op, defineDropout(op, d));
    return success();
  }
};

struct WeftDecomposePass
    : public weft::impl::WeftDecomposeBase<WeftDecomposePass> {
  void runOnOperation() override {
    RewritePatternSet patterns(&getContext());
    patterns.add<Decompose<NllLossOp, defineNllLoss>,
                 Decompose<CrossEntropyOp, defineCrossEntropy>,
                 Decompose<MseLossOp, definePointwiseLoss<MseLossOp>>,
                 Decompose<L1LossOp, definePointwiseLoss<L1LossOp>>,
                 Decompose<BinaryCrossEntropyWithLogitsOp,
                           defineBinaryCrossEntropyWithLogits>,
                 Decompose<BatchStatsOp, defineBatchStats>>(&getContext());
    patterns.add<DecomposeDropout>(&getContext());
    if (failed(applyPatternsGreedily(getOperation(), std::move(patterns))))
      return signalPassFailure();
  }
};
} // namespace
