//===- MLIRGenLayers.cpp - Model layers to the weft dialect ---------------===//
//
// A layer declaration (`fc = Linear(784, 256)`) is checked once; each call of
// the layer reads its parameters with `weft.param` under their PyTorch names
// and applies the layer's op. Default initializations follow PyTorch's.
//
//===----------------------------------------------------------------------===//

#include "MLIRGenImpl.h"

#include "llvm/ADT/ScopeExit.h"

#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::weft;

namespace {
/// The PyTorch constructor signatures weft accepts, parameter names first.
const llvm::StringRef linearParams[] = {"in", "out", "bias"};
const llvm::StringRef conv2dParams[] = {
    "in", "out", "kernel", "stride", "padding", "dilation", "groups", "bias"};
const llvm::StringRef convTranspose2dParams[] = {
    "in",   "out",     "kernel", "stride", "padding", "output_padding",
    "bias", "dilation"};
const llvm::StringRef batchNormParams[] = {"features", "eps"};
const llvm::StringRef layerNormParams[] = {"shape", "eps"};
const llvm::StringRef dropoutParams[] = {"p"};
const llvm::StringRef embeddingParams[] = {"num", "dim"};
const llvm::StringRef oneInput[] = {"x"};

/// A number as written in a program: 1.5, 0.001, 1e-08.
std::string formatNumber(double value) {
  std::string text;
  llvm::raw_string_ostream(text) << llvm::format("%g", value);
  return text;
}
} // namespace

FailureOr<Instance *>
MLIRGenImpl::instantiate(const ModelAST &model, SMLoc at, std::string prefix,
                         std::string symbol, llvm::StringMap<int64_t> params,
                         llvm::SmallVectorImpl<const ModelAST *> &outer) {
  if (llvm::is_contained(outer, &model))
    return error(at) << "model '" << model.name << "' contains itself";
  instances.push_back(std::make_unique<Instance>(Instance{&model,
                                                          std::move(prefix),
                                                          std::move(symbol),
                                                          std::move(params),
                                                          {},
                                                          {}}));
  Instance &instance = *instances.back();
  outer.push_back(&model);
  Instance *saved = currentInstance;
  currentInstance = &instance;
  llvm::scope_exit restore([&] {
    currentInstance = saved;
    outer.pop_back();
  });
  for (const LayerAST &layer : model.layers)
    if (failed(declareLayer(instance, layer, outer)))
      return failure();
  for (const FunctionAST &f : model.methods) {
    callables.push_back(std::make_unique<Callable>(
        Callable{&f, &instance, instance.symbol + "." + f.name, {}}));
    instance.methods[f.name] = callables.back().get();
  }
  return &instance;
}

LogicalResult
MLIRGenImpl::declareModelLayer(Instance &instance, const LayerAST &decl,
                               const ModelAST &model, Layer &layer,
                               llvm::SmallVectorImpl<const ModelAST *> &outer) {
  const CallExprAST &ctor = *decl.constructor;
  llvm::SmallVector<llvm::StringRef> names;
  for (const ParamAST &param : model.params)
    names.push_back(param.name);
  auto args = bindArguments(ctor, names, names.size());
  if (failed(args))
    return failure();
  llvm::StringMap<int64_t> params;
  for (auto [name, arg] : llvm::zip(names, *args)) {
    std::optional<int64_t> value = evalInt(*arg);
    if (!value)
      return failure();
    params[name] = *value;
  }
  int64_t count = 1;
  if (decl.count) {
    std::optional<int64_t> value = evalInt(*decl.count);
    if (!value)
      return failure();
    if (*value < 1)
      return error(decl.count->getLoc())
             << "a list of models needs at least one, got " << *value;
    count = *value;
  }
  layer.kind = decl.count ? Layer::ModelList : Layer::Model;
  std::string prefix = qualified(decl.name);
  std::string symbol = instance.symbol + "." + decl.name;
  for (int64_t i = 0; i < count; ++i) {
    std::string suffix = decl.count ? "." + std::to_string(i) : "";
    FailureOr<Instance *> child = instantiate(
        model, ctor.getLoc(), prefix + suffix, symbol + suffix, params, outer);
    if (failed(child))
      return failure();
    layer.models.push_back(*child);
  }
  return success();
}

