//===- MLIRGen.cpp - From the syntax tree to the weft dialect -------------===//
//
// Each op gets the type its operands imply: static shapes where the
// operands have them, unranked inside generic user functions (`def f(x)`),
// whose shapes `weft-shape-inference` computes after inlining. Where a value
// meets a declared type (a call argument, a returned value) a `weft.cast`
// records the declaration. Name, arity, dtype and shape errors found here
// are reported at the source location of the offending expression.
//
//===----------------------------------------------------------------------===//

#include "weft/Lang/MLIRGen.h"
#include "weft/Dialect/Weft/IR/WeftOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/SourceMgr.h"
#include <cmath>

using namespace mlir;
using namespace mlir::weft;

llvm::Expected<EntryPoint> mlir::weft::findEntryPoint(const ModuleAST &module,
                                                      llvm::StringRef name) {
  auto [modelName, method] = name.split('.');
  if (!method.empty()) {
    for (const ModelAST &model : module.models) {
      if (model.name != modelName)
        continue;
      for (const FunctionAST &f : model.methods)
        if (f.name == method)
          return EntryPoint{&model, &f, name.str()};
      return llvm::createStringError("model '" + modelName.str() +
                                     "' has no method '" + method.str() + "'");
    }
    return llvm::createStringError("no model named '" + modelName.str() + "'");
  }
  for (const FunctionAST &f : module.functions)
    if (f.name == name)
      return EntryPoint{nullptr, &f, name.str()};
  std::optional<EntryPoint> found;
  for (const ModelAST &model : module.models)
    for (const FunctionAST &f : model.methods) {
      if (f.name != name)
        continue;
      if (found)
        return llvm::createStringError(
            "entry point '" + name.str() + "' is ambiguous: both " +
            found->symbol + " and " + model.name + "." + name.str() +
            " exist; name one with --entry Model." + name.str());
      found = EntryPoint{&model, &f, model.name + "." + name.str()};
    }
  if (!found)
    return llvm::createStringError("no function or model method named '" +
                                   name.str() + "' (choose one with --entry)");
  return *found;
}

namespace {

/// A layer declared in a model, after checking its constructor.
struct Layer {
  enum Kind { Linear, Param } kind;
  SMLoc loc;
  int64_t in = 0, out = 0;
  bool bias = true;
  llvm::SmallVector<int64_t> shape;
};

/// A function that can be called: top-level or a method of `owner`. A
/// function with untyped parameters is generic in their dtypes and has one
/// instance per combination it is called with.
struct Callable {
  const FunctionAST *ast;
  const ModelAST *owner;
  std::string symbol;
  llvm::StringMap<func::FuncOp> instances;
  bool generating = false;
};

class MLIRGenImpl {
public:
  MLIRGenImpl(MLIRContext &context, const llvm::SourceMgr &sourceMgr,
              const llvm::StringMap<int64_t> &dims)
      : builder(&context), sourceMgr(sourceMgr), dims(dims) {
    auto *buffer = sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID());
    filename = builder.getStringAttr(buffer->getBufferIdentifier());
  }

  OwningOpRef<ModuleOp> generate(const ModuleAST &ast, const EntryPoint &entry);

private:
  // --- Locations and errors -------------------------------------------------
  Location loc(SMLoc at) {
    auto [line, col] = sourceMgr.getLineAndColumn(at);
    return FileLineColLoc::get(filename, line, col);
  }
  InFlightDiagnostic error(SMLoc at) { return emitError(loc(at)); }
  void note(InFlightDiagnostic &diag, SMLoc at, const llvm::Twine &text) {
    diag.attachNote(loc(at)) << text;
  }

  // --- Declarations
  // -----------------------------------------------------------
  LogicalResult declare(const ModuleAST &ast);
  LogicalResult declareLayer(const ModelAST &model, const LayerAST &layer);
  /// Generates the instance of `callable` whose untyped parameters have the
  /// element types `generic` (one per parameter; typed ones are ignored).
  FailureOr<func::FuncOp> genFunction(Callable &callable, bool isEntry,
                                      llvm::ArrayRef<Type> generic);
  FailureOr<RankedTensorType> convertType(const TypeAST &type, bool isEntry);
  FailureOr<Type> convertDType(llvm::StringRef dtype, SMLoc at);

