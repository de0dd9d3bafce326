//===- ProducerFusion.cpp - Groups that absorb elementwise producers ------===//
//
// Three fusion passes grow a group backwards from a root through its
// elementwise producers; they differ in the root:
// - weft-fuse-normalizations: a NormalizationOpInterface op (softmax,
//   log_softmax, layer_norm);
// - weft-fuse-reductions: a ReductionOpInterface op (sum, mean, max);
// - weft-fuse-elementwise: an elementwise op (chains of two or more ops).
//
//===----------------------------------------------------------------------===//

#include "FusionGroups.h"
#include "weft/Dialect/Weft/Transforms/Passes.h"

namespace mlir::weft {
#define GEN_PASS_DEF_WEFTFUSENORMALIZATIONS
#define GEN_PASS_DEF_WEFTFUSEREDUCTIONS
#define GEN_PASS_DEF_WEFTFUSEELEMENTWISE
#include "weft/Dialect/Weft/Transforms/Passes.h.inc"
} // namespace mlir::weft

using namespace mlir;
using namespace mlir::weft;

namespace {
struct WeftFuseNormalizationsPass
    : public weft::impl::WeftFuseNormalizationsBase<
          WeftFuseNormalizationsPass> {
  void runOnOperation() override {
    // A normalization alone is a group too: it is lowered in two passes.
    fuseWithProducers(
        getOperation(), FusionKind::normalization,
        [](Operation *op) { return isa<NormalizationOpInterface>(op); },
        /*minSize=*/1);
  }
};

struct WeftFuseReductionsPass
    : public weft::impl::WeftFuseReductionsBase<WeftFuseReductionsPass> {
  void runOnOperation() override {
    fuseWithProducers(
        getOperation(), FusionKind::reduction,
        [](Operation *op) { return isa<ReductionOpInterface>(op); },
        /*minSize=*/2);
  }
};

struct WeftFuseElementwisePass
    : public weft::impl::WeftFuseElementwiseBase<WeftFuseElementwisePass> {
  void runOnOperation() override {
    fuseWithProducers(getOperation(), FusionKind::elementwise,
                      isFusibleElementwise, /*minSize=*/2);
  }
};
} // namespace
