//===- MLIRGenTraining.cpp - Built-ins for training -----------------------===//
//
// The table rows of the built-ins that train: gradients, the parameters
// they are taken with respect to, and the losses (ops that
// weft-decompose defines by other ops once shapes are known).
//
//===----------------------------------------------------------------------===//

#include "MLIRGenImpl.h"

#include "weft/Dialect/Weft/IR/WeftBuilder.h"

using namespace mlir;
using namespace mlir::weft;

namespace {
/// The values of argument `i`: the values of a call (`parameters(...)`), of
/// each item of a list literal, or the value of any other expression.
FailureOr<llvm::SmallVector<Value>> valuesOf(BoundCall &c, unsigned i) {
  if (auto *call = llvm::dyn_cast<CallExprAST>(&c.expr(i)))
    return c.gen.genCallValues(*call);
  llvm::SmallVector<Value> values;
  if (auto *list = llvm::dyn_cast<ListExprAST>(&c.expr(i))) {
    for (const ExprPtr &item : list->items) {
      Value value = c.gen.genExpr(*item, Type());
      if (!value)
        return failure();
      values.push_back(value);
    }
    return values;
  }
  Value value = c.tensor(i);
  if (!value)
    return failure();
  values.push_back(value);
  return values;
}

/// clamp_(params, min, max), as `p.data.clamp_(min, max)` for each of the
/// parameters (WGAN's weight clipping): each parameter is updated in place.
BuiltinValues clampParameters(BoundCall &c) {
  FailureOr<llvm::SmallVector<Value>> params = valuesOf(c, 0);
  std::optional<double> low = succeeded(params) ? c.number(1) : std::nullopt;
  std::optional<double> high = low ? c.number(2) : std::nullopt;
  if (!high)
    return failure();
  if (*low > *high)
    return c.gen.error(c.call.getLoc())
           << "clamp_ needs min <= max, got " << *low << " and " << *high;
  WeftBuilder d(c.gen.builder, c.at());
  for (Value value : *params) {
    auto param = value.getDefiningOp<ParamOp>();
    if (!param)
      return c.gen.error(c.locOf(0))
             << "clamp_ changes parameters in place: give it parameters(), "
                "parameters(layer) or Param layers";
    Value clamped = d.create<MinimumOp>(
        d.maximum(value, d.constant(*low, value)), d.constant(*high, value));
    c.gen.genParamUpdate(c.call.getLoc(), param.getName(), clamped);
  }
  return llvm::SmallVector<Value>();
}

/// grad(outputs, inputs), as torch.autograd.grad: the gradients of a float
/// scalar with respect to a tensor, or to each tensor of a list literal.
BuiltinValues grad(BoundCall &c) {
  Value loss = c.tensor(0);
  if (!loss)
    return failure();
  // A call giving several values (parameters(...)), a list, or one value.
  FailureOr<llvm::SmallVector<Value>> values = valuesOf(c, 1);
  if (failed(values))
    return failure();
  llvm::SmallVector<Value> inputs = std::move(*values);
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

/// The `reduction` argument: none, mean or sum.
std::optional<LossReduction> reductionOf(BoundCall &c, unsigned i) {
  std::optional<llvm::StringRef> name = c.choice(i, {"mean", "sum", "none"});
  return name ? symbolizeLossReduction(*name) : std::nullopt;
}

/// The optional tensor argument `i` (null when absent), or failure.
FailureOr<Value> optionalTensor(BoundCall &c, unsigned i) {
  if (!c.given(i))
    return Value();
  if (Value value = c.tensor(i))
    return value;
  return failure();
}

/// cross_entropy and nll_loss: scores `[N, C, ...]`, class indices
/// `[N, ...]`.
template <typename Op> BuiltinValues classLoss(BoundCall &c) {
  Value input = c.tensor(0);
  Value target = input ? c.tensor(1) : nullptr;
  if (!target)
    return failure();
  if (!isa<IntegerType>(c.gen.elementTypeOf(target)))
    return c.gen.error(c.locOf(1))
           << "'" << c.name() << "' takes class indices (integers) as its "
           << "target, not " << formatType(target.getType());
  FailureOr<Value> weight = optionalTensor(c, 2);
  std::optional<int64_t> ignore =
      succeeded(weight) ? c.integer(3) : std::nullopt;
  std::optional<LossReduction> reduction =
      ignore ? reductionOf(c, 4) : std::nullopt;
  if (!reduction)
    return failure();
  OpBuilder &b = c.gen.builder;
  Type type = c.gen.unranked(input);
  if constexpr (std::is_same_v<Op, CrossEntropyOp>) {
    std::optional<double> smoothing = c.number(5);
    if (!smoothing)
      return failure();
    if (*smoothing < 0 || *smoothing > 1)
      return c.gen.error(c.locOf(5))
             << "label_smoothing must be in [0, 1], got " << *smoothing;
    return oneValue(c.gen.typed(Op::create(
        b, c.at(), type, input, target, *weight, b.getI64IntegerAttr(*ignore),
        LossReductionAttr::get(b.getContext(), *reduction),
        b.getF64FloatAttr(*smoothing))));
  } else {
    return oneValue(c.gen.typed(Op::create(
        b, c.at(), type, input, target, *weight, b.getI64IntegerAttr(*ignore),
        LossReductionAttr::get(b.getContext(), *reduction))));
  }
}

/// mse_loss and l1_loss.
template <typename Op> BuiltinValues pointwiseLoss(BoundCall &c) {
  Value input, target;
  if (failed(c.gen.genOperands(c.expr(0), c.expr(1), Type(), c.call.getLoc(),
                               input, target)))
    return failure();
  std::optional<LossReduction> reduction = reductionOf(c, 2);
  if (!reduction)
    return failure();
  OpBuilder &b = c.gen.builder;
  return oneValue(c.gen.typed(
      Op::create(b, c.at(), c.gen.unranked(input), input, target,
                 LossReductionAttr::get(b.getContext(), *reduction))));
}

BuiltinValues binaryCrossEntropyWithLogits(BoundCall &c) {
  Value input, target;
  if (failed(c.gen.genOperands(c.expr(0), c.expr(1), Type(), c.call.getLoc(),
                               input, target)))
    return failure();
  FailureOr<Value> weight = optionalTensor(c, 2);
  std::optional<LossReduction> reduction =
      succeeded(weight) ? reductionOf(c, 3) : std::nullopt;
  if (!reduction)
    return failure();
  FailureOr<Value> positive = optionalTensor(c, 4);
  if (failed(positive))
    return failure();
  OpBuilder &b = c.gen.builder;
  return oneValue(c.gen.typed(BinaryCrossEntropyWithLogitsOp::create(
      b, c.at(), c.gen.unranked(input), input, target, *weight, *positive,
      LossReductionAttr::get(b.getContext(), *reduction))));
}

/// next_seed(): a seed for rand and randn that differs at every call and
/// step, as PyTorch's global generator draws anew: the compilation's seed
/// and the count of the generator state's draws, which it advances.
BuiltinValues nextSeed(BoundCall &c) {
  WeftBuilder d(c.gen.builder, c.at());
  Value draws = c.gen.genNextDraw(c.call.getLoc());
  return oneValue(
      d.add(draws, d.constant(static_cast<double>(c.gen.seed << 32), draws)));
}

/// learning_rate(opt): the rate of the optimizer's next step.
BuiltinValues learningRateOf(BoundCall &c) {
  auto *var = llvm::dyn_cast<VarExprAST>(&c.expr(0));
  if (!var)
    return c.gen.error(c.locOf(0)) << "'learning_rate' takes an optimizer of "
                                      "this model, as in learning_rate(opt)";
  Value lr = genLearningRate(c.gen, c.locOf(0), var->name);
  if (!lr)
    return failure();
  return oneValue(lr);
}

const BuiltinFunction trainingBuiltins[] = {
    {"grad", "outputs, inputs", grad},
    {"parameters", "module=None", parameters},
    {"next_seed", "", nextSeed},
    {"learning_rate", "optimizer", learningRateOf},
    {"clamp_", "params, min, max", clampParameters},
    {"cross_entropy",
     "input, target, weight=None, ignore_index=-100, reduction=mean, "
     "label_smoothing=0.0",
     classLoss<CrossEntropyOp>},
    {"nll_loss",
     "input, target, weight=None, ignore_index=-100, reduction=mean",
     classLoss<NllLossOp>},
    {"mse_loss", "input, target, reduction=mean", pointwiseLoss<MseLossOp>},
    {"l1_loss", "input, target, reduction=mean", pointwiseLoss<L1LossOp>},
    {"binary_cross_entropy_with_logits",
     "input, target, weight=None, reduction=mean, pos_weight=None",
     binaryCrossEntropyWithLogits},
};
} // namespace

llvm::ArrayRef<BuiltinFunction> mlir::weft::trainingBuiltinFunctions() {
  return trainingBuiltins;
}