  // --- Expressions
  // ------------------------------------------------------------
  Value genExpr(const ExprAST &expr, Type hint);
  Value genNumber(const NumberExprAST &number, double sign, Type hint);
  Value genName(const VarExprAST &var, Type hint);
  Value genBinary(const BinaryExprAST &binary, Type hint);
  Value genCall(const CallExprAST &call, Type hint);
  Value genLayerCall(const CallExprAST &call, llvm::StringRef name,
                     const Layer &layer);
  Value genUserCall(const CallExprAST &call, Callable &callee);
  Value genBuiltin(const CallExprAST &call);
  Value genParam(SMLoc at, llvm::StringRef name, Type elementType,
                 llvm::ArrayRef<int64_t> shape, std::optional<int64_t> fanIn);
  Value castTo(Value value, Type type, SMLoc at, const llvm::Twine &what);
  /// Gives `op` its inferred result type, or reports why there is none at
  /// the op's location, erases it and returns null.
  Value typed(Operation *op);

  /// A call's arguments against a signature: positional count in
  /// [minArgs, maxArgs] and keywords from `keywords`.
  LogicalResult checkArity(const CallExprAST &call, unsigned minArgs,
                           unsigned maxArgs,
                           llvm::ArrayRef<llvm::StringRef> keywords = {});
  const ExprAST *keyword(const CallExprAST &call, llvm::StringRef name);
  std::optional<int64_t> evalInt(const ExprAST &expr);
  std::optional<llvm::SmallVector<int64_t>> evalIntList(const ExprAST &expr);
  std::optional<bool> evalBool(const ExprAST &expr);

  UnrankedTensorType unranked(Value like) {
    return UnrankedTensorType::get(
        cast<TensorType>(like.getType()).getElementType());
  }
  Type defaultElementType() { return builder.getF32Type(); }

  OpBuilder builder;
  const llvm::SourceMgr &sourceMgr;
  const llvm::StringMap<int64_t> &dims;
  StringAttr filename;
  ModuleOp module;

  std::vector<std::unique_ptr<Callable>> callables;
  llvm::StringMap<Callable *> functions;
  std::map<const ModelAST *, llvm::StringMap<Callable *>> methods;
  std::map<const ModelAST *, llvm::StringMap<Layer>> layers;

  /// The function being generated: its model and its variables.
  const ModelAST *currentModel = nullptr;
  llvm::StringMap<Value> *variables = nullptr;
};

template <typename Op>
Value createUnary(OpBuilder &b, Location loc, Type type, Value x) {
  return Op::create(b, loc, type, x);
}

bool isLiteral(const ExprAST &expr) {
  if (auto *unary = llvm::dyn_cast<UnaryExprAST>(&expr))
    return isLiteral(*unary->operand);
  return llvm::isa<NumberExprAST>(expr);
}

} // namespace

// Names are unique in each scope: the parser has checked.
LogicalResult MLIRGenImpl::declare(const ModuleAST &ast) {
  for (const FunctionAST &f : ast.functions) {
    callables.push_back(
        std::make_unique<Callable>(Callable{&f, nullptr, f.name, {}}));
    functions[f.name] = callables.back().get();
  }
  for (const ModelAST &model : ast.models) {
    for (const LayerAST &layer : model.layers)
      if (failed(declareLayer(model, layer)))
        return failure();
    for (const FunctionAST &f : model.methods) {
      callables.push_back(std::make_unique<Callable>(
          Callable{&f, &model, model.name + "." + f.name, {}}));
      methods[&model][f.name] = callables.back().get();
    }
  }
  return success();
}

