//===- Interpreter.h - The reference interpreter's state --------*- C++ -*-===//
//
// The values of a function being interpreted, and what every op family's
// evaluators share: arrays, index arithmetic, errors. Each family has a file
// of its own, mirroring the lowering's (lib/Conversion/WeftToLinalg), with
// one named evaluator per op.
//
//===----------------------------------------------------------------------===//

#ifndef WEFT_LIB_EXECUTION_INTERPRETER_INTERPRETER_H
#define WEFT_LIB_EXECUTION_INTERPRETER_INTERPRETER_H

#include "weft/Dialect/Weft/IR/WeftOps.h"
#include "weft/Runtime/TensorIO.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/TypeSwitch.h"
#include <array>
#include <optional>
#include <vector>

namespace mlir::weft::interp {

/// A value during interpretation: a row-major float64 array.
struct Array {
  llvm::SmallVector<int64_t> shape;
  std::vector<double> data;
};

llvm::SmallVector<int64_t> stridesOf(llvm::ArrayRef<int64_t> shape);
int64_t countOf(llvm::ArrayRef<int64_t> shape);
llvm::SmallVector<int64_t> shapeOf(Value value);
/// `axis` counted from 0 when it counts from the end.
int64_t normalizeAxis(int64_t axis, int64_t rank);
/// Strides for reading `operand` at the indices of `result` under NumPy
/// broadcasting (0 along stretched or missing dimensions).
llvm::SmallVector<int64_t> broadcastStrides(llvm::ArrayRef<int64_t> operand,
                                            llvm::ArrayRef<int64_t> result);
/// Calls `body(index, operandOffsets)` for each element of `shape`.
void forEachIndex(
    llvm::ArrayRef<int64_t> shape,
    llvm::ArrayRef<llvm::SmallVector<int64_t>> operandStrides,
    llvm::function_ref<void(int64_t, llvm::ArrayRef<int64_t>)> body);
/// Splits `shape` at `axis` into the element counts before it, along it
/// and after it.
std::array<int64_t, 3> splitAtAxis(llvm::ArrayRef<int64_t> shape, int64_t axis);

/// The values of one function under evaluation.
class Interpreter {
public:
  explicit Interpreter(TensorMap &params) : params(params) {}

  /// Evaluates `func` on `inputs` and returns its results; the parameters
  /// it updates take their new values when it returns.
  llvm::Expected<std::vector<Tensor>>
  run(func::FuncOp func, llvm::ArrayRef<const Tensor *> inputs);

  /// The value of `value`, computed earlier.
  Array &get(Value value) { return values[value]; }
  llvm::Error set(Value value, Array array) {
    values[value] = std::move(array);
    return llvm::Error::success();
  }
  /// A parameter's value, by name.
  const Tensor *findParam(llvm::StringRef name) const {
    auto it = params.find(name.str());
    return it == params.end() ? nullptr : &it->second;
  }

  /// An error located at `op`.
  llvm::Error fail(Operation *op, const llvm::Twine &message);
  /// The message the compiled code gives for the same index.
  llvm::Error indexError(Operation *op, int64_t index, int64_t size);

private:
  llvm::Error step(Operation *op);

  TensorMap &params;
  llvm::DenseMap<Value, Array> values;
  /// The parameters' new values, written when the function returns.
  llvm::SmallVector<UpdateParamOp> updates;
};

/// The result of a family's evaluator: none when `op` is not of the family.
using Evaluated = std::optional<llvm::Error>;

/// One evaluator per op family, each in a file of its own; each evaluates
/// `op` and sets its results, or returns none when `op` is not one of its
/// family.
Evaluated evaluateElementwise(Interpreter &in, Operation *op);
Evaluated evaluateContraction(Interpreter &in, Operation *op);
Evaluated evaluateReduction(Interpreter &in, Operation *op);
Evaluated evaluateNormalization(Interpreter &in, Operation *op);
Evaluated evaluateConvolution(Interpreter &in, Operation *op);
Evaluated evaluateAttention(Interpreter &in, Operation *op);
Evaluated evaluateIndexing(Interpreter &in, Operation *op);
Evaluated evaluateShape(Interpreter &in, Operation *op);
Evaluated evaluateTopK(Interpreter &in, Operation *op);
Evaluated evaluateRandom(Interpreter &in, Operation *op);

} // namespace mlir::weft::interp

#endif // WEFT_LIB_EXECUTION_INTERPRETER_INTERPRETER_H
