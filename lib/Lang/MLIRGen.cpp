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

#include "MLIRGenImpl.h"
#include "weft/Dialect/Weft/IR/WeftBuilder.h"
#include "weft/Runtime/ABI.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/InterleavedRange.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/SourceMgr.h"
#include <cmath>

using namespace mlir;
using namespace mlir::weft;

namespace {
/// Whether `f` can be an entry point: every parameter has a type.
bool isTyped(const FunctionAST &f) {
  return llvm::all_of(f.params,
                      [](const ParamAST &p) { return p.type.has_value(); });
}

/// The entry points of `module`, for a message: its typed functions and the
/// typed methods of models without parameters.
std::string listEntryPoints(const ModuleAST &module) {
  std::vector<std::string> names;
  for (const FunctionAST &f : module.functions)
    if (isTyped(f))
      names.push_back(f.name);
  for (const ModelAST &model : module.models)
    for (const FunctionAST &f : model.methods)
      if (model.params.empty() && isTyped(f))
        names.push_back(model.name + "." + f.name);
  if (names.empty())
    return "the program has no entry point (a function or model method "
           "whose parameters all have types)";
  return "its entry points: " + llvm::join(names, ", ");
}
} // namespace

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
                                     "' has no method '" + method.str() +
                                     "'; " + listEntryPoints(module));
    }
    return llvm::createStringError("no model named '" + modelName.str() +
                                   "'; " + listEntryPoints(module));
  }
  for (const FunctionAST &f : module.functions)
    if (f.name == name)
      return EntryPoint{nullptr, &f, name.str()};
  // A model with parameters is only ever used inside another, and a method
  // without types only called from one.
  std::optional<EntryPoint> found;
  for (const ModelAST &model : module.models)
    for (const FunctionAST &f : model.methods) {
      if (!model.params.empty() || f.name != name || !isTyped(f))
        continue;
      if (found)
        return llvm::createStringError(
            "entry point '" + name.str() + "' is ambiguous: both " +
            found->symbol + " and " + model.name + "." + name.str() +
            " exist; name one with --entry Model." + name.str());
      found = EntryPoint{&model, &f, model.name + "." + name.str()};
    }
  if (!found)
    return llvm::createStringError("no entry point named '" + name.str() +
                                   "' (choose one with --entry); " +
                                   listEntryPoints(module));
  return *found;
}

namespace {
bool isLiteral(const ExprAST &expr) {
  if (auto *unary = llvm::dyn_cast<UnaryExprAST>(&expr))
    return isLiteral(*unary->operand);
  return llvm::isa<NumberExprAST>(expr);
}

} // namespace

MLIRGenImpl::MLIRGenImpl(MLIRContext &context, const llvm::SourceMgr &sourceMgr,
                         const llvm::StringMap<int64_t> &dims, uint64_t seed,
                         bool training)
    : builder(&context), sourceMgr(sourceMgr), dims(dims), seed(seed),
      training(training) {
  auto *buffer = sourceMgr.getMemoryBuffer(sourceMgr.getMainFileID());
  filename = builder.getStringAttr(buffer->getBufferIdentifier());
}

Location MLIRGenImpl::loc(SMLoc at) {
  // Imported definitions live in buffers of their own.
  unsigned id = sourceMgr.FindBufferContainingLoc(at);
  if (id == 0)
    return FileLineColLoc::get(filename, 0, 0);
  auto [line, col] = sourceMgr.getLineAndColumn(at, id);
  StringAttr file =
      id == sourceMgr.getMainFileID()
          ? filename
          : builder.getStringAttr(
                sourceMgr.getMemoryBuffer(id)->getBufferIdentifier());
  return FileLineColLoc::get(file, line, col);
}

// Names are unique in each scope: the parser has checked. Models are
// instantiated from the entry point down (generate()).
LogicalResult MLIRGenImpl::declare(const ModuleAST &ast) {
  for (const FunctionAST &f : ast.functions) {
    callables.push_back(
        std::make_unique<Callable>(Callable{&f, nullptr, f.name, {}}));
    functions[f.name] = callables.back().get();
  }
  for (const ModelAST &model : ast.models)
    models[model.name] = &model;
  return success();
}

std::optional<int64_t> MLIRGenImpl::lookupInteger(llvm::StringRef name) {
  if (auto it = loopIntegers.find(name); it != loopIntegers.end())
    return it->second;
  if (currentInstance)
    if (auto it = currentInstance->params.find(name);
        it != currentInstance->params.end())
      return it->second;
  if (auto it = dims.find(name); it != dims.end())
    return it->second;
  return std::nullopt;
}

std::string MLIRGenImpl::qualified(llvm::StringRef name) {
  if (!currentInstance || currentInstance->prefix.empty())
    return name.str();
  return currentInstance->prefix + "." + name.str();
}

FailureOr<Type> MLIRGenImpl::convertDType(llvm::StringRef dtype, SMLoc at) {
  if (dtype == "f32")
    return Type(builder.getF32Type());
  if (dtype == "f64")
    return Type(builder.getF64Type());
  if (dtype == "i32")
    return Type(builder.getI32Type());
  if (dtype == "i64")
    return Type(builder.getI64Type());
  if (dtype == "bool")
    return Type(builder.getI1Type());
  return error(at) << "unknown dtype '" << dtype
                   << "' (weft supports f32, f64, i32, i64 and bool)";
}

LogicalResult MLIRGenImpl::checkShape(SMLoc at, llvm::ArrayRef<int64_t> sizes) {
  int64_t elements = 1;
  for (int64_t size : sizes) {
    if (size < 1)
      return error(at) << "a size must be positive, got " << size;
    if (llvm::MulOverflow(elements, size, elements) || elements > kMaxElements)
      return error(at) << "a tensor of shape [" << llvm::interleaved(sizes)
                       << "] has more than 2^40 (" << kMaxElements
                       << ") elements, the most a tensor may have";
  }
  return success();
}

