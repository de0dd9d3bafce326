//===- MLIRGenImpl.h - State of one MLIRGen run -----------------*- C++ -*-===//
//
// Private to lib/Lang: the generator is split by subject over MLIRGen.cpp
// (functions, expressions, calls), MLIRGenLayers.cpp (model layers) and
// MLIRGenBuiltins.cpp (built-in functions).
//
//===----------------------------------------------------------------------===//

#ifndef LIB_LANG_MLIRGENIMPL_H
#define LIB_LANG_MLIRGENIMPL_H

#include "weft/Dialect/Weft/IR/WeftOps.h"
#include "weft/Lang/MLIRGen.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/SourceMgr.h"
#include <array>
#include <map>

namespace mlir::weft {

/// A layer declared in a model, after checking its constructor.
struct Layer {
  enum Kind {
    Linear,
    Param,
    Conv2d,
    BatchNorm,
    LayerNorm,
    Dropout,
    Embedding
  } kind;
  SMLoc loc;
  /// Linear and Conv2d: features or channels in and out; BatchNorm: `out`
  /// is the number of features; Embedding: `in` rows of `out` features.
  int64_t in = 0, out = 0;
  bool bias = true;
  /// Param: the shape; LayerNorm: the normalized shape.
  llvm::SmallVector<int64_t> shape;
  /// Conv2d.
  std::array<int64_t, 2> kernel = {1, 1}, stride = {1, 1}, padding = {0, 0},
                         dilation = {1, 1};
  int64_t groups = 1;
  /// BatchNorm and LayerNorm: eps; Dropout: p.
  double eps = 1e-5, p = 0.5;
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
              const llvm::StringMap<int64_t> &dims);

  OwningOpRef<ModuleOp> generate(const ModuleAST &ast, const EntryPoint &entry);

private:
  // Locations and errors.
  Location loc(SMLoc at);
  InFlightDiagnostic error(SMLoc at) { return emitError(loc(at)); }

  // Declarations and functions.
  LogicalResult declare(const ModuleAST &ast);
  LogicalResult declareLayer(const ModelAST &model, const LayerAST &layer);
  /// Generates the instance of `callable` whose untyped parameters have the
  /// element types `generic` (one per parameter; typed ones are ignored).
  FailureOr<func::FuncOp> genFunction(Callable &callable, bool isEntry,
                                      llvm::ArrayRef<Type> generic);
  FailureOr<RankedTensorType> convertType(const TypeAST &type, bool isEntry);
  FailureOr<Type> convertDType(llvm::StringRef dtype, SMLoc at);

  // Expressions.
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
                 llvm::ArrayRef<int64_t> shape, InitKind init,
                 std::optional<int64_t> fanIn = std::nullopt);
  Value castTo(Value value, Type type, SMLoc at, const llvm::Twine &what);
  /// Gives `op` its inferred result type, or reports why there is none at
  /// the op's location, erases it and returns null.
  Value typed(Operation *op);

  // Arguments.
  /// Matches a call's arguments to the parameter `names` of a signature:
  /// positional ones in order, then keywords by name. The first `required`
  /// must be given; the result holds null for an absent optional one.
  FailureOr<llvm::SmallVector<const ExprAST *>>
  bindArguments(const CallExprAST &call, llvm::ArrayRef<llvm::StringRef> names,
                unsigned required);
  std::optional<int64_t> evalInt(const ExprAST &expr);
  std::optional<llvm::SmallVector<int64_t>> evalIntList(const ExprAST &expr);
  /// An integer `n` (meaning `[n, n]`) or a pair `[a, b]`.
  std::optional<std::array<int64_t, 2>> evalPair(const ExprAST &expr);
  std::optional<double> evalNumber(const ExprAST &expr);
  std::optional<bool> evalBool(const ExprAST &expr);

  UnrankedTensorType unranked(Value like) {
    return UnrankedTensorType::get(
        cast<TensorType>(like.getType()).getElementType());
  }
  Type elementTypeOf(Value value) {
    return cast<TensorType>(value.getType()).getElementType();
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

} // namespace mlir::weft

#endif // LIB_LANG_MLIRGENIMPL_H
