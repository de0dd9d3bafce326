//===- MLIRGenBuiltins.cpp - Built-in functions to the weft dialect -------===//
//
// Each built-in has a PyTorch-like signature: its arguments are bound by
// position or keyword, attribute arguments (axes, sizes, probabilities) are
// evaluated at compile time, and the tensor arguments become operands.
//
//===----------------------------------------------------------------------===//

#include "MLIRGenImpl.h"

#include "llvm/ADT/StringSwitch.h"

using namespace mlir;
using namespace mlir::weft;

namespace {
template <typename Op>
Value createUnary(OpBuilder &b, Location loc, Type type, Value x) {
  return Op::create(b, loc, type, x);
}

using UnaryBuilder = Value (*)(OpBuilder &, Location, Type, Value);
const std::pair<llvm::StringRef, UnaryBuilder> unaryBuiltins[] = {
    {"relu", createUnary<ReluOp>}, {"sigmoid", createUnary<SigmoidOp>},
    {"tanh", createUnary<TanhOp>}, {"exp", createUnary<ExpOp>},
    {"log", createUnary<LogOp>},   {"sqrt", createUnary<SqrtOp>},
    {"sin", createUnary<SinOp>},   {"cos", createUnary<CosOp>},
    {"gelu", createUnary<GeluOp>}, {"silu", createUnary<SiluOp>},
};

const llvm::StringRef layerKinds[] = {"Linear",      "Conv2d",    "BatchNorm1d",
                                      "BatchNorm2d", "LayerNorm", "Embedding",
                                      "Dropout",     "Param"};
} // namespace

