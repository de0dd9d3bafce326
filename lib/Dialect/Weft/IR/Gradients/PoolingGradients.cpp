//===- PoolingGradients.cpp - Rules of the poolings -----------------------===//
//
// A pooling of `[N, C, H, W]` is separable: each output row reads a set of
// input rows, each output column a set of input columns. The rules write
// those sets as constant matrices `[OH, H]` and `[OW, W]` and move the
// gradient back through them with matrix products: `Aᵀ · g · B`. Average
// poolings weight the sets; max pooling picks, for each offset in the
// window, the element at that offset (one 0/1 matrix pair per offset) and
// passes the gradient to the first offset that holds the window's maximum,
// as PyTorch does. Windows that tile the input (stride = kernel, no
// padding: LeNet's and most CNNs' poolings) need no products: the input
// viewed as `[N, C, OH, KH, OW, KW]` holds each window offset as a slice.
//
//===----------------------------------------------------------------------===//

#include "weft/Dialect/Weft/IR/WeftBuilder.h"

#include <cmath>

using namespace mlir;
using namespace mlir::weft;

namespace {
/// `[outputs, inputs]`: entry (o, i) is `weight(o, i)`.
Value windowMatrix(WeftBuilder &d, int64_t outputs, int64_t inputs, Value like,
                   llvm::function_ref<double(int64_t, int64_t)> weight) {
  llvm::SmallVector<double> values;
  for (int64_t o = 0; o < outputs; ++o)
    for (int64_t i = 0; i < inputs; ++i)
      values.push_back(weight(o, i));
  return d.constantMatrix(values, outputs, inputs, like);
}

/// `rowsᵀ · g · columns`: the gradient of `rows · x · columnsᵀ`.
Value throughWindows(WeftBuilder &d, Value g, Value rows, Value columns) {
  return d.matmul(d.matmul(d.transposeLastTwo(rows), g), columns);
}

/// Whether input position `i` is in the window of output `o`.
bool inWindow(int64_t o, int64_t i, int64_t kernel, int64_t stride,
              int64_t padding) {
  int64_t start = o * stride - padding;
  return i >= start && i < start + kernel;
}

/// Max pooling's gradient goes to the first offset, in the window's
/// row-major order, that holds the window's maximum `y`: `share(at)`, for
/// the next offset, whose elements are `at`, is the part of the gradient
/// `g` it takes.
class FirstMaximum {
public:
  FirstMaximum(WeftBuilder &d, Value y, Value g)
      : d(d), y(y), g(g), untaken(d.broadcast(d.constant(1, g), shapeOf(g))) {}

  Value share(Value at) {
    Value taken = d.where(d.compare(ComparePredicate::eq, at, y), untaken,
                          d.constant(0, g));
    untaken = d.sub(untaken, taken);
    return d.mul(g, taken);
  }

private:
  WeftBuilder &d;
  Value y, g;
  /// 1 where no earlier offset took the window's gradient.
  Value untaken;
};

/// `x` `[N, C, OH·KH, OW·KW]` padded with zero rows and columns at the end
/// to `[N, C, H, W]`.
Value padEnd(WeftBuilder &d, Value x, int64_t h, int64_t w) {
  for (auto [axis, size] : {std::pair<int64_t, int64_t>{2, h}, {3, w}}) {
    llvm::SmallVector<int64_t> missing(shapeOf(x));
    if (missing[axis] == size)
      continue;
    missing[axis] = size - missing[axis];
    x = d.concat({x, d.broadcast(d.constant(0, x), missing)}, axis);
  }
  return x;
}

/// The gradient of a max pooling whose `kernel`-sized windows tile `x`
/// (the stride is the kernel, no padding): each window offset (r, c) is
/// the slice at r and c of `x` viewed as `[N, C, OH, KH, OW, KW]`; the
/// gradients of the offsets, stacked, are that view of the result.
Value tiledMaxPoolGradient(WeftBuilder &d, Value x, Value y, Value g,
                           llvm::ArrayRef<int64_t> kernel) {
  llvm::ArrayRef<int64_t> in = shapeOf(x), out = shapeOf(g);
  int64_t n = out[0], channels = out[1], oh = out[2], ow = out[3];
  Value tiled = d.cropSpatial(x, oh * kernel[0], ow * kernel[1]);
  Value windows = d.reshape(tiled, {n, channels, oh, kernel[0], ow, kernel[1]});
  FirstMaximum first(d, y, g);
  llvm::SmallVector<Value> rows;
  for (int64_t r = 0; r < kernel[0]; ++r) {
    llvm::SmallVector<Value> columns;
    for (int64_t c = 0; c < kernel[1]; ++c) {
      Value at = d.slice(d.slice(windows, 5, c, c + 1, /*drop=*/true), 3, r,
                         r + 1, /*drop=*/true);
      columns.push_back(
          d.reshape(first.share(at), {n, channels, oh, ow, 1}));
    }
    rows.push_back(
        d.reshape(d.concat(columns, 4), {n, channels, oh, 1, ow, kernel[1]}));
  }
  return padEnd(d,
                d.reshape(d.concat(rows, 3),
                          {n, channels, oh * kernel[0], ow * kernel[1]}),
                in[2], in[3]);
}
} // namespace