LogicalResult MLIRGenImpl::declareLayer(const ModelAST &model,
                                        const LayerAST &decl) {
  const CallExprAST &ctor = *decl.constructor;
  Layer layer;
  layer.loc = decl.loc;
  if (ctor.callee == "Linear") {
    if (failed(checkArity(ctor, 2, 2, {"bias"})))
      return failure();
    std::optional<int64_t> in = evalInt(*ctor.args[0]);
    std::optional<int64_t> out = in ? evalInt(*ctor.args[1]) : std::nullopt;
    if (!in || !out)
      return failure();
    if (*in <= 0 || *out <= 0)
      return error(ctor.getLoc()) << "Linear sizes must be positive, got ("
                                  << *in << ", " << *out << ")";
    layer.kind = Layer::Linear;
    layer.in = *in;
    layer.out = *out;
    if (const ExprAST *bias = keyword(ctor, "bias")) {
      std::optional<bool> value = evalBool(*bias);
      if (!value)
        return failure();
      layer.bias = *value;
    }
  } else if (ctor.callee == "Param") {
    if (failed(checkArity(ctor, 0, ~0u)))
      return failure();
    layer.kind = Layer::Param;
    for (const ExprPtr &arg : ctor.args) {
      std::optional<int64_t> size = evalInt(*arg);
      if (!size)
        return failure();
      if (*size <= 0)
        return error(arg->getLoc())
               << "a parameter dimension must be positive, got " << *size;
      layer.shape.push_back(*size);
    }
  } else {
    return error(ctor.getLoc()) << "unknown layer type '" << ctor.callee
                                << "' (this version knows Linear and Param)";
  }
  layers[&model][decl.name] = layer;
  return success();
}

FailureOr<Type> MLIRGenImpl::convertDType(llvm::StringRef dtype, SMLoc at) {
  if (dtype == "f32")
    return Type(builder.getF32Type());
  if (dtype == "f64")
    return Type(builder.getF64Type());
  return error(at) << "unknown dtype '" << dtype
                   << "' (weft supports f32 and f64)";
}

FailureOr<RankedTensorType> MLIRGenImpl::convertType(const TypeAST &type,
                                                     bool isEntry) {
  FailureOr<Type> elem = convertDType(type.dtype, type.loc);
  if (failed(elem))
    return failure();
  llvm::SmallVector<int64_t> shape;
  for (const DimAST &dim : type.dims) {
    if (!dim.isSymbolic()) {
      shape.push_back(dim.size);
      continue;
    }
    auto it = dims.find(dim.symbol);
    if (it != dims.end()) {
      shape.push_back(it->second);
      continue;
    }
    if (isEntry)
      return error(dim.loc)
             << "dimension '" << dim.symbol
             << "' has no size; give one with --dim " << dim.symbol << "=N";
    shape.push_back(ShapedType::kDynamic);
  }
  return RankedTensorType::get(shape, *elem);
}

FailureOr<func::FuncOp> MLIRGenImpl::genFunction(Callable &callable,
                                                 bool isEntry,
                                                 llvm::ArrayRef<Type> generic) {
  const FunctionAST &f = *callable.ast;
  // An instance for other dtypes than f32 gets them in its name: `g.f64`.
  std::string symbol = callable.symbol;
  llvm::SmallVector<Type> argTypes;
  for (auto [param, elem] : llvm::zip(f.params, generic)) {
    if (param.type)
      continue;
    if (isEntry)
      return error(param.loc) << "parameter '" << param.name
                              << "' of the entry point needs a type, as in "
                              << param.name << ": f32[B, 4]";
    argTypes.push_back(UnrankedTensorType::get(elem));
  }
  if (llvm::any_of(argTypes, [&](Type t) {
        return cast<TensorType>(t).getElementType() != defaultElementType();
      }))
    for (Type t : argTypes)
      llvm::raw_string_ostream(symbol)
          << '.' << cast<TensorType>(t).getElementType();
  if (func::FuncOp existing = callable.instances.lookup(symbol))
    return existing;

  callable.generating = true;
  argTypes.clear();
  for (auto [param, elem] : llvm::zip(f.params, generic)) {
    if (!param.type) {
      argTypes.push_back(UnrankedTensorType::get(elem));
      continue;
    }
    FailureOr<RankedTensorType> type = convertType(*param.type, isEntry);
    if (failed(type))
      return failure();
    argTypes.push_back(*type);
  }
  std::optional<RankedTensorType> declaredResult;
  if (f.result) {
    FailureOr<RankedTensorType> type = convertType(*f.result, isEntry);
    if (failed(type))
      return failure();
    declaredResult = *type;
  }

  OpBuilder::InsertionGuard guard(builder);
  builder.setInsertionPointToEnd(module.getBody());
  auto func = func::FuncOp::create(builder, loc(f.loc), symbol,
                                   builder.getFunctionType(argTypes, {}));
  if (!isEntry)
    func.setPrivate();
  callable.instances[symbol] = func;
  Block *body = func.addEntryBlock();
  builder.setInsertionPointToStart(body);

  llvm::StringMap<Value> scope;
  for (auto [param, arg] : llvm::zip(f.params, body->getArguments()))
    scope[param.name] = arg;
  auto savedModel = currentModel;
  auto savedVariables = variables;
  currentModel = callable.owner;
  variables = &scope;
  llvm::scope_exit restore([&] {
    currentModel = savedModel;
    variables = savedVariables;
    callable.generating = false;
  });

  Value returned;
  for (const StmtAST &stmt : f.body) {
    if (returned)
      return error(stmt.loc) << "statement after 'return' is never reached";
    Value value = genExpr(*stmt.value, Type());
    if (!value)
      return failure();
    if (!stmt.isReturn) {
      scope[stmt.name] = value;
      continue;
    }
    if (declaredResult) {
      value = castTo(value, *declaredResult, stmt.loc,
                     "the value returned from '" + f.name + "'");
      if (!value)
        return failure();
    }
    func::ReturnOp::create(builder, loc(stmt.loc), value);
    returned = value;
  }
  if (!returned)
    return error(f.loc) << "function '" << f.name
                        << "' has no 'return' statement";
  func.setType(builder.getFunctionType(argTypes, returned.getType()));
  return func;
}

