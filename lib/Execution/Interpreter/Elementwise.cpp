//===- Elementwise.cpp - Interpreting elementwise ops ---------------------===//
//
// Every elementwise op is evaluated by its own scalar meaning
// (ElementwiseOpInterface::evaluate, written in its ODS definition) over
// the broadcast operands.
//
//===----------------------------------------------------------------------===//

#include "Interpreter.h"

using namespace mlir;
using namespace mlir::weft;
using namespace mlir::weft::interp;

namespace {
Array evaluateBroadcast(Interpreter &in, ElementwiseOpInterface op) {
  llvm::SmallVector<int64_t> shape = shapeOf(op->getResult(0));
  llvm::SmallVector<llvm::SmallVector<int64_t>> strides;
  llvm::SmallVector<const Array *> operands;
  for (Value operand : op->getOperands()) {
    operands.push_back(&in.get(operand));
    strides.push_back(broadcastStrides(operands.back()->shape, shape));
  }
  Array result{shape, std::vector<double>(countOf(shape))};
  llvm::SmallVector<double, 3> x(operands.size());
  forEachIndex(shape, strides, [&](int64_t flat, llvm::ArrayRef<int64_t> off) {
    for (size_t k = 0; k < operands.size(); ++k)
      x[k] = operands[k]->data[off[k]];
    result.data[flat] = op.evaluate(x);
  });
  return result;
}
} // namespace

Evaluated interp::evaluateElementwise(Interpreter &in, Operation *op) {
  auto elementwise = dyn_cast<ElementwiseOpInterface>(op);
  if (!elementwise)
    return std::nullopt;
  if (op->hasTrait<DividesIntegers>() &&
      getElementTypeOrSelf(op->getResult(0)).isInteger() &&
      llvm::is_contained(in.get(op->getOperand(1)).data, 0.0))
    return in.fail(op, "integer division by zero in '" + getSiteName(op) + "'");
  return in.set(op->getResult(0), evaluateBroadcast(in, elementwise));
}
