//===- Interpreter.cpp - Reference interpreter of the weft dialect --------===//
//
// Walks a function's ops in order and hands each to its family's evaluator;
// parameters and constants, which every family reads, are evaluated here.
//
//===----------------------------------------------------------------------===//

#include "Interpreter.h"

#include "weft/Execution/ElementTypes.h"
#include "weft/Execution/Interpreter.h"
#include "weft/Execution/SourceLocation.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

using namespace mlir;
using namespace mlir::weft;
using namespace mlir::weft::interp;

llvm::SmallVector<int64_t> interp::stridesOf(llvm::ArrayRef<int64_t> shape) {
  llvm::SmallVector<int64_t> strides(shape.size(), 1);
  for (int64_t i = static_cast<int64_t>(shape.size()) - 2; i >= 0; --i)
    strides[i] = strides[i + 1] * shape[i + 1];
  return strides;
}

int64_t interp::countOf(llvm::ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

llvm::SmallVector<int64_t> interp::shapeOf(Value value) {
  return llvm::to_vector(cast<RankedTensorType>(value.getType()).getShape());
}

int64_t interp::normalizeAxis(int64_t axis, int64_t rank) {
  return (*normalizeAxes({axis}, rank))[0];
}

llvm::SmallVector<int64_t>
interp::broadcastStrides(llvm::ArrayRef<int64_t> operand,
                         llvm::ArrayRef<int64_t> result) {
  llvm::SmallVector<int64_t> own = stridesOf(operand);
  llvm::SmallVector<int64_t> strides(result.size(), 0);
  int64_t offset = result.size() - operand.size();
  for (size_t i = 0; i < operand.size(); ++i)
    strides[i + offset] = operand[i] == 1 ? 0 : own[i];
  return strides;
}

void interp::forEachIndex(
    llvm::ArrayRef<int64_t> shape,
    llvm::ArrayRef<llvm::SmallVector<int64_t>> operandStrides,
    llvm::function_ref<void(int64_t, llvm::ArrayRef<int64_t>)> body) {
  int64_t count = countOf(shape);
  llvm::SmallVector<int64_t> index(shape.size(), 0);
  llvm::SmallVector<int64_t> offsets(operandStrides.size(), 0);
  for (int64_t flat = 0; flat < count; ++flat) {
    for (size_t k = 0; k < operandStrides.size(); ++k) {
      int64_t off = 0;
      for (size_t d = 0; d < shape.size(); ++d)
        off += index[d] * operandStrides[k][d];
      offsets[k] = off;
    }
    body(flat, offsets);
    for (int64_t d = static_cast<int64_t>(shape.size()) - 1; d >= 0; --d) {
      if (++index[d] < shape[d])
        break;
      index[d] = 0;
    }
  }
}

std::array<int64_t, 3> interp::splitAtAxis(llvm::ArrayRef<int64_t> shape,
                                           int64_t axis) {
  return {countOf(shape.take_front(axis)), shape[axis],
          countOf(shape.drop_front(axis + 1))};
}

llvm::Error Interpreter::fail(Operation *op, const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                 "interpreter: " + message + " at " +
                                     formatSourceLocation(op->getLoc()));
}

llvm::Error Interpreter::indexError(Operation *op, int64_t index,
                                    int64_t size) {
  return fail(op, "index " + llvm::Twine(index) + " is outside [0, " +
                      llvm::Twine(size) + ") in '" +
                      cast<IndexingOpInterface>(op).getLookupName() + "'");
}

namespace {
/// Booleans (i1) are 0 and 1; wider integers are signed.
double integerValue(const APInt &value) {
  return value.getBitWidth() == 1 ? double(value.getZExtValue())
                                  : double(value.getSExtValue());
}

Array arrayOf(const Tensor &tensor) {
  Array array{llvm::to_vector(tensor.shape()), {}};
  array.data.reserve(tensor.numElements());
  for (int64_t i = 0, e = tensor.numElements(); i < e; ++i)
    array.data.push_back(tensor.get(i));
  return array;
}

Array evaluateConstant(ConstantOp op) {
  auto attr = cast<DenseElementsAttr>(op.getValue());
  Array array{shapeOf(op), {}};
  int64_t count = countOf(array.shape);
  bool isFloat = isa<FloatType>(attr.getElementType());
  for (int64_t i = 0; i < count; ++i) {
    int64_t at = attr.isSplat() ? 0 : i;
    array.data.push_back(isFloat
                             ? attr.getValues<APFloat>()[at].convertToDouble()
                             : integerValue(attr.getValues<APInt>()[at]));
  }
  return array;
}

/// The families, in the order they are asked.
constexpr Evaluated (*families[])(Interpreter &, Operation *) = {
    evaluateElementwise,   evaluateContraction, evaluateReduction,
    evaluateNormalization, evaluateConvolution, evaluateAttention,
    evaluateIndexing,      evaluateShape,       evaluateTopK,
    evaluateRandom,
};
} // namespace

llvm::Error Interpreter::step(Operation *op) {
  if (auto param = dyn_cast<ParamOp>(op)) {
    const Tensor *value = findParam(param.getName());
    if (!value)
      return fail(op, "no value for parameter '" + param.getName() + "'");
    return set(param.getResult(), arrayOf(*value));
  }
  if (auto update = dyn_cast<UpdateParamOp>(op)) {
    if (!findParam(update.getName()))
      return fail(op, "no value for parameter '" + update.getName() + "'");
    updates.push_back(update);
    return llvm::Error::success();
  }
  if (auto constant = dyn_cast<ConstantOp>(op))
    return set(constant.getResult(), evaluateConstant(constant));
  for (auto evaluate : families)
    if (Evaluated result = evaluate(*this, op))
      return std::move(*result);
  return fail(op,
              "unsupported operation '" + op->getName().getStringRef() + "'");
}

llvm::Expected<std::vector<Tensor>>
Interpreter::run(func::FuncOp func, llvm::ArrayRef<const Tensor *> inputs) {
  if (func.getNumArguments() != inputs.size())
    return llvm::createStringError(
        "interpreter: " + func.getSymName() + " takes " +
        llvm::Twine(func.getNumArguments()) + " inputs, got " +
        llvm::Twine(inputs.size()));
  for (auto [arg, tensor] : llvm::zip(func.getArguments(), inputs))
    values[arg] = arrayOf(*tensor);
  for (Operation &op : func.getBody().front()) {
    if (auto ret = dyn_cast<func::ReturnOp>(op)) {
      // Results and parameters are rounded to their dtypes.
      auto toTensor = [&](Value value) {
        const Array &array = values[value];
        auto type = cast<RankedTensorType>(value.getType());
        Tensor tensor(dtypeOf(type.getElementType()), array.shape);
        for (size_t i = 0; i < array.data.size(); ++i)
          tensor.set(i, array.data[i]);
        return tensor;
      };
      std::vector<Tensor> results;
      for (Value result : ret.getOperands())
        results.push_back(toTensor(result));
      for (UpdateParamOp update : updates)
        params.find(update.getName().str())->second =
            toTensor(update.getValue());
      return results;
    }
    if (llvm::Error error = step(&op))
      return std::move(error);
  }
  return llvm::createStringError("interpreter: function has no return");
}

llvm::Expected<std::vector<Tensor>>
mlir::weft::interpret(func::FuncOp func, llvm::ArrayRef<const Tensor *> inputs,
                      TensorMap &params) {
  return Interpreter(params).run(func, inputs);
}