InFlightDiagnostic MLIRGenImpl::error(SMLoc at) {
  InFlightDiagnostic diag = emitError(loc(at));
  const Instance *instance = currentInstance;
  if (!instance || instance->ast->params.empty() || !instance->madeAt.isValid())
    return diag;
  std::string arguments;
  for (const ParamAST &param : instance->ast->params)
    arguments += (arguments.empty() ? "" : ", ") + param.name + "=" +
                 std::to_string(instance->params.lookup(param.name));
  diag.attachNote(loc(instance->madeAt))
      << "in the " << instance->ast->name << "(" << arguments << ") made here";
  return diag;
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
    if (std::optional<int64_t> size = lookupInteger(dim.symbol)) {
      shape.push_back(*size);
      continue;
    }
    if (isEntry)
      return error(dim.loc)
             << "dimension '" << dim.symbol
             << "' has no size; give one with --dim " << dim.symbol << "=N";
    shape.push_back(ShapedType::kDynamic);
  }
  llvm::SmallVector<int64_t> sizes =
      llvm::to_vector(llvm::make_filter_range(shape, ShapedType::isStatic));
  if (failed(checkShape(type.loc, sizes)))
    return failure();
  return RankedTensorType::get(shape, *elem);
}

bool MLIRGenImpl::hasUnsizedDimension(const Callable &callable) {
  Instance *savedInstance = currentInstance;
  currentInstance = callable.owner;
  llvm::scope_exit restoreInstance([&] { currentInstance = savedInstance; });
  auto unsized = [&](const std::optional<TypeAST> &type) {
    return type && llvm::any_of(type->dims, [&](const DimAST &dim) {
             return dim.isSymbolic() && !lookupInteger(dim.symbol);
           });
  };
  const FunctionAST &f = *callable.ast;
  return unsized(f.result) || llvm::any_of(f.params, [&](const ParamAST &p) {
           return unsized(p.type);
         });
}

FailureOr<func::FuncOp> MLIRGenImpl::genFunction(Callable &callable,
                                                 bool isEntry,
                                                 llvm::ArrayRef<Type> generic) {
  const FunctionAST &f = *callable.ast;
  // Types and bodies resolve names in the function's own model instance.
  Instance *savedInstance = currentInstance;
  currentInstance = callable.owner;
  llvm::scope_exit restoreInstance([&] { currentInstance = savedInstance; });
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
  auto savedVariables = variables;
  auto savedLoops = std::move(loopInstances);
  auto savedIntegers = std::move(loopIntegers);
  variables = &scope;
  loopInstances.clear();
  loopIntegers.clear();
  llvm::scope_exit restore([&] {
    variables = savedVariables;
    loopInstances = std::move(savedLoops);
    loopIntegers = std::move(savedIntegers);
    callable.generating = false;
  });

  llvm::SmallVector<Value> returned;
  if (failed(genStatements(f.body, f, declaredResult, returned,
                           /*carried=*/nullptr)))
    return failure();
  if (returned.empty())
    return error(f.loc) << "function '" << f.name
                        << "' has no 'return' statement";
  func.setType(
      builder.getFunctionType(argTypes, ValueRange(returned).getTypes()));
  // The entry point's trailing results are its `mut` parameters' new values:
  // each says which argument it updates, and the lowering writes it there.
  if (isEntry) {
    unsigned result = returned.size() -
                      llvm::count_if(f.params, [](auto &p) { return p.isMut; });
    for (auto [i, param] : llvm::enumerate(f.params))
      if (param.isMut)
        func.setResultAttr(result++, kUpdatesAttrName,
                           builder.getI64IntegerAttr(i));
  }
  return func;
}

LogicalResult
MLIRGenImpl::genLoopBody(const StmtAST &loop, const FunctionAST &f,
                         std::optional<RankedTensorType> declaredResult,
                         llvm::SmallVectorImpl<Value> &returned) {
  // The variables that exist before the loop are carried from one
  // iteration to the next; each keeps its type.
  llvm::StringMap<Type> carried;
  for (const auto &entry : *variables)
    carried[entry.getKey()] = entry.getValue().getType();
  return genStatements(loop.body, f, declaredResult, returned, &carried);
}

