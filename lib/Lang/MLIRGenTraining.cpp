//===- MLIRGenTraining.cpp - Built-ins for training -----------------------===//
//
// The table rows of the built-ins that train: gradients.
//
//===----------------------------------------------------------------------===//

#include "MLIRGenImpl.h"

using namespace mlir;
using namespace mlir::weft;

namespace {
/// grad(outputs, inputs), as torch.autograd.grad: the gradients of a float
/// scalar with respect to a tensor, or to each tensor of a list literal.
BuiltinValues grad(BoundCall &c) {
  Value loss = c.tensor(0);
  if (!loss)
    return failure();
  llvm::SmallVector<Value> inputs;
  if (auto *list = llvm::dyn_cast<ListExprAST>(&c.expr(1))) {
    for (const ExprPtr &item : list->items) {
      Value value = c.gen.genExpr(*item, Type());
      if (!value)
        return failure();
      inputs.push_back(value);
    }
  } else if (Value value = c.tensor(1)) {
    inputs.push_back(value);
  } else {
    return failure();
  }
  llvm::SmallVector<Value> all = {loss};
  llvm::append_range(all, inputs);
  for (auto [i, value] : llvm::enumerate(all))
    if (!isa<FloatType>(c.gen.elementTypeOf(value)))
      return c.gen.error(c.locOf(i == 0 ? 0 : 1))
             << "'grad' differentiates floating-point values, not "
             << formatType(value.getType());
  llvm::SmallVector<Type> types(inputs.size(), Type());
  for (auto [type, value] : llvm::zip(types, inputs))
    type = c.gen.unranked(value);
  auto op = GradientOp::create(c.gen.builder, c.at(), types, loss, inputs);
  if (!c.gen.typed(op))
    return failure();
  return llvm::SmallVector<Value>(op.getResults());
}

const BuiltinFunction trainingBuiltins[] = {
    {"grad", "outputs, inputs", grad},
};
} // namespace

llvm::ArrayRef<BuiltinFunction> mlir::weft::trainingBuiltinFunctions() {
  return trainingBuiltins;
}
