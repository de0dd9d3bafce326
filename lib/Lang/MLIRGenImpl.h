//===- MLIRGenImpl.h - State of one MLIRGen run -----------------*- C++ -*-===//
//
// Private to lib/Lang: the generator is split by subject over MLIRGen.cpp
// (functions, expressions, calls), MLIRGenLayers.cpp (the table of layers),
// MLIRGenBuiltins.cpp and MLIRGenIndexing.cpp (the table of built-in
// functions) and Builtins.cpp (lookups in the tables, and calls bound to
// their signatures).
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
class WeftBuilder;

struct Layer;
struct LayerKind;
class MLIRGenImpl;

/// One parameter of a signature in the built-in tables: its name and, for an
/// optional one, its default as the language writes it ("-1", "[1, 0]",
/// "f32", "true"; "None" when absent means no value).
struct SignatureParam {
  llvm::StringRef name;
  std::optional<llvm::StringRef> defaultValue;
};

/// The parameter counting the dropout masks train steps have drawn (`i64`,
/// state of training); its name cannot be a layer's.
inline constexpr llvm::StringLiteral kGeneratorState = "@generator";

/// A number as written in a program: 1.5, 0.001, 1e-08.
std::string formatNumber(double value);

/// Splits a signature ("x, axis=-1") into its parameters.
llvm::SmallVector<SignatureParam> parseSignature(llvm::StringRef signature);

/// A call's arguments bound to a signature of the built-in tables. Each
/// accessor gives the argument's value, evaluated at compile time, or the
/// parameter's default; std::nullopt (or failure) means an error was
/// reported.
class BoundCall {
public:
  BoundCall(MLIRGenImpl &gen, const CallExprAST &call,
            llvm::SmallVector<SignatureParam> params,
            llvm::SmallVector<const ExprAST *> args)
      : gen(gen), call(call), params(std::move(params)), args(std::move(args)) {
  }

  llvm::StringRef name() const { return call.callee; }
  Location at() const;
  /// Whether argument `i` was given (for a parameter defaulting to None).
  bool given(unsigned i) const { return args[i]; }
  const ExprAST &expr(unsigned i) const { return *args[i]; }
  /// The location of argument `i` if given, else of the call.
  SMLoc locOf(unsigned i) const;

  Value tensor(unsigned i, Type hint = Type());
  std::optional<int64_t> integer(unsigned i);
  /// A number, or an integer known at compile time (`2 * d`).
  std::optional<double> number(unsigned i);
  std::optional<bool> boolean(unsigned i);
  std::optional<llvm::SmallVector<int64_t>> intList(unsigned i);
  /// A shape: a list of positive sizes with at most kMaxElements elements.
  std::optional<llvm::SmallVector<int64_t>> shape(unsigned i);
  /// A list of numbers: `[0.9, 0.999]`.
  std::optional<llvm::SmallVector<double>> numberList(unsigned i);
  /// An integer `n` (meaning `[n, n]`) or a pair `[a, b]`.
  std::optional<std::array<int64_t, 2>> pair(unsigned i);
  FailureOr<Type> dtype(unsigned i);
  /// One of the bare names `choices` (`reduction=sum`), as a dtype is
  /// written.
  std::optional<llvm::StringRef>
  choice(unsigned i, llvm::ArrayRef<llvm::StringRef> choices);

  MLIRGenImpl &gen;
  const CallExprAST &call;

private:
  /// The default text of absent argument `i`.
  llvm::StringRef defaultOf(unsigned i) const;

  llvm::SmallVector<SignatureParam> params;
  llvm::SmallVector<const ExprAST *> args;
};

/// The values a built-in gives: one, or several (`topk`, `split`).
using BuiltinValues = FailureOr<llvm::SmallVector<Value>>;

/// `value` as the values of a call; failure when it is null.
BuiltinValues oneValue(Value value);

/// A row of the table of built-in functions.
struct BuiltinFunction {
  llvm::StringRef name;
  /// The parameters as the language documents them: "x, axis=-1".
  llvm::StringRef signature;
  BuiltinValues (*build)(BoundCall &call);
  /// When set, what a call missing a required argument is told it needs, a
  /// format string given the name ("a key, as in {0}([4], key=0)").
  const char *missing = nullptr;
};