LogicalResult
MLIRGenImpl::genStatements(const std::vector<StmtAST> &body,
                           const FunctionAST &f,
                           std::optional<RankedTensorType> declaredResult,
                           llvm::SmallVectorImpl<Value> &returned,
                           const llvm::StringMap<Type> *carried) {
  for (const StmtAST &stmt : body) {
    if (!returned.empty())
      return error(stmt.loc) << "statement after 'return' is never reached";
    if (stmt.kind == StmtAST::For && !stmt.range.empty()) {
      // range(end) or range(start, end, step=1), as in Python: unrolled,
      // with the variable an integer in the body.
      llvm::SmallVector<int64_t, 3> args;
      for (const ExprPtr &arg : stmt.range) {
        std::optional<int64_t> value = evalInt(*arg);
        if (!value)
          return failure();
        args.push_back(*value);
      }
      int64_t start = args.size() > 1 ? args[0] : 0;
      int64_t end = args.size() > 1 ? args[1] : args[0];
      int64_t step = args.size() > 2 ? args[2] : 1;
      if (step == 0)
        return error(stmt.range[2]->getLoc()) << "range step must not be 0";
      // Counted in 128 bits: the bounds may be anywhere in i64.
      __int128 span = step > 0 ? __int128(end) - start : __int128(start) - end;
      __int128 absStep = step > 0 ? __int128(step) : -__int128(step);
      __int128 steps = span <= 0 ? 0 : (span + absStep - 1) / absStep;
      if (steps > kMaxUnrolledSteps - unrolledSteps)
        return error(stmt.loc)
               << "more than " << kMaxUnrolledSteps
               << " loop steps to unroll in all (this loop has "
               << int64_t(std::min<__int128>(steps, INT64_MAX))
               << "); weft unrolls loops when it compiles, so a loop runs "
                  "over sizes, not over data";
      unrolledSteps += int64_t(steps);
      for (int64_t k = 0; k < int64_t(steps); ++k) {
        // In range: only k * step on its own may overflow.
        int64_t i = int64_t(start + __int128(k) * step);
        loopIntegers[stmt.name] = i;
        if (failed(genLoopBody(stmt, f, declaredResult, returned)))
          return failure();
      }
      loopIntegers.erase(stmt.name);
      continue;
    }
    if (stmt.kind == StmtAST::For) {
      const Layer *list = nullptr;
      if (currentInstance)
        if (auto it = currentInstance->layers.find(stmt.list);
            it != currentInstance->layers.end() &&
            it->second.kind == Layer::ModelList)
          list = &it->second;
      if (!list)
        return error(stmt.loc)
               << "'" << stmt.list << "' is not a list of models of this model";
      // The loop is unrolled: the body is generated once per model.
      for (Instance *instance : list->models) {
        loopInstances[stmt.name] = instance;
        if (failed(genLoopBody(stmt, f, declaredResult, returned)))
          return failure();
      }
      loopInstances.erase(stmt.name);
      continue;
    }
    if (stmt.kind == StmtAST::Call) {
      if (failed(genCallStatement(*stmt.value)))
        return failure();
      continue;
    }
    FailureOr<llvm::SmallVector<Value>> values = genValues(*stmt.value);
    if (failed(values))
      return failure();
    if (stmt.kind == StmtAST::Assign) {
      if (values->size() != stmt.names.size())
        return error(stmt.loc) << "assigning " << values->size()
                               << (values->size() == 1 ? " value" : " values")
                               << " to " << stmt.names.size()
                               << (stmt.names.size() == 1 ? " name" : " names");
      for (auto [name, value] : llvm::zip(stmt.names, *values)) {
        if (carried)
          if (auto it = carried->find(name); it != carried->end()) {
            value = castTo(value, it->second, stmt.loc,
                           "'" + name + "', carried across loop iterations,");
            if (!value)
              return failure();
          }
        (*variables)[name] = value;
      }
      continue;
    }
    if (carried)
      return error(stmt.loc) << "'return' inside a 'for' loop is not "
                                "supported; assign and return after the loop";
    if (declaredResult) {
      if (values->size() != 1)
        return error(stmt.loc)
               << "'" << f.name << "' returns " << values->size()
               << " values; a declared result type is for one";
      Value value = castTo(values->front(), *declaredResult, stmt.loc,
                           "the value returned from '" + f.name + "'");
      if (!value)
        return failure();
      values->front() = value;
    }
    // The values of the `mut` parameters go back to the caller after the
    // results, each with its parameter's type.
    for (auto [param, arg] :
         llvm::zip(f.params, builder.getInsertionBlock()->getArguments())) {
      if (!param.isMut)
        continue;
      Value value = castTo((*variables)[param.name], arg.getType(), stmt.loc,
                           "'" + param.name + "', a mut parameter,");
      if (!value)
        return failure();
      values->push_back(value);
    }
    func::ReturnOp::create(builder, loc(stmt.loc), *values);
    returned.assign(values->begin(), values->end());
  }
  return success();
}

FailureOr<llvm::SmallVector<Value>>
MLIRGenImpl::genValues(const ExprAST &expr) {
  llvm::SmallVector<Value> values;
  if (auto *tuple = llvm::dyn_cast<TupleExprAST>(&expr)) {
    for (const ExprPtr &item : tuple->items) {
      Value value = genExpr(*item, Type());
      if (!value)
        return failure();
      values.push_back(value);
    }
    return values;
  }
  if (auto *call = llvm::dyn_cast<CallExprAST>(&expr))
    return genCallValues(*call);
  Value value = genExpr(expr, Type());
  if (!value)
    return failure();
  values.push_back(value);
  return values;
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
  if (!op->hasTrait<AcceptsIntegers>())
    for (Value operand : op->getOperands())
      if (isa<IntegerType>(elementTypeOf(operand))) {
        emitError(op->getLoc()) << "'" << op->getName().stripDialect()
                                << "' works on floating-point tensors, not "
                                << formatType(operand.getType());
        op->erase();
        return nullptr;
      }
  llvm::SmallVector<Type> types;
  if (failed(cast<InferTypeOpInterface>(op).inferReturnTypes(
          op->getContext(), op->getLoc(), op->getOperands(),
          op->getAttrDictionary(), op->getPropertiesStorage(), op->getRegions(),
          types))) {
    op->erase();
    return nullptr;
  }
  for (auto [result, type] : llvm::zip(op->getResults(), types))
    result.setType(type);
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
  case ExprAST::String:
    error(expr.getLoc()) << "a string is only allowed as an option's value "
                            "(reduction=\"sum\")";
    return nullptr;
  case ExprAST::Var:
    return genName(llvm::cast<VarExprAST>(expr), hint);
  case ExprAST::List:
    error(expr.getLoc()) << "a list is only allowed as a shape or axes "
                            "argument";
    return nullptr;
  case ExprAST::Tuple:
    // The parser makes tuples only for `return a, b`, which genValues takes.
    llvm_unreachable("a tuple outside a return statement");
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
    return genCall(llvm::cast<CallExprAST>(expr));
  case ExprAST::Index:
    return genIndex(llvm::cast<IndexExprAST>(expr));
  }
  return nullptr;
}