Value MLIRGenImpl::castTo(Value value, Type type, SMLoc at,
                          const llvm::Twine &what) {
  if (value.getType() == type)
    return value;
  auto from = cast<TensorType>(value.getType());
  auto to = cast<TensorType>(type);
  if (from.getElementType() != to.getElementType()) {
    error(at) << "dtype mismatch: " << what << " is " << formatType(from)
              << " but " << formatType(to) << " is expected";
    return nullptr;
  }
  if (!areCompatibleTensorTypes(from, to)) {
    error(at) << "shape mismatch: " << what << " is " << formatType(from)
              << " but " << formatType(to) << " is expected";
    return nullptr;
  }
  return CastOp::create(builder, loc(at), type, value);
}

Value MLIRGenImpl::typed(Operation *op) {
  llvm::SmallVector<Type> types;
  if (failed(cast<InferTypeOpInterface>(op).inferReturnTypes(
          op->getContext(), op->getLoc(), op->getOperands(),
          op->getAttrDictionary(), op->getPropertiesStorage(), op->getRegions(),
          types))) {
    op->erase();
    return nullptr;
  }
  op->getResult(0).setType(types.front());
  return op->getResult(0);
}

Value MLIRGenImpl::genExpr(const ExprAST &expr, Type hint) {
  switch (expr.getKind()) {
  case ExprAST::Number:
    return genNumber(llvm::cast<NumberExprAST>(expr), 1.0, hint);
  case ExprAST::Bool:
    error(expr.getLoc()) << "'true' and 'false' are only allowed as keyword "
                            "arguments (bias=false, keepdim=true)";
    return nullptr;
  case ExprAST::Var:
    return genName(llvm::cast<VarExprAST>(expr), hint);
  case ExprAST::List:
    error(expr.getLoc()) << "a list is only allowed as a shape or axes "
                            "argument";
    return nullptr;
  case ExprAST::Unary: {
    const auto &unary = llvm::cast<UnaryExprAST>(expr);
    if (auto *number = llvm::dyn_cast<NumberExprAST>(unary.operand.get()))
      return genNumber(*number, -1.0, hint);
    Value operand = genExpr(*unary.operand, hint);
    if (!operand)
      return nullptr;
    return typed(NegOp::create(builder, loc(unary.getLoc()), unranked(operand),
                               operand));
  }
  case ExprAST::Binary:
    return genBinary(llvm::cast<BinaryExprAST>(expr), hint);
  case ExprAST::Call:
    return genCall(llvm::cast<CallExprAST>(expr), hint);
  }
  return nullptr;
}

