//===- Differentiate.cpp - The weft-differentiate pass --------------------===//
//
// Reverse-mode differentiation on the weft dialect: the backward graph is
// weft ops, built by each op's gradient rule, which the rest of the
// pipeline (fusion, both targets, the interpreter) handles like any other.
//
//===----------------------------------------------------------------------===//

#include "weft/Dialect/Weft/IR/WeftBuilder.h"
#include "weft/Dialect/Weft/IR/WeftOps.h"
#include "weft/Dialect/Weft/Transforms/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/StringSet.h"

namespace mlir::weft {
#define GEN_PASS_DEF_WEFTDIFFERENTIATE
#include "weft/Dialect/Weft/Transforms/Passes.h.inc"
} // namespace mlir::weft

using namespace mlir;
using namespace mlir::weft;

namespace {
bool isFloatTensor(Value value) {
  auto type = dyn_cast<TensorType>(value.getType());
  return type && isa<FloatType>(type.getElementType());
}

/// The parameter a value reads, if it is a `weft.param`.
std::optional<StringRef> paramName(Value value) {
  if (auto param = value.getDefiningOp<ParamOp>())
    return param.getName();
  return std::nullopt;
}

/// Builds the gradients of one `weft.gradient`.
class Differentiator {
public:
  explicit Differentiator(GradientOp gradient) : gradient(gradient) {}

  LogicalResult run();

private:
  /// Whether `value` is one of the values differentiated for, or stands for
  /// one (another `weft.param` of a parameter differentiated for).
  bool isVariable(Value value) const;
  /// Marks the ops before the gradient that depend on a variable.
  void markDependents();
  /// Adds `contribution` to the gradient of `value`.
  void accumulate(OpBuilder &b, Value value, Value contribution);

  GradientOp gradient;
  llvm::DenseSet<Value> variables;
  llvm::StringSet<> variableParams;
  /// Values that depend on a variable (the variables included).
  llvm::DenseSet<Value> dependent;
  llvm::DenseMap<Value, Value> gradients;
};

bool Differentiator::isVariable(Value value) const {
  if (variables.contains(value))
    return true;
  std::optional<StringRef> name = paramName(value);
  return name && variableParams.contains(*name);
}

void Differentiator::markDependents() {
  Block *block = gradient->getBlock();
  for (BlockArgument arg : block->getArguments())
    if (isVariable(arg))
      dependent.insert(arg);
  for (Operation &op :
       llvm::make_range(block->begin(), gradient->getIterator())) {
    bool depends = llvm::any_of(op.getOperands(), [&](Value operand) {
      return dependent.contains(operand);
    });
    for (Value result : op.getResults())
      if (isFloatTensor(result) && (depends || isVariable(result)))
        dependent.insert(result);
  }
}

void Differentiator::accumulate(OpBuilder &b, Value value, Value contribution) {
  Value &sum = gradients[value];
  sum = sum ? AddOp::create(b, gradient.getLoc(), sum, contribution)
            : contribution;
}

LogicalResult Differentiator::run() {
  for (Value value : gradient.getWrt()) {
    variables.insert(value);
    if (std::optional<StringRef> name = paramName(value))
      variableParams.insert(*name);
  }
  markDependents();
  Value loss = gradient.getLoss();
  OpBuilder b(gradient);
  WeftBuilder d(b, gradient.getLoc());
  if (dependent.contains(loss))
    gradients[loss] = d.constant(1, loss);

  // From the loss back; the ops before the gradient are in order, so each
  // op's results have all their uses' contributions when it is reached.
  Block *block = gradient->getBlock();
  for (Operation &op : llvm::reverse(
           llvm::make_range(block->begin(), gradient->getIterator()))) {
    llvm::SmallVector<Value> resultGradients;
    bool needed = false;
    for (Value result : op.getResults()) {
      resultGradients.push_back(gradients.lookup(result));
      needed |= static_cast<bool>(resultGradients.back());
    }
    bool feedsOperand = llvm::any_of(op.getOperands(), [&](Value operand) {
      return dependent.contains(operand);
    });
    if (!needed || !feedsOperand)
      continue;
    auto differentiable = dyn_cast<DifferentiableOpInterface>(op);
    if (!differentiable) {
      InFlightDiagnostic diag = emitError(gradient.getLoc())
                                << "cannot differentiate '"
                                << op.getName().getStringRef()
                                << "': it has no gradient rule";
      diag.attachNote(op.getLoc()) << "the loss depends on it here";
      return failure();
    }
    // The rules build ops of known shapes.
    auto unknown = [](Value v) {
      auto type = dyn_cast<RankedTensorType>(v.getType());
      return !type || !type.hasStaticShape();
    };
    if (llvm::any_of(op.getOperands(), unknown) ||
        llvm::any_of(op.getResults(), unknown)) {
      InFlightDiagnostic diag =
          emitError(gradient.getLoc())
          << "cannot differentiate '" << op.getName().getStringRef()
          << "': its shapes are not known (run weft-shape-inference first)";
      diag.attachNote(op.getLoc()) << "the loss depends on it here";
      return failure();
    }
    for (auto [result, g] : llvm::zip(op.getResults(), resultGradients))
      if (!g && isFloatTensor(result) && dependent.contains(result))
        g = d.zerosLike(result);
    llvm::SmallVector<Value> operandGradients =
        differentiable.buildGradients(b, resultGradients);
    for (auto [operand, g] : llvm::zip(op.getOperands(), operandGradients))
      if (g && dependent.contains(operand))
        accumulate(b, operand, g);
  }

  // A parameter read by several weft.param ops gathers all their gradients,
  // in the order of the ops.
  llvm::SmallVector<Value> results;
  for (auto [i, value] : llvm::enumerate(gradient.getWrt())) {
    Value total = gradients.lookup(value);
    if (std::optional<StringRef> name = paramName(value)) {
      total = Value();
      for (Operation &op :
           llvm::make_range(block->begin(), gradient->getIterator()))
        if (auto param = dyn_cast<ParamOp>(op))
          if (Value g = gradients.lookup(param.getResult());
              g && param.getName() == *name)
            total = total ? Value(AddOp::create(b, gradient.getLoc(), total, g))
                          : g;
    }
    if (!total)
      return emitError(gradient.getLoc())
             << "the loss does not depend on input " << (i + 1) << " (of "
             << gradient.getWrt().size() << ") of 'grad'";
    results.push_back(total);
  }
  gradient->replaceAllUsesWith(results);
  gradient->erase();
  return success();
}

struct WeftDifferentiatePass
    : public weft::impl::WeftDifferentiateBase<WeftDifferentiatePass> {
  void runOnOperation() override {
    llvm::SmallVector<GradientOp> gradientOps;
    getOperation().walk([&](GradientOp op) { gradientOps.push_back(op); });
    for (GradientOp op : gradientOps)
      if (failed(Differentiator(op).run()))
        return signalPassFailure();
    // With every gradient built, nothing is left for a detach to stop.
    getOperation().walk([](DetachOp op) {
      op.replaceAllUsesWith(op.getInput());
      op.erase();
    });
  }
};
} // namespace
