//===- Convolution.cpp - Interpreting convolutions and pooling ------------===//

#include "Interpreter.h"

#include <cmath>

using namespace mlir;
using namespace mlir::weft;
using namespace mlir::weft::interp;

namespace {
Array evalConv2dOp(Interpreter &in, Conv2dOp op) {
  const Array &x = in.get(op.getInput()), &w = in.get(op.getWeight());
  const Array *bias = op.getBias() ? &in.get(op.getBias()) : nullptr;
  llvm::ArrayRef<int64_t> stride = op.getStride(), padding = op.getPadding(),
                          dilation = op.getDilation();
  int64_t groups = static_cast<int64_t>(op.getGroups());
  int64_t n = x.shape[0], c = x.shape[1], h = x.shape[2], wd = x.shape[3];
  int64_t o = w.shape[0], cg = w.shape[1], kh = w.shape[2], kw = w.shape[3];
  llvm::SmallVector<int64_t> shape = shapeOf(op);
  int64_t oh = shape[2], ow = shape[3], og = o / groups;
  Array result{shape, std::vector<double>(countOf(shape))};
  for (int64_t b = 0; b < n; ++b)
    for (int64_t oc = 0; oc < o; ++oc)
      for (int64_t y = 0; y < oh; ++y)
        for (int64_t xo = 0; xo < ow; ++xo) {
          double acc = bias ? bias->data[oc] : 0.0;
          for (int64_t ic = 0; ic < cg; ++ic) {
            int64_t channel = (oc / og) * cg + ic;
            for (int64_t i = 0; i < kh; ++i)
              for (int64_t j = 0; j < kw; ++j) {
                int64_t iy = y * stride[0] - padding[0] + i * dilation[0];
                int64_t ix = xo * stride[1] - padding[1] + j * dilation[1];
                if (iy < 0 || iy >= h || ix < 0 || ix >= wd)
                  continue;
                acc += x.data[((b * c + channel) * h + iy) * wd + ix] *
                       w.data[((oc * cg + ic) * kh + i) * kw + j];
              }
          }
          result.data[((b * o + oc) * oh + y) * ow + xo] = acc;
        }
  return result;
}

Array evalConvTranspose2dOp(Interpreter &in, ConvTranspose2dOp op) {
  const Array &x = in.get(op.getInput()), &w = in.get(op.getWeight());
  const Array *bias = op.getBias() ? &in.get(op.getBias()) : nullptr;
  llvm::ArrayRef<int64_t> stride = op.getStride(), padding = op.getPadding(),
                          dilation = op.getDilation();
  int64_t n = x.shape[0], c = x.shape[1], h = x.shape[2], wd = x.shape[3];
  int64_t o = w.shape[1], kh = w.shape[2], kw = w.shape[3];
  llvm::SmallVector<int64_t> shape = shapeOf(op);
  int64_t oh = shape[2], ow = shape[3];
  Array result{shape, std::vector<double>(countOf(shape))};
  for (int64_t b = 0; b < n; ++b)
    for (int64_t oc = 0; oc < o; ++oc)
      for (int64_t p = 0; p < oh * ow; ++p)
        result.data[(b * o + oc) * oh * ow + p] = bias ? bias->data[oc] : 0.0;
  // Each input pixel scatters the kernel into the output.
  for (int64_t b = 0; b < n; ++b)
    for (int64_t ic = 0; ic < c; ++ic)
      for (int64_t iy = 0; iy < h; ++iy)
        for (int64_t ix = 0; ix < wd; ++ix) {
          double v = x.data[((b * c + ic) * h + iy) * wd + ix];
          for (int64_t oc = 0; oc < o; ++oc)
            for (int64_t i = 0; i < kh; ++i)
              for (int64_t j = 0; j < kw; ++j) {
                int64_t y = iy * stride[0] - padding[0] + i * dilation[0];
                int64_t xo = ix * stride[1] - padding[1] + j * dilation[1];
                if (y < 0 || y >= oh || xo < 0 || xo >= ow)
                  continue;
                result.data[((b * o + oc) * oh + y) * ow + xo] +=
                    v * w.data[((ic * o + oc) * kh + i) * kw + j];
              }
        }
  return result;
}

/// Max or average pooling over windows of `kernel`.
Array pool2d(Interpreter &in, Operation *op, llvm::ArrayRef<int64_t> kernel,
             llvm::ArrayRef<int64_t> stride, llvm::ArrayRef<int64_t> padding,
             bool max) {
  const Array &x = in.get(op->getOperand(0));
  int64_t planes = x.shape[0] * x.shape[1], h = x.shape[2], w = x.shape[3];
  llvm::SmallVector<int64_t> shape = shapeOf(op->getResult(0));
  int64_t oh = shape[2], ow = shape[3];
  Array result{shape, std::vector<double>(countOf(shape))};
  for (int64_t p = 0; p < planes; ++p)
    for (int64_t y = 0; y < oh; ++y)
      for (int64_t xo = 0; xo < ow; ++xo) {
        // Padding holds -inf for max and zeros, counted, for the average.
        double acc = max ? -INFINITY : 0.0;
        for (int64_t i = 0; i < kernel[0]; ++i)
          for (int64_t j = 0; j < kernel[1]; ++j) {
            int64_t iy = y * stride[0] - padding[0] + i;
            int64_t ix = xo * stride[1] - padding[1] + j;
            if (iy < 0 || iy >= h || ix < 0 || ix >= w)
              continue;
            double v = x.data[(p * h + iy) * w + ix];
            acc = max ? std::max(acc, v) : acc + v;
          }
        result.data[(p * oh + y) * ow + xo] =
            max ? acc : acc / double(kernel[0] * kernel[1]);
      }
  return result;
}

Array evalMaxPool2dOp(Interpreter &in, MaxPool2dOp op) {
  return pool2d(in, op, op.getKernel(), op.getStride(), op.getPadding(),
                /*max=*/true);
}

Array evalAvgPool2dOp(Interpreter &in, AvgPool2dOp op) {
  return pool2d(in, op, op.getKernel(), op.getStride(), op.getPadding(),
                /*max=*/false);
}

Array evalAdaptiveAvgPool2dOp(Interpreter &in, AdaptiveAvgPool2dOp op) {
  const Array &x = in.get(op.getInput());
  int64_t planes = x.shape[0] * x.shape[1], h = x.shape[2], w = x.shape[3];
  llvm::SmallVector<int64_t> shape = shapeOf(op);
  int64_t oh = shape[2], ow = shape[3];
  Array result{shape, std::vector<double>(countOf(shape))};
  for (int64_t p = 0; p < planes; ++p)
    for (int64_t y = 0; y < oh; ++y)
      for (int64_t xo = 0; xo < ow; ++xo) {
        int64_t y0 = y * h / oh, y1 = ((y + 1) * h + oh - 1) / oh;
        int64_t x0 = xo * w / ow, x1 = ((xo + 1) * w + ow - 1) / ow;
        double sum = 0;
        for (int64_t i = y0; i < y1; ++i)
          for (int64_t j = x0; j < x1; ++j)
            sum += x.data[(p * h + i) * w + j];
        result.data[(p * oh + y) * ow + xo] =
            sum / double((y1 - y0) * (x1 - x0));
      }
  return result;
}
} // namespace

Evaluated interp::evaluateConvolution(Interpreter &in, Operation *op) {
  return llvm::TypeSwitch<Operation *, Evaluated>(op)
      .Case([&](Conv2dOp op) { return in.set(op, evalConv2dOp(in, op)); })
      .Case([&](ConvTranspose2dOp op) {
        return in.set(op, evalConvTranspose2dOp(in, op));
      })
      .Case([&](MaxPool2dOp op) { return in.set(op, evalMaxPool2dOp(in, op)); })
      .Case([&](AvgPool2dOp op) { return in.set(op, evalAvgPool2dOp(in, op)); })
      .Case([&](AdaptiveAvgPool2dOp op) {
        return in.set(op, evalAdaptiveAvgPool2dOp(in, op));
      })
      .Default([](Operation *) { return std::nullopt; });
}
