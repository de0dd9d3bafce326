//===- WeftToLinalg.cpp - The convert-weft-to-linalg pass -----------------===//

#include "weft/Conversion/WeftToLinalg/WeftToLinalg.h"
#include "weft/Dialect/Weft/IR/WeftOps.h"
#include "weft/Runtime/ABI.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Transforms/DialectConversion.h"

namespace mlir::weft {
#define GEN_PASS_DEF_CONVERTWEFTTOLINALG
#include "weft/Conversion/Passes.h.inc"
} // namespace mlir::weft

using namespace mlir;
using namespace mlir::weft;

namespace {
/// Numbers the run-time check sites (lookups by run-time index, integer
/// divisions), lists them in the module and declares the runtime's error
/// function they call.
void assignIndexSites(ModuleOp module) {
  OpBuilder builder(module.getContext());
  llvm::SmallVector<Attribute> sites;
  module.walk([&](Operation *op) {
    std::string name;
    if (auto lookup = dyn_cast<IndexingOpInterface>(op))
      name = lookup.getLookupName();
    else if (op->hasTrait<DividesIntegers>() &&
             getElementTypeOrSelf(op->getResult(0)).isInteger())
      name = getSiteName(op);
    else
      return;
    op->setAttr(kIndexSiteAttrName, builder.getI64IntegerAttr(sites.size()));
    sites.push_back(NameLoc::get(builder.getStringAttr(name), op->getLoc()));
  });
  if (sites.empty())
    return;
  module->setAttr(kIndexSitesAttrName, builder.getArrayAttr(sites));
  if (module.lookupSymbol(kIndexErrorFunction))
    return;
  builder.setInsertionPointToEnd(module.getBody());
  Type i64 = builder.getI64Type();
  auto declaration =
      func::FuncOp::create(builder, module.getLoc(), kIndexErrorFunction,
                           builder.getFunctionType({i64, i64, i64}, {}));
  declaration.setPrivate();
}

struct ConvertWeftToLinalgPass
    : public weft::impl::ConvertWeftToLinalgBase<ConvertWeftToLinalgPass> {
  using ConvertWeftToLinalgBase::ConvertWeftToLinalgBase;

  void runOnOperation() override {
    // A parameter that reaches this pass was never lifted: say so plainly
    // instead of a generic legalization failure.
    WalkResult params = getOperation().walk([](ParamOp op) {
      op.emitError("parameter '")
          << op.getName() << "' must be lifted to a function argument first "
          << "(run weft-lift-params)";
      return WalkResult::interrupt();
    });
    if (params.wasInterrupted())
      return signalPassFailure();
    assignIndexSites(getOperation());

    ConversionTarget target(getContext());
    target.addLegalDialect<arith::ArithDialect, linalg::LinalgDialect,
                           math::MathDialect, tensor::TensorDialect,
                           func::FuncDialect, scf::SCFDialect>();
    target.addIllegalDialect<WeftDialect>();
    // Fusion groups stay, their bodies lowered, for weft-lower-fusion-groups.
    target.addLegalOp<FusedOp, YieldOp>();

    RewritePatternSet patterns(&getContext());
    populateElementwiseToLinalgPatterns(patterns);
    populateContractionToLinalgPatterns(patterns);
    populateReductionToLinalgPatterns(patterns, sumBlock);
    populateConvolutionToLinalgPatterns(patterns);
    populateNormalizationToLinalgPatterns(patterns, sumBlock);
    populateIndexingToLinalgPatterns(patterns, scatterLoops);
    populateAttentionToLinalgPatterns(patterns, maxKeyBlock);
    populateShapeToLinalgPatterns(patterns);
    populateTopKToLinalgPatterns(patterns);
    populateRandomToLinalgPatterns(patterns);
    if (failed(applyPartialConversion(getOperation(), target,
                                      std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
