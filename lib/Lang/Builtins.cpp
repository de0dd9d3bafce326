//===- Builtins.cpp - The tables of built-in functions and layers ---------===//
//
// A row of the built-in function or layer table states its parameters as
// the language documents them ("x, axis=-1"). A call is bound to that
// signature, and the row's builder reads each argument, or the default
// written in the signature, through BoundCall. The rows themselves live
// with their builders: MLIRGenBuiltins.cpp, MLIRGenIndexing.cpp and
// MLIRGenLayers.cpp.
//
//===----------------------------------------------------------------------===//

#include "weft/Lang/Builtins.h"
#include "MLIRGenImpl.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"

using namespace mlir;
using namespace mlir::weft;

llvm::SmallVector<SignatureParam>
mlir::weft::parseSignature(llvm::StringRef signature) {
  llvm::SmallVector<SignatureParam> params;
  // Commas inside brackets ("perm=[1, 0]") belong to a default.
  int depth = 0;
  size_t start = 0;
  auto add = [&](size_t end) {
    llvm::StringRef item = signature.slice(start, end).trim();
    auto [name, value] = item.split('=');
    params.push_back({name.trim(), item.contains('=')
                                       ? std::optional(value.trim())
                                       : std::nullopt});
  };
  for (size_t i = 0; i < signature.size(); ++i) {
    char c = signature[i];
    depth += c == '[' ? 1 : c == ']' ? -1 : 0;
    if (c == ',' && depth == 0) {
      add(i);
      start = i + 1;
    }
  }
  if (!signature.trim().empty())
    add(signature.size());
  return params;
}

FailureOr<BoundCall> MLIRGenImpl::bind(const CallExprAST &call,
                                       llvm::StringRef signature,
                                       const char *missing) {
  llvm::SmallVector<SignatureParam> params = parseSignature(signature);
  llvm::SmallVector<llvm::StringRef> names;
  unsigned required = 0;
  for (const SignatureParam &param : params) {
    names.push_back(param.name);
    required += !param.defaultValue;
  }
  if (missing) {
    for (unsigned i = call.args.size(); i < required; ++i)
      if (llvm::none_of(call.kwargs, [&](const KeywordArgAST &kw) {
            return kw.name == names[i];
          }))
        return error(call.getLoc()) << "'" << call.callee << "' needs "
                                    << llvm::formatv(missing, call.callee);
  }
  auto args = bindArguments(call, names, required);
  if (failed(args))
    return failure();
  return BoundCall(*this, call, std::move(params), std::move(*args));
}

BuiltinValues mlir::weft::oneValue(Value value) {
  if (!value)
    return failure();
  return llvm::SmallVector<Value>{value};
}

Location BoundCall::at() const { return gen.loc(call.getLoc()); }

SMLoc BoundCall::locOf(unsigned i) const {
  return args[i] ? args[i]->getLoc() : call.getLoc();
}

llvm::StringRef BoundCall::defaultOf(unsigned i) const {
  assert(!args[i] && params[i].defaultValue &&
         *params[i].defaultValue != "None" &&
         "an absent argument read through its default");
  return *params[i].defaultValue;
}

Value BoundCall::tensor(unsigned i, Type hint) {
  assert(args[i] && "a tensor argument has no default");
  return gen.genExpr(*args[i], hint);
}

std::optional<int64_t> BoundCall::integer(unsigned i) {
  if (args[i])
    return gen.evalInt(*args[i]);
  int64_t value = 0;
  bool bad = defaultOf(i).getAsInteger(10, value);
  assert(!bad && "an integer default");
  (void)bad;
  return value;
}

std::optional<double> BoundCall::number(unsigned i) {
  if (!args[i]) {
    double value = 0;
    bool bad = defaultOf(i).getAsDouble(value);
    assert(!bad && "a number default");
    (void)bad;
    return value;
  }
  if (!gen.isCompileTimeInteger(*args[i]))
    return gen.evalNumber(*args[i]);
  std::optional<int64_t> value = gen.evalInt(*args[i]);
  return value ? std::optional<double>(*value) : std::nullopt;
}

std::optional<bool> BoundCall::boolean(unsigned i) {
  if (args[i])
    return gen.evalBool(*args[i]);
  assert((defaultOf(i) == "true" || defaultOf(i) == "false") &&
         "a boolean default");
  return defaultOf(i) == "true";
}

