//===- MLIRGenOptimizers.cpp - Optimizers and learning-rate schedules -----===//
//
// The rows of the layer table that train. An optimizer is declared in a
// model as PyTorch constructs one, `opt = Adam(parameters(), lr=1e-3)`,
// and holds its state as parameters of its own, under its name:
// `opt.state.<parameter>.<key>` with PyTorch's keys (`exp_avg`,
// `momentum_buffer`, ...) and `opt.step`, the steps taken (f64). A call
// `opt(loss)` is one step, PyTorch's `loss.backward(); opt.step()`: the
// gradients of the loss with respect to the optimizer's parameters
// (`weft.gradient`), optionally clipped to a global norm, then each
// parameter and its state updated in place (`weft.update_param`) by
// PyTorch's formulas, in PyTorch's order of operations. The scalars that
// depend on the step (bias corrections, scheduled learning rates) are
// computed in float64, as PyTorch computes them in Python floats.
//
// A schedule, `sched = StepLR(opt, step_size=10)`, gives its optimizer's
// learning rate at each step, as PyTorch's scheduler stepped once after
// every optimizer step.
//
//===----------------------------------------------------------------------===//

#include "MLIRGenImpl.h"

#include "weft/Dialect/Weft/IR/WeftBuilder.h"

#include "llvm/ADT/StringExtras.h"

using namespace mlir;
using namespace mlir::weft;