Value MLIRGenImpl::genNumber(const NumberExprAST &number, double sign,
                             Type hint) {
  // Literals are floats, or integers next to an integer tensor; a fraction
  // next to one stays f32 and the operation reports the dtype mismatch.
  // An integer alone is an i64, as a Python int given to PyTorch.
  if (number.isInteger && (isIndexType(hint) || !hint))
    return genInteger(number.getLoc(), hint ? hint : builder.getI64Type(),
                      sign < 0 ? -number.integer : number.integer);
  Type elem = isa_and_nonnull<FloatType>(hint) ? hint : defaultElementType();
  return genScalar(number.getLoc(), elem, sign * number.value);
}

bool MLIRGenImpl::isIndexType(Type type) {
  return type && (type.isInteger(32) || type.isInteger(64));
}

TypedAttr MLIRGenImpl::scalarAttr(Type elem, double value) {
  if (isa<FloatType>(elem))
    return builder.getFloatAttr(elem, value);
  return builder.getIntegerAttr(elem, static_cast<int64_t>(value));
}

Value MLIRGenImpl::genInteger(SMLoc at, Type elem, int64_t value) {
  if (!elem.isInteger())
    return genScalar(at, elem, static_cast<double>(value));
  unsigned width = elem.getIntOrFloatBitWidth();
  if (!llvm::isIntN(width, value)) {
    // As PyTorch: "value cannot be converted to type int32_t without
    // overflow", where C would wrap.
    error(at) << value << " does not fit in " << elem << " (["
              << llvm::minIntN(width) << ", " << llvm::maxIntN(width) << "])";
    return nullptr;
  }
  return ConstantOp::create(
      builder, loc(at),
      DenseElementsAttr::get(RankedTensorType::get({}, elem),
                             builder.getIntegerAttr(elem, value)));
}

Value MLIRGenImpl::genScalar(SMLoc at, Type elem, double value) {
  return ConstantOp::create(
      builder, loc(at),
      DenseElementsAttr::get(RankedTensorType::get({}, elem),
                             scalarAttr(elem, value)));
}

Value MLIRGenImpl::genName(const VarExprAST &var, Type hint) {
  if (auto it = variables->find(var.name); it != variables->end())
    return it->second;
  if (currentInstance) {
    auto &modelLayers = currentInstance->layers;
    if (auto it = modelLayers.find(var.name); it != modelLayers.end()) {
      const Layer &layer = it->second;
      if (layer.kind == Layer::Param)
        return genLayerParam(var.getLoc(), qualified(var.name), layer, "",
                             defaultElementType());
      error(var.getLoc()) << "'" << var.name << "' is a layer; call it, as in "
                          << var.name << "(x)";
      return nullptr;
    }
  }
  if (std::optional<int64_t> integer = lookupInteger(var.name)) {
    Type elem = isIndexType(hint) || isa_and_nonnull<FloatType>(hint)
                    ? hint
                    : defaultElementType();
    return genInteger(var.getLoc(), elem, *integer);
  }
  if (std::optional<double> special = specialFloat(var.name)) {
    Type elem = isa_and_nonnull<FloatType>(hint) ? hint : defaultElementType();
    return genScalar(var.getLoc(), elem, *special);
  }
  if (functions.count(var.name) ||
      (currentInstance && currentInstance->methods.count(var.name))) {
    error(var.getLoc()) << "'" << var.name << "' is a function; call it, as in "
                        << var.name << "(x)";
    return nullptr;
  }
  error(var.getLoc()) << "unknown name '" << var.name << "'";
  return nullptr;
}

Value MLIRGenImpl::genParam(SMLoc at, llvm::StringRef name, Type elementType,
                            llvm::ArrayRef<int64_t> shape, InitKind init,
                            std::optional<int64_t> fanIn, bool trainingState) {
  auto type = RankedTensorType::get(shape, elementType);
  IntegerAttr fanInAttr =
      fanIn ? builder.getI64IntegerAttr(*fanIn) : IntegerAttr();
  return ParamOp::create(builder, loc(at), type, builder.getStringAttr(name),
                         init, fanInAttr, trainingState);
}

void MLIRGenImpl::genParamUpdate(SMLoc at, llvm::StringRef name, Value value) {
  UpdateParamOp::create(builder, loc(at), builder.getStringAttr(name), value);
}

Value MLIRGenImpl::genDropout(SMLoc at, Value x, double p) {
  FloatAttr probability = builder.getF64FloatAttr(p);
  if (!training)
    return typed(DropoutOp::create(builder, loc(at), unranked(x), x,
                                   probability, Value(),
                                   builder.getI64IntegerAttr(0)));
  // Every mask drawn counts once in the program's generator state, whose
  // count seeds it: each dropout, each call and each step draws anew, and
  // the stream follows --seed through the key.
  return typed(DropoutOp::create(builder, loc(at), unranked(x), x, probability,
                                 genNextDraw(at),
                                 builder.getI64IntegerAttr(seed)));
}

Value MLIRGenImpl::genNextDraw(SMLoc at) {
  Value draws = genParam(at, kGeneratorState, builder.getI64Type(), {},
                         InitKind::zeros, std::nullopt,
                         /*trainingState=*/true);
  WeftBuilder d(builder, loc(at));
  genParamUpdate(at, kGeneratorState, d.add(draws, d.constant(1, draws)));
  return draws;
}