Value MLIRGenImpl::genNumber(const NumberExprAST &number, double sign,
                             Type hint) {
  Type elem = hint ? hint : defaultElementType();
  auto type = RankedTensorType::get({}, elem);
  auto value = DenseElementsAttr::get(
      type, builder.getFloatAttr(elem, sign * number.value));
  return ConstantOp::create(builder, loc(number.getLoc()), value);
}

Value MLIRGenImpl::genName(const VarExprAST &var, Type hint) {
  if (auto it = variables->find(var.name); it != variables->end())
    return it->second;
  if (currentModel) {
    auto &modelLayers = layers[currentModel];
    if (auto it = modelLayers.find(var.name); it != modelLayers.end()) {
      const Layer &layer = it->second;
      if (layer.kind == Layer::Param)
        return genParam(var.getLoc(), var.name, defaultElementType(),
                        layer.shape, std::nullopt);
      error(var.getLoc()) << "'" << var.name << "' is a layer; call it, as in "
                          << var.name << "(x)";
      return nullptr;
    }
  }
  if (auto it = dims.find(var.name); it != dims.end()) {
    Type elem = hint ? hint : defaultElementType();
    auto type = RankedTensorType::get({}, elem);
    return ConstantOp::create(
        builder, loc(var.getLoc()),
        DenseElementsAttr::get(type,
                               builder.getFloatAttr(elem, double(it->second))));
  }
  if (functions.count(var.name) ||
      (currentModel && methods[currentModel].count(var.name))) {
    error(var.getLoc()) << "'" << var.name << "' is a function; call it, as in "
                        << var.name << "(x)";
    return nullptr;
  }
  error(var.getLoc()) << "unknown name '" << var.name << "'";
  return nullptr;
}

Value MLIRGenImpl::genParam(SMLoc at, llvm::StringRef name, Type elementType,
                            llvm::ArrayRef<int64_t> shape,
                            std::optional<int64_t> fanIn) {
  auto type = RankedTensorType::get(shape, elementType);
  IntegerAttr fanInAttr =
      fanIn ? builder.getI64IntegerAttr(*fanIn) : IntegerAttr();
  return ParamOp::create(builder, loc(at), type, builder.getStringAttr(name),
                         fanInAttr);
}

Value MLIRGenImpl::genBinary(const BinaryExprAST &binary, Type hint) {
  // A literal takes the dtype of the other operand, as in NumPy.
  Value lhs, rhs;
  if (isLiteral(*binary.lhs) && !isLiteral(*binary.rhs)) {
    rhs = genExpr(*binary.rhs, hint);
    if (!rhs)
      return nullptr;
    lhs =
        genExpr(*binary.lhs, cast<TensorType>(rhs.getType()).getElementType());
  } else {
    lhs = genExpr(*binary.lhs, hint);
    if (!lhs)
      return nullptr;
    rhs =
        genExpr(*binary.rhs, cast<TensorType>(lhs.getType()).getElementType());
  }
  if (!lhs || !rhs)
    return nullptr;
  auto lhsType = cast<TensorType>(lhs.getType());
  auto rhsType = cast<TensorType>(rhs.getType());
  if (lhsType.getElementType() != rhsType.getElementType()) {
    error(binary.getLoc()) << "dtype mismatch: " << formatType(lhsType)
                           << " and " << formatType(rhsType);
    return nullptr;
  }
  Location at = loc(binary.getLoc());
  Type result = unranked(lhs);
  switch (binary.op) {
  case '+':
    return typed(AddOp::create(builder, at, result, lhs, rhs));
  case '-':
    return typed(SubOp::create(builder, at, result, lhs, rhs));
  case '*':
    return typed(MulOp::create(builder, at, result, lhs, rhs));
  case '/':
    return typed(DivOp::create(builder, at, result, lhs, rhs));
  case '^':
    return typed(PowOp::create(builder, at, result, lhs, rhs));
  case '@':
    return typed(MatmulOp::create(builder, at, result, lhs, rhs));
  }
  llvm_unreachable("unknown binary operator");
}