namespace {
/// Reads number argument `i` into `layer.hyper` under its parameter name,
/// checking that it is at least `low` (and below `high`, when given).
bool hyper(BoundCall &c, unsigned i, llvm::StringRef name, Layer &layer,
           double low, std::optional<double> high = std::nullopt) {
  std::optional<double> value = c.number(i);
  if (!value)
    return false;
  // `weft train --lr` replaces what the program says.
  if (name == "lr" && c.gen.learningRate)
    value = c.gen.learningRate;
  if (*value < low || (high && *value >= *high)) {
    InFlightDiagnostic diag = c.gen.error(c.locOf(i));
    diag << "invalid " << name << " for " << c.name() << ": "
         << formatNumber(*value) << " (it must be at least "
         << formatNumber(low);
    if (high)
      diag << " and below " << formatNumber(*high);
    diag << ")";
    return false;
  }
  layer.hyper[name] = *value;
  return true;
}

/// Reads positive integer argument `i` into `layer.hyper`.
bool count(BoundCall &c, unsigned i, llvm::StringRef name, Layer &layer) {
  std::optional<int64_t> value = c.integer(i);
  if (!value)
    return false;
  if (*value < 1) {
    c.gen.error(c.locOf(i)) << name << " must be positive, got " << *value;
    return false;
  }
  layer.hyper[name] = *value;
  return true;
}

bool flag(BoundCall &c, unsigned i, llvm::StringRef name, Layer &layer) {
  std::optional<bool> value = c.boolean(i);
  if (value)
    layer.hyper[name] = *value;
  return value.has_value();
}

/// The layers argument 0 names: `parameters()` (all of the model's, which
/// leaves `targets` empty), `parameters(layer)`, a layer, or a list of
/// layers.
LogicalResult readTargets(BoundCall &c, Instance &instance, Layer &layer) {
  const ExprAST &arg = c.expr(0);
  llvm::SmallVector<const ExprAST *> names;
  if (auto *call = llvm::dyn_cast<CallExprAST>(&arg);
      call && call->callee == "parameters" && call->kwargs.empty() &&
      call->args.size() <= 1) {
    if (!call->args.empty())
      names.push_back(call->args.front().get());
  } else if (auto *list = llvm::dyn_cast<ListExprAST>(&arg)) {
    for (const ExprPtr &item : list->items)
      names.push_back(item.get());
  } else {
    names.push_back(&arg);
  }
  for (const ExprAST *name : names) {
    auto *var = llvm::dyn_cast<VarExprAST>(name);
    if (!var)
      return c.gen.error(name->getLoc())
             << c.name()
             << " takes the parameters to train as parameters(), "
                "parameters(layer), a layer or a list of layers [a, b]";
    auto it = instance.layers.find(var->name);
    if (it == instance.layers.end())
      return c.gen.error(name->getLoc())
             << "'" << var->name
             << "' is not a layer declared before the optimizer";
    layer.targets.push_back(var->name);
  }
  return success();
}

/// The parameters an optimizer of `instance` updates, in PyTorch's order.
llvm::SmallVector<NamedParam> trainedParameters(MLIRGenImpl &gen,
                                                const Instance &instance,
                                                const Layer &optimizer) {
  llvm::SmallVector<NamedParam> params;
  if (optimizer.targets.empty())
    gen.collectParameters(instance, {}, params);
  for (const std::string &target : optimizer.targets)
    gen.collectParameters(instance, target, params);
  return params;
}

/// The name of the optimizer's state `key` of `param`, under the optimizer:
/// `state.fc1.weight.exp_avg`.
std::string stateSuffix(const Instance &instance, const NamedParam &param,
                        llvm::StringRef key) {
  std::string name = param.name();
  llvm::StringRef relative = name;
  if (!instance.prefix.empty())
    relative = relative.drop_front(instance.prefix.size() + 1);
  return ("state." + relative + "." + key).str();
}

/// Declares an optimizer whose state holds `keys` for each parameter it
/// trains; its hyperparameters are read already.
LogicalResult declareOptimizer(BoundCall &c, Layer &layer,
                               llvm::ArrayRef<llvm::StringRef> keys) {
  Instance *instance = c.gen.getCurrentInstance();
  if (failed(readTargets(c, *instance, layer)))
    return failure();
  layer.kind = Layer::Optimizer;
  llvm::SmallVector<NamedParam> params =
      trainedParameters(c.gen, *instance, layer);
  if (params.empty())
    return c.gen.error(c.locOf(0))
           << c.name() << " has no trainable parameters to update";
  for (const NamedParam &param : params)
    for (llvm::StringRef key : keys) {
      ParamSpec spec{stateSuffix(*instance, param, key), param.spec->shape,
                     InitKind::zeros};
      spec.trainable = false;
      spec.trainingState = true;
      layer.params.push_back(std::move(spec));
    }
  ParamSpec step{"step", {}, InitKind::zeros};
  step.trainable = false;
  step.trainingState = true;
  layer.params.push_back(std::move(step));
  return success();
}

// SGD(params, lr, momentum=0, dampening=0, weight_decay=0, nesterov=false,
//     maximize=false)

LogicalResult declareSGD(BoundCall &c, Layer &layer) {
  if (!hyper(c, 1, "lr", layer, 0) || !hyper(c, 2, "momentum", layer, 0) ||
      !hyper(c, 3, "dampening", layer, -INFINITY) ||
      !hyper(c, 4, "weight_decay", layer, 0) ||
      !flag(c, 5, "nesterov", layer) || !flag(c, 6, "maximize", layer))
    return failure();
  if (layer.hyper["nesterov"] &&
      (layer.hyper["momentum"] <= 0 || layer.hyper["dampening"] != 0))
    return c.gen.error(c.locOf(5))
           << "Nesterov momentum requires a momentum and zero dampening";
  if (layer.hyper["momentum"] != 0)
    return declareOptimizer(c, layer, {"momentum_buffer"});
  return declareOptimizer(c, layer, {});
}

// Adam and AdamW(params, lr=1e-3, betas=[0.9, 0.999], eps=1e-8,
//                weight_decay=0 (AdamW: 1e-2), amsgrad=false,
//                maximize=false)

LogicalResult declareAdam(BoundCall &c, Layer &layer) {
  std::optional<llvm::SmallVector<double>> betas;
  if (!hyper(c, 1, "lr", layer, 0) || !(betas = c.numberList(2)) ||
      !hyper(c, 3, "eps", layer, 0) || !hyper(c, 4, "weight_decay", layer, 0) ||
      !flag(c, 5, "amsgrad", layer) || !flag(c, 6, "maximize", layer))
    return failure();
  if (betas->size() != 2)
    return c.gen.error(c.locOf(2)) << "betas is a pair [beta1, beta2], got "
                                   << betas->size() << " numbers";
  for (auto [i, beta] : llvm::enumerate(*betas)) {
    if (beta < 0 || beta >= 1)
      return c.gen.error(c.locOf(2))
             << "invalid beta parameter at index " << i << ": "
             << formatNumber(beta) << " (it must be in [0, 1))";
    layer.hyper[i == 0 ? "beta1" : "beta2"] = beta;
  }
  if (layer.hyper["amsgrad"])
    return declareOptimizer(c, layer,
                            {"exp_avg", "exp_avg_sq", "max_exp_avg_sq"});
  return declareOptimizer(c, layer, {"exp_avg", "exp_avg_sq"});
}

// Adagrad(params, lr=1e-2, lr_decay=0, weight_decay=0,
//         initial_accumulator_value=0, eps=1e-10, maximize=false)

LogicalResult declareAdagrad(BoundCall &c, Layer &layer) {
  if (!hyper(c, 1, "lr", layer, 0) || !hyper(c, 2, "lr_decay", layer, 0) ||
      !hyper(c, 3, "weight_decay", layer, 0) ||
      !hyper(c, 4, "initial_accumulator_value", layer, 0) ||
      !hyper(c, 5, "eps", layer, 0) || !flag(c, 6, "maximize", layer))
    return failure();
  return declareOptimizer(c, layer, {"sum"});
}

// RMSprop(params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0,
//         momentum=0, centered=false, maximize=false)

LogicalResult declareRMSprop(BoundCall &c, Layer &layer) {
  if (!hyper(c, 1, "lr", layer, 0) || !hyper(c, 2, "alpha", layer, 0) ||
      !hyper(c, 3, "eps", layer, 0) || !hyper(c, 4, "weight_decay", layer, 0) ||
      !hyper(c, 5, "momentum", layer, 0) || !flag(c, 6, "centered", layer) ||
      !flag(c, 7, "maximize", layer))
    return failure();
  llvm::SmallVector<llvm::StringRef> keys = {"square_avg"};
  if (layer.hyper["momentum"] > 0)
    keys.push_back("momentum_buffer");
  if (layer.hyper["centered"])
    keys.push_back("grad_avg");
  return declareOptimizer(c, layer, keys);
}

/// One parameter's update in one step, as an optimizer's formula sees it.
struct ParamStep {
  WeftBuilder &d;
  const Layer &optimizer;
  Value param, grad;
  /// The steps taken before this one, and the learning rate of this one
  /// (f64 scalars).
  Value steps, lr;
  llvm::function_ref<Value(llvm::StringRef)> state;
  llvm::function_ref<void(llvm::StringRef, Value)> setState;