LogicalResult
MLIRGenImpl::declareLayer(Instance &instance, const LayerAST &decl,
                          llvm::SmallVectorImpl<const ModelAST *> &outer) {
  const CallExprAST &ctor = *decl.constructor;
  llvm::StringRef kind = ctor.callee;
  Layer layer;
  layer.loc = decl.loc;
  if (const ModelAST *model = models.lookup(kind)) {
    if (failed(declareModelLayer(instance, decl, *model, layer, outer)))
      return failure();
    instance.layers[decl.name] = layer;
    return success();
  }
  if (decl.count)
    return error(ctor.getLoc()) << "only models can be repeated in a list; '"
                                << kind << "' is not a model";
  auto positive = [&](const ExprAST *expr, int64_t &out) {
    std::optional<int64_t> value = evalInt(*expr);
    if (value && *value <= 0) {
      error(expr->getLoc())
          << kind << " sizes must be positive, got " << *value;
      return false;
    }
    out = value.value_or(0);
    return value.has_value();
  };
  auto flag = [&](const ExprAST *expr, bool &out) {
    if (!expr)
      return true;
    std::optional<bool> value = evalBool(*expr);
    out = value.value_or(out);
    return value.has_value();
  };
  auto pair = [&](const ExprAST *expr, std::array<int64_t, 2> &out,
                  int64_t minimum) {
    if (!expr)
      return true;
    std::optional<std::array<int64_t, 2>> value = evalPair(*expr);
    if (value && ((*value)[0] < minimum || (*value)[1] < minimum)) {
      error(expr->getLoc())
          << kind << " sizes must be at least " << minimum << ", got ["
          << (*value)[0] << ", " << (*value)[1] << "]";
      return false;
    }
    if (value)
      out = *value;
    return value.has_value();
  };
  auto number = [&](const ExprAST *expr, double &out, double low, double high) {
    if (!expr)
      return true;
    std::optional<double> value = evalNumber(*expr);
    if (value && (*value < low || *value > high)) {
      error(expr->getLoc())
          << kind << " expects a value in [" << formatNumber(low) << ", "
          << formatNumber(high) << "], got " << formatNumber(*value);
      return false;
    }
    out = value.value_or(out);
    return value.has_value();
  };

  if (kind == "Linear") {
    auto args = bindArguments(ctor, linearParams, 2);
    if (failed(args) || !positive((*args)[0], layer.in) ||
        !positive((*args)[1], layer.out) || !flag((*args)[2], layer.bias))
      return failure();
    layer.kind = Layer::Linear;
  } else if (kind == "Conv2d") {
    auto args = bindArguments(ctor, conv2dParams, 3);
    if (failed(args) || !positive((*args)[0], layer.in) ||
        !positive((*args)[1], layer.out) ||
        !pair((*args)[2], layer.kernel, 1) ||
        !pair((*args)[3], layer.stride, 1) ||
        !pair((*args)[4], layer.padding, 0) ||
        !pair((*args)[5], layer.dilation, 1) ||
        ((*args)[6] && !positive((*args)[6], layer.groups)) ||
        !flag((*args)[7], layer.bias))
      return failure();
    if (layer.in % layer.groups || layer.out % layer.groups)
      return error(ctor.getLoc())
             << "Conv2d channels (" << layer.in << ", " << layer.out
             << ") must be divisible by groups " << layer.groups;
    layer.kind = Layer::Conv2d;
  } else if (kind == "ConvTranspose2d") {
    auto args = bindArguments(ctor, convTranspose2dParams, 3);
    if (failed(args) || !positive((*args)[0], layer.in) ||
        !positive((*args)[1], layer.out) ||
        !pair((*args)[2], layer.kernel, 1) ||
        !pair((*args)[3], layer.stride, 1) ||
        !pair((*args)[4], layer.padding, 0) ||
        !pair((*args)[5], layer.outputPadding, 0) ||
        !flag((*args)[6], layer.bias) || !pair((*args)[7], layer.dilation, 1))
      return failure();
    layer.kind = Layer::ConvTranspose2d;
  } else if (kind == "BatchNorm1d" || kind == "BatchNorm2d") {
    auto args = bindArguments(ctor, batchNormParams, 1);
    if (failed(args) || !positive((*args)[0], layer.out) ||
        !number((*args)[1], layer.eps, 0, 1))
      return failure();
    layer.kind = Layer::BatchNorm;
  } else if (kind == "LayerNorm") {
    auto args = bindArguments(ctor, layerNormParams, 1);
    if (failed(args))
      return failure();
    std::optional<llvm::SmallVector<int64_t>> shape = evalIntList(*(*args)[0]);
    if (!shape || !number((*args)[1], layer.eps, 0, 1))
      return failure();
    for (int64_t size : *shape)
      if (size <= 0)
        return error((*args)[0]->getLoc())
               << "LayerNorm sizes must be positive, got " << size;
    layer.shape = *shape;
    layer.kind = Layer::LayerNorm;
  } else if (kind == "Embedding") {
    auto args = bindArguments(ctor, embeddingParams, 2);
    if (failed(args) || !positive((*args)[0], layer.in) ||
        !positive((*args)[1], layer.out))
      return failure();
    layer.kind = Layer::Embedding;
  } else if (kind == "Dropout") {
    auto args = bindArguments(ctor, dropoutParams, 0);
    if (failed(args) || !number((*args)[0], layer.p, 0, 1))
      return failure();
    layer.kind = Layer::Dropout;
  } else if (kind == "Param") {
    if (!ctor.kwargs.empty())
      return error(ctor.kwargs.front().loc)
             << "Param takes only its dimensions";
    layer.kind = Layer::Param;
    for (const ExprPtr &arg : ctor.args) {
      int64_t size;
      if (!positive(arg.get(), size))
        return failure();
      layer.shape.push_back(size);
    }
  } else {
    return error(ctor.getLoc())
           << "unknown layer type '" << kind
           << "' (this version knows Linear, Conv2d, ConvTranspose2d, "
              "BatchNorm1d, BatchNorm2d, LayerNorm, Embedding, Dropout and "
              "Param, or a model)";
  }
  instance.layers[decl.name] = layer;
  return success();
}