LogicalResult MLIRGenImpl::genOperands(const ExprAST &lhsExpr,
                                       const ExprAST &rhsExpr, Type hint,
                                       SMLoc at, Value &lhs, Value &rhs) {
  // A literal takes the dtype of the other operand, as in NumPy.
  if (isLiteral(lhsExpr) && !isLiteral(rhsExpr)) {
    rhs = genExpr(rhsExpr, hint);
    lhs = rhs ? genExpr(lhsExpr, elementTypeOf(rhs)) : nullptr;
  } else {
    lhs = genExpr(lhsExpr, hint);
    rhs = lhs ? genExpr(rhsExpr, elementTypeOf(lhs)) : nullptr;
  }
  if (!lhs || !rhs)
    return failure();
  Type lhsElem = elementTypeOf(lhs), rhsElem = elementTypeOf(rhs);
  if (lhsElem == rhsElem)
    return success();
  // PyTorch's promotion: bool, then integers, then floats; the wider of
  // one kind.
  auto kind = [](Type t) { return t.isInteger(1) ? 0 : t.isInteger() ? 1 : 2; };
  Type promoted =
      kind(lhsElem) != kind(rhsElem)
          ? (kind(lhsElem) > kind(rhsElem) ? lhsElem : rhsElem)
      : lhsElem.getIntOrFloatBitWidth() >= rhsElem.getIntOrFloatBitWidth()
          ? lhsElem
          : rhsElem;
  lhs = convertTo(at, lhs, promoted);
  rhs = convertTo(at, rhs, promoted);
  return success();
}

Value MLIRGenImpl::convertTo(SMLoc at, Value x, Type elem) {
  if (elementTypeOf(x) == elem)
    return x;
  auto type = cast<TensorType>(x.getType()).clone(elem);
  return ConvertOp::create(builder, loc(at), type, x);
}

Value MLIRGenImpl::genBinary(const BinaryExprAST &binary, Type hint) {
  Value lhs, rhs;
  if (failed(genOperands(*binary.lhs, *binary.rhs, hint, binary.getLoc(), lhs,
                         rhs)))
    return nullptr;
  auto lhsType = cast<TensorType>(lhs.getType());
  Location at = loc(binary.getLoc());
  Type result = unranked(lhs);
  llvm::StringRef op = binary.op;
  bool comparison = llvm::is_contained(
      llvm::ArrayRef<llvm::StringRef>{"==", "!=", "<", "<=", ">", ">="}, op);
  if (lhsType.getElementType().isInteger(1) && !comparison) {
    error(binary.getLoc())
        << "'" << op << "' computes on numbers, not on masks ("
        << formatType(lhsType)
        << "); convert one with to(mask, f32), or combine masks with "
           "logical_and, logical_or and logical_not";
    return nullptr;
  }
  if (op == "+")
    return typed(AddOp::create(builder, at, result, lhs, rhs));
  if (op == "-")
    return typed(SubOp::create(builder, at, result, lhs, rhs));
  if (op == "*")
    return typed(MulOp::create(builder, at, result, lhs, rhs));
  if (op == "/") {
    // True division, as PyTorch's: integers divide as floats.
    if (!isa<FloatType>(lhsType.getElementType())) {
      lhs = convertTo(binary.getLoc(), lhs, defaultElementType());
      rhs = convertTo(binary.getLoc(), rhs, defaultElementType());
      result = unranked(lhs);
    }
    return typed(DivOp::create(builder, at, result, lhs, rhs));
  }
  // A division's run-time error names its operator.
  Location named = NameLoc::get(builder.getStringAttr(op), at);
  if (op == "//")
    return typed(FloorDivOp::create(builder, named, result, lhs, rhs));
  if (op == "%")
    return typed(RemOp::create(builder, named, result, lhs, rhs));
  if (op == "**")
    return typed(PowOp::create(builder, at, result, lhs, rhs));
  if (op == "@")
    return typed(MatmulOp::create(builder, at, result, lhs, rhs));
  std::optional<ComparePredicate> predicate =
      llvm::StringSwitch<std::optional<ComparePredicate>>(op)
          .Case("==", ComparePredicate::eq)
          .Case("!=", ComparePredicate::ne)
          .Case("<", ComparePredicate::lt)
          .Case("<=", ComparePredicate::le)
          .Case(">", ComparePredicate::gt)
          .Case(">=", ComparePredicate::ge)
          .Default(std::nullopt);
  assert(predicate && "the parser only makes known operators");
  return typed(CompareOp::create(builder, at,
                                 UnrankedTensorType::get(builder.getI1Type()),
                                 *predicate, lhs, rhs));
}

FailureOr<llvm::SmallVector<const ExprAST *>>
MLIRGenImpl::bindArguments(const CallExprAST &call,
                           llvm::ArrayRef<llvm::StringRef> names,
                           unsigned required) {
  auto arity = [&]() -> LogicalResult {
    InFlightDiagnostic diag = error(call.getLoc())
                              << "'" << call.callee << "' expects ";
    if (required == names.size())
      diag << required << (required == 1 ? " argument" : " arguments");
    else
      diag << required << " to " << names.size() << " arguments";
    diag << ", got " << call.args.size();
    return failure();
  };
  if (call.args.size() > names.size())
    return arity();
  llvm::SmallVector<const ExprAST *> bound(names.size(), nullptr);
  for (auto [i, arg] : llvm::enumerate(call.args))
    bound[i] = arg.get();
  for (const KeywordArgAST &kw : call.kwargs) {
    auto *it = llvm::find(names, kw.name);
    // PyTorch's name for an axis.
    if (it == names.end() && kw.name == "dim")
      it = llvm::find(names, "axis");
    if (it == names.end()) {
      InFlightDiagnostic diag = error(kw.loc) << "'" << call.callee
                                              << "' has no keyword argument '"
                                              << kw.name << "'";
      // nn.GRU(..., bidirectional=True) is the library's BiGRU.
      if (kw.name == "bidirectional" && models.count("Bi" + call.callee))
        diag << "; the bidirectional " << call.callee << " is Bi" << call.callee
             << "(...)";
      return failure();
    }
    const ExprAST *&slot = bound[it - names.begin()];
    if (slot) {
      error(kw.loc) << "argument '" << kw.name << "' of '" << call.callee
                    << "' is given twice";
      return failure();
    }
    slot = kw.value.get();
  }
  for (unsigned i = 0; i < required; ++i) {
    if (bound[i])
      continue;
    if (call.kwargs.empty())
      return arity();
    error(call.getLoc()) << "'" << call.callee << "' needs argument '"
                         << names[i] << "'";
    return failure();
  }
  return bound;
}

