//===- MLIRGenLayers.cpp - Model layers to the weft dialect ---------------===//
//
// The table of layer kinds: a layer declaration (`fc = Linear(784, 256)`) is
// bound to its row's PyTorch constructor signature and checked once; each
// call of the layer reads its parameters with `weft.param` under their
// PyTorch names and applies the layer's op. Default initializations follow
// PyTorch's. Models used as layers are instantiated here too.
//
//===----------------------------------------------------------------------===//

#include "MLIRGenImpl.h"

#include "weft/Dialect/Weft/IR/WeftBuilder.h"

#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::weft;

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
                                                          {},
                                                          at}));
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
    if (*value > kMaxUnrolledSteps)
      return error(decl.count->getLoc())
             << "a list of models holds at most " << kMaxUnrolledSteps
             << ", got " << *value;
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

std::string mlir::weft::formatNumber(double value) {
  std::string text;
  llvm::raw_string_ostream(text) << llvm::format("%g", value);
  return text;
}

namespace {

// Checked constructor arguments; each reports its error at the argument.

bool positive(BoundCall &c, unsigned i, int64_t &out) {
  std::optional<int64_t> value = c.integer(i);
  if (value && *value <= 0) {
    c.gen.error(c.locOf(i))
        << c.name() << " sizes must be positive, got " << *value;
    return false;
  }
  out = value.value_or(0);
  return value.has_value();
}

bool flag(BoundCall &c, unsigned i, bool &out) {
  std::optional<bool> value = c.boolean(i);
  out = value.value_or(out);
  return value.has_value();
}

bool pairAtLeast(BoundCall &c, unsigned i, std::array<int64_t, 2> &out,
                 int64_t minimum) {
  std::optional<std::array<int64_t, 2>> value = c.pair(i);
  if (value && ((*value)[0] < minimum || (*value)[1] < minimum)) {
    c.gen.error(c.locOf(i))
        << c.name() << " sizes must be at least " << minimum << ", got ["
        << (*value)[0] << ", " << (*value)[1] << "]";
    return false;
  }
  if (value)
    out = *value;
  return value.has_value();
}

bool numberIn(BoundCall &c, unsigned i, double &out, double low, double high) {
  std::optional<double> value = c.number(i);
  if (value && (*value < low || *value > high)) {
    c.gen.error(c.locOf(i))
        << c.name() << " expects a value in [" << formatNumber(low) << ", "
        << formatNumber(high) << "], got " << formatNumber(*value);
    return false;
  }
  out = value.value_or(out);
  return value.has_value();
}

/// Declares the weight and, if the layer has one, the bias, initialized as
/// PyTorch does for `fanIn`.
void declareWeightAndBias(Layer &layer, llvm::ArrayRef<int64_t> weightShape,
                          int64_t fanIn) {
  layer.params.push_back(
      {"weight", llvm::to_vector(weightShape), InitKind::uniform, fanIn});
  if (layer.bias)
    layer.params.push_back({"bias", {layer.out}, InitKind::uniform, fanIn});
}

/// The bias, if the layer has one.
Value bias(LayerCall &c) { return c.layer.bias ? c.param("bias") : Value(); }

// Linear(in, out, bias=true)

LogicalResult declareLinear(BoundCall &c, Layer &layer) {
  if (!positive(c, 0, layer.in) || !positive(c, 1, layer.out) ||
      !flag(c, 2, layer.bias))
    return failure();
  declareWeightAndBias(layer, {layer.out, layer.in}, layer.in);
  return success();
}

Value applyLinear(LayerCall &c) {
  // The parameters are read in their declared order (not as arguments,
  // whose order of evaluation C++ leaves open).
  Value weight = c.param("weight");
  Value b = bias(c);
  return c.gen.typed(LinearOp::create(
      c.gen.builder, c.at(), c.gen.unranked(c.input), c.input, weight, b));
}

// Conv2d(in, out, kernel, stride=1, padding=0, dilation=1, groups=1,
// bias=true)

LogicalResult declareConv2d(BoundCall &c, Layer &layer) {
  if (!positive(c, 0, layer.in) || !positive(c, 1, layer.out) ||
      !pairAtLeast(c, 2, layer.kernel, 1) ||
      !pairAtLeast(c, 3, layer.stride, 1) ||
      !pairAtLeast(c, 4, layer.padding, 0) ||
      !pairAtLeast(c, 5, layer.dilation, 1) || !positive(c, 6, layer.groups) ||
      !flag(c, 7, layer.bias))
    return failure();
  if (layer.in % layer.groups || layer.out % layer.groups)
    return c.gen.error(c.call.getLoc())
           << "Conv2d channels (" << layer.in << ", " << layer.out
           << ") must be divisible by groups " << layer.groups;
  int64_t inPerGroup = layer.in / layer.groups;
  declareWeightAndBias(
      layer, {layer.out, inPerGroup, layer.kernel[0], layer.kernel[1]},
      inPerGroup * layer.kernel[0] * layer.kernel[1]);
  return success();
}

Value applyConv2d(LayerCall &c) {
  const Layer &layer = c.layer;
  Value weight = c.param("weight");
  Value biasValue = bias(c);
  OpBuilder &b = c.gen.builder;
  return c.gen.typed(Conv2dOp::create(b, c.at(), c.gen.unranked(c.input),
                                      c.input, weight, biasValue,
                                      b.getDenseI64ArrayAttr(layer.stride),
                                      b.getDenseI64ArrayAttr(layer.padding),
                                      b.getDenseI64ArrayAttr(layer.dilation),
                                      b.getI64IntegerAttr(layer.groups)));
}

// ConvTranspose2d(in, out, kernel, stride=1, padding=0, output_padding=0,
// bias=true, dilation=1)

LogicalResult declareConvTranspose2d(BoundCall &c, Layer &layer) {
  if (!positive(c, 0, layer.in) || !positive(c, 1, layer.out) ||
      !pairAtLeast(c, 2, layer.kernel, 1) ||
      !pairAtLeast(c, 3, layer.stride, 1) ||
      !pairAtLeast(c, 4, layer.padding, 0) ||
      !pairAtLeast(c, 5, layer.outputPadding, 0) || !flag(c, 6, layer.bias) ||
      !pairAtLeast(c, 7, layer.dilation, 1))
    return failure();
  // PyTorch computes the fan-in from the weight's second dimension.
  declareWeightAndBias(layer,
                       {layer.in, layer.out, layer.kernel[0], layer.kernel[1]},
                       layer.out * layer.kernel[0] * layer.kernel[1]);
  return success();
}

Value applyConvTranspose2d(LayerCall &c) {
  const Layer &layer = c.layer;
  Value weight = c.param("weight");
  Value biasValue = bias(c);
  OpBuilder &b = c.gen.builder;
  return c.gen.typed(ConvTranspose2dOp::create(
      b, c.at(), c.gen.unranked(c.input), c.input, weight, biasValue,
      b.getDenseI64ArrayAttr(layer.stride),
      b.getDenseI64ArrayAttr(layer.padding),
      b.getDenseI64ArrayAttr(layer.outputPadding),
      b.getDenseI64ArrayAttr(layer.dilation)));
}

// BatchNorm1d and BatchNorm2d(features, eps=1e-5, momentum=0.1)

LogicalResult declareBatchNorm(BoundCall &c, Layer &layer) {
  if (!positive(c, 0, layer.out) || !numberIn(c, 1, layer.eps, 0, 1) ||
      !numberIn(c, 2, layer.momentum, 0, 1))
    return failure();
  int64_t features = layer.out;
  layer.params = {{"weight", {features}, InitKind::ones},
                  {"bias", {features}, InitKind::zeros},
                  {"running_mean", {features}, InitKind::zeros, {}, false},
                  {"running_var", {features}, InitKind::ones, {}, false},
                  {"num_batches_tracked", {}, InitKind::zeros, {}, false}};
  return success();
}

/// Train mode (PyTorch's `train()`): normalizes by the batch's mean and
/// biased variance, and moves the running statistics toward the batch's
/// (the unbiased variance) by `momentum`, counting the batch.
Value applyTrainingBatchNorm(LayerCall &c, Value weight, Value bias) {
  MLIRGenImpl &gen = c.gen;
  SMLoc at = c.call.getLoc();
  auto stats = BatchStatsOp::create(
      gen.builder, c.at(), llvm::SmallVector<Type>(3, gen.unranked(c.input)),
      c.input);
  if (!gen.typed(stats))
    return nullptr;
  Value y = gen.typed(
      BatchNormOp::create(gen.builder, c.at(), gen.unranked(c.input), c.input,
                          weight, bias, stats.getMean(), stats.getVar(),
                          gen.builder.getF64FloatAttr(c.layer.eps)));
  WeftBuilder d(gen.builder, c.at());
  std::string name = gen.qualified(c.name);
  double momentum = c.layer.momentum;
  for (auto [key, batch] :
       {std::pair<const char *, Value>{"running_mean", stats.getMean()},
        {"running_var", stats.getUnbiasedVar()}}) {
    Value running = c.param(key);
    Value moved = d.add(d.mul(d.constant(momentum, running), batch),
                        d.mul(d.constant(1 - momentum, running), running));
    moved = gen.castTo(moved, running.getType(), at, "the running statistic");
    gen.genParamUpdate(at, name + "." + key, moved);
  }
  Value count = c.param("num_batches_tracked", gen.builder.getI64Type());
  gen.genParamUpdate(at, name + ".num_batches_tracked",
                     d.add(count, d.constant(1, count)));
  return y;
}

Value applyBatchNorm(LayerCall &c) {
  Value weight = c.param("weight");
  Value bias = c.param("bias");
  if (c.gen.training)
    return applyTrainingBatchNorm(c, weight, bias);
  Value mean = c.param("running_mean");
  Value var = c.param("running_var");
  return c.gen.typed(BatchNormOp::create(
      c.gen.builder, c.at(), c.gen.unranked(c.input), c.input, weight, bias,
      mean, var, c.gen.builder.getF64FloatAttr(c.layer.eps)));
}

// LayerNorm(shape, eps=1e-5)

LogicalResult declareLayerNorm(BoundCall &c, Layer &layer) {
  std::optional<llvm::SmallVector<int64_t>> shape = c.intList(0);
  if (!shape || !numberIn(c, 1, layer.eps, 0, 1))
    return failure();
  for (int64_t size : *shape)
    if (size <= 0)
      return c.gen.error(c.locOf(0))
             << "LayerNorm sizes must be positive, got " << size;
  layer.shape = *shape;
  layer.params = {{"weight", layer.shape, InitKind::ones},
                  {"bias", layer.shape, InitKind::zeros}};
  return success();
}

Value applyLayerNorm(LayerCall &c) {
  const Layer &layer = c.layer;
  Value weight = c.param("weight");
  Value bias = c.param("bias");
  OpBuilder &b = c.gen.builder;
  return c.gen.typed(LayerNormOp::create(
      b, c.at(), c.gen.unranked(c.input), c.input, weight, bias,
      b.getI64IntegerAttr(layer.shape.size()), b.getF64FloatAttr(layer.eps)));
}

// Embedding(num, dim): `in` rows of `out` features.

LogicalResult declareEmbedding(BoundCall &c, Layer &layer) {
  if (!positive(c, 0, layer.in) || !positive(c, 1, layer.out))
    return failure();
  layer.params = {{"weight", {layer.in, layer.out}, InitKind::normal}};
  return success();
}

/// Whether the indices of embedding `c` are known to be in its table:
/// constant indices (positions from arange) are checked here, and indices
/// computed by argmax are in range when the reduced axis is no longer than
/// the table. Indices from inputs are checked by the runtime before running.
LogicalResult checkEmbeddingIndices(LayerCall &c) {
  int64_t rows = c.layer.in;
  if (auto constant = c.input.getDefiningOp<ConstantOp>()) {
    for (APInt id :
         cast<DenseElementsAttr>(constant.getValue()).getValues<APInt>())
      if (id.getSExtValue() < 0 || id.getSExtValue() >= rows)
        return c.gen.error(c.call.getLoc())
               << "index " << id.getSExtValue()
               << " is outside the embedding table of " << rows << " rows";
  }
  if (auto argmax = c.input.getDefiningOp<ArgmaxOp>()) {
    auto scores = dyn_cast<RankedTensorType>(argmax.getInput().getType());
    int64_t axis = static_cast<int64_t>(argmax.getAxis());
    if (!scores || !scores.hasStaticShape())
      return c.gen.error(c.call.getLoc())
             << "the size of the argmax feeding '" << c.name
             << "' is not known here, so its indices cannot be checked "
                "against the table";
    int64_t size = scores.getDimSize(axis < 0 ? axis + scores.getRank() : axis);
    if (size > rows)
      return c.gen.error(c.call.getLoc())
             << "argmax over " << size
             << " entries can exceed the embedding table of " << rows
             << " rows";
  }
  return success();
}

Value applyEmbedding(LayerCall &c) {
  if (failed(checkEmbeddingIndices(c)))
    return nullptr;
  // The table's dtype is the language's default, not the indices'.
  Type elem = c.gen.defaultElementType();
  return c.gen.typed(EmbeddingOp::create(c.gen.builder, c.at(),
                                         UnrankedTensorType::get(elem), c.input,
                                         c.param("weight", elem)));
}

// Dropout(p=0.5)

LogicalResult declareDropout(BoundCall &c, Layer &layer) {
  return success(numberIn(c, 0, layer.p, 0, 1));
}

Value applyDropout(LayerCall &c) {
  return c.gen.genDropout(c.call.getLoc(), c.input, c.layer.p);
}

// Param(d0, d1, ...): a tensor parameter of that shape, used as a value.

LogicalResult declareParam(BoundCall &c, Layer &layer) {
  // `fan_in=n`: uniform in ±1/√n, as PyTorch initializes the recurrent
  // layers' weights (n their hidden size); else standard normal.
  std::optional<int64_t> fanIn;
  for (const KeywordArgAST &kwarg : c.call.kwargs) {
    if (kwarg.name != "fan_in")
      return c.gen.error(kwarg.loc)
             << "Param takes its dimensions and fan_in, not '" << kwarg.name
             << "'";
    fanIn = c.gen.evalInt(*kwarg.value);
    if (!fanIn)
      return failure();
    if (*fanIn <= 0)
      return c.gen.error(kwarg.loc)
             << "fan_in must be positive, got " << *fanIn;
  }
  layer.kind = Layer::Param;
  for (const ExprPtr &arg : c.call.args) {
    std::optional<int64_t> size = c.gen.evalInt(*arg);
    if (!size)
      return failure();
    if (*size <= 0)
      return c.gen.error(arg->getLoc())
             << "Param sizes must be positive, got " << *size;
    layer.shape.push_back(*size);
  }
  layer.params = {fanIn ? ParamSpec{"", layer.shape, InitKind::uniform, *fanIn}
                        : ParamSpec{"", layer.shape, InitKind::normal}};
  return success();
}

const LayerKind layerTable[] = {
    {"Linear", "in, out, bias=true", declareLinear, applyLinear},
    {"Conv2d",
     "in, out, kernel, stride=1, padding=0, dilation=1, groups=1, bias=true",
     declareConv2d, applyConv2d},
    {"ConvTranspose2d",
     "in, out, kernel, stride=1, padding=0, output_padding=0, bias=true, "
     "dilation=1",
     declareConvTranspose2d, applyConvTranspose2d},
    {"BatchNorm1d", "features, eps=1e-5, momentum=0.1", declareBatchNorm,
     applyBatchNorm},
    {"BatchNorm2d", "features, eps=1e-5, momentum=0.1", declareBatchNorm,
     applyBatchNorm},
    {"LayerNorm", "shape, eps=1e-5", declareLayerNorm, applyLayerNorm},
    {"Embedding", "num, dim", declareEmbedding, applyEmbedding},
    {"Dropout", "p=0.5", declareDropout, applyDropout},
    {"Param", "d0, d1, ..., fan_in=None", declareParam, nullptr},
};
} // namespace