LogicalResult
MLIRGenImpl::checkArity(const CallExprAST &call, unsigned minArgs,
                        unsigned maxArgs,
                        llvm::ArrayRef<llvm::StringRef> keywords) {
  unsigned count = call.args.size();
  if (count < minArgs || count > maxArgs) {
    InFlightDiagnostic diag = error(call.getLoc())
                              << "'" << call.callee << "' expects ";
    if (minArgs == maxArgs)
      diag << minArgs << (minArgs == 1 ? " argument" : " arguments");
    else if (maxArgs == ~0u)
      diag << "at least " << minArgs << " arguments";
    else
      diag << minArgs << " to " << maxArgs << " arguments";
    diag << ", got " << count;
    return failure();
  }
  llvm::StringSet<> seen;
  for (const KeywordArgAST &kw : call.kwargs) {
    if (!llvm::is_contained(keywords, kw.name))
      return error(kw.loc) << "'" << call.callee
                           << "' has no keyword argument '" << kw.name << "'";
    if (!seen.insert(kw.name).second)
      return error(kw.loc) << "keyword argument '" << kw.name
                           << "' is given twice";
  }
  return success();
}

const ExprAST *MLIRGenImpl::keyword(const CallExprAST &call,
                                    llvm::StringRef name) {
  for (const KeywordArgAST &kw : call.kwargs)
    if (kw.name == name)
      return kw.value.get();
  return nullptr;
}

std::optional<int64_t> MLIRGenImpl::evalInt(const ExprAST &expr) {
  if (auto *number = llvm::dyn_cast<NumberExprAST>(&expr)) {
    if (number->isInteger)
      return static_cast<int64_t>(number->value);
  } else if (auto *unary = llvm::dyn_cast<UnaryExprAST>(&expr)) {
    if (std::optional<int64_t> v = evalInt(*unary->operand))
      return -*v;
    return std::nullopt;
  } else if (auto *var = llvm::dyn_cast<VarExprAST>(&expr)) {
    if (auto it = dims.find(var->name); it != dims.end())
      return it->second;
    error(expr.getLoc()) << "'" << var->name
                         << "' is not a dimension with a known size";
    return std::nullopt;
  } else if (auto *binary = llvm::dyn_cast<BinaryExprAST>(&expr)) {
    std::optional<int64_t> l = evalInt(*binary->lhs);
    std::optional<int64_t> r = l ? evalInt(*binary->rhs) : std::nullopt;
    if (!r)
      return std::nullopt;
    switch (binary->op) {
    case '+':
      return *l + *r;
    case '-':
      return *l - *r;
    case '*':
      return *l * *r;
    default:
      break;
    }
  }
  error(expr.getLoc()) << "expected an integer here";
  return std::nullopt;
}

std::optional<llvm::SmallVector<int64_t>>
MLIRGenImpl::evalIntList(const ExprAST &expr) {
  llvm::SmallVector<int64_t> values;
  auto *list = llvm::dyn_cast<ListExprAST>(&expr);
  if (!list) {
    std::optional<int64_t> single = evalInt(expr);
    if (!single)
      return std::nullopt;
    values.push_back(*single);
    return values;
  }
  for (const ExprPtr &item : list->items) {
    std::optional<int64_t> value = evalInt(*item);
    if (!value)
      return std::nullopt;
    values.push_back(*value);
  }
  return values;
}

std::optional<bool> MLIRGenImpl::evalBool(const ExprAST &expr) {
  if (auto *b = llvm::dyn_cast<BoolExprAST>(&expr))
    return b->value;
  error(expr.getLoc()) << "expected 'true' or 'false' here";
  return std::nullopt;
}

Value MLIRGenImpl::genCall(const CallExprAST &call, Type hint) {
  if (variables->count(call.callee)) {
    error(call.getLoc()) << "'" << call.callee
                         << "' is a tensor, not a function";
    return nullptr;
  }
  if (currentModel) {
    auto &modelLayers = layers[currentModel];
    if (auto it = modelLayers.find(call.callee); it != modelLayers.end())
      return genLayerCall(call, it->getKey(), it->second);
    auto &modelMethods = methods[currentModel];
    if (auto it = modelMethods.find(call.callee); it != modelMethods.end())
      return genUserCall(call, *it->second);
  }
  if (auto it = functions.find(call.callee); it != functions.end())
    return genUserCall(call, *it->second);
  return genBuiltin(call);
}

