//===- MLIRGenTraining.cpp - Built-ins for training -----------------------===//
//
// The table rows of the built-ins that train: gradients and the
// parameters they are taken with respect to.
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
  if (auto *call = llvm::dyn_cast<CallExprAST>(&c.expr(1))) {
    // A call giving several values: parameters(...).
    FailureOr<llvm::SmallVector<Value>> values = c.gen.genCallValues(*call);
    if (failed(values))
      return failure();
    inputs = std::move(*values);
  } else if (auto *list = llvm::dyn_cast<ListExprAST>(&c.expr(1))) {
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

/// parameters(module=None), as nn.Module.parameters(): the trainable
/// parameters of the model whose method this is, or of its layer `module`
/// (a layer, a model or a list of models), in PyTorch's order.
BuiltinValues parameters(BoundCall &c) {
  Instance *instance = c.gen.getCurrentInstance();
  if (!instance)
    return c.gen.error(c.call.getLoc())
           << "'parameters' gives a model's parameters; call it in one of "
              "its methods";
  llvm::StringRef only;
  if (c.given(0)) {
    auto *name = llvm::dyn_cast<VarExprAST>(&c.expr(0));
    if (!name || !instance->layers.count(name->name))
      return c.gen.error(c.locOf(0))
             << "'parameters' takes the name of one of the model's layers";
    only = name->name;
  }
  llvm::SmallVector<Value> values =
      c.gen.genParameters(c.call.getLoc(), *instance, only);
  if (values.empty())
    return c.gen.error(c.call.getLoc())
           << "'" << (only.empty() ? llvm::StringRef("the model") : only)
           << "' has no trainable parameters";
  return values;
}

const BuiltinFunction trainingBuiltins[] = {
    {"grad", "outputs, inputs", grad},
    {"parameters", "module=None", parameters},
};
} // namespace

llvm::ArrayRef<BuiltinFunction> mlir::weft::trainingBuiltinFunctions() {
  return trainingBuiltins;
}