std::optional<llvm::StringRef>
BoundCall::choice(unsigned i, llvm::ArrayRef<llvm::StringRef> choices) {
  if (!args[i])
    return defaultOf(i);
  // A name (reduction=sum) or, as PyTorch writes it, a string.
  std::optional<llvm::StringRef> given;
  if (auto *name = llvm::dyn_cast<VarExprAST>(args[i]))
    given = name->name;
  else if (auto *string = llvm::dyn_cast<StringExprAST>(args[i]))
    given = string->value;
  if (given && llvm::is_contained(choices, *given))
    return *llvm::find(choices, *given);
  gen.error(args[i]->getLoc())
      << "'" << params[i].name << "' is one of " << llvm::join(choices, ", ")
      << ", written as a name or a string (" << params[i].name << "="
      << choices.front() << " or " << params[i].name << "=\"" << choices.front()
      << "\")";
  return std::nullopt;
}

std::optional<llvm::SmallVector<double>> BoundCall::numberList(unsigned i) {
  llvm::SmallVector<double> values;
  if (!args[i]) {
    llvm::SmallVector<llvm::StringRef> items;
    defaultOf(i).trim("[]").split(items, ',');
    for (llvm::StringRef item : items) {
      double value = 0;
      bool bad = item.trim().getAsDouble(value);
      assert(!bad && "a list of numbers as default");
      (void)bad;
      values.push_back(value);
    }
    return values;
  }
  auto *list = llvm::dyn_cast<ListExprAST>(args[i]);
  if (!list) {
    gen.error(args[i]->getLoc())
        << "'" << params[i].name << "' is a list of numbers, as in "
        << params[i].name << "=" << defaultOf(i);
    return std::nullopt;
  }
  for (const ExprPtr &item : list->items) {
    std::optional<double> value = gen.evalNumber(*item);
    if (!value)
      return std::nullopt;
    values.push_back(*value);
  }
  return values;
}

std::optional<llvm::SmallVector<int64_t>> BoundCall::intList(unsigned i) {
  if (args[i])
    return gen.evalIntList(*args[i]);
  llvm::SmallVector<llvm::StringRef> items;
  defaultOf(i).trim("[]").split(items, ',');
  llvm::SmallVector<int64_t> values;
  for (llvm::StringRef item : items) {
    int64_t value = 0;
    bool bad = item.trim().getAsInteger(10, value);
    assert(!bad && "a list of integers as default");
    (void)bad;
    values.push_back(value);
  }
  return values;
}

std::optional<llvm::SmallVector<int64_t>> BoundCall::shape(unsigned i) {
  std::optional<llvm::SmallVector<int64_t>> sizes = intList(i);
  if (!sizes || failed(gen.checkShape(locOf(i), *sizes)))
    return std::nullopt;
  return sizes;
}

std::optional<std::array<int64_t, 2>> BoundCall::pair(unsigned i) {
  if (args[i])
    return gen.evalPair(*args[i]);
  std::optional<llvm::SmallVector<int64_t>> values = intList(i);
  assert(values->size() <= 2 && "an integer or a pair as default");
  return std::array<int64_t, 2>{values->front(), values->back()};
}

FailureOr<Type> BoundCall::dtype(unsigned i) {
  if (args[i])
    return gen.evalDType(*args[i]);
  return gen.convertDType(defaultOf(i), call.getLoc());
}

namespace {
/// The table of built-in functions, in three parts.
std::array<llvm::ArrayRef<BuiltinFunction>, 3> functionTables() {
  return {computeBuiltinFunctions(), indexingBuiltinFunctions(),
          trainingBuiltinFunctions()};
}

std::string render(llvm::StringRef name, llvm::StringRef signature) {
  return (name + "(" + signature + ")").str();
}
} // namespace

const BuiltinFunction *mlir::weft::lookupBuiltinFunction(llvm::StringRef name) {
  for (llvm::ArrayRef<BuiltinFunction> table : functionTables())
    for (const BuiltinFunction &row : table)
      if (row.name == name)
        return &row;
  return nullptr;
}

std::array<llvm::ArrayRef<LayerKind>, 2> mlir::weft::layerKindTables() {
  return {computeLayerKinds(), optimizerLayerKinds()};
}

const LayerKind *mlir::weft::lookupLayerKind(llvm::StringRef name) {
  for (llvm::ArrayRef<LayerKind> table : layerKindTables())
    for (const LayerKind &row : table)
      if (row.name == name)
        return &row;
  return nullptr;
}

std::vector<std::string> mlir::weft::builtinFunctionSignatures() {
  std::vector<std::string> signatures;
  for (llvm::ArrayRef<BuiltinFunction> table : functionTables())
    for (const BuiltinFunction &row : table)
      signatures.push_back(render(row.name, row.signature));
  return signatures;
}

std::vector<std::string> mlir::weft::builtinLayerSignatures() {
  std::vector<std::string> signatures;
  for (llvm::ArrayRef<LayerKind> table : layerKindTables())
    for (const LayerKind &row : table)
      signatures.push_back(render(row.name, row.signature));
  return signatures;
}