std::optional<std::array<int64_t, 2>>
MLIRGenImpl::evalPair(const ExprAST &expr) {
  std::optional<llvm::SmallVector<int64_t>> values = evalIntList(expr);
  if (!values)
    return std::nullopt;
  if (values->size() == 1 && !llvm::isa<ListExprAST>(expr))
    return std::array<int64_t, 2>{(*values)[0], (*values)[0]};
  if (values->size() == 2)
    return std::array<int64_t, 2>{(*values)[0], (*values)[1]};
  error(expr.getLoc()) << "expected an integer or a pair [a, b] here";
  return std::nullopt;
}

std::optional<double> MLIRGenImpl::evalNumber(const ExprAST &expr) {
  if (auto *number = llvm::dyn_cast<NumberExprAST>(&expr))
    return number->value;
  if (auto *var = llvm::dyn_cast<VarExprAST>(&expr))
    if (std::optional<double> special = specialFloat(var->name))
      return special;
  if (auto *unary = llvm::dyn_cast<UnaryExprAST>(&expr))
    if (llvm::isa<NumberExprAST, VarExprAST>(*unary->operand))
      if (std::optional<double> value = evalNumber(*unary->operand))
        return -*value;
  error(expr.getLoc()) << "expected a number here";
  return std::nullopt;
}

std::optional<double> MLIRGenImpl::specialFloat(llvm::StringRef name) {
  if (variables && variables->count(name))
    return std::nullopt;
  if (name == "inf")
    return INFINITY;
  if (name == "nan")
    return NAN;
  return std::nullopt;
}

bool MLIRGenImpl::isCompileTimeInteger(const ExprAST &expr) {
  if (auto *number = llvm::dyn_cast<NumberExprAST>(&expr))
    return number->isInteger;
  if (auto *unary = llvm::dyn_cast<UnaryExprAST>(&expr))
    return isCompileTimeInteger(*unary->operand);
  if (auto *var = llvm::dyn_cast<VarExprAST>(&expr))
    return lookupInteger(var->name).has_value();
  if (auto *binary = llvm::dyn_cast<BinaryExprAST>(&expr))
    return isCompileTimeInteger(*binary->lhs) &&
           isCompileTimeInteger(*binary->rhs);
  return false;
}