llvm::ArrayRef<LayerKind> mlir::weft::computeLayerKinds() { return layerTable; }

Location LayerCall::at() const { return gen.loc(call.getLoc()); }

Value LayerCall::param(llvm::StringRef suffix, Type elementType) {
  return gen.genLayerParam(call.getLoc(), gen.qualified(name), layer, suffix,
                           elementType ? elementType
                                       : gen.elementTypeOf(input));
}

Value MLIRGenImpl::genLayerParam(SMLoc at, llvm::StringRef layerName,
                                 const Layer &layer, llvm::StringRef suffix,
                                 Type elementType) {
  const ParamSpec *spec = llvm::find_if(
      layer.params, [&](const ParamSpec &p) { return p.suffix == suffix; });
  assert(spec != layer.params.end() && "the declaration lists the parameter");
  std::string name = layerName.str();
  if (!suffix.empty())
    name += "." + suffix.str();
  return genParam(at, name, elementType, spec->shape, spec->init, spec->fanIn,
                  spec->trainingState);
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
  const LayerKind *row = lookupLayerKind(kind);
  if (!row) {
    llvm::SmallVector<llvm::StringRef> names;
    for (llvm::ArrayRef<LayerKind> table : layerKindTables())
      for (const LayerKind &known : table)
        names.push_back(known.name);
    return error(ctor.getLoc())
           << "unknown layer type '" << kind << "' (this version knows "
           << llvm::join(llvm::ArrayRef(names).drop_back(), ", ") << " and "
           << names.back() << ", or a model)";
  }
  layer.row = row;
  // A variadic constructor (Param) reads its arguments from the call.
  FailureOr<BoundCall> bound =
      row->signature.contains("...")
          ? FailureOr<BoundCall>(BoundCall(*this, ctor, {}, {}))
          : bind(ctor, row->signature);
  if (failed(bound) || failed(row->declare(*bound, layer)))
    return failure();
  instance.layers[decl.name] = layer;
  return success();
}

