//===- ShapeInference.cpp - Static shapes for every weft value ------------===//

#include "weft/Dialect/Weft/IR/WeftOps.h"
#include "weft/Dialect/Weft/Transforms/Passes.h"

namespace mlir::weft {
#define GEN_PASS_DEF_WEFTSHAPEINFERENCE
#include "weft/Dialect/Weft/Transforms/Passes.h.inc"
} // namespace mlir::weft

using namespace mlir;
using namespace mlir::weft;

namespace {
/// The more specific of two compatible tensor types: each size known in
/// either is known in the result.
TensorType join(TensorType a, TensorType b) {
  if (!a.hasRank())
    return b;
  if (!b.hasRank())
    return a;
  llvm::SmallVector<int64_t> shape(a.getShape());
  for (auto [d, other] : llvm::zip(shape, b.getShape()))
    if (ShapedType::isDynamic(d))
      d = other;
  return RankedTensorType::get(shape, a.getElementType());
}

LogicalResult refineCast(CastOp op) {
  auto input = cast<TensorType>(op.getInput().getType());
  auto declared = cast<TensorType>(op.getType());
  if (!areCompatibleTensorTypes(input, declared))
    return op.emitError("type mismatch: the value is ")
           << formatType(input) << " but " << formatType(declared)
           << " is declared here";
  op.getResult().setType(join(declared, input));
  return success();
}

LogicalResult inferResultTypes(InferTypeOpInterface op) {
  Operation *operation = op.getOperation();
  llvm::SmallVector<Type> types;
  if (failed(op.inferReturnTypes(
          operation->getContext(), operation->getLoc(),
          operation->getOperands(), operation->getAttrDictionary(),
          operation->getPropertiesStorage(), operation->getRegions(), types)))
    return failure();
  for (auto [result, type] : llvm::zip(operation->getResults(), types))
    result.setType(type);
  return success();
}

/// A conversion keeps its operand's shape; its element type is its own
/// (the dtype converted to, which only the result type records).
void refineConvert(ConvertOp op) {
  auto input = cast<TensorType>(op.getInput().getType());
  auto result = cast<TensorType>(op.getType());
  if (input.hasRank())
    op.getResult().setType(
        RankedTensorType::get(input.getShape(), result.getElementType()));
}

struct WeftShapeInferencePass
    : public weft::impl::WeftShapeInferenceBase<WeftShapeInferencePass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    WalkResult walk = func.walk([](Operation *op) {
      LogicalResult result = success();
      if (auto castOp = dyn_cast<CastOp>(op))
        result = refineCast(castOp);
      else if (auto convert = dyn_cast<ConvertOp>(op))
        refineConvert(convert);
      else if (auto infer = dyn_cast<InferTypeOpInterface>(op);
               infer && isa<WeftDialect>(op->getDialect()))
        result = inferResultTypes(infer);
      return failed(result) ? WalkResult::interrupt() : WalkResult::advance();
    });
    if (walk.wasInterrupted())
      return signalPassFailure();

    // A function declared without a result type returns whatever its body
    // computes.
    auto ret = cast<func::ReturnOp>(func.getBody().back().getTerminator());
    func.setType(FunctionType::get(&getContext(), func.getArgumentTypes(),
                                   ret.getOperandTypes()));
  }
};
} // namespace