/// The rows of the table of built-in functions, by subject: computing
/// (MLIRGenBuiltins.cpp), indexing (MLIRGenIndexing.cpp) and training
/// (MLIRGenTraining.cpp).
llvm::ArrayRef<BuiltinFunction> computeBuiltinFunctions();
llvm::ArrayRef<BuiltinFunction> indexingBuiltinFunctions();
llvm::ArrayRef<BuiltinFunction> trainingBuiltinFunctions();
/// The row of built-in `name`, or null.
const BuiltinFunction *lookupBuiltinFunction(llvm::StringRef name);

/// One call of a declared layer (`self.fc(x)`), as a row's builder sees it.
struct LayerCall {
  MLIRGenImpl &gen;
  const CallExprAST &call;
  /// The layer's name in its model, and its declaration.
  llvm::StringRef name;
  const Layer &layer;
  Value input;
  /// The call's arguments, bound to the row's call signature; the first is
  /// `input`.
  BoundCall &args;

  Location at() const;
  /// Parameter `suffix` of the layer (`fc.weight`), as its declaration
  /// describes it, of the input's dtype unless `elementType` is given.
  Value param(llvm::StringRef suffix, Type elementType = Type());
};

/// A row of the table of layer kinds.
struct LayerKind {
  llvm::StringRef name;
  /// The constructor's parameters as documented: "in, out, bias=true"; one
  /// ending in "..." takes any number of positional sizes, which the row
  /// reads from the call itself.
  llvm::StringRef signature;
  /// Checks the constructor's arguments into `layer`.
  LogicalResult (*declare)(BoundCall &ctor, Layer &layer);
  /// Applies a declared layer to its input; null for a layer used as a
  /// value (Param) or never called (a learning-rate schedule).
  Value (*apply)(LayerCall &call);
  /// The parameters of a call of the layer: "x" for most, "loss,
  /// max_norm=None" for an optimizer.
  llvm::StringRef callSignature = "x";
};

/// The rows of the table of layer kinds, by subject: the layers that
/// compute (MLIRGenLayers.cpp) and the optimizers and learning-rate
/// schedules (MLIRGenOptimizers.cpp).
llvm::ArrayRef<LayerKind> computeLayerKinds();
llvm::ArrayRef<LayerKind> optimizerLayerKinds();
std::array<llvm::ArrayRef<LayerKind>, 2> layerKindTables();
/// The learning rate the next step of the optimizer `optimizer` (a layer of
/// the current model) takes: its `lr`, or its schedule's at the steps taken
/// (MLIRGenOptimizers.cpp); null after an error.
Value genLearningRate(MLIRGenImpl &gen, SMLoc at, llvm::StringRef optimizer);
/// The row of layer kind `name`, or null.
const LayerKind *lookupLayerKind(llvm::StringRef name);

/// A tensor a layer holds (`weight`, `running_mean`), as PyTorch's module
/// registers it.
struct ParamSpec {
  /// The name under the layer's (`weight`); empty for a Param layer, whose
  /// own name it is.
  std::string suffix;
  llvm::SmallVector<int64_t> shape;
  InitKind init;
  std::optional<int64_t> fanIn;
  /// A parameter (PyTorch's `parameters()`), not a buffer (running
  /// statistics) or an optimizer's state.
  bool trainable = true;
  /// State of training outside PyTorch's `state_dict` (`weft.param ...
  /// training_state`: an optimizer's): a weights file may lack it, and then
  /// it starts from `init`.
  bool trainingState = false;
};