std::optional<int64_t> MLIRGenImpl::evalInt(const ExprAST &expr) {
  if (auto *number = llvm::dyn_cast<NumberExprAST>(&expr)) {
    if (number->isInteger)
      return number->integer;
  } else if (auto *unary = llvm::dyn_cast<UnaryExprAST>(&expr)) {
    std::optional<int64_t> v = evalInt(*unary->operand);
    if (!v)
      return std::nullopt;
    int64_t negated;
    if (!llvm::SubOverflow(int64_t(0), *v, negated))
      return negated;
    error(expr.getLoc()) << "-(" << *v << ") overflows i64";
    return std::nullopt;
  } else if (auto *var = llvm::dyn_cast<VarExprAST>(&expr)) {
    if (std::optional<int64_t> value = lookupInteger(var->name))
      return value;
    error(expr.getLoc()) << "'" << var->name
                         << "' is not a dimension with a known size";
    return std::nullopt;
  } else if (auto *binary = llvm::dyn_cast<BinaryExprAST>(&expr)) {
    std::optional<int64_t> l = evalInt(*binary->lhs);
    std::optional<int64_t> r = l ? evalInt(*binary->rhs) : std::nullopt;
    if (!r)
      return std::nullopt;
    llvm::StringRef op = binary->op;
    int64_t result;
    bool overflow = (op == "+"   ? llvm::AddOverflow(*l, *r, result)
                     : op == "-" ? llvm::SubOverflow(*l, *r, result)
                     : op == "*" ? llvm::MulOverflow(*l, *r, result)
                                 : *l == INT64_MIN && *r == -1);
    if (overflow) {
      error(expr.getLoc()) << *l << " " << op << " " << *r << " overflows i64";
      return std::nullopt;
    }
    if (op == "+" || op == "-" || op == "*")
      return result;
    if ((op == "/" || op == "//" || op == "%") && *r == 0) {
      error(expr.getLoc()) << "division by zero";
      return std::nullopt;
    }
    // Python's rounding: `//` rounds down and `%` has the divisor's sign.
    int64_t quotient = *l / *r - ((*l % *r != 0) && ((*l < 0) != (*r < 0)));
    if (op == "//")
      return quotient;
    if (op == "%")
      return *l - quotient * *r;
    if (op == "/") {
      if (*l % *r == 0)
        return *l / *r;
      error(expr.getLoc()) << *l << " / " << *r << " is not a whole number";
      return std::nullopt;
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

FailureOr<Type> MLIRGenImpl::evalDType(const ExprAST &expr) {
  auto *name = llvm::dyn_cast<VarExprAST>(&expr);
  if (!name)
    return error(expr.getLoc()) << "expected a dtype such as i64 here";
  return convertDType(name->name, expr.getLoc());
}

std::optional<bool> MLIRGenImpl::evalBool(const ExprAST &expr) {
  if (auto *b = llvm::dyn_cast<BoolExprAST>(&expr))
    return b->value;
  error(expr.getLoc()) << "expected 'true' or 'false' here";
  return std::nullopt;
}

Value MLIRGenImpl::genCall(const CallExprAST &call) {
  FailureOr<llvm::SmallVector<Value>> values = genCallValues(call);
  if (failed(values))
    return nullptr;
  if (values->size() != 1) {
    error(call.getLoc()) << "'" << call.callee << "' gives " << values->size()
                         << " values; assign them to as many names, as in a, "
                            "b = "
                         << call.callee << "(...)";
    return nullptr;
  }
  return values->front();
}

LogicalResult MLIRGenImpl::genCallStatement(const ExprAST &expr) {
  // Only a call that can update parameters is worth making for its effect:
  // an optimizer's step, an in-place built-in (`clamp_`) or a function of
  // the program, which may make either.
  auto *call = llvm::dyn_cast<CallExprAST>(&expr);
  bool effect = false;
  if (call) {
    const Layer *layer = nullptr;
    if (currentInstance)
      if (auto it = currentInstance->layers.find(call->callee);
          it != currentInstance->layers.end())
        layer = &it->second;
    // A member model's method (`net.reset()`) may update its parameters.
    effect =
        layer ? layer->kind == Layer::Optimizer || layer->kind == Layer::Model
              : !lookupBuiltinFunction(call->callee) ||
                    llvm::StringRef(call->callee).ends_with("_") ||
                    llvm::StringRef(call->callee).contains('.');
  }
  if (!effect)
    return error(expr.getLoc())
           << "this value is computed and dropped; assign it to a name (a "
              "call on its own line is for an optimizer's step, such as "
              "'opt(loss)', or an in-place built-in such as 'clamp_')";
  return success(succeeded(genValues(expr)));
}

FailureOr<llvm::SmallVector<Value>>
MLIRGenImpl::genCallValues(const CallExprAST &call) {
  if (variables->count(call.callee)) {
    error(call.getLoc()) << "'" << call.callee
                         << "' is a tensor, not a function";
    return failure();
  }
  if (auto it = loopInstances.find(call.callee); it != loopInstances.end())
    return genModelCall(call, *it->second);
  if (auto [member, method] = llvm::StringRef(call.callee).split('.');
      !method.empty())
    return genMethodCall(call, member, method);
  if (currentInstance) {
    auto &modelLayers = currentInstance->layers;
    if (auto it = modelLayers.find(call.callee); it != modelLayers.end()) {
      if (it->second.kind == Layer::Model)
        return genModelCall(call, *it->second.models.front());
      return oneValue(genLayerCall(call, it->getKey(), it->second));
    }
    auto &modelMethods = currentInstance->methods;
    if (auto it = modelMethods.find(call.callee); it != modelMethods.end())
      return genUserCall(call, *it->second);
  }
  if (auto it = functions.find(call.callee); it != functions.end())
    return genUserCall(call, *it->second);
  return genBuiltin(call);
}

FailureOr<llvm::SmallVector<Value>>
MLIRGenImpl::genMethodCall(const CallExprAST &call, llvm::StringRef member,
                           llvm::StringRef method) {
  Instance *instance = nullptr;
  if (auto it = loopInstances.find(member); it != loopInstances.end())
    instance = it->second;
  else if (currentInstance)
    if (auto it = currentInstance->layers.find(member);
        it != currentInstance->layers.end() && it->second.kind == Layer::Model)
      instance = it->second.models.front();
  if (!instance && member == "self")
    return error(call.getLoc())
           << "a method sees its model's layers and methods by name: write "
           << method << "(...), not self." << method << "(...)";
  if (!instance && variables && variables->count(member))
    return error(call.getLoc())
           << "'" << member << "' is a tensor; weft calls functions on it as "
           << method << "(" << member << ", ...) or " << member << " |> "
           << method << "(...), not " << member << "." << method << "(...)";
  if (!instance)
    return error(call.getLoc())
           << "'" << member
           << "' is not a model of this one; a dotted call names a method "
              "of a member model, as 'net.encode(x)'";
  Callable *callee = instance->methods.lookup(method);
  if (!callee)
    return error(call.getLoc()) << "model '" << instance->ast->name
                                << "' has no method '" << method << "'";
  return genUserCall(call, *callee);
}

FailureOr<llvm::SmallVector<Value>>
MLIRGenImpl::genModelCall(const CallExprAST &call, Instance &instance) {
  Callable *forward = instance.methods.lookup("forward");
  if (!forward)
    return error(call.getLoc()) << "model '" << instance.ast->name
                                << "' has no forward method to call";
  return genUserCall(call, *forward);
}

FailureOr<llvm::SmallVector<Value>>
MLIRGenImpl::genUserCall(const CallExprAST &call, Callable &callee) {
  const FunctionAST &f = *callee.ast;
  llvm::SmallVector<llvm::StringRef> names;
  for (const ParamAST &param : f.params)
    names.push_back(param.name);
  auto bound = bindArguments(call, names, names.size());
  if (failed(bound))
    return failure();
  if (callee.generating)
    return error(call.getLoc())
           << "'" << f.name
           << "' calls itself; recursion is not supported "
              "(write loops with the language's constructs)";
  // A `mut` parameter's argument is a variable, which the call updates.
  for (auto [param, arg] : llvm::zip(f.params, *bound))
    if (param.isMut && !llvm::isa<VarExprAST>(arg))
      return error(arg->getLoc())
             << "the argument for 'mut " << param.name
             << "' must be a variable, which the call updates";
  llvm::SmallVector<Value> args;
  llvm::SmallVector<Type> elementTypes;
  for (const ExprAST *arg : *bound) {
    Value value = genExpr(*arg, Type());
    if (!value)
      return failure();
    args.push_back(value);
    elementTypes.push_back(cast<TensorType>(value.getType()).getElementType());
  }
  FailureOr<func::FuncOp> instance =
      genFunction(callee, /*isEntry=*/false, elementTypes);
  if (failed(instance))
    return failure();
  FunctionType type = instance->getFunctionType();
  for (auto [i, arg] : llvm::enumerate(*bound)) {
    args[i] = castTo(args[i], type.getInput(i), arg->getLoc(),
                     "argument " + llvm::Twine(i + 1) + " of '" + f.name + "'");
    if (!args[i])
      return failure();
  }
  auto op = func::CallOp::create(builder, loc(call.getLoc()), *instance, args);
  // The trailing results are the new values of the `mut` arguments.
  llvm::SmallVector<Value> results(op.getResults());
  for (size_t i = f.params.size(); i-- > 0;) {
    if (!f.params[i].isMut)
      continue;
    const ExprAST *arg = (*bound)[i];
    llvm::StringRef name = llvm::cast<VarExprAST>(arg)->name;
    Value value = castTo(results.pop_back_val(), (*variables)[name].getType(),
                         arg->getLoc(), "'" + name + "', updated by the call,");
    if (!value)
      return failure();
    (*variables)[name] = value;
  }
  return results;
}

OwningOpRef<ModuleOp> MLIRGenImpl::generate(const ModuleAST &ast,
                                            const EntryPoint &entry) {
  OwningOpRef<ModuleOp> owned =
      ModuleOp::create(FileLineColLoc::get(filename, 1, 1));
  module = *owned;
  if (failed(declare(ast)))
    return nullptr;

  // The entry point's model, and every model without parameters (so errors
  // anywhere are reported), are instantiated at the top; they instantiate
  // the models they use.
  Instance *entryInstance = nullptr;
  if (entry.model && !entry.model->params.empty()) {
    error(entry.model->loc) << "model '" << entry.model->name
                            << "' takes parameters; it can only be used "
                               "inside another model";
    return nullptr;
  }
  for (const ModelAST &model : ast.models) {
    if (!model.params.empty())
      continue;
    llvm::SmallVector<const ModelAST *> outer;
    FailureOr<Instance *> instance =
        instantiate(model, model.loc, "", model.name, {}, outer);
    if (failed(instance))
      return nullptr;
    if (&model == entry.model)
      entryInstance = *instance;
  }
  Callable *entryCallable =
      entryInstance ? entryInstance->methods.lookup(entry.function->name)
                    : functions.lookup(entry.function->name);
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
  // Everything else in the file is generated too (generic functions for
  // f32), so an error anywhere in it is reported; functions nobody calls are
  // removed by the pipeline. A signature with a dimension that has no size
  // in this compilation (another entry point's `P`) waits until it is
  // compiled with one.
  // What an imported library defines is checked when the library itself is
  // compiled; here it contributes what the program calls (its generic
  // functions may need other dtypes than f32, which only a call gives).
  unsigned mainFile = sourceMgr.getMainFileID();
  for (size_t i = 0; i < callables.size(); ++i) {
    Callable &callable = *callables[i];
    if (callable.instances.empty() && !hasUnsizedDimension(callable) &&
        sourceMgr.FindBufferContainingLoc(callable.ast->loc) == mainFile &&
        failed(genFunction(callable, /*isEntry=*/false, f32(callable))))
      return nullptr;
  }
  // Keep the entry point first, where a reader looks for it.
  (*entryFunc)->moveBefore(&module.getBody()->front());
  if (failed(verify(module)))
    return nullptr;
  return owned;
}

namespace {
/// Whether function `symbol` of `module`, or a function it calls, updates a
/// parameter.
bool updatesParameters(ModuleOp module, llvm::StringRef symbol) {
  llvm::SmallVector<llvm::StringRef> pending = {symbol};
  llvm::StringSet<> seen;
  while (!pending.empty()) {
    auto func = module.lookupSymbol<func::FuncOp>(pending.pop_back_val());
    if (!func || !seen.insert(func.getSymName()).second)
      continue;
    bool found = false;
    func.walk([&](Operation *op) {
      if (isa<UpdateParamOp>(op))
        found = true;
      else if (auto call = dyn_cast<func::CallOp>(op))
        pending.push_back(call.getCallee());
    });
    if (found)
      return true;
  }
  return false;
}
} // namespace

OwningOpRef<ModuleOp>
mlir::weft::mlirGen(MLIRContext &context, const llvm::SourceMgr &sourceMgr,
                    const ModuleAST &module, const EntryPoint &entry,
                    const llvm::StringMap<int64_t> &dims, uint64_t seed,
                    std::optional<double> learningRate) {
  context.getOrLoadDialect<WeftDialect>();
  context.getOrLoadDialect<func::FuncDialect>();
  MLIRGenImpl evalGen(context, sourceMgr, dims, seed, /*training=*/false);
  evalGen.learningRate = learningRate;
  OwningOpRef<ModuleOp> eval = evalGen.generate(module, entry);
  // An entry point that updates parameters (an optimizer's step) is a train
  // step: its layers run in train mode, as after PyTorch's `model.train()`.
  if (!eval || !updatesParameters(*eval, entry.symbol))
    return eval;
  MLIRGenImpl trainGen(context, sourceMgr, dims, seed, /*training=*/true);
  trainGen.learningRate = learningRate;
  return trainGen.generate(module, entry);
}