  double h(llvm::StringRef name) const { return optimizer.hyper.lookup(name); }
  bool has(llvm::StringRef name) const { return h(name) != 0; }
  /// A scalar of the parameter's dtype.
  Value scalar(double value) { return d.constant(value, param); }
  /// An f64 scalar as one of the parameter's dtype.
  Value rounded(Value value) { return d.convert(value, elementTypeOf(param)); }
  Value lrScalar() { return rounded(lr); }
  /// The step count as of this step (1 for the first), f64.
  Value count() { return d.add(steps, d.constant(1, steps)); }
  /// Whether this is the first step: a boolean scalar.
  Value first() {
    return d.compare(ComparePredicate::eq, steps, d.constant(0, steps));
  }
  /// `x + alpha * y`: PyTorch's `x.add(y, alpha=alpha)`.
  Value addScaled(Value x, double alpha, Value y) {
    return d.add(x, d.mul(scalar(alpha), y));
  }
  /// The gradient with `maximize` and `weight_decay` applied.
  Value decayedGrad() {
    Value g = has("maximize") ? d.neg(grad) : grad;
    return has("weight_decay") ? addScaled(g, h("weight_decay"), param) : g;
  }
};

Value sgdUpdate(ParamStep &s) {
  WeftBuilder &d = s.d;
  Value g = s.decayedGrad();
  if (s.has("momentum")) {
    double momentum = s.h("momentum");
    // The buffer starts as the first gradient itself.
    Value buf =
        d.where(s.first(), g,
                d.add(d.mul(s.state("momentum_buffer"), s.scalar(momentum)),
                      d.mul(s.scalar(1 - s.h("dampening")), g)));
    s.setState("momentum_buffer", buf);
    g = s.has("nesterov") ? s.addScaled(g, momentum, buf) : buf;
  }
  return d.sub(s.param, d.mul(s.lrScalar(), g));
}

/// Adam and AdamW: `decoupled` decays the weights themselves (AdamW).
template <bool decoupled> Value adamUpdate(ParamStep &s) {
  WeftBuilder &d = s.d;
  Value param = s.param;
  Value g = s.has("maximize") ? d.neg(s.grad) : s.grad;
  if (decoupled) {
    Value keep = d.sub(d.constant(1, s.lr),
                       d.mul(s.lr, d.constant(s.h("weight_decay"), s.lr)));
    param = d.mul(param, s.rounded(keep));
  } else if (s.has("weight_decay")) {
    g = s.addScaled(g, s.h("weight_decay"), param);
  }
  double beta1 = s.h("beta1"), beta2 = s.h("beta2");
  Value m = d.add(d.mul(s.state("exp_avg"), s.scalar(beta1)),
                  d.mul(s.scalar(1 - beta1), g));
  Value v = d.add(d.mul(s.state("exp_avg_sq"), s.scalar(beta2)),
                  d.mul(d.mul(s.scalar(1 - beta2), g), g));
  s.setState("exp_avg", m);
  s.setState("exp_avg_sq", v);
  Value count = s.count();
  auto correction = [&](double beta) {
    return d.sub(d.constant(1, count), d.pow(d.constant(beta, count), count));
  };
  Value stepSize = s.rounded(d.div(s.lr, correction(beta1)));
  Value root = s.rounded(d.sqrt(correction(beta2)));
  if (s.has("amsgrad")) {
    v = d.maximum(s.state("max_exp_avg_sq"), v);
    s.setState("max_exp_avg_sq", v);
  }
  Value denom = d.add(d.div(d.sqrt(v), root), s.scalar(s.h("eps")));
  return d.sub(param, d.div(d.mul(stepSize, m), denom));
}

Value adagradUpdate(ParamStep &s) {
  WeftBuilder &d = s.d;
  Value g = s.decayedGrad();
  Value steps = s.steps;
  Value clr = s.rounded(
      d.div(s.lr, d.add(d.constant(1, steps),
                        d.mul(steps, d.constant(s.h("lr_decay"), steps)))));
  Value sum = s.state("sum");
  // The sum starts at initial_accumulator_value, before the first step.
  if (s.has("initial_accumulator_value"))
    sum = d.where(s.first(), s.scalar(s.h("initial_accumulator_value")), sum);
  sum = d.add(sum, d.mul(g, g));
  s.setState("sum", sum);
  Value std = d.add(d.sqrt(sum), s.scalar(s.h("eps")));
  return d.sub(s.param, d.div(d.mul(clr, g), std));
}

Value rmspropUpdate(ParamStep &s) {
  WeftBuilder &d = s.d;
  Value g = s.decayedGrad();
  double alpha = s.h("alpha");
  Value square = d.add(d.mul(s.state("square_avg"), s.scalar(alpha)),
                       d.mul(d.mul(s.scalar(1 - alpha), g), g));
  s.setState("square_avg", square);
  Value avg;
  if (s.has("centered")) {
    Value mean = d.add(d.mul(s.state("grad_avg"), s.scalar(alpha)),
                       d.mul(s.scalar(1 - alpha), g));
    s.setState("grad_avg", mean);
    avg = d.sqrt(d.sub(square, d.mul(mean, mean)));
  } else {
    avg = d.sqrt(square);
  }
  avg = d.add(avg, s.scalar(s.h("eps")));
  Value lr = s.lrScalar();
  if (s.has("momentum")) {
    Value buf =
        d.add(d.mul(s.state("momentum_buffer"), s.scalar(s.h("momentum"))),
              d.div(g, avg));
    s.setState("momentum_buffer", buf);
    return d.sub(s.param, d.mul(lr, buf));
  }
  return d.sub(s.param, d.div(d.mul(lr, g), avg));
}

/// PyTorch's clip_grad_norm_(grads, max_norm): the gradients scaled by
/// min(1, max_norm / (‖(‖g₁‖, ‖g₂‖, ...)‖ + 1e-6)).
void clipToNorm(WeftBuilder &d, llvm::SmallVectorImpl<Value> &grads,
                double maxNorm) {
  Value total;
  for (Value g : grads) {
    Value norm = d.sqrt(d.sumAll(d.mul(g, g)));
    Value square = d.mul(norm, norm);
    total = total ? d.add(total, square) : square;
  }
  total = d.sqrt(total);
  Value coef =
      d.div(d.constant(maxNorm, total), d.add(total, d.constant(1e-6, total)));
  coef = d.create<MinimumOp>(coef, d.constant(1, coef));
  for (Value &g : grads)
    g = d.mul(g, coef);
}

/// The learning rate of the step after `steps` steps (f64), given the
/// optimizer's `lr`: its schedule's, if it has one.
Value learningRate(WeftBuilder &d, const Instance &instance,
                   llvm::StringRef name, const Layer &optimizer, Value steps) {
  Value lr = d.constant(optimizer.hyper.lookup("lr"), steps);
  for (const auto &entry : instance.layers) {
    const Layer &layer = entry.getValue();
    if (layer.kind == Layer::Schedule && layer.targets.front() == name)
      return layer.learningRate(d, layer, lr, steps);
  }
  return lr;
}

/// A call `opt(loss, max_norm=None)`: one step; gives the loss.
template <Value (*update)(ParamStep &)> Value applyOptimizer(LayerCall &c) {
  MLIRGenImpl &gen = c.gen;
  SMLoc at = c.call.getLoc();
  std::optional<double> maxNorm;
  if (c.args.given(1)) {
    maxNorm = c.args.number(1);
    if (!maxNorm)
      return nullptr;
    if (*maxNorm <= 0) {
      gen.error(c.args.locOf(1))
          << "max_norm must be positive, got " << formatNumber(*maxNorm);
      return nullptr;
    }
  }
  Value loss = c.input;
  if (!isa<FloatType>(gen.elementTypeOf(loss))) {
    gen.error(at) << "'" << c.name << "' minimizes a floating-point loss, not "
                  << formatType(loss.getType());
    return nullptr;
  }
  const Instance &instance = *gen.getCurrentInstance();
  llvm::SmallVector<NamedParam> trained =
      trainedParameters(gen, instance, c.layer);
  Type elem = gen.defaultElementType();
  llvm::SmallVector<Value> params;
  for (const NamedParam &param : trained)
    params.push_back(gen.genLayerParam(at, param.layerName, *param.layer,
                                       param.spec->suffix, elem));
  llvm::SmallVector<Type> types;
  for (Value param : params)
    types.push_back(param.getType());
  auto gradient = GradientOp::create(gen.builder, c.at(), types, loss, params);
  if (!gen.typed(gradient))
    return nullptr;
  llvm::SmallVector<Value> grads(gradient.getResults());
  WeftBuilder d(gen.builder, c.at());
  if (maxNorm)
    clipToNorm(d, grads, *maxNorm);

  std::string name = gen.qualified(c.name);
  Value steps = c.param("step", gen.builder.getF64Type());
  Value lr = learningRate(d, instance, c.name, c.layer, steps);
  for (auto [param, value, grad] : llvm::zip(trained, params, grads)) {
    std::string prefix = stateSuffix(instance, param, "");
    auto state = [&](llvm::StringRef key) {
      return c.param(prefix + key.str(), elem);
    };
    auto setState = [&](llvm::StringRef key, Value v) {
      gen.genParamUpdate(at, name + "." + prefix + key.str(), v);
    };
    ParamStep step{d, c.layer, value, grad, steps, lr, state, setState};
    gen.genParamUpdate(at, param.name(), update(step));
  }
  gen.genParamUpdate(at, name + ".step", d.add(steps, d.constant(1, steps)));
  return loss;
}

/// Declares a schedule of the optimizer argument 0 names.
LogicalResult declareSchedule(BoundCall &c, Layer &layer) {
  auto *var = llvm::dyn_cast<VarExprAST>(&c.expr(0));
  Instance &instance = *c.gen.getCurrentInstance();
  auto it = var ? instance.layers.find(var->name) : instance.layers.end();
  if (it == instance.layers.end() || it->second.kind != Layer::Optimizer)
    return c.gen.error(c.locOf(0))
           << c.name() << " takes the optimizer it schedules, declared "
           << "before it (as in " << c.name() << "(opt, ...))";
  for (const auto &other : instance.layers)
    if (other.getValue().kind == Layer::Schedule &&
        other.getValue().targets.front() == var->name)
      return c.gen.error(c.locOf(0))
             << "optimizer '" << var->name << "' has a schedule already";
  layer.kind = Layer::Schedule;
  layer.targets = {var->name};
  return success();
}

// StepLR(optimizer, step_size, gamma=0.1): lr · gamma^⌊t / step_size⌋.

Value stepLearningRate(WeftBuilder &d, const Layer &s, Value lr, Value t) {
  Value periods = d.floorDiv(t, d.constant(s.hyper.lookup("step_size"), t));
  return d.mul(lr, d.pow(d.constant(s.hyper.lookup("gamma"), t), periods));
}

LogicalResult declareStepLR(BoundCall &c, Layer &layer) {
  if (!count(c, 1, "step_size", layer) || !hyper(c, 2, "gamma", layer, 0))
    return failure();
  layer.learningRate = stepLearningRate;
  return declareSchedule(c, layer);
}

// CosineAnnealingLR(optimizer, T_max, eta_min=0):
// eta_min + (lr - eta_min) · (1 + cos(π t / T_max)) / 2.

Value cosineLearningRate(WeftBuilder &d, const Layer &s, Value lr, Value t) {
  Value etaMin = d.constant(s.hyper.lookup("eta_min"), t);
  Value angle = d.mul(t, d.constant(M_PI / s.hyper.lookup("T_max"), t));
  Value half = d.mul(d.add(d.constant(1, t), d.cos(angle)), d.constant(0.5, t));
  return d.add(etaMin, d.mul(d.sub(lr, etaMin), half));
}

LogicalResult declareCosineAnnealingLR(BoundCall &c, Layer &layer) {
  if (!count(c, 1, "T_max", layer) || !hyper(c, 2, "eta_min", layer, 0))
    return failure();
  layer.learningRate = cosineLearningRate;
  return declareSchedule(c, layer);
}

// LinearLR(optimizer, start_factor=1/3, end_factor=1.0, total_iters=5):
// lr · (start + (end - start) · min(t, total) / total), a linear warm-up.

Value linearLearningRate(WeftBuilder &d, const Layer &s, Value lr, Value t) {
  double start = s.hyper.lookup("start_factor");
  double end = s.hyper.lookup("end_factor");
  double total = s.hyper.lookup("total_iters");
  Value progress = d.create<MinimumOp>(t, d.constant(total, t));
  Value factor = d.add(d.constant(start, t),
                       d.mul(progress, d.constant((end - start) / total, t)));
  return d.mul(lr, factor);
}

LogicalResult declareLinearLR(BoundCall &c, Layer &layer) {
  if (!hyper(c, 1, "start_factor", layer, 0) ||
      !hyper(c, 2, "end_factor", layer, 0))
    return failure();
  for (unsigned i : {1u, 2u})
    if (layer.hyper[i == 1 ? "start_factor" : "end_factor"] > 1 ||
        (i == 1 && layer.hyper["start_factor"] == 0))
      return c.gen.error(c.locOf(i))
             << (i == 1 ? "start_factor must be in (0, 1]"
                        : "end_factor must be in [0, 1]");
  if (!count(c, 3, "total_iters", layer))
    return failure();
  layer.learningRate = linearLearningRate;
  return declareSchedule(c, layer);
}

constexpr llvm::StringLiteral kStepCall = "loss, max_norm=None";

const LayerKind optimizerTable[] = {
    {"SGD",
     "params, lr, momentum=0, dampening=0, weight_decay=0, nesterov=false, "
     "maximize=false",
     declareSGD, applyOptimizer<sgdUpdate>, kStepCall},
    {"Adam",
     "params, lr=1e-3, betas=[0.9, 0.999], eps=1e-8, weight_decay=0, "
     "amsgrad=false, maximize=false",
     declareAdam, applyOptimizer<adamUpdate<false>>, kStepCall},
    {"AdamW",
     "params, lr=1e-3, betas=[0.9, 0.999], eps=1e-8, weight_decay=1e-2, "
     "amsgrad=false, maximize=false",
     declareAdam, applyOptimizer<adamUpdate<true>>, kStepCall},
    {"Adagrad",
     "params, lr=1e-2, lr_decay=0, weight_decay=0, "
     "initial_accumulator_value=0, eps=1e-10, maximize=false",
     declareAdagrad, applyOptimizer<adagradUpdate>, kStepCall},
    {"RMSprop",
     "params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0, "
     "centered=false, maximize=false",
     declareRMSprop, applyOptimizer<rmspropUpdate>, kStepCall},
    {"StepLR", "optimizer, step_size, gamma=0.1", declareStepLR, nullptr},
    {"CosineAnnealingLR", "optimizer, T_max, eta_min=0",
     declareCosineAnnealingLR, nullptr},
    {"LinearLR",
     "optimizer, start_factor=0.3333333333333333, end_factor=1.0, "
     "total_iters=5",
     declareLinearLR, nullptr},
};
} // namespace

llvm::ArrayRef<LayerKind> mlir::weft::optimizerLayerKinds() {
  return optimizerTable;
}

Value mlir::weft::genLearningRate(MLIRGenImpl &gen, SMLoc at,
                                  llvm::StringRef optimizer) {
  const Instance *instance = gen.getCurrentInstance();
  auto it = instance ? instance->layers.find(optimizer)
                     : llvm::StringMap<Layer>::const_iterator();
  if (!instance || it == instance->layers.end() ||
      it->second.kind != Layer::Optimizer) {
    gen.error(at) << "'learning_rate' takes an optimizer of this model, as "
                     "in learning_rate(opt)";
    return nullptr;
  }
  WeftBuilder d(gen.builder, gen.loc(at));
  Value steps = gen.genLayerParam(at, gen.qualified(optimizer), it->second,
                                  "step", gen.builder.getF64Type());
  return d.convert(learningRate(d, *instance, optimizer, it->second, steps),
                   gen.defaultElementType());
}