/// A layer declared in a model, after checking its constructor.
struct Layer {
  enum Kind {
    /// A layer of the table (Linear, Conv2d, ...).
    Builtin,
    /// A tensor parameter, used as a value.
    Param,
    /// A model used inside this one, and a list of them.
    Model,
    ModelList,
    /// An optimizer, called with a loss; a learning-rate schedule of one.
    Optimizer,
    Schedule
  } kind = Builtin;
  /// Builtin and Param: the row of its kind.
  const LayerKind *row = nullptr;
  SMLoc loc;
  /// Linear and Conv2d: features or channels in and out; BatchNorm: `out`
  /// is the number of features; Embedding: `in` rows of `out` features.
  int64_t in = 0, out = 0;
  bool bias = true;
  /// Param: the shape; LayerNorm: the normalized shape.
  llvm::SmallVector<int64_t> shape;
  /// Conv2d and ConvTranspose2d.
  std::array<int64_t, 2> kernel = {1, 1}, stride = {1, 1}, padding = {0, 0},
                         dilation = {1, 1}, outputPadding = {0, 0};
  int64_t groups = 1;
  /// BatchNorm and LayerNorm: eps; BatchNorm: momentum; Dropout: p.
  double eps = 1e-5, momentum = 0.1, p = 0.5;
  /// Model: the instance; ModelList: the instances, in order.
  llvm::SmallVector<Instance *> models;
  /// Builtin, Param and Optimizer: the tensors it holds, in PyTorch's
  /// order, recorded by the row's `declare`.
  llvm::SmallVector<ParamSpec> params;
  /// Optimizer: its hyperparameters by PyTorch name (booleans as 0 and 1),
  /// and the layers whose parameters it updates (empty: the model's).
  /// Schedule: its own hyperparameters, and the optimizer it schedules.
  llvm::StringMap<double> hyper;
  llvm::SmallVector<std::string> targets;
  /// Schedule: the learning rate after `steps` optimizer steps, given the
  /// optimizer's (f64 scalars).
  Value (*learningRate)(WeftBuilder &d, const Layer &schedule, Value lr,
                        Value steps) = nullptr;
};

/// A trainable parameter of a model instance, as `parameters()` lists it.
struct NamedParam {
  /// The qualified name of the layer that holds it, and its declaration.
  std::string layerName;
  const Layer *layer;
  const ParamSpec *spec;
  /// The parameter's full name (`enc.fc1.weight`).
  std::string name() const {
    return spec->suffix.empty() ? layerName : layerName + "." + spec->suffix;
  }
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
  /// Where it is made: the declaration of the layer that uses it.
  SMLoc madeAt;
};

class MLIRGenImpl {
public:
  MLIRGenImpl(MLIRContext &context, const llvm::SourceMgr &sourceMgr,
              const llvm::StringMap<int64_t> &dims, uint64_t seed,
              bool training);

  OwningOpRef<ModuleOp> generate(const ModuleAST &ast, const EntryPoint &entry);

  // The methods below are shared by the generator's files and the builders
  // of the built-in tables.