Value MLIRGenImpl::genLayerCall(const CallExprAST &call, llvm::StringRef name,
                                const Layer &layer) {
  if (layer.kind == Layer::Param) {
    error(call.getLoc()) << "'" << name
                         << "' is a parameter, not a layer; use it as a "
                            "value";
    return nullptr;
  }
  if (failed(checkArity(call, 1, 1)))
    return nullptr;
  Value input = genExpr(*call.args[0], Type());
  if (!input)
    return nullptr;
  Type elem = cast<TensorType>(input.getType()).getElementType();
  Value weight = genParam(call.getLoc(), (name + ".weight").str(), elem,
                          {layer.out, layer.in}, layer.in);
  Value bias = layer.bias ? genParam(call.getLoc(), (name + ".bias").str(),
                                     elem, {layer.out}, layer.in)
                          : Value();
  return typed(LinearOp::create(builder, loc(call.getLoc()), unranked(input),
                                input, weight, bias));
}

Value MLIRGenImpl::genUserCall(const CallExprAST &call, Callable &callee) {
  const FunctionAST &f = *callee.ast;
  if (failed(checkArity(call, f.params.size(), f.params.size())))
    return nullptr;
  if (callee.generating) {
    error(call.getLoc()) << "'" << f.name
                         << "' calls itself; recursion is not supported "
                            "(write loops with the language's constructs)";
    return nullptr;
  }
  llvm::SmallVector<Value> args;
  llvm::SmallVector<Type> elementTypes;
  for (const ExprPtr &arg : call.args) {
    Value value = genExpr(*arg, Type());
    if (!value)
      return nullptr;
    args.push_back(value);
    elementTypes.push_back(cast<TensorType>(value.getType()).getElementType());
  }
  FailureOr<func::FuncOp> instance =
      genFunction(callee, /*isEntry=*/false, elementTypes);
  if (failed(instance))
    return nullptr;
  FunctionType type = instance->getFunctionType();
  for (auto [i, arg] : llvm::enumerate(call.args)) {
    args[i] = castTo(args[i], type.getInput(i), arg->getLoc(),
                     "argument " + llvm::Twine(i + 1) + " of '" + f.name + "'");
    if (!args[i])
      return nullptr;
  }
  auto op = func::CallOp::create(builder, loc(call.getLoc()), *instance, args);
  return op.getResult(0);
}

