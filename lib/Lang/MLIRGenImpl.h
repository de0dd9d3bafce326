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

struct Instance;

/// A layer declared in a model, after checking its constructor.
struct Layer {
  enum Kind {
    Linear,
    Param,
    Conv2d,
    ConvTranspose2d,
    BatchNorm,
    LayerNorm,
    Dropout,
    Embedding,
    /// A model used inside this one, and a list of them.
    Model,
    ModelList
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
                         dilation = {1, 1}, outputPadding = {0, 0};
  int64_t groups = 1;
  /// BatchNorm and LayerNorm: eps; Dropout: p.
  double eps = 1e-5, p = 0.5;
  /// Model: the instance; ModelList: the instances, in order.
  llvm::SmallVector<Instance *> models;
};

/// A function that can be called: top-level or a method of a model
/// instance `owner`. A function with untyped parameters is generic in their
/// dtypes and has one generated function per combination it is called with.
struct Callable {
  const FunctionAST *ast;
  Instance *owner;
  std::string symbol;
  llvm::StringMap<func::FuncOp> instances;
  bool generating = false;
};

/// One use of a model: the entry point's model, or a model used inside
/// another (`enc = Encoder(64)`, each element of `blocks = [Block(64) for
/// 6]`). Its parameters are named under `prefix` (`blocks.3.attn.q.weight`,
/// PyTorch's `state_dict` names) and its methods are generated for it alone.
struct Instance {
  const ModelAST *ast;
  /// Prefix of parameter names: empty for the entry model, else `enc`.
  std::string prefix;
  /// Prefix of method symbols: `Net`, `Net.enc`, `Net.blocks.3`.
  std::string symbol;
  /// The model's integer parameters, bound where it is used.
  llvm::StringMap<int64_t> params;
  llvm::StringMap<Layer> layers;
  llvm::StringMap<Callable *> methods;
};

class MLIRGenImpl {
public:
  MLIRGenImpl(MLIRContext &context, const llvm::SourceMgr &sourceMgr,
              const llvm::StringMap<int64_t> &dims, uint64_t seed);

  OwningOpRef<ModuleOp> generate(const ModuleAST &ast, const EntryPoint &entry);

private:
  // Locations and errors.
  Location loc(SMLoc at);
  InFlightDiagnostic error(SMLoc at) { return emitError(loc(at)); }

  // Declarations and functions.
  LogicalResult declare(const ModuleAST &ast);
  /// Creates an instance of `model` and, recursively, of the models it uses.
  /// `outer` lists the models being instantiated, to reject cycles.
  FailureOr<Instance *>
  instantiate(const ModelAST &model, SMLoc at, std::string prefix,
              std::string symbol, llvm::StringMap<int64_t> params,
              llvm::SmallVectorImpl<const ModelAST *> &outer);
  LogicalResult declareLayer(Instance &instance, const LayerAST &layer,
                             llvm::SmallVectorImpl<const ModelAST *> &outer);
  /// The model layer `decl` uses another model: bind its parameters and
  /// instantiate it (or each element of a list).
  LogicalResult
  declareModelLayer(Instance &instance, const LayerAST &decl,
                    const ModelAST &model, Layer &layer,
                    llvm::SmallVectorImpl<const ModelAST *> &outer);
  /// A parameter's full name in the current instance.
  std::string qualified(llvm::StringRef name);
  /// The value of an integer name: a model parameter, else a dimension.
  std::optional<int64_t> lookupInteger(llvm::StringRef name);
  /// Generates the instance of `callable` whose untyped parameters have the
  /// element types `generic` (one per parameter; typed ones are ignored).
  FailureOr<func::FuncOp> genFunction(Callable &callable, bool isEntry,
                                      llvm::ArrayRef<Type> generic);
  FailureOr<RankedTensorType> convertType(const TypeAST &type, bool isEntry);
  /// Whether the signature of `callable` names a dimension without a size.
  bool hasUnsizedDimension(const Callable &callable);
  FailureOr<Type> convertDType(llvm::StringRef dtype, SMLoc at);