Value MLIRGenImpl::genLayerCall(const CallExprAST &call, llvm::StringRef name,
                                const Layer &layer) {
  if (layer.kind == Layer::Param) {
    error(call.getLoc()) << "'" << name
                         << "' is a parameter, not a layer; use it as a "
                            "value";
    return nullptr;
  }
  if (layer.kind == Layer::ModelList) {
    error(call.getLoc()) << "'" << name
                         << "' is a list of models; call each with 'for m in "
                         << name << " { ... }'";
    return nullptr;
  }
  auto args = bindArguments(call, oneInput, 1);
  if (failed(args))
    return nullptr;
  Value input = genExpr(*(*args)[0], Type());
  if (!input)
    return nullptr;
  Type elem = elementTypeOf(input);
  Location at = loc(call.getLoc());
  auto param = [&](llvm::StringRef suffix, llvm::ArrayRef<int64_t> shape,
                   InitKind init, std::optional<int64_t> fanIn = {}) {
    return genParam(call.getLoc(), qualified(name) + "." + suffix.str(), elem,
                    shape, init, fanIn);
  };

  switch (layer.kind) {
  case Layer::Linear: {
    Value weight =
        param("weight", {layer.out, layer.in}, InitKind::uniform, layer.in);
    Value bias = layer.bias
                     ? param("bias", {layer.out}, InitKind::uniform, layer.in)
                     : Value();
    return typed(
        LinearOp::create(builder, at, unranked(input), input, weight, bias));
  }
  case Layer::Conv2d: {
    int64_t inPerGroup = layer.in / layer.groups;
    int64_t fanIn = inPerGroup * layer.kernel[0] * layer.kernel[1];
    Value weight = param(
        "weight", {layer.out, inPerGroup, layer.kernel[0], layer.kernel[1]},
        InitKind::uniform, fanIn);
    Value bias = layer.bias
                     ? param("bias", {layer.out}, InitKind::uniform, fanIn)
                     : Value();
    return typed(Conv2dOp::create(builder, at, unranked(input), input, weight,
                                  bias,
                                  builder.getDenseI64ArrayAttr(layer.stride),
                                  builder.getDenseI64ArrayAttr(layer.padding),
                                  builder.getDenseI64ArrayAttr(layer.dilation),
                                  builder.getI64IntegerAttr(layer.groups)));
  }
  case Layer::ConvTranspose2d: {
    // PyTorch computes the fan-in from the weight's second dimension.
    int64_t fanIn = layer.out * layer.kernel[0] * layer.kernel[1];
    Value weight =
        param("weight", {layer.in, layer.out, layer.kernel[0], layer.kernel[1]},
              InitKind::uniform, fanIn);
    Value bias = layer.bias
                     ? param("bias", {layer.out}, InitKind::uniform, fanIn)
                     : Value();
    return typed(ConvTranspose2dOp::create(
        builder, at, unranked(input), input, weight, bias,
        builder.getDenseI64ArrayAttr(layer.stride),
        builder.getDenseI64ArrayAttr(layer.padding),
        builder.getDenseI64ArrayAttr(layer.outputPadding),
        builder.getDenseI64ArrayAttr(layer.dilation)));
  }
  case Layer::BatchNorm:
    return typed(
        BatchNormOp::create(builder, at, unranked(input), input,
                            param("weight", {layer.out}, InitKind::ones),
                            param("bias", {layer.out}, InitKind::zeros),
                            param("running_mean", {layer.out}, InitKind::zeros),
                            param("running_var", {layer.out}, InitKind::ones),
                            builder.getF64FloatAttr(layer.eps)));
  case Layer::LayerNorm:
    return typed(
        LayerNormOp::create(builder, at, unranked(input), input,
                            param("weight", layer.shape, InitKind::ones),
                            param("bias", layer.shape, InitKind::zeros),
                            builder.getI64IntegerAttr(layer.shape.size()),
                            builder.getF64FloatAttr(layer.eps)));
  case Layer::Embedding:
    // Constant indices (positions from arange) are checked here; indices
    // from inputs are checked by the runtime before running.
    if (auto constant = input.getDefiningOp<ConstantOp>()) {
      for (APInt id :
           cast<DenseElementsAttr>(constant.getValue()).getValues<APInt>())
        if (id.getSExtValue() < 0 || id.getSExtValue() >= layer.in) {
          error(call.getLoc())
              << "index " << id.getSExtValue()
              << " is outside the embedding table of " << layer.in << " rows";
          return nullptr;
        }
    }
    // Indices computed by argmax are in range when the reduced axis is no
    // longer than the table.
    if (auto argmax = input.getDefiningOp<ArgmaxOp>()) {
      auto scores = dyn_cast<RankedTensorType>(argmax.getInput().getType());
      int64_t axis = static_cast<int64_t>(argmax.getAxis());
      if (!scores || !scores.hasStaticShape()) {
        error(call.getLoc()) << "the size of the argmax feeding '" << name
                             << "' is not known here, so its indices cannot "
                                "be checked against the table";
        return nullptr;
      }
      int64_t size =
          scores.getDimSize(axis < 0 ? axis + scores.getRank() : axis);
      if (size > layer.in) {
        error(call.getLoc()) << "argmax over " << size
                             << " entries can exceed the embedding table of "
                             << layer.in << " rows";
        return nullptr;
      }
    }
    // The table's dtype is the language's default, not the indices'.
    return typed(EmbeddingOp::create(
        builder, at, UnrankedTensorType::get(defaultElementType()), input,
        genParam(call.getLoc(), qualified(name) + ".weight",
                 defaultElementType(), {layer.in, layer.out},
                 InitKind::normal)));
  case Layer::Dropout:
    return typed(DropoutOp::create(builder, at, unranked(input), input,
                                   builder.getF64FloatAttr(layer.p)));
  case Layer::Param:
  case Layer::Model:
  case Layer::ModelList:
    break;
  }
  llvm_unreachable("handled above");
}