Value MLIRGenImpl::genBuiltin(const CallExprAST &call) {
  llvm::StringRef name = call.callee;
  Location at = loc(call.getLoc());
  auto firstArg = [&]() -> Value { return genExpr(*call.args[0], Type()); };

  // Elementwise functions of one tensor.
  using UnaryBuilder = Value (*)(OpBuilder &, Location, Type, Value);
  static const std::pair<llvm::StringRef, UnaryBuilder> unary[] = {
      {"relu", createUnary<ReluOp>}, {"sigmoid", createUnary<SigmoidOp>},
      {"tanh", createUnary<TanhOp>}, {"exp", createUnary<ExpOp>},
      {"log", createUnary<LogOp>},
  };
  for (auto [fn, create] : unary) {
    if (fn != name)
      continue;
    if (failed(checkArity(call, 1, 1)))
      return nullptr;
    Value x = firstArg();
    return x ? typed(create(builder, at, unranked(x), x).getDefiningOp())
             : nullptr;
  }

  if (name == "pow" || name == "matmul") {
    if (failed(checkArity(call, 2, 2)))
      return nullptr;
    Value lhs = firstArg();
    if (!lhs)
      return nullptr;
    Value rhs = genExpr(*call.args[1],
                        cast<TensorType>(lhs.getType()).getElementType());
    if (!rhs)
      return nullptr;
    if (cast<TensorType>(rhs.getType()).getElementType() !=
        cast<TensorType>(lhs.getType()).getElementType()) {
      error(call.getLoc()) << "dtype mismatch: " << formatType(lhs.getType())
                           << " and " << formatType(rhs.getType());
      return nullptr;
    }
    if (name == "pow")
      return typed(PowOp::create(builder, at, unranked(lhs), lhs, rhs));
    return typed(MatmulOp::create(builder, at, unranked(lhs), lhs, rhs));
  }

  if (name == "sum" || name == "mean" || name == "max") {
    if (failed(checkArity(call, 1, 2, {"axis", "keepdim"})))
      return nullptr;
    const ExprAST *axisExpr =
        call.args.size() == 2 ? call.args[1].get() : keyword(call, "axis");
    if (call.args.size() == 2 && keyword(call, "axis")) {
      error(call.getLoc()) << "axis is given twice";
      return nullptr;
    }
    DenseI64ArrayAttr axes;
    if (axisExpr) {
      auto values = evalIntList(*axisExpr);
      if (!values)
        return nullptr;
      axes = builder.getDenseI64ArrayAttr(*values);
    }
    bool keepdim = false;
    if (const ExprAST *kd = keyword(call, "keepdim")) {
      std::optional<bool> value = evalBool(*kd);
      if (!value)
        return nullptr;
      keepdim = *value;
    }
    Value x = firstArg();
    if (!x)
      return nullptr;
    UnitAttr keep = keepdim ? builder.getUnitAttr() : UnitAttr();
    if (name == "sum")
      return typed(SumOp::create(builder, at, unranked(x), x, axes, keep));
    if (name == "mean")
      return typed(MeanOp::create(builder, at, unranked(x), x, axes, keep));
    return typed(MaxOp::create(builder, at, unranked(x), x, axes, keep));
  }

  if (name == "reshape" || name == "broadcast" || name == "transpose") {
    if (failed(checkArity(call, name == "transpose" ? 1 : 2, 2)))
      return nullptr;
    llvm::SmallVector<int64_t> list = {1, 0};
    if (call.args.size() == 2) {
      auto values = evalIntList(*call.args[1]);
      if (!values)
        return nullptr;
      list = *values;
    }
    Value x = firstArg();
    if (!x)
      return nullptr;
    auto attr = builder.getDenseI64ArrayAttr(list);
    if (name == "reshape")
      return typed(ReshapeOp::create(builder, at, unranked(x), x, attr));
    if (name == "broadcast")
      return typed(BroadcastOp::create(builder, at, unranked(x), x, attr));
    return typed(TransposeOp::create(builder, at, unranked(x), x, attr));
  }

  if (name == "Linear" || name == "Param") {
    error(call.getLoc()) << "layers are declared in a model, as in 'fc = "
                         << name << "(...)'";
    return nullptr;
  }
  error(call.getLoc()) << "unknown function '" << name << "'";
  return nullptr;
}

OwningOpRef<ModuleOp> MLIRGenImpl::generate(const ModuleAST &ast,
                                            const EntryPoint &entry) {
  OwningOpRef<ModuleOp> owned =
      ModuleOp::create(FileLineColLoc::get(filename, 1, 1));
  module = *owned;
  if (failed(declare(ast)))
    return nullptr;

  Callable *entryCallable = nullptr;
  for (auto &callable : callables)
    if (callable->ast == entry.function)
      entryCallable = callable.get();
  auto f32 = [&](const Callable &callable) {
    return llvm::SmallVector<Type>(callable.ast->params.size(),
                                   defaultElementType());
  };
  if (!entryCallable)
    return nullptr;
  FailureOr<func::FuncOp> entryFunc =
      genFunction(*entryCallable, /*isEntry=*/true, f32(*entryCallable));
  if (failed(entryFunc))
    return nullptr;
  // Everything else is generated too (generic functions for f32), so an
  // error anywhere in the file is reported; functions nobody calls are
  // removed by the pipeline.
  for (auto &callable : callables)
    if (callable->instances.empty() &&
        failed(genFunction(*callable, /*isEntry=*/false, f32(*callable))))
      return nullptr;
  // Keep the entry point first, where a reader looks for it.
  (*entryFunc)->moveBefore(&module.getBody()->front());
  if (failed(verify(module)))
    return nullptr;
  return owned;
}

OwningOpRef<ModuleOp>
mlir::weft::mlirGen(MLIRContext &context, const llvm::SourceMgr &sourceMgr,
                    const ModuleAST &module, const EntryPoint &entry,
                    const llvm::StringMap<int64_t> &dims) {
  context.getOrLoadDialect<WeftDialect>();
  context.getOrLoadDialect<func::FuncDialect>();
  return MLIRGenImpl(context, sourceMgr, dims).generate(module, entry);
}
