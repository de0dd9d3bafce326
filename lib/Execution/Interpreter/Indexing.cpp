//===- Indexing.cpp - Interpreting embedding, gather, index_select --------===//
//
// Every index is checked; one outside its range is the error the compiled
// code reports for it.
//
//===----------------------------------------------------------------------===//

#include "Interpreter.h"

using namespace mlir;
using namespace mlir::weft;
using namespace mlir::weft::interp;

namespace {
llvm::Expected<Array> evalEmbeddingOp(Interpreter &in, EmbeddingOp op) {
  const Array &ids = in.get(op.getIndices());
  const Array &table = in.get(op.getTable());
  int64_t rows = table.shape[0], width = table.shape[1];
  Array result{shapeOf(op), {}};
  result.data.reserve(ids.data.size() * width);
  for (double id : ids.data) {
    auto row = static_cast<int64_t>(id);
    if (row < 0 || row >= rows)
      return in.indexError(op, row, rows);
    result.data.insert(result.data.end(), table.data.begin() + row * width,
                       table.data.begin() + (row + 1) * width);
  }
  return result;
}

/// gather and index_select: `indexAt(flat, j)` gives the index for the
/// result element at row-major position `flat`, `j` along the axis.
llvm::Expected<Array>
lookupAlongAxis(Interpreter &in, Operation *op, int64_t axisAttr,
                llvm::function_ref<double(int64_t, int64_t)> indexAt) {
  const Array &input = in.get(op->getOperand(0));
  llvm::SmallVector<int64_t> shape = shapeOf(op->getResult(0));
  int64_t axis = normalizeAxis(axisAttr, shape.size());
  auto [outer, size, inner] = splitAtAxis(shape, axis);
  int64_t available = input.shape[axis];
  Array result{shape, std::vector<double>(countOf(shape))};
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t j = 0; j < size; ++j)
      for (int64_t i = 0; i < inner; ++i) {
        int64_t flat = (o * size + j) * inner + i;
        auto index = static_cast<int64_t>(indexAt(flat, j));
        if (index < 0 || index >= available)
          return in.indexError(op, index, available);
        result.data[flat] = input.data[(o * available + index) * inner + i];
      }
  return result;
}

llvm::Expected<Array> evalGatherOp(Interpreter &in, GatherOp op) {
  const Array &index = in.get(op.getIndex());
  // The result has the index's shape.
  return lookupAlongAxis(in, op, op.getAxis(), [&](int64_t flat, int64_t) {
    return index.data[flat];
  });
}

llvm::Expected<Array> evalIndexSelectOp(Interpreter &in, IndexSelectOp op) {
  const Array &index = in.get(op.getIndex());
  return lookupAlongAxis(in, op, op.getAxis(),
                         [&](int64_t, int64_t j) { return index.data[j]; });
}

/// scatter_add: every source element added at the position its index names
/// (none for an index out of range, as in the compiled code).
Array evalScatterAddOp(Interpreter &in, ScatterAddOp op) {
  Array result = in.get(op.getInput());
  const Array &index = in.get(op.getIndex());
  const Array &src = in.get(op.getSrc());
  int64_t axis = normalizeAxis(op.getAxis(), result.shape.size());
  auto [outer, size, inner] = splitAtAxis(index.shape, axis);
  int64_t available = result.shape[axis];
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t j = 0; j < size; ++j)
      for (int64_t i = 0; i < inner; ++i) {
        int64_t flat = (o * size + j) * inner + i;
        auto target = static_cast<int64_t>(index.data[flat]);
        if (target >= 0 && target < available)
          result.data[(o * available + target) * inner + i] += src.data[flat];
      }
  return result;
}

llvm::Error setOrFail(Interpreter &in, Value result,
                      llvm::Expected<Array> array) {
  if (!array)
    return array.takeError();
  return in.set(result, std::move(*array));
}
} // namespace

Evaluated interp::evaluateIndexing(Interpreter &in, Operation *op) {
  return llvm::TypeSwitch<Operation *, Evaluated>(op)
      .Case([&](EmbeddingOp op) {
        return setOrFail(in, op, evalEmbeddingOp(in, op));
      })
      .Case(
          [&](GatherOp op) { return setOrFail(in, op, evalGatherOp(in, op)); })
      .Case([&](IndexSelectOp op) {
        return setOrFail(in, op, evalIndexSelectOp(in, op));
      })
      .Case(
          [&](ScatterAddOp op) { return in.set(op, evalScatterAddOp(in, op)); })
      .Default([](Operation *) { return std::nullopt; });
}