llvm::SmallVector<Value> AvgPool2dOp::buildGradients(OpBuilder &b,
                                                     ValueRange gradients) {
  // Padding counts in the average (PyTorch's count_include_pad): every
  // window divides by the kernel's size.
  WeftBuilder d(b, getLoc());
  Value x = getInput(), g = gradients[0];
  llvm::ArrayRef<int64_t> in = shapeOf(x), out = shapeOf(g);
  llvm::ArrayRef<int64_t> kernel = getKernel(), stride = getStride(),
                          padding = getPadding();
  auto matrix = [&](int axis) {
    return windowMatrix(
        d, out[2 + axis], in[2 + axis], x, [&](int64_t o, int64_t i) {
          return inWindow(o, i, kernel[axis], stride[axis], padding[axis])
                     ? 1.0 / kernel[axis]
                     : 0.0;
        });
  };
  return {throughWindows(d, g, matrix(0), matrix(1))};
}

llvm::SmallVector<Value>
AdaptiveAvgPool2dOp::buildGradients(OpBuilder &b, ValueRange gradients) {
  // PyTorch's windows: output o covers [floor(o·I/O), ceil((o+1)·I/O)).
  WeftBuilder d(b, getLoc());
  Value x = getInput(), g = gradients[0];
  llvm::ArrayRef<int64_t> in = shapeOf(x), out = shapeOf(g);
  auto matrix = [&](int axis) {
    int64_t outputs = out[2 + axis], inputs = in[2 + axis];
    return windowMatrix(d, outputs, inputs, x, [&](int64_t o, int64_t i) {
      int64_t start = o * inputs / outputs;
      int64_t end = ((o + 1) * inputs + outputs - 1) / outputs;
      return i >= start && i < end ? 1.0 / (end - start) : 0.0;
    });
  };
  return {throughWindows(d, g, matrix(0), matrix(1))};
}

llvm::SmallVector<Value> MaxPool2dOp::buildGradients(OpBuilder &b,
                                                     ValueRange gradients) {
  WeftBuilder d(b, getLoc());
  Value x = getInput(), y = getResult(), g = gradients[0];
  llvm::ArrayRef<int64_t> in = shapeOf(x), out = shapeOf(g);
  llvm::ArrayRef<int64_t> kernel = getKernel(), stride = getStride(),
                          padding = getPadding();
  if (kernel == stride &&
      llvm::all_of(padding, [](int64_t p) { return p == 0; }))
    return {tiledMaxPoolGradient(d, x, y, g, kernel)};
  // The matrix picking, for each output position along `axis`, the input
  // at window offset `offset` (a zero row where that is padding).
  auto pick = [&](int axis, int64_t offset) {
    return windowMatrix(
        d, out[2 + axis], in[2 + axis], x, [&](int64_t o, int64_t i) {
          return i == o * stride[axis] - padding[axis] + offset ? 1.0 : 0.0;
        });
  };
  // -inf where the offset falls in the padding, which max pooling pads
  // with -inf; 0 elsewhere.
  auto padded = [&](int64_t rowOffset, int64_t columnOffset) {
    return windowMatrix(d, out[2], out[3], x, [&](int64_t r, int64_t c) {
      int64_t row = r * stride[0] - padding[0] + rowOffset;
      int64_t column = c * stride[1] - padding[1] + columnOffset;
      bool inside = row >= 0 && row < in[2] && column >= 0 && column < in[3];
      return inside ? 0.0 : -INFINITY;
    });
  };
  FirstMaximum first(d, y, g);
  Value result;
  for (int64_t r = 0; r < kernel[0]; ++r)
    for (int64_t c = 0; c < kernel[1]; ++c) {
      Value rows = pick(0, r), columns = pick(1, c);
      Value at = d.add(d.matmul(d.matmul(rows, x), d.transposeLastTwo(columns)),
                       padded(r, c));
      Value share = throughWindows(d, first.share(at), rows, columns);
      result = result ? d.add(result, share) : share;
    }
  return {result};
}