  /// Generates a block of statements into the current function; sets
  /// `returned` at its `return`. In a loop body, `carried` holds the types
  /// of the variables that existed before the loop: reassigned, they keep
  /// their type.
  LogicalResult genStatements(const std::vector<StmtAST> &body,
                              const FunctionAST &f,
                              std::optional<RankedTensorType> declaredResult,
                              llvm::SmallVectorImpl<Value> &returned,
                              const llvm::StringMap<Type> *carried);
  /// One unrolled iteration of the body of `loop`.
  LogicalResult genLoopBody(const StmtAST &loop, const FunctionAST &f,
                            std::optional<RankedTensorType> declaredResult,
                            llvm::SmallVectorImpl<Value> &returned);
  /// The values of a tuple (`a, b`), of a call with several results, or of
  /// any other expression (one).
  FailureOr<llvm::SmallVector<Value>> genValues(const ExprAST &expr);

  // Expressions.
  Value genExpr(const ExprAST &expr, Type hint);
  /// Calls the forward method of a model instance.
  FailureOr<llvm::SmallVector<Value>> genModelCall(const CallExprAST &call,
                                                   Instance &instance);
  Value genNumber(const NumberExprAST &number, double sign, Type hint);
  /// A rank-0 constant of element type `elem`.
  Value genScalar(SMLoc at, Type elem, double value);
  /// `value` as an attribute of element type `elem`.
  TypedAttr scalarAttr(Type elem, double value);
  /// i32 or i64: the dtypes of indices, on which arithmetic is exact.
  static bool isIndexType(Type type);
  Value genName(const VarExprAST &var, Type hint);
  Value genBinary(const BinaryExprAST &binary, Type hint);
  /// Generates the two operands of an elementwise op; a literal takes the
  /// dtype of the other operand. Reports a dtype mismatch at `at`.
  LogicalResult genOperands(const ExprAST &lhsExpr, const ExprAST &rhsExpr,
                            Type hint, SMLoc at, Value &lhs, Value &rhs);
  /// A call with one result; an error for several.
  Value genCall(const CallExprAST &call);
  FailureOr<llvm::SmallVector<Value>> genCallValues(const CallExprAST &call);
  Value genLayerCall(const CallExprAST &call, llvm::StringRef name,
                     const Layer &layer);
  FailureOr<llvm::SmallVector<Value>> genUserCall(const CallExprAST &call,
                                                  Callable &callee);
  Value genBuiltin(const CallExprAST &call);
  /// gather, index_select, topk, split, select_scatter, permute and the
  /// scans (MLIRGenIndexing.cpp); topk and split give several values.
  static bool isIndexingBuiltin(llvm::StringRef name);
  FailureOr<llvm::SmallVector<Value>>
  genIndexingBuiltin(const CallExprAST &call);
  /// An integer tensor used as indices by the built-in `op`.
  Value genIndexTensor(const ExprAST &expr, llvm::StringRef op);
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
  /// Whether `expr` is an integer known at compile time (literals,
  /// dimensions, loop variables and their arithmetic), which evalInt
  /// evaluates; says nothing when it is not.
  bool isCompileTimeInteger(const ExprAST &expr);
  std::optional<llvm::SmallVector<int64_t>> evalIntList(const ExprAST &expr);
  /// An integer `n` (meaning `[n, n]`) or a pair `[a, b]`.
  std::optional<std::array<int64_t, 2>> evalPair(const ExprAST &expr);
  std::optional<double> evalNumber(const ExprAST &expr);
  std::optional<bool> evalBool(const ExprAST &expr);
  /// A dtype name: f32, f64, i32, i64 or bool.
  FailureOr<Type> evalDType(const ExprAST &expr);

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
  /// The seed of the random ops.
  uint64_t seed;
  StringAttr filename;
  ModuleOp module;

  std::vector<std::unique_ptr<Callable>> callables;
  std::vector<std::unique_ptr<Instance>> instances;
  llvm::StringMap<Callable *> functions;
  llvm::StringMap<const ModelAST *> models;

  /// The function being generated: its model instance, its variables, and
  /// the loop variables naming model instances.
  Instance *currentInstance = nullptr;
  llvm::StringMap<Value> *variables = nullptr;
  llvm::StringMap<Instance *> loopInstances;
  /// The values of the `range` loop variables being unrolled.
  llvm::StringMap<int64_t> loopIntegers;
};

} // namespace mlir::weft

#endif // LIB_LANG_MLIRGENIMPL_H