Value MLIRGenImpl::genLayerCall(const CallExprAST &call, llvm::StringRef name,
                                const Layer &layer) {
  assert(layer.kind != Layer::Model && "a model is called as a model");
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
  if (layer.kind == Layer::Schedule) {
    error(call.getLoc()) << "'" << name
                         << "' is a learning-rate schedule; it advances with "
                            "its optimizer's steps and is not called";
    return nullptr;
  }
  FailureOr<BoundCall> bound = bind(call, layer.row->callSignature);
  if (failed(bound))
    return nullptr;
  Value input = bound->tensor(0);
  if (!input)
    return nullptr;
  LayerCall layerCall{*this, call, name, layer, input, *bound};
  return layer.row->apply(layerCall);
}

void MLIRGenImpl::collectParameters(const Instance &instance,
                                    llvm::StringRef only,
                                    llvm::SmallVectorImpl<NamedParam> &out) {
  for (const LayerAST &decl : instance.ast->layers) {
    if (!only.empty() && decl.name != only)
      continue;
    // An optimizer declared before this one is not declared yet.
    auto it = instance.layers.find(decl.name);
    if (it == instance.layers.end())
      continue;
    const Layer &layer = it->second;
    for (Instance *model : layer.models)
      collectParameters(*model, {}, out);
    std::string name =
        instance.prefix.empty() ? decl.name : instance.prefix + "." + decl.name;
    for (const ParamSpec &spec : layer.params)
      if (spec.trainable)
        out.push_back({name, &layer, &spec});
  }
}

llvm::SmallVector<Value> MLIRGenImpl::genParameters(SMLoc at,
                                                    const Instance &instance,
                                                    llvm::StringRef only) {
  llvm::SmallVector<NamedParam> params;
  collectParameters(instance, only, params);
  llvm::SmallVector<Value> values;
  for (const NamedParam &param : params)
    values.push_back(genLayerParam(at, param.layerName, *param.layer,
                                   param.spec->suffix, defaultElementType()));
  return values;
}