  // Locations and errors.
  Location loc(SMLoc at);
  /// An error at `at`; inside a model with parameters (a library's
  /// `MultiHeadAttention(d, heads)`), with a note where it was made.
  InFlightDiagnostic error(SMLoc at);

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
  /// Reports at `at` a size that is not positive, or more than kMaxElements
  /// elements in all.
  LogicalResult checkShape(SMLoc at, llvm::ArrayRef<int64_t> sizes);
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
  /// Calls `method` of the member model (or loop variable) `member`:
  /// `net.encode(x)`.
  FailureOr<llvm::SmallVector<Value>> genMethodCall(const CallExprAST &call,
                                                    llvm::StringRef member,
                                                    llvm::StringRef method);
  /// Calls the forward method of a model instance.
  FailureOr<llvm::SmallVector<Value>> genModelCall(const CallExprAST &call,
                                                   Instance &instance);
  Value genNumber(const NumberExprAST &number, double sign, Type hint);
  /// `x[...]`: integer indices and slices with step 1 as weft.slice, a
  /// vector of indices or a step as weft.index_select.
  Value genIndex(const IndexExprAST &expr);
  /// A rank-0 constant of element type `elem`.
  Value genScalar(SMLoc at, Type elem, double value);
  /// A rank-0 constant of element type `elem` holding `value` exactly when
  /// `elem` is an integer type, or null after an error if it does not fit.
  Value genInteger(SMLoc at, Type elem, int64_t value);
  /// `inf` and `nan`, the float literals named as Python's `math.inf` and
  /// `math.nan`, unless a variable has the name.
  std::optional<double> specialFloat(llvm::StringRef name);
  /// `x` converted to element type `elem` (itself if it has it).
  Value convertTo(SMLoc at, Value x, Type elem);
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
  /// A call made as a statement, for its effect on the parameters; its
  /// values are dropped.
  LogicalResult genCallStatement(const ExprAST &expr);
  FailureOr<llvm::SmallVector<Value>> genCallValues(const CallExprAST &call);
  Value genLayerCall(const CallExprAST &call, llvm::StringRef name,
                     const Layer &layer);
  FailureOr<llvm::SmallVector<Value>> genUserCall(const CallExprAST &call,
                                                  Callable &callee);
  /// A call of a built-in function of the table.
  FailureOr<llvm::SmallVector<Value>> genBuiltin(const CallExprAST &call);
  /// An integer tensor used as indices by the built-in `op`.
  Value genIndexTensor(const ExprAST &expr, llvm::StringRef op);
  Value genParam(SMLoc at, llvm::StringRef name, Type elementType,
                 llvm::ArrayRef<int64_t> shape, InitKind init,
                 std::optional<int64_t> fanIn = std::nullopt,
                 bool trainingState = false);
  /// Gives parameter `name` the value `value` (`weft.update_param`).
  void genParamUpdate(SMLoc at, llvm::StringRef name, Value value);
  /// Dropout of `x` with probability `p`: the identity at inference; in
  /// train mode a mask drawn from the count of masks drawn so far.
  Value genDropout(SMLoc at, Value x, double p);
  /// The count of draws of the program's generator state (`@generator`, an
  /// i64 scalar), which this draw advances: a value that differs at every
  /// draw, call and step.
  Value genNextDraw(SMLoc at);
  /// Parameter `suffix` of `layer`, named `layerName` (qualified), as its
  /// declaration describes it.
  Value genLayerParam(SMLoc at, llvm::StringRef layerName, const Layer &layer,
                      llvm::StringRef suffix, Type elementType);
  /// The trainable parameters of `instance`'s layers (PyTorch's
  /// `parameters()`: declaration order, models' recursively), of the
  /// default dtype, read at `at`; only those of layer `only` when given.
  llvm::SmallVector<Value> genParameters(SMLoc at, const Instance &instance,
                                         llvm::StringRef only = {});
  /// The parameters genParameters reads, appended to `out`.
  void collectParameters(const Instance &instance, llvm::StringRef only,
                         llvm::SmallVectorImpl<NamedParam> &out);
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
  /// Binds a call to a signature of the built-in tables; `missing` is the
  /// row's message for a missing required argument, if it has one.
  FailureOr<BoundCall> bind(const CallExprAST &call, llvm::StringRef signature,
                            const char *missing = nullptr);
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
  /// The model instance whose method is being generated, or null.
  Instance *getCurrentInstance() const { return currentInstance; }

  OpBuilder builder;
  const llvm::SourceMgr &sourceMgr;
  const llvm::StringMap<int64_t> &dims;
  /// The seed of the random ops.
  uint64_t seed;
  /// Replaces every optimizer's `lr` when given (`weft train --lr`).
  std::optional<double> learningRate;
  /// Whether the layers run in train mode (PyTorch's `train()`): batch
  /// norm by the batch's statistics, updating its running ones; dropout
  /// drawing masks.
  bool training;

private:
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
  /// The loop steps unrolled so far, bounded by kMaxUnrolledSteps.
  int64_t unrolledSteps = 0;
};

/// The builder of a built-in op of one tensor and one attribute that `Read`
/// evaluates: an integer (softmax(x, axis=-1)), a list (reshape(x, shape))
/// or a pair (upsample_nearest(x, scale)). Both parts of the table use it.
template <typename Op, auto Read> BuiltinValues withAttribute(BoundCall &c) {
  Value x = c.tensor(0);
  auto value = x ? (c.*Read)(1) : std::nullopt;
  if (!value)
    return failure();
  return oneValue(c.gen.typed(
      Op::create(c.gen.builder, c.at(), c.gen.unranked(x), x, *value)));
}
template <typename Op>
constexpr BuiltinValues (*withInteger)(BoundCall &) =
    withAttribute<Op, &BoundCall::integer>;
template <typename Op>
constexpr BuiltinValues (*withList)(BoundCall &) =
    withAttribute<Op, &BoundCall::intList>;
template <typename Op>
constexpr BuiltinValues (*withPair)(BoundCall &) =
    withAttribute<Op, &BoundCall::pair>;

} // namespace mlir::weft

#endif // LIB_LANG_MLIRGENIMPL_H
