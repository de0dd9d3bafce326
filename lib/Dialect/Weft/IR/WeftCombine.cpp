//===- WeftCombine.cpp - Canonicalization patterns of weft ----------------===//
//
// The canonicalization patterns of the weft ops: those declared in
// WeftCombine.td, and the one that needs more than a declaration (a
// broadcast summed back over the axes it stretched).
//
//===----------------------------------------------------------------------===//

#include "weft/Dialect/Weft/IR/WeftOps.h"

#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"

using namespace mlir;
using namespace mlir::weft;

namespace mlir::weft {
/// Whether `attr` is a constant whose every element equals `value`.
static bool isSplatOf(Attribute attr, double value) {
  auto dense = dyn_cast_if_present<DenseElementsAttr>(attr);
  if (!dense || !dense.isSplat())
    return false;
  if (isa<FloatType>(dense.getElementType()))
    return dense.getSplatValue<APFloat>().convertToDouble() == value;
  return dense.getElementType().getIntOrFloatBitWidth() > 1 &&
         double(dense.getSplatValue<APInt>().getSExtValue()) == value;
}

/// `transpose(transpose(x, inner), outer)` is `transpose(x, composed)`:
/// result axis `i` is axis `inner[outer[i]]` of x.
static DenseI64ArrayAttr composePermutations(Builder &builder,
                                             DenseI64ArrayAttr inner,
                                             DenseI64ArrayAttr outer) {
  int64_t rank = inner.size();
  auto in = *normalizeAxes(inner.asArrayRef(), rank);
  auto out = *normalizeAxes(outer.asArrayRef(), rank);
  llvm::SmallVector<int64_t> composed;
  for (int64_t axis : out)
    composed.push_back(in[axis]);
  return builder.getDenseI64ArrayAttr(composed);
}
} // namespace mlir::weft

namespace {
#include "WeftCombine.inc"

/// `sum(broadcast(x))` over exactly the axes the broadcast stretched is
/// `x * n` (n the number of copies summed), reshaped to the result; a mean
/// is `x` itself.
template <typename Op> struct ReduceBroadcast : public OpRewritePattern<Op> {
  using OpRewritePattern<Op>::OpRewritePattern;

  LogicalResult matchAndRewrite(Op op,
                                PatternRewriter &rewriter) const override {
    auto broadcast = op.getInput().template getDefiningOp<BroadcastOp>();
    if (!broadcast)
      return failure();
    auto input = dyn_cast<RankedTensorType>(broadcast.getInput().getType());
    auto stretched = dyn_cast<RankedTensorType>(broadcast.getType());
    auto result = dyn_cast<RankedTensorType>(op.getType());
    if (!input || !stretched || !result || !result.hasStaticShape() ||
        !stretched.hasStaticShape())
      return failure();
    llvm::SmallVector<int64_t> reduced =
        cast<ReductionOpInterface>(op.getOperation()).getReducedAxes();
    int64_t offset = stretched.getRank() - input.getRank();
    int64_t copies = 1;
    for (int64_t axis = 0; axis < stretched.getRank(); ++axis) {
      int64_t from = axis < offset ? 1 : input.getDimSize(axis - offset);
      bool isReduced = llvm::is_contained(reduced, axis);
      // Every reduced axis was stretched from 1; every other one kept.
      if (isReduced ? from != 1 : from != stretched.getDimSize(axis))
        return failure();
      if (isReduced)
        copies *= stretched.getDimSize(axis);
    }
    Location loc = op.getLoc();
    Value value = broadcast.getInput();
    if (input != result)
      value =
          ReshapeOp::create(rewriter, loc, value,
                            rewriter.getDenseI64ArrayAttr(result.getShape()));
    if (std::is_same_v<Op, SumOp> && copies != 1) {
      Type elem = result.getElementType();
      auto scalar = RankedTensorType::get({}, elem);
      Attribute count =
          isa<FloatType>(elem)
              ? Attribute(rewriter.getFloatAttr(elem, double(copies)))
              : Attribute(rewriter.getIntegerAttr(elem, copies));
      Value factor = ConstantOp::create(rewriter, loc,
                                        DenseElementsAttr::get(scalar, count));
      value = MulOp::create(rewriter, loc, value, factor);
    }
    rewriter.replaceOp(op, value);
    return success();
  }
};
} // namespace

void NegOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                        MLIRContext *context) {
  results.add<NegNeg>(context);
}
void AddOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                        MLIRContext *context) {
  results.add<AddZero, ZeroAdd, AddNeg>(context);
}
void SubOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                        MLIRContext *context) {
  results.add<SubZero, SubNeg>(context);
}
void MulOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                        MLIRContext *context) {
  results.add<MulOne, OneMul>(context);
}
void DivOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                        MLIRContext *context) {
  results.add<DivOne>(context);
}
void TransposeOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                              MLIRContext *context) {
  results.add<TransposeTranspose>(context);
}
void ReshapeOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                            MLIRContext *context) {
  results.add<ReshapeReshape>(context);
}
void SumOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                        MLIRContext *context) {
  results.add<ReduceBroadcast<SumOp>>(context);
}
void MeanOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                         MLIRContext *context) {
  results.add<ReduceBroadcast<MeanOp>>(context);
}
