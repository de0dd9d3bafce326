//===- MLIRGenBuiltins.cpp - Built-in functions to the weft dialect -------===//
//
// Each built-in is a row of a table: its name, its PyTorch-like signature
// (arguments bound by position or keyword, defaults written as the language
// writes them) and the builder that makes its ops. Attribute arguments
// (axes, sizes, probabilities) are evaluated at compile time; the tensor
// arguments become operands. The indexing built-ins are the second part of
// the table, in MLIRGenIndexing.cpp.
//
//===----------------------------------------------------------------------===//

#include "MLIRGenImpl.h"
#include "weft/Dialect/Weft/IR/WeftBuilder.h"

#include <cmath>

using namespace mlir;
using namespace mlir::weft;

namespace {
/// An op of one tensor and no attributes: relu(x).
template <typename Op> BuiltinValues unary(BoundCall &c) {
  Value x = c.tensor(0);
  return oneValue(
      x ? c.gen.typed(Op::create(c.gen.builder, c.at(), c.gen.unranked(x), x))
        : nullptr);
}

/// gelu(x, approximate=none): exact, with erf, or with PyTorch's tanh
/// approximation, 0.5 x (1 + tanh(sqrt(2 / pi) (x + 0.044715 x^3))).
BuiltinValues gelu(BoundCall &c) {
  Value x = c.tensor(0);
  std::optional<llvm::StringRef> mode =
      x ? c.choice(1, {"none", "tanh"}) : std::nullopt;
  if (!mode)
    return failure();
  if (*mode == "none")
    return unary<GeluOp>(c);
  if (!isa<FloatType>(c.gen.elementTypeOf(x)))
    return c.gen.error(c.locOf(0))
           << "'gelu' works on floating-point tensors, not "
           << formatType(x.getType());
  WeftBuilder d(c.gen.builder, c.at());
  Value cube = d.mul(d.mul(x, x), x);
  Value inner = d.mul(d.constant(std::sqrt(2.0 / M_PI), x),
                      d.add(x, d.mul(d.constant(0.044715, x), cube)));
  Value tanh = d.create<TanhOp>(inner);
  return oneValue(
      d.mul(d.mul(d.constant(0.5, x), x), d.add(d.constant(1.0, x), tanh)));
}

/// An op of two tensors that broadcast: pow(x, y).
template <typename Op> BuiltinValues binary(BoundCall &c) {
  Value lhs, rhs;
  if (failed(c.gen.genOperands(c.expr(0), c.expr(1), Type(), c.call.getLoc(),
                               lhs, rhs)))
    return failure();
  return oneValue(c.gen.typed(
      Op::create(c.gen.builder, c.at(), c.gen.unranked(lhs), lhs, rhs)));
}

BuiltinValues leakyRelu(BoundCall &c) {
  // max(x, slope * x), which is the leaky ReLU for 0 <= slope <= 1.
  Value x = c.tensor(0);
  std::optional<double> slope = x ? c.number(1) : std::nullopt;
  if (!slope)
    return failure();
  if (*slope < 0 || *slope > 1)
    return c.gen.error(c.locOf(1)) << "leaky_relu needs a slope in [0, 1]";
  OpBuilder &b = c.gen.builder;
  auto type = RankedTensorType::get({}, c.gen.elementTypeOf(x));
  Value factor = ConstantOp::create(
      b, c.at(),
      DenseElementsAttr::get(type,
                             b.getFloatAttr(type.getElementType(), *slope)));
  Value scaled =
      c.gen.typed(MulOp::create(b, c.at(), c.gen.unranked(x), x, factor));
  return oneValue(scaled ? c.gen.typed(MaximumOp::create(
                               b, c.at(), c.gen.unranked(x), x, scaled))
                         : nullptr);
}

BuiltinValues where(BoundCall &c) {
  Value condition = c.tensor(0);
  Value x, y;
  if (!condition || failed(c.gen.genOperands(c.expr(1), c.expr(2), Type(),
                                             c.call.getLoc(), x, y)))
    return failure();
  return oneValue(c.gen.typed(WhereOp::create(
      c.gen.builder, c.at(), c.gen.unranked(x), condition, x, y)));
}

/// masked_fill(x, mask, value): `value` where the mask holds, else `x`, in
/// `x`'s dtype, as `Tensor.masked_fill`.
BuiltinValues maskedFill(BoundCall &c) {
  Value x = c.tensor(0);
  Value mask = x ? c.tensor(1) : nullptr;
  Value value =
      mask ? c.gen.genExpr(c.expr(2), c.gen.elementTypeOf(x)) : nullptr;
  if (!value)
    return failure();
  if (!c.gen.elementTypeOf(mask).isInteger(1))
    return c.gen.error(c.locOf(1)) << "masked_fill's mask is a bool tensor, "
                                      "got "
                                   << formatType(mask.getType());
  value = c.gen.convertTo(c.call.getLoc(), value, c.gen.elementTypeOf(x));
  return oneValue(c.gen.typed(WhereOp::create(
      c.gen.builder, c.at(), c.gen.unranked(x), mask, value, x)));
}

/// Selections between booleans: a and b = where(a, b, false), a or b =
/// where(a, true, b), not a = where(a, false, true).
BuiltinValues logical(BoundCall &c) {
  llvm::StringRef name = c.name();
  bool isNot = name == "logical_not";
  llvm::SmallVector<Value, 2> operands;
  for (unsigned i = 0, e = isNot ? 1 : 2; i < e; ++i) {
    Value value = c.tensor(i);
    if (!value)
      return failure();
    if (!c.gen.elementTypeOf(value).isInteger(1))
      return c.gen.error(c.locOf(i))
             << "'" << name << "' takes boolean tensors, got "
             << formatType(value.getType());
    operands.push_back(value);
  }
  Type i1 = c.gen.builder.getI1Type();
  Value yes = c.gen.genScalar(c.call.getLoc(), i1, 1.0);
  Value no = c.gen.genScalar(c.call.getLoc(), i1, 0.0);
  Value x = operands[0];
  Value onTrue = name == "logical_and" ? operands[1] : isNot ? no : yes;
  Value onFalse = name == "logical_and" ? no : isNot ? yes : operands[1];
  return oneValue(c.gen.typed(WhereOp::create(
      c.gen.builder, c.at(), c.gen.unranked(x), x, onTrue, onFalse)));
}

BuiltinValues convert(BoundCall &c) {
  Value x = c.tensor(0);
  if (!x)
    return failure();
  FailureOr<Type> elem = c.dtype(1);
  if (failed(elem))
    return failure();
  if (elem->isInteger(1))
    return c.gen.error(c.locOf(1))
           << "to() converts to f32, f64, i32 or i64; make a bool tensor "
              "with a comparison (x != 0)";
  auto type = cast<TensorType>(x.getType()).clone(*elem);
  return oneValue(ConvertOp::create(c.gen.builder, c.at(), type, x));
}

template <typename Op> BuiltinValues reduction(BoundCall &c) {
  Value x = c.tensor(0);
  if (!x)
    return failure();
  DenseI64ArrayAttr axes;
  if (c.given(1)) {
    auto values = c.intList(1);
    if (!values)
      return failure();
    axes = c.gen.builder.getDenseI64ArrayAttr(*values);
  }
  std::optional<bool> keepdim = c.boolean(2);
  if (!keepdim)
    return failure();
  UnitAttr keep = *keepdim ? c.gen.builder.getUnitAttr() : UnitAttr();
  return oneValue(c.gen.typed(
      Op::create(c.gen.builder, c.at(), c.gen.unranked(x), x, axes, keep)));
}

BuiltinValues flatten(BoundCall &c) {
  Value x = c.tensor(0);
  std::optional<int64_t> start = x ? c.integer(1) : std::nullopt;
  std::optional<int64_t> end = start ? c.integer(2) : std::nullopt;
  if (!end)
    return failure();
  return oneValue(c.gen.typed(FlattenOp::create(
      c.gen.builder, c.at(), c.gen.unranked(x), x, *start, *end)));
}

BuiltinValues dropout(BoundCall &c) {
  Value x = c.tensor(0);
  std::optional<double> p = x ? c.number(1) : std::nullopt;
  if (!p)
    return failure();
  return oneValue(c.gen.genDropout(c.call.getLoc(), x, *p));
}

/// max_pool2d and avg_pool2d: the stride is the kernel unless given.
template <typename Op> BuiltinValues pool(BoundCall &c) {
  Value x = c.tensor(0);
  auto kernel = x ? c.pair(1) : std::nullopt;
  auto stride = kernel ? (c.given(2) ? c.pair(2) : kernel) : std::nullopt;
  auto padding = stride ? c.pair(3) : std::nullopt;
  if (!padding)
    return failure();
  return oneValue(
      c.gen.typed(Op::create(c.gen.builder, c.at(), c.gen.unranked(x), x,
                             *kernel, *stride, *padding)));
}

/// concat and stack: the tensors of a list literal, or a model's
/// parameters (`concat(parameters(net))`), along an axis.
template <typename Op> BuiltinValues join(BoundCall &c) {
  auto *list = llvm::dyn_cast<ListExprAST>(&c.expr(0));
  auto *call = llvm::dyn_cast<CallExprAST>(&c.expr(0));
  llvm::SmallVector<Value> inputs;
  if (call && call->callee == "parameters") {
    FailureOr<llvm::SmallVector<Value>> params = c.gen.genValues(*call);
    if (failed(params))
      return failure();
    inputs = std::move(*params);
  } else if (!list || list->items.empty()) {
    return c.gen.error(c.locOf(0))
           << "'" << c.name() << "' takes a list of tensors, as in " << c.name()
           << "([a, b], axis=0)";
  }
  for (const ExprPtr &item : list ? llvm::ArrayRef<ExprPtr>(list->items)
                                  : llvm::ArrayRef<ExprPtr>()) {
    Value value = c.gen.genExpr(
        *item, inputs.empty() ? Type() : c.gen.elementTypeOf(inputs[0]));
    if (!value)
      return failure();
    inputs.push_back(value);
  }
  std::optional<int64_t> axis = c.integer(1);
  if (!axis)
    return failure();
  return oneValue(c.gen.typed(Op::create(
      c.gen.builder, c.at(), c.gen.unranked(inputs[0]), inputs, *axis)));
}

BuiltinValues attention(BoundCall &c) {
  Value query = c.tensor(0);
  Value key = query ? c.tensor(1) : nullptr;
  Value value = key ? c.tensor(2) : nullptr;
  if (!value)
    return failure();
  Value mask;
  if (c.given(5) && !(mask = c.tensor(5)))
    return failure();
  std::optional<bool> causal = c.boolean(3);
  if (!causal)
    return failure();
  FloatAttr scale;
  if (c.given(4)) {
    std::optional<double> number = c.number(4);
    if (!number)
      return failure();
    scale = c.gen.builder.getF64FloatAttr(*number);
  }
  return oneValue(c.gen.typed(AttentionOp::create(
      c.gen.builder, c.at(), c.gen.unranked(query), query, key, value, mask,
      scale, *causal ? c.gen.builder.getUnitAttr() : UnitAttr())));
}

/// slice(x, axis, start, end) and select(x, axis, index), which removes the
/// axis.
BuiltinValues slice(BoundCall &c) {
  bool isSelect = c.name() == "select";
  Value x = c.tensor(0);
  std::optional<int64_t> axis = x ? c.integer(1) : std::nullopt;
  std::optional<int64_t> start = axis ? c.integer(2) : std::nullopt;
  std::optional<int64_t> end =
      start ? (isSelect ? std::optional<int64_t>(*start + 1) : c.integer(3))
            : std::nullopt;
  if (!end)
    return failure();
  OpBuilder &b = c.gen.builder;
  return oneValue(c.gen.typed(SliceOp::create(
      b, c.at(), c.gen.unranked(x), x, b.getI64IntegerAttr(*axis),
      b.getI64IntegerAttr(*start), b.getI64IntegerAttr(*end),
      isSelect ? b.getUnitAttr() : UnitAttr())));
}

BuiltinValues argmax(BoundCall &c) {
  Value x = c.tensor(0);
  std::optional<int64_t> axis = x ? c.integer(1) : std::nullopt;
  if (!axis)
    return failure();
  return oneValue(c.gen.typed(ArgmaxOp::create(
      c.gen.builder, c.at(),
      UnrankedTensorType::get(c.gen.builder.getI64Type()), x, *axis)));
}

/// The dtype argument of a built-in that makes floats.
FailureOr<Type> floatDType(BoundCall &c, unsigned i) {
  FailureOr<Type> type = c.dtype(i);
  if (succeeded(type) && !isa<FloatType>(*type))
    return c.gen.error(c.locOf(i)) << c.name() << " makes f32 or f64 tensors";
  return type;
}

/// rand and randn: numbers of the generator drawn at (seed, key, index).
BuiltinValues random(BoundCall &c) {
  auto shape = c.shape(0);
  std::optional<int64_t> key = shape ? c.integer(1) : std::nullopt;
  if (!key)
    return failure();
  FailureOr<Type> elem = floatDType(c, 2);
  if (failed(elem))
    return failure();
  // The seed: the compilation's, an integer given here, or an i64 scalar
  // read when the program runs (an entry's argument, say).
  OpBuilder &b = c.gen.builder;
  IntegerAttr seedAttr = b.getI64IntegerAttr(c.gen.seed);
  Value seedValue;
  if (c.given(3)) {
    if (c.gen.isCompileTimeInteger(c.expr(3))) {
      std::optional<int64_t> value = c.integer(3);
      if (!value)
        return failure();
      seedAttr = b.getI64IntegerAttr(*value);
    } else {
      seedValue = c.tensor(3);
      if (!seedValue)
        return failure();
      auto type = cast<TensorType>(seedValue.getType());
      if (!type.getElementType().isInteger(64) ||
          (type.hasRank() && type.getRank() != 0))
        return c.gen.error(c.locOf(3))
               << "'seed' takes an integer or an i64 scalar, got "
               << formatType(type);
      seedAttr = nullptr;
    }
  }
  return oneValue(RandomOp::create(
      b, c.at(), RankedTensorType::get(*shape, *elem),
      c.name() == "rand" ? Distribution::uniform : Distribution::normal,
      seedAttr, static_cast<uint64_t>(*key), seedValue));
}

/// linspace(start, end, steps, dtype=f32), as torch.linspace; the bounds
/// are numbers or integer expressions (`linspace(0, T, T)`).
BuiltinValues linspace(BoundCall &c) {
  std::optional<double> start = c.number(0);
  std::optional<double> end = start ? c.number(1) : start;
  std::optional<int64_t> steps = end ? c.integer(2) : std::nullopt;
  if (!steps)
    return failure();
  if (*steps < 1)
    return c.gen.error(c.locOf(2))
           << "linspace needs at least one step, got " << *steps;
  FailureOr<Type> elem = floatDType(c, 3);
  if (failed(elem))
    return failure();
  OpBuilder &b = c.gen.builder;
  return oneValue(
      LinspaceOp::create(b, c.at(), RankedTensorType::get({*steps}, *elem),
                         b.getF64FloatAttr(*start), b.getF64FloatAttr(*end)));
}

/// zeros and ones, of any dtype.
BuiltinValues filled(BoundCall &c) {
  auto shape = c.shape(0);
  if (!shape)
    return failure();
  FailureOr<Type> elem = c.dtype(1);
  if (failed(elem))
    return failure();
  return oneValue(ConstantOp::create(
      c.gen.builder, c.at(),
      DenseElementsAttr::get(
          RankedTensorType::get(*shape, *elem),
          c.gen.scalarAttr(*elem, c.name() == "ones" ? 1.0 : 0.0))));
}

/// The functional form of a Linear layer, on explicit weights.
BuiltinValues linear(BoundCall &c) {
  Value x = c.tensor(0);
  Value weight = x ? c.tensor(1) : nullptr;
  if (!weight)
    return failure();
  Value bias;
  if (c.given(2) && !(bias = c.tensor(2)))
    return failure();
  return oneValue(c.gen.typed(LinearOp::create(
      c.gen.builder, c.at(), c.gen.unranked(x), x, weight, bias)));
}

/// arange(end) or arange(start, end, step): a constant vector, f32 unless
/// dtype names another (i64 for position ids).
BuiltinValues arange(BoundCall &c) {
  std::optional<int64_t> first = c.integer(0);
  std::optional<int64_t> second = first && c.given(1) ? c.integer(1) : first;
  std::optional<int64_t> step = second ? c.integer(2) : std::nullopt;
  if (!step)
    return failure();
  int64_t start = c.given(1) ? *first : 0, end = *second;
  if (*step <= 0 || end <= start)
    return c.gen.error(c.call.getLoc())
           << "arange needs start < end and a positive step, got " << start
           << ", " << end << ", " << *step;
  FailureOr<Type> elem = c.dtype(3);
  if (failed(elem))
    return failure();
  if (elem->isInteger(1))
    return c.gen.error(c.locOf(3)) << "arange makes numbers, not bool";
  // Counted in 128 bits: the bounds may be anywhere in i64.
  __int128 count = (__int128(end) - start + *step - 1) / *step;
  if (count > kMaxConstantElements)
    return c.gen.error(c.call.getLoc())
           << "arange of " << int64_t(std::min<__int128>(count, INT64_MAX))
           << " elements: a constant holds at most " << kMaxConstantElements;
  auto type = RankedTensorType::get({int64_t(count)}, *elem);
  // Built from a vector of the element type, not one attribute an element.
  auto build = [&](auto zero) {
    std::vector<decltype(zero)> values(count);
    for (int64_t i = 0; i < int64_t(count); ++i)
      values[i] = static_cast<decltype(zero)>(start + i * *step);
    return DenseElementsAttr::get(type, llvm::ArrayRef(values));
  };
  DenseElementsAttr values = elem->isF32()         ? build(float())
                             : elem->isF64()       ? build(double())
                             : elem->isInteger(32) ? build(int32_t())
                                                   : build(int64_t());
  return oneValue(ConstantOp::create(c.gen.builder, c.at(), values));
}

const BuiltinFunction computeBuiltins[] = {
    {"relu", "x", unary<ReluOp>},
    {"sigmoid", "x", unary<SigmoidOp>},
    {"tanh", "x", unary<TanhOp>},
    {"exp", "x", unary<ExpOp>},
    {"log", "x", unary<LogOp>},
    {"sqrt", "x", unary<SqrtOp>},
    {"sin", "x", unary<SinOp>},
    {"cos", "x", unary<CosOp>},
    {"gelu", "x, approximate=none", gelu},
    {"erf", "x", unary<ErfOp>},
    {"silu", "x", unary<SiluOp>},
    {"pow", "x, y", binary<PowOp>},
    {"maximum", "x, y", binary<MaximumOp>},
    {"minimum", "x, y", binary<MinimumOp>},
    {"leaky_relu", "x, slope=0.01", leakyRelu},
    {"matmul", "x, y", binary<MatmulOp>},
    {"sum", "x, axis=None, keepdim=false", reduction<SumOp>},
    {"mean", "x, axis=None, keepdim=false", reduction<MeanOp>},
    {"max", "x, axis=None, keepdim=false", reduction<MaxOp>},
    {"broadcast", "x, shape", withList<BroadcastOp>},
    {"reshape", "x, shape", withList<ReshapeOp>},
    {"transpose", "x, perm=[1, 0]", withList<TransposeOp>},
    {"attention", "q, k, v, causal=false, scale=None, mask=None", attention},
    {"concat", "tensors, axis=0", join<ConcatOp>},
    {"stack", "tensors, axis=0", join<StackOp>},
    {"arange", "start, end=None, step=1, dtype=f32", arange},
    {"argmax", "x, axis=-1", argmax},
    {"upsample_nearest", "x, scale", withPair<UpsampleNearestOp>},
    {"slice", "x, axis, start, end", slice},
    {"select", "x, axis, index", slice},
    {"zeros", "shape, dtype=f32", filled},
    {"ones", "shape, dtype=f32", filled},
    {"where", "condition, x, y", where},
    {"masked_fill", "x, mask, value", maskedFill},
    {"logical_and", "x, y", logical},
    {"logical_or", "x, y", logical},
    {"logical_not", "x", logical},
    {"to", "x, dtype", convert},
    {"rand", "shape, key, dtype=f32, seed=None", random,
     "a key, as in {0}([4, 8], key=0); calls with equal keys draw equal "
     "numbers"},
    {"randn", "shape, key, dtype=f32, seed=None", random,
     "a key, as in {0}([4, 8], key=0); calls with equal keys draw equal "
     "numbers"},
    {"linspace", "start, end, steps, dtype=f32", linspace},
    {"triu", "x, diagonal=0", withInteger<TriuOp>},
    {"tril", "x, diagonal=0", withInteger<TrilOp>},
    {"linear", "x, weight, bias=None", linear},
    {"flatten", "x, start=1, end=-1", flatten},
    {"softmax", "x, axis=-1", withInteger<SoftmaxOp>},
    {"log_softmax", "x, axis=-1", withInteger<LogSoftmaxOp>},
    {"dropout", "x, p=0.5", dropout},
    {"max_pool2d", "x, kernel, stride=None, padding=0", pool<MaxPool2dOp>},
    {"avg_pool2d", "x, kernel, stride=None, padding=0", pool<AvgPool2dOp>},
    {"adaptive_avg_pool2d", "x, size", withPair<AdaptiveAvgPool2dOp>},
};
} // namespace

llvm::ArrayRef<BuiltinFunction> mlir::weft::computeBuiltinFunctions() {
  return computeBuiltins;
}

FailureOr<llvm::SmallVector<Value>>
MLIRGenImpl::genBuiltin(const CallExprAST &call) {
  const BuiltinFunction *row = lookupBuiltinFunction(call.callee);
  if (!row) {
    if (lookupLayerKind(call.callee))
      return error(call.getLoc())
             << "layers are declared in a model, as in 'fc = " << call.callee
             << "(...)'";
    return error(call.getLoc()) << "unknown function '" << call.callee << "'";
  }
  FailureOr<BoundCall> bound = bind(call, row->signature, row->missing);
  if (failed(bound))
    return failure();
  return row->build(*bound);
}