Value MLIRGenImpl::genBuiltin(const CallExprAST &call) {
  llvm::StringRef name = call.callee;
  Location at = loc(call.getLoc());
  // Binds the arguments, then evaluates the first (the tensor).
  llvm::SmallVector<const ExprAST *> args;
  auto bindTensor = [&](llvm::ArrayRef<llvm::StringRef> names,
                        unsigned required) -> Value {
    auto bound = bindArguments(call, names, required);
    if (failed(bound))
      return nullptr;
    args = std::move(*bound);
    return genExpr(*args[0], Type());
  };
  // The dtype argument of a builtin that makes floats: f32 unless given.
  auto floatDType = [&](const ExprAST *dtype,
                        llvm::StringRef what) -> FailureOr<Type> {
    if (!dtype)
      return defaultElementType();
    FailureOr<Type> type = evalDType(*dtype);
    if (failed(type))
      return failure();
    if (!isa<FloatType>(*type)) {
      error(dtype->getLoc()) << what << " makes f32 or f64 tensors";
      return failure();
    }
    return *type;
  };
  auto intOr = [&](const ExprAST *expr,
                   int64_t fallback) -> std::optional<int64_t> {
    return expr ? evalInt(*expr) : fallback;
  };

  for (auto [fn, create] : unaryBuiltins) {
    if (fn != name)
      continue;
    Value x = bindTensor({"x"}, 1);
    return x ? typed(create(builder, at, unranked(x), x).getDefiningOp())
             : nullptr;
  }

  if (name == "leaky_relu") {
    // max(x, slope * x), which is the leaky ReLU for 0 <= slope <= 1.
    Value x = bindTensor({"x", "slope"}, 1);
    std::optional<double> slope =
        x ? (args[1] ? evalNumber(*args[1]) : 0.01) : std::nullopt;
    if (!slope)
      return nullptr;
    if (*slope < 0 || *slope > 1) {
      error(args[1]->getLoc()) << "leaky_relu needs a slope in [0, 1]";
      return nullptr;
    }
    auto type = RankedTensorType::get({}, elementTypeOf(x));
    Value factor = ConstantOp::create(
        builder, at,
        DenseElementsAttr::get(
            type, builder.getFloatAttr(type.getElementType(), *slope)));
    Value scaled = typed(MulOp::create(builder, at, unranked(x), x, factor));
    return scaled
               ? typed(MaximumOp::create(builder, at, unranked(x), x, scaled))
               : nullptr;
  }

  if (name == "pow" || name == "matmul" || name == "maximum" ||
      name == "minimum") {
    auto bound = bindArguments(call, {"x", "y"}, 2);
    Value lhs, rhs;
    if (failed(bound) || failed(genOperands(*(*bound)[0], *(*bound)[1], Type(),
                                            call.getLoc(), lhs, rhs)))
      return nullptr;
    if (name == "pow")
      return typed(PowOp::create(builder, at, unranked(lhs), lhs, rhs));
    if (name == "maximum")
      return typed(MaximumOp::create(builder, at, unranked(lhs), lhs, rhs));
    if (name == "minimum")
      return typed(MinimumOp::create(builder, at, unranked(lhs), lhs, rhs));
    return typed(MatmulOp::create(builder, at, unranked(lhs), lhs, rhs));
  }

  if (name == "where") {
    auto bound = bindArguments(call, {"condition", "x", "y"}, 3);
    if (failed(bound))
      return nullptr;
    Value condition = genExpr(*(*bound)[0], Type());
    Value x, y;
    if (!condition || failed(genOperands(*(*bound)[1], *(*bound)[2], Type(),
                                         call.getLoc(), x, y)))
      return nullptr;
    return typed(WhereOp::create(builder, at, unranked(x), condition, x, y));
  }

  if (name == "logical_and" || name == "logical_or" || name == "logical_not") {
    // Selections between booleans: a and b = where(a, b, false), a or b =
    // where(a, true, b), not a = where(a, false, true).
    bool isNot = name == "logical_not";
    auto bound = isNot ? bindArguments(call, {"x"}, 1)
                       : bindArguments(call, {"x", "y"}, 2);
    if (failed(bound))
      return nullptr;
    llvm::SmallVector<Value, 2> operands;
    for (const ExprAST *arg : *bound) {
      Value value = genExpr(*arg, Type());
      if (!value)
        return nullptr;
      if (!elementTypeOf(value).isInteger(1)) {
        error(arg->getLoc()) << "'" << name << "' takes boolean tensors, got "
                             << formatType(value.getType());
        return nullptr;
      }
      operands.push_back(value);
    }
    Type i1 = builder.getI1Type();
    Value yes = genScalar(call.getLoc(), i1, 1.0);
    Value no = genScalar(call.getLoc(), i1, 0.0);
    Value x = operands[0];
    Value onTrue = name == "logical_and" ? operands[1] : isNot ? no : yes;
    Value onFalse = name == "logical_and" ? no : isNot ? yes : operands[1];
    return typed(WhereOp::create(builder, at, unranked(x), x, onTrue, onFalse));
  }

  if (name == "to") {
    auto bound = bindArguments(call, {"x", "dtype"}, 2);
    if (failed(bound))
      return nullptr;
    Value x = genExpr(*(*bound)[0], Type());
    if (!x)
      return nullptr;
    FailureOr<Type> elem = evalDType(*(*bound)[1]);
    if (failed(elem))
      return nullptr;
    if (elem->isInteger(1)) {
      error((*bound)[1]->getLoc())
          << "to() converts to f32, f64, i32 or i64; make a bool tensor with "
             "a comparison (x != 0)";
      return nullptr;
    }
    auto type = cast<TensorType>(x.getType()).clone(*elem);
    return ConvertOp::create(builder, at, type, x);
  }

  if (name == "sum" || name == "mean" || name == "max") {
    Value x = bindTensor({"x", "axis", "keepdim"}, 1);
    if (!x)
      return nullptr;
    DenseI64ArrayAttr axes;
    if (args[1]) {
      auto values = evalIntList(*args[1]);
      if (!values)
        return nullptr;
      axes = builder.getDenseI64ArrayAttr(*values);
    }
    std::optional<bool> keepdim = args[2] ? evalBool(*args[2]) : false;
    if (!keepdim)
      return nullptr;
    UnitAttr keep = *keepdim ? builder.getUnitAttr() : UnitAttr();
    if (name == "sum")
      return typed(SumOp::create(builder, at, unranked(x), x, axes, keep));
    if (name == "mean")
      return typed(MeanOp::create(builder, at, unranked(x), x, axes, keep));
    return typed(MaxOp::create(builder, at, unranked(x), x, axes, keep));
  }

  if (name == "softmax" || name == "log_softmax") {
    Value x = bindTensor({"x", "axis"}, 1);
    std::optional<int64_t> axis = x ? intOr(args[1], -1) : std::nullopt;
    if (!axis)
      return nullptr;
    auto attr = builder.getI64IntegerAttr(*axis);
    if (name == "softmax")
      return typed(SoftmaxOp::create(builder, at, unranked(x), x, attr));
    return typed(LogSoftmaxOp::create(builder, at, unranked(x), x, attr));
  }

  if (name == "reshape" || name == "broadcast" || name == "transpose") {
    bool isTranspose = name == "transpose";
    Value x = isTranspose ? bindTensor({"x", "perm"}, 1)
                          : bindTensor({"x", "shape"}, 2);
    if (!x)
      return nullptr;
    llvm::SmallVector<int64_t> list = {1, 0};
    if (args[1]) {
      auto values = evalIntList(*args[1]);
      if (!values)
        return nullptr;
      list = *values;
    }
    auto attr = builder.getDenseI64ArrayAttr(list);
    if (name == "reshape")
      return typed(ReshapeOp::create(builder, at, unranked(x), x, attr));
    if (name == "broadcast")
      return typed(BroadcastOp::create(builder, at, unranked(x), x, attr));
    return typed(TransposeOp::create(builder, at, unranked(x), x, attr));
  }

  if (name == "flatten") {
    Value x = bindTensor({"x", "start", "end"}, 1);
    std::optional<int64_t> start = x ? intOr(args[1], 1) : std::nullopt;
    std::optional<int64_t> end = start ? intOr(args[2], -1) : std::nullopt;
    if (!end)
      return nullptr;
    return typed(FlattenOp::create(builder, at, unranked(x), x,
                                   builder.getI64IntegerAttr(*start),
                                   builder.getI64IntegerAttr(*end)));
  }

  if (name == "dropout") {
    Value x = bindTensor({"x", "p"}, 1);
    std::optional<double> p =
        x ? (args[1] ? evalNumber(*args[1]) : 0.5) : std::nullopt;
    if (!p)
      return nullptr;
    return typed(DropoutOp::create(builder, at, unranked(x), x,
                                   builder.getF64FloatAttr(*p)));
  }

  if (name == "max_pool2d" || name == "avg_pool2d") {
    Value x = bindTensor({"x", "kernel", "stride", "padding"}, 2);
    auto kernel = x ? evalPair(*args[1]) : std::nullopt;
    auto stride =
        kernel ? (args[2] ? evalPair(*args[2]) : kernel) : std::nullopt;
    auto padding =
        stride ? (args[3] ? evalPair(*args[3]) : std::array<int64_t, 2>{0, 0})
               : std::nullopt;
    if (!padding)
      return nullptr;
    auto k = builder.getDenseI64ArrayAttr(*kernel);
    auto s = builder.getDenseI64ArrayAttr(*stride);
    auto p = builder.getDenseI64ArrayAttr(*padding);
    if (name == "max_pool2d")
      return typed(MaxPool2dOp::create(builder, at, unranked(x), x, k, s, p));
    return typed(AvgPool2dOp::create(builder, at, unranked(x), x, k, s, p));
  }

  if (name == "adaptive_avg_pool2d") {
    Value x = bindTensor({"x", "size"}, 2);
    auto size = x ? evalPair(*args[1]) : std::nullopt;
    if (!size)
      return nullptr;
    return typed(AdaptiveAvgPool2dOp::create(
        builder, at, unranked(x), x, builder.getDenseI64ArrayAttr(*size)));
  }

  if (name == "concat" || name == "stack") {
    auto bound = bindArguments(call, {"tensors", "axis"}, 1);
    if (failed(bound))
      return nullptr;
    auto *list = llvm::dyn_cast<ListExprAST>((*bound)[0]);
    if (!list || list->items.empty()) {
      error((*bound)[0]->getLoc())
          << "'" << name << "' takes a list of tensors, as in " << name
          << "([a, b], axis=0)";
      return nullptr;
    }
    llvm::SmallVector<Value> inputs;
    for (const ExprPtr &item : list->items) {
      Value value =
          genExpr(*item, inputs.empty() ? Type() : elementTypeOf(inputs[0]));
      if (!value)
        return nullptr;
      inputs.push_back(value);
    }
    std::optional<int64_t> axis = intOr((*bound)[1], 0);
    if (!axis)
      return nullptr;
    auto attr = builder.getI64IntegerAttr(*axis);
    Type type = unranked(inputs[0]);
    if (name == "concat")
      return typed(ConcatOp::create(builder, at, type, inputs, attr));
    return typed(StackOp::create(builder, at, type, inputs, attr));
  }

  if (name == "attention") {
    Value query = bindTensor({"q", "k", "v", "causal", "scale", "mask"}, 3);
    Value key = query ? genExpr(*args[1], Type()) : nullptr;
    Value value = key ? genExpr(*args[2], Type()) : nullptr;
    if (!value)
      return nullptr;
    Value mask;
    if (args[5] && !(mask = genExpr(*args[5], Type())))
      return nullptr;
    std::optional<bool> causal = args[3] ? evalBool(*args[3]) : false;
    if (!causal)
      return nullptr;
    FloatAttr scale;
    if (args[4]) {
      std::optional<double> number = evalNumber(*args[4]);
      if (!number)
        return nullptr;
      scale = builder.getF64FloatAttr(*number);
    }
    return typed(AttentionOp::create(
        builder, at, unranked(query), query, key, value, mask, scale,
        *causal ? builder.getUnitAttr() : UnitAttr()));
  }

  if (name == "slice" || name == "select") {
    bool isSelect = name == "select";
    Value x = isSelect ? bindTensor({"x", "axis", "index"}, 3)
                       : bindTensor({"x", "axis", "start", "end"}, 4);
    std::optional<int64_t> axis = x ? evalInt(*args[1]) : std::nullopt;
    std::optional<int64_t> start = axis ? evalInt(*args[2]) : std::nullopt;
    std::optional<int64_t> end =
        start ? (isSelect ? std::optional<int64_t>(*start + 1)
                          : evalInt(*args[3]))
              : std::nullopt;
    if (!end)
      return nullptr;
    return typed(SliceOp::create(
        builder, at, unranked(x), x, builder.getI64IntegerAttr(*axis),
        builder.getI64IntegerAttr(*start), builder.getI64IntegerAttr(*end),
        isSelect ? builder.getUnitAttr() : UnitAttr()));
  }

  if (name == "argmax") {
    Value x = bindTensor({"x", "axis"}, 1);
    std::optional<int64_t> axis = x ? intOr(args[1], -1) : std::nullopt;
    if (!axis)
      return nullptr;
    return typed(ArgmaxOp::create(
        builder, at,
        UnrankedTensorType::get(IntegerType::get(builder.getContext(), 64)), x,
        builder.getI64IntegerAttr(*axis)));
  }

  if (name == "upsample_nearest") {
    Value x = bindTensor({"x", "scale"}, 2);
    auto scale = x ? evalPair(*args[1]) : std::nullopt;
    if (!scale)
      return nullptr;
    return typed(UpsampleNearestOp::create(
        builder, at, unranked(x), x, builder.getDenseI64ArrayAttr(*scale)));
  }

  if (name == "rand" || name == "randn") {
    // The key tells calls apart: equal keys give equal numbers.
    bool hasKey = call.args.size() >= 2 ||
                  llvm::any_of(call.kwargs, [](const KeywordArgAST &kw) {
                    return kw.name == "key";
                  });
    if (!hasKey) {
      error(call.getLoc()) << "'" << name << "' needs a key, as in " << name
                           << "([4, 8], key=0); calls with equal keys draw "
                              "equal numbers";
      return nullptr;
    }
    auto bound = bindArguments(call, {"shape", "key", "dtype", "seed"}, 2);
    if (failed(bound))
      return nullptr;
    auto shape = evalIntList(*(*bound)[0]);
    std::optional<int64_t> key = shape ? evalInt(*(*bound)[1]) : std::nullopt;
    if (!key)
      return nullptr;
    if (llvm::any_of(*shape, [](int64_t d) { return d < 1; })) {
      error((*bound)[0]->getLoc()) << "sizes must be positive";
      return nullptr;
    }
    FailureOr<Type> elem = floatDType((*bound)[2], name);
    if (failed(elem))
      return nullptr;
    // The seed: the compilation's, an integer given here, or an i64 scalar
    // read when the program runs (an entry's argument, say).
    IntegerAttr seedAttr = builder.getI64IntegerAttr(seed);
    Value seedValue;
    if (const ExprAST *given = (*bound)[3]) {
      if (isCompileTimeInteger(*given)) {
        std::optional<int64_t> value = evalInt(*given);
        if (!value)
          return nullptr;
        seedAttr = builder.getI64IntegerAttr(*value);
      } else {
        seedValue = genExpr(*given, Type());
        if (!seedValue)
          return nullptr;
        auto type = cast<TensorType>(seedValue.getType());
        if (!type.getElementType().isInteger(64) ||
            (type.hasRank() && type.getRank() != 0)) {
          error(given->getLoc())
              << "'seed' takes an integer or an i64 scalar, got "
              << formatType(type);
          return nullptr;
        }
        seedAttr = nullptr;
      }
    }
    return RandomOp::create(builder, at, RankedTensorType::get(*shape, *elem),
                            name == "rand" ? Distribution::uniform
                                           : Distribution::normal,
                            seedAttr, static_cast<uint64_t>(*key), seedValue);
  }

  if (name == "triu" || name == "tril") {
    Value x = bindTensor({"x", "diagonal"}, 1);
    std::optional<int64_t> diagonal = x ? intOr(args[1], 0) : std::nullopt;
    if (!diagonal)
      return nullptr;
    if (name == "triu")
      return typed(TriuOp::create(builder, at, unranked(x), x, *diagonal));
    return typed(TrilOp::create(builder, at, unranked(x), x, *diagonal));
  }

  if (name == "linspace") {
    // linspace(start, end, steps, dtype=f32), as torch.linspace.
    auto bound = bindArguments(call, {"start", "end", "steps", "dtype"}, 3);
    if (failed(bound))
      return nullptr;
    // The bounds are numbers or integer expressions (`linspace(0, T, T)`).
    auto numberOf = [&](const ExprAST &expr) -> std::optional<double> {
      if (!isCompileTimeInteger(expr))
        return evalNumber(expr);
      std::optional<int64_t> value = evalInt(expr);
      return value ? std::optional<double>(*value) : std::nullopt;
    };
    std::optional<double> start = numberOf(*(*bound)[0]);
    std::optional<double> end = start ? numberOf(*(*bound)[1]) : start;
    std::optional<int64_t> steps = end ? evalInt(*(*bound)[2]) : std::nullopt;
    if (!steps)
      return nullptr;
    if (*steps < 1) {
      error((*bound)[2]->getLoc())
          << "linspace needs at least one step, got " << *steps;
      return nullptr;
    }
    FailureOr<Type> elem = floatDType((*bound)[3], name);
    if (failed(elem))
      return nullptr;
    return LinspaceOp::create(builder, at,
                              RankedTensorType::get({*steps}, *elem),
                              builder.getF64FloatAttr(*start),
                              builder.getF64FloatAttr(*end));
  }

  if (name == "zeros" || name == "ones") {
    auto bound = bindArguments(call, {"shape", "dtype"}, 1);
    if (failed(bound))
      return nullptr;
    auto shape = evalIntList(*(*bound)[0]);
    if (!shape)
      return nullptr;
    Type elem = defaultElementType();
    if (const ExprAST *dtype = (*bound)[1]) {
      FailureOr<Type> type = evalDType(*dtype);
      if (failed(type))
        return nullptr;
      elem = *type;
    }
    return ConstantOp::create(
        builder, at,
        DenseElementsAttr::get(RankedTensorType::get(*shape, elem),
                               scalarAttr(elem, name == "ones" ? 1.0 : 0.0)));
  }

  if (name == "linear") {
    // The functional form of a Linear layer, on explicit weights.
    Value x = bindTensor({"x", "weight", "bias"}, 2);
    Value weight = x ? genExpr(*args[1], Type()) : nullptr;
    if (!weight)
      return nullptr;
    Value bias;
    if (args[2] && !(bias = genExpr(*args[2], Type())))
      return nullptr;
    return typed(LinearOp::create(builder, at, unranked(x), x, weight, bias));
  }

  if (name == "arange") {
    // arange(end) or arange(start, end, step): a constant vector, f32 unless
    // dtype names another (i64 for position ids).
    auto bound = bindArguments(call, {"start", "end", "step", "dtype"}, 1);
    if (failed(bound))
      return nullptr;
    std::optional<int64_t> first = evalInt(*(*bound)[0]);
    std::optional<int64_t> second =
        first && (*bound)[1] ? evalInt(*(*bound)[1]) : first;
    std::optional<int64_t> step = second ? intOr((*bound)[2], 1) : std::nullopt;
    if (!step)
      return nullptr;
    int64_t start = (*bound)[1] ? *first : 0, end = *second;
    if (*step <= 0 || end <= start) {
      error(call.getLoc()) << "arange needs start < end and a positive step, "
                              "got "
                           << start << ", " << end << ", " << *step;
      return nullptr;
    }
    Type elem = builder.getF32Type();
    if (const ExprAST *dtype = (*bound)[3]) {
      FailureOr<Type> type = evalDType(*dtype);
      if (failed(type))
        return nullptr;
      elem = *type;
    }
    llvm::SmallVector<Attribute> values;
    for (int64_t v = start; v < end; v += *step)
      values.push_back(isa<FloatType>(elem)
                           ? Attribute(builder.getFloatAttr(elem, double(v)))
                           : Attribute(builder.getIntegerAttr(elem, v)));
    auto type = RankedTensorType::get({int64_t(values.size())}, elem);
    return ConstantOp::create(builder, at,
                              DenseElementsAttr::get(type, values));
  }

  if (llvm::is_contained(layerKinds, name)) {
    error(call.getLoc()) << "layers are declared in a model, as in 'fc = "
                         << name << "(...)'";
    return nullptr;
  }
  error(call.getLoc()) << "unknown function '" << name << "'";
  return nullptr;
}
