//===- Interpreter.cpp - Reference interpreter of the weft dialect --------===//

#include "weft/Execution/Interpreter.h"
#include "weft/Dialect/Weft/IR/WeftOps.h"
#include "weft/Execution/ElementTypes.h"
#include "weft/Execution/SourceLocation.h"
#include "weft/Runtime/Random.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/TypeSwitch.h"
#include <algorithm>
#include <array>
#include <cmath>

using namespace mlir;
using namespace mlir::weft;

namespace {
/// A value during interpretation: a row-major float64 array.
struct Array {
  llvm::SmallVector<int64_t> shape;
  std::vector<double> data;
};

llvm::SmallVector<int64_t> stridesOf(llvm::ArrayRef<int64_t> shape) {
  llvm::SmallVector<int64_t> strides(shape.size(), 1);
  for (int64_t i = static_cast<int64_t>(shape.size()) - 2; i >= 0; --i)
    strides[i] = strides[i + 1] * shape[i + 1];
  return strides;
}

int64_t countOf(llvm::ArrayRef<int64_t> shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

/// Strides for reading `operand` at the indices of `result` under NumPy
/// broadcasting (0 along stretched or missing dimensions).
llvm::SmallVector<int64_t> broadcastStrides(llvm::ArrayRef<int64_t> operand,
                                            llvm::ArrayRef<int64_t> result) {
  llvm::SmallVector<int64_t> own = stridesOf(operand);
  llvm::SmallVector<int64_t> strides(result.size(), 0);
  int64_t offset = result.size() - operand.size();
  for (size_t i = 0; i < operand.size(); ++i)
    strides[i + offset] = operand[i] == 1 ? 0 : own[i];
  return strides;
}

/// Calls `body(index, operandOffsets)` for each element of `shape`.
void forEachIndex(
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

/// Booleans (i1) are 0 and 1; wider integers are signed.
double integerValue(const APInt &value) {
  return value.getBitWidth() == 1 ? double(value.getZExtValue())
                                  : double(value.getSExtValue());
}

llvm::SmallVector<int64_t> shapeOf(Value value) {
  return llvm::to_vector(cast<RankedTensorType>(value.getType()).getShape());
}

class Interpreter {
public:
  explicit Interpreter(const TensorMap &params) : params(params) {}

  llvm::Expected<Tensor> run(func::FuncOp func,
                             llvm::ArrayRef<const Tensor *> inputs);

private:
  llvm::Error fail(Operation *op, const llvm::Twine &message) {
    return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                   "interpreter: " + message + " at " +
                                       formatSourceLocation(op->getLoc()));
  }
  /// The message the compiled code gives for the same index.
  llvm::Error indexError(Operation *op, int64_t index, int64_t size) {
    return fail(op, "index " + llvm::Twine(index) + " is outside [0, " +
                        llvm::Twine(size) + ") in '" +
                        op->getName().stripDialect() + "'");
  }
  llvm::Error step(Operation *op);

  /// Applies `f` to the elements of the (one to three) broadcast operands.
  Array elementwise(Operation *op,
                    llvm::function_ref<double(double, double, double)> f);
  Array reduce(Operation *op, std::optional<llvm::ArrayRef<int64_t>> axes,
               double identity, double (*combine)(double, double),
               bool average);
  Array softmax(Operation *op, int64_t axis, bool log);
  Array batchNorm(BatchNormOp op);
  Array layerNorm(LayerNormOp op);
  Array conv2d(Conv2dOp op);
  Array convTranspose2d(ConvTranspose2dOp op);
  Array pool2d(Operation *op, llvm::ArrayRef<int64_t> kernel,
               llvm::ArrayRef<int64_t> stride, llvm::ArrayRef<int64_t> padding,
               bool max);
  Array adaptiveAvgPool2d(AdaptiveAvgPool2dOp op);
  /// concat and stack: per outer index, each input's block in turn.
  Array join(Operation *op, int64_t axis);
  /// gather and index_select: `indexAt(flat, j)` gives the index for the
  /// result element at row-major position `flat`, `j` along the axis.
  llvm::Expected<Array>
  lookupAlongAxis(Operation *op, int64_t axisAttr,
                  llvm::function_ref<double(int64_t, int64_t)> indexAt);
  void topk(TopKOp op);
  Array scan(Operation *op, int64_t axisAttr, bool product);

  const TensorMap &params;
  llvm::DenseMap<Value, Array> values;
};

llvm::Expected<Tensor> Interpreter::run(func::FuncOp func,
                                        llvm::ArrayRef<const Tensor *> inputs) {
  if (func.getNumArguments() != inputs.size())
    return llvm::createStringError(
        "interpreter: " + func.getSymName() + " takes " +
        llvm::Twine(func.getNumArguments()) + " inputs, got " +
        llvm::Twine(inputs.size()));
  for (auto [arg, tensor] : llvm::zip(func.getArguments(), inputs)) {
    Array array{llvm::to_vector(tensor->shape()), {}};
    for (int64_t i = 0, e = tensor->numElements(); i < e; ++i)
      array.data.push_back(tensor->get(i));
    values[arg] = std::move(array);
  }
  for (Operation &op : func.getBody().front()) {
    if (auto ret = dyn_cast<func::ReturnOp>(op)) {
      Value result = ret.getOperand(0);
      const Array &array = values[result];
      auto type = cast<RankedTensorType>(result.getType());
      Tensor tensor(dtypeOf(type.getElementType()), array.shape);
      for (size_t i = 0; i < array.data.size(); ++i)
        tensor.set(i, array.data[i]);
      return tensor;
    }
    if (llvm::Error error = step(&op))
      return std::move(error);
  }
  return llvm::createStringError("interpreter: function has no return");
}

Array Interpreter::elementwise(
    Operation *op, llvm::function_ref<double(double, double, double)> f) {
  llvm::SmallVector<int64_t> shape = shapeOf(op->getResult(0));
  llvm::SmallVector<llvm::SmallVector<int64_t>> strides;
  llvm::SmallVector<const Array *> operands;
  for (Value operand : op->getOperands()) {
    operands.push_back(&values[operand]);
    strides.push_back(broadcastStrides(operands.back()->shape, shape));
  }
  Array result{shape, std::vector<double>(countOf(shape))};
  forEachIndex(shape, strides, [&](int64_t flat, llvm::ArrayRef<int64_t> off) {
    double a = operands[0]->data[off[0]];
    double b = operands.size() > 1 ? operands[1]->data[off[1]] : 0.0;
    double c = operands.size() > 2 ? operands[2]->data[off[2]] : 0.0;
    result.data[flat] = f(a, b, c);
  });
  return result;
}

Array Interpreter::reduce(Operation *op,
                          std::optional<llvm::ArrayRef<int64_t>> axesAttr,
                          double identity, double (*combine)(double, double),
                          bool average) {
  const Array &input = values[op->getOperand(0)];
  int64_t rank = input.shape.size();
  llvm::SmallVector<int64_t> all = llvm::to_vector(llvm::seq<int64_t>(0, rank));
  llvm::SmallVector<int64_t> axes =
      *normalizeAxes(axesAttr ? *axesAttr : llvm::ArrayRef(all), rank);
  // Accumulate into an array shaped like the input with reduced axes of
  // size 1; its element count equals the result's.
  llvm::SmallVector<int64_t> kept(input.shape);
  int64_t count = 1;
  for (int64_t axis : axes) {
    count *= kept[axis];
    kept[axis] = 1;
  }
  Array result{shapeOf(op->getResult(0)),
               std::vector<double>(countOf(kept), identity)};
  llvm::SmallVector<int64_t> keptStrides = stridesOf(kept);
  for (int64_t axis : axes)
    keptStrides[axis] = 0;
  llvm::SmallVector<llvm::SmallVector<int64_t>> strides = {keptStrides};
  forEachIndex(
      input.shape, strides, [&](int64_t flat, llvm::ArrayRef<int64_t> off) {
        result.data[off[0]] = combine(result.data[off[0]], input.data[flat]);
      });
  if (average)
    for (double &v : result.data)
      v /= count;
  return result;
}

Array Interpreter::softmax(Operation *op, int64_t axisAttr, bool log) {
  const Array &input = values[op->getOperand(0)];
  int64_t rank = input.shape.size();
  int64_t axis = (*normalizeAxes({axisAttr}, rank))[0];
  int64_t outer = countOf(llvm::ArrayRef(input.shape).take_front(axis));
  int64_t size = input.shape[axis];
  int64_t inner = countOf(llvm::ArrayRef(input.shape).drop_front(axis + 1));
  Array result{input.shape, std::vector<double>(input.data.size())};
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t j = 0; j < inner; ++j) {
      auto at = [&](int64_t i) { return (o * size + i) * inner + j; };
      double max = -INFINITY, sum = 0;
      for (int64_t i = 0; i < size; ++i)
        max = std::max(max, input.data[at(i)]);
      for (int64_t i = 0; i < size; ++i)
        sum += std::exp(input.data[at(i)] - max);
      for (int64_t i = 0; i < size; ++i) {
        double shifted = input.data[at(i)] - max;
        result.data[at(i)] =
            log ? shifted - std::log(sum) : std::exp(shifted) / sum;
      }
    }
  return result;
}

Array Interpreter::batchNorm(BatchNormOp op) {
  const Array &x = values[op.getInput()];
  const Array &weight = values[op.getWeight()], &bias = values[op.getBias()];
  const Array &mean = values[op.getMean()], &var = values[op.getVar()];
  double eps = op.getEps().convertToDouble();
  int64_t channels = x.shape[1];
  int64_t inner = countOf(llvm::ArrayRef(x.shape).drop_front(2));
  Array result{x.shape, std::vector<double>(x.data.size())};
  for (size_t i = 0; i < x.data.size(); ++i) {
    int64_t c = (i / inner) % channels;
    result.data[i] = (x.data[i] - mean.data[c]) / std::sqrt(var.data[c] + eps) *
                         weight.data[c] +
                     bias.data[c];
  }
  return result;
}

Array Interpreter::layerNorm(LayerNormOp op) {
  const Array &x = values[op.getInput()];
  const Array &weight = values[op.getWeight()], &bias = values[op.getBias()];
  double eps = op.getEps().convertToDouble();
  int64_t dims = static_cast<int64_t>(op.getDims());
  int64_t group = countOf(llvm::ArrayRef(x.shape).take_back(dims));
  Array result{x.shape, std::vector<double>(x.data.size())};
  for (size_t start = 0; start < x.data.size(); start += group) {
    double mean = 0, var = 0;
    for (int64_t i = 0; i < group; ++i)
      mean += x.data[start + i];
    mean /= group;
    for (int64_t i = 0; i < group; ++i)
      var += (x.data[start + i] - mean) * (x.data[start + i] - mean);
    var /= group;
    for (int64_t i = 0; i < group; ++i)
      result.data[start + i] =
          (x.data[start + i] - mean) / std::sqrt(var + eps) * weight.data[i] +
          bias.data[i];
  }
  return result;
}

Array Interpreter::conv2d(Conv2dOp op) {
  const Array &x = values[op.getInput()], &w = values[op.getWeight()];
  const Array *bias = op.getBias() ? &values[op.getBias()] : nullptr;
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

Array Interpreter::convTranspose2d(ConvTranspose2dOp op) {
  const Array &x = values[op.getInput()], &w = values[op.getWeight()];
  const Array *bias = op.getBias() ? &values[op.getBias()] : nullptr;
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

Array Interpreter::pool2d(Operation *op, llvm::ArrayRef<int64_t> kernel,
                          llvm::ArrayRef<int64_t> stride,
                          llvm::ArrayRef<int64_t> padding, bool max) {
  const Array &x = values[op->getOperand(0)];
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

Array Interpreter::adaptiveAvgPool2d(AdaptiveAvgPool2dOp op) {
  const Array &x = values[op.getInput()];
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

Array Interpreter::join(Operation *op, int64_t axisAttr) {
  llvm::SmallVector<int64_t> shape = shapeOf(op->getResult(0));
  int64_t axis = (*normalizeAxes({axisAttr}, shape.size()))[0];
  int64_t outer = countOf(llvm::ArrayRef(shape).take_front(axis));
  int64_t rowLength = countOf(llvm::ArrayRef(shape).drop_front(axis));
  Array result{shape, std::vector<double>(countOf(shape))};
  int64_t offset = 0;
  for (Value input : op->getOperands()) {
    const Array &in = values[input];
    int64_t block = in.data.size() / outer;
    for (int64_t o = 0; o < outer; ++o)
      std::copy_n(in.data.begin() + o * block, block,
                  result.data.begin() + o * rowLength + offset);
    offset += block;
  }
  return result;
}

/// Splits `shape` at `axis` into the element counts before it, along it
/// and after it.
std::array<int64_t, 3> splitAtAxis(llvm::ArrayRef<int64_t> shape,
                                   int64_t axis) {
  return {countOf(shape.take_front(axis)), shape[axis],
          countOf(shape.drop_front(axis + 1))};
}

llvm::Expected<Array> Interpreter::lookupAlongAxis(
    Operation *op, int64_t axisAttr,
    llvm::function_ref<double(int64_t, int64_t)> indexAt) {
  const Array &input = values[op->getOperand(0)];
  llvm::SmallVector<int64_t> shape = shapeOf(op->getResult(0));
  int64_t axis = (*normalizeAxes({axisAttr}, shape.size()))[0];
  auto [outer, size, inner] = splitAtAxis(shape, axis);
  int64_t available = input.shape[axis];
  Array result{shape, std::vector<double>(countOf(shape))};
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t j = 0; j < size; ++j)
      for (int64_t i = 0; i < inner; ++i) {
        int64_t flat = (o * size + j) * inner + i;
        auto index = static_cast<int64_t>(indexAt(flat, j));
        if (index < 0 || index >= available)
          return indexError(op, index, available);
        result.data[flat] = input.data[(o * available + index) * inner + i];
      }
  return result;
}

void Interpreter::topk(TopKOp op) {
  const Array &input = values[op.getInput()];
  int64_t axis = (*normalizeAxes({static_cast<int64_t>(op.getAxis())},
                                 input.shape.size()))[0];
  auto [outer, size, inner] = splitAtAxis(input.shape, axis);
  int64_t k = op.getK();
  Array top{shapeOf(op.getValues()), std::vector<double>(outer * k * inner)};
  Array positions{top.shape, top.data};
  std::vector<int64_t> order(size);
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t i = 0; i < inner; ++i) {
      auto at = [&](int64_t j) {
        return input.data[(o * size + j) * inner + i];
      };
      for (int64_t j = 0; j < size; ++j)
        order[j] = j;
      // Descending; equal elements keep their order.
      std::stable_sort(order.begin(), order.end(),
                       [&](int64_t a, int64_t b) { return at(a) > at(b); });
      for (int64_t p = 0; p < k; ++p) {
        top.data[(o * k + p) * inner + i] = at(order[p]);
        positions.data[(o * k + p) * inner + i] = order[p];
      }
    }
  values[op.getValues()] = std::move(top);
  values[op.getIndices()] = std::move(positions);
}

Array Interpreter::scan(Operation *op, int64_t axisAttr, bool product) {
  const Array &input = values[op->getOperand(0)];
  int64_t axis = (*normalizeAxes({axisAttr}, input.shape.size()))[0];
  auto [outer, size, inner] = splitAtAxis(input.shape, axis);
  Array result{input.shape, input.data};
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t j = 1; j < size; ++j)
      for (int64_t i = 0; i < inner; ++i) {
        double &x = result.data[(o * size + j) * inner + i];
        double previous = result.data[(o * size + j - 1) * inner + i];
        x = product ? previous * x : previous + x;
      }
  return result;
}

llvm::Error Interpreter::step(Operation *op) {
  auto set = [&](Array array) {
    values[op->getResult(0)] = std::move(array);
    return llvm::Error::success();
  };
  auto unary = [&](double (*f)(double)) {
    return set(elementwise(op, [f](double a, double, double) { return f(a); }));
  };
  auto binary = [&](double (*f)(double, double)) {
    return set(
        elementwise(op, [f](double a, double b, double) { return f(a, b); }));
  };
  return llvm::TypeSwitch<Operation *, llvm::Error>(op)
      .Case([&](ParamOp param) -> llvm::Error {
        auto it = params.find(param.getName().str());
        if (it == params.end())
          return fail(op, "no value for parameter '" + param.getName() + "'");
        const Tensor &t = it->second;
        Array array{llvm::to_vector(t.shape()), {}};
        for (int64_t i = 0, e = t.numElements(); i < e; ++i)
          array.data.push_back(t.get(i));
        return set(std::move(array));
      })
      .Case([&](ConstantOp constant) {
        auto attr = cast<DenseElementsAttr>(constant.getValue());
        Array array{shapeOf(constant), {}};
        int64_t count = countOf(array.shape);
        bool isFloat = isa<FloatType>(attr.getElementType());
        for (int64_t i = 0; i < count; ++i) {
          int64_t at = attr.isSplat() ? 0 : i;
          array.data.push_back(
              isFloat ? attr.getValues<APFloat>()[at].convertToDouble()
                      : integerValue(attr.getValues<APInt>()[at]));
        }
        return set(std::move(array));
      })
      .Case([&](CastOp cast) { return set(values[cast.getInput()]); })
      .Case([&](RandomOp random) {
        Array array{shapeOf(random), {}};
        auto seed = static_cast<uint64_t>(random.getSeed());
        auto key = static_cast<uint64_t>(random.getKey());
        bool f32 = getElementTypeOrSelf(random.getType()).isF32();
        for (int64_t i = 0, e = countOf(array.shape); i < e; ++i)
          array.data.push_back(random.getDistribution() == Distribution::normal
                                   ? counter::normal(seed, key, i)
                                   : counter::uniform(seed, key, i, f32));
        return set(std::move(array));
      })
      .Case([&](NegOp) { return unary([](double a) { return -a; }); })
      .Case([&](ReluOp) {
        return unary([](double a) { return a > 0 ? a : 0.0; });
      })
      .Case([&](SigmoidOp) {
        return unary([](double a) { return 1.0 / (1.0 + std::exp(-a)); });
      })
      .Case(
          [&](TanhOp) { return unary([](double a) { return std::tanh(a); }); })
      .Case([&](ExpOp) { return unary([](double a) { return std::exp(a); }); })
      .Case(
          [&](SqrtOp) { return unary([](double a) { return std::sqrt(a); }); })
      .Case([&](SinOp) { return unary([](double a) { return std::sin(a); }); })
      .Case([&](CosOp) { return unary([](double a) { return std::cos(a); }); })
      .Case([&](GeluOp) {
        return unary(
            [](double a) { return 0.5 * a * (1 + std::erf(a * M_SQRT1_2)); });
      })
      .Case([&](SiluOp) {
        return unary([](double a) { return a / (1.0 + std::exp(-a)); });
      })
      .Case([&](AttentionOp attention) {
        const Array &q = values[attention.getQuery()];
        const Array &k = values[attention.getKey()];
        const Array &v = values[attention.getValue()];
        int64_t tq = q.shape.end()[-2], d = q.shape.back();
        int64_t tk = k.shape.end()[-2], dv = v.shape.back();
        int64_t batches = countOf(llvm::ArrayRef(q.shape).drop_back(2));
        double scale = attention.getScale()
                           ? attention.getScale()->convertToDouble()
                           : 1.0 / std::sqrt(double(d));
        // The mask's offset for each score, broadcast to [..., Tq, Tk].
        std::vector<double> visibleMask;
        if (Value mask = attention.getMask()) {
          llvm::SmallVector<int64_t> scores(q.shape);
          scores.back() = tk;
          const Array &m = values[mask];
          llvm::SmallVector<llvm::SmallVector<int64_t>> strides = {
              broadcastStrides(m.shape, scores)};
          visibleMask.resize(countOf(scores));
          forEachIndex(scores, strides,
                       [&](int64_t flat, llvm::ArrayRef<int64_t> off) {
                         visibleMask[flat] = m.data[off[0]];
                       });
        }
        Array result{shapeOf(attention),
                     std::vector<double>(batches * tq * dv, 0.0)};
        std::vector<double> weights(tk);
        for (int64_t b = 0; b < batches; ++b)
          for (int64_t i = 0; i < tq; ++i) {
            // Positions after i are masked out of causal attention.
            int64_t visible = attention.getCausal() ? std::min(i + 1, tk) : tk;
            double max = -INFINITY, sum = 0;
            for (int64_t j = 0; j < visible; ++j) {
              double s = 0;
              for (int64_t c = 0; c < d; ++c)
                s +=
                    q.data[(b * tq + i) * d + c] * k.data[(b * tk + j) * d + c];
              bool hidden = !visibleMask.empty() &&
                            visibleMask[(b * tq + i) * tk + j] == 0;
              weights[j] = hidden ? -INFINITY : s * scale;
              max = std::max(max, weights[j]);
            }
            for (int64_t j = 0; j < visible; ++j)
              sum += weights[j] = std::exp(weights[j] - max);
            for (int64_t j = 0; j < visible; ++j)
              for (int64_t c = 0; c < dv; ++c)
                result.data[(b * tq + i) * dv + c] +=
                    weights[j] / sum * v.data[(b * tk + j) * dv + c];
          }
        return set(std::move(result));
      })
      .Case([&](EmbeddingOp embedding) -> llvm::Error {
        const Array &ids = values[embedding.getIndices()];
        const Array &table = values[embedding.getTable()];
        int64_t rows = table.shape[0], width = table.shape[1];
        Array result{shapeOf(embedding), {}};
        result.data.reserve(ids.data.size() * width);
        for (double id : ids.data) {
          auto row = static_cast<int64_t>(id);
          if (row < 0 || row >= rows)
            return indexError(op, row, rows);
          result.data.insert(result.data.end(),
                             table.data.begin() + row * width,
                             table.data.begin() + (row + 1) * width);
        }
        return set(std::move(result));
      })
      .Case([&](LayerNormOp ln) { return set(layerNorm(ln)); })
      .Case([&](LogOp) { return unary([](double a) { return std::log(a); }); })
      .Case([&](AddOp) {
        return binary([](double a, double b) { return a + b; });
      })
      .Case([&](SubOp) {
        return binary([](double a, double b) { return a - b; });
      })
      .Case([&](MulOp) {
        return binary([](double a, double b) { return a * b; });
      })
      .Case([&](DivOp) {
        return binary([](double a, double b) { return a / b; });
      })
      .Case([&](PowOp) {
        return binary([](double a, double b) { return std::pow(a, b); });
      })
      .Case([&](BroadcastOp) { return unary([](double a) { return a; }); })
      .Case([&](MatmulOp matmul) {
        const Array &a = values[matmul.getLhs()], &b = values[matmul.getRhs()];
        llvm::SmallVector<int64_t> shape = shapeOf(matmul);
        int64_t m = a.shape.end()[-2], k = a.shape.back(), n = b.shape.back();
        llvm::ArrayRef<int64_t> batch = llvm::ArrayRef(shape).drop_back(2);
        // Matrix offsets of each operand per batch index, broadcast.
        llvm::SmallVector<llvm::SmallVector<int64_t>> strides = {
            broadcastStrides(llvm::ArrayRef(a.shape).drop_back(2), batch),
            broadcastStrides(llvm::ArrayRef(b.shape).drop_back(2), batch)};
        Array result{shape, std::vector<double>(countOf(shape), 0.0)};
        forEachIndex(batch, strides,
                     [&](int64_t flat, llvm::ArrayRef<int64_t> off) {
                       const double *x = &a.data[off[0] * m * k];
                       const double *y = &b.data[off[1] * k * n];
                       double *z = &result.data[flat * m * n];
                       for (int64_t i = 0; i < m; ++i)
                         for (int64_t p = 0; p < k; ++p)
                           for (int64_t j = 0; j < n; ++j)
                             z[i * n + j] += x[i * k + p] * y[p * n + j];
                     });
        return set(std::move(result));
      })
      .Case([&](LinearOp linear) {
        const Array &x = values[linear.getInput()];
        const Array &w = values[linear.getWeight()];
        const Array *bias =
            linear.getBias() ? &values[linear.getBias()] : nullptr;
        int64_t k = x.shape.back(), n = w.shape[0];
        int64_t rows = countOf(x.shape) / k;
        Array result{shapeOf(linear), std::vector<double>(rows * n)};
        for (int64_t r = 0; r < rows; ++r)
          for (int64_t j = 0; j < n; ++j) {
            double acc = bias ? bias->data[j] : 0.0;
            for (int64_t p = 0; p < k; ++p)
              acc += x.data[r * k + p] * w.data[j * k + p];
            result.data[r * n + j] = acc;
          }
        return set(std::move(result));
      })
      .Case([&](SumOp sum) {
        return set(reduce(
            op, sum.getAxes(), 0.0, [](double a, double b) { return a + b; },
            false));
      })
      .Case([&](MeanOp mean) {
        return set(reduce(
            op, mean.getAxes(), 0.0, [](double a, double b) { return a + b; },
            true));
      })
      .Case([&](MaxOp max) {
        return set(reduce(
            op, max.getAxes(), -INFINITY,
            [](double a, double b) { return std::isnan(a) || a > b ? a : b; },
            false));
      })
      .Case([&](ArgmaxOp argmax) {
        const Array &input = values[argmax.getInput()];
        int64_t rank = input.shape.size();
        int64_t axis =
            (*normalizeAxes({static_cast<int64_t>(argmax.getAxis())}, rank))[0];
        int64_t outer = countOf(llvm::ArrayRef(input.shape).take_front(axis));
        int64_t inner =
            countOf(llvm::ArrayRef(input.shape).drop_front(axis + 1));
        int64_t size = input.shape[axis];
        Array result{shapeOf(argmax), std::vector<double>(outer * inner)};
        for (int64_t o = 0; o < outer; ++o)
          for (int64_t j = 0; j < inner; ++j) {
            int64_t best = 0;
            for (int64_t i = 1; i < size; ++i)
              if (input.data[(o * size + i) * inner + j] >
                  input.data[(o * size + best) * inner + j])
                best = i;
            result.data[o * inner + j] = best;
          }
        return set(std::move(result));
      })
      .Case([&](UpsampleNearestOp upsample) {
        const Array &input = values[upsample.getInput()];
        llvm::SmallVector<int64_t> shape = shapeOf(upsample);
        llvm::ArrayRef<int64_t> scale = upsample.getScale();
        int64_t planes = shape[0] * shape[1], h = input.shape[2],
                w = input.shape[3], oh = shape[2], ow = shape[3];
        Array result{shape, std::vector<double>(countOf(shape))};
        for (int64_t p = 0; p < planes; ++p)
          for (int64_t y = 0; y < oh; ++y)
            for (int64_t x = 0; x < ow; ++x)
              result.data[(p * oh + y) * ow + x] =
                  input.data[(p * h + y / scale[0]) * w + x / scale[1]];
        return set(std::move(result));
      })
      .Case([&](SliceOp slice) {
        const Array &input = values[slice.getInput()];
        int64_t rank = input.shape.size();
        int64_t axis =
            (*normalizeAxes({static_cast<int64_t>(slice.getAxis())}, rank))[0];
        int64_t start = static_cast<int64_t>(slice.getStart());
        int64_t end = static_cast<int64_t>(slice.getEnd());
        auto [outer, size, inner] = splitAtAxis(input.shape, axis);
        Array result{shapeOf(slice), {}};
        for (int64_t o = 0; o < outer; ++o)
          result.data.insert(result.data.end(),
                             input.data.begin() + (o * size + start) * inner,
                             input.data.begin() + (o * size + end) * inner);
        return set(std::move(result));
      })
      .Case([&](SelectScatterOp scatter) {
        Array result = values[scatter.getInput()];
        const Array &value = values[scatter.getValue()];
        int64_t axis = (*normalizeAxes(
            {static_cast<int64_t>(scatter.getAxis())}, result.shape.size()))[0];
        auto [outer, size, inner] = splitAtAxis(result.shape, axis);
        for (int64_t o = 0; o < outer; ++o)
          std::copy_n(value.data.begin() + o * inner, inner,
                      result.data.begin() +
                          (o * size + scatter.getIndex()) * inner);
        return set(std::move(result));
      })
      .Case([&](ConcatOp concat) { return set(join(op, concat.getAxis())); })
      .Case([&](StackOp stackOp) { return set(join(op, stackOp.getAxis())); })
      .Case([&](DropoutOp dropout) { return set(values[dropout.getInput()]); })
      .Case([&](FlattenOp flatten) {
        Array array = values[flatten.getInput()];
        array.shape = shapeOf(flatten);
        return set(std::move(array));
      })
      .Case([&](SoftmaxOp softmaxOp) {
        return set(softmax(op, softmaxOp.getAxis(), /*log=*/false));
      })
      .Case([&](LogSoftmaxOp logSoftmax) {
        return set(softmax(op, logSoftmax.getAxis(), /*log=*/true));
      })
      .Case([&](BatchNormOp bn) { return set(batchNorm(bn)); })
      .Case([&](ConvTranspose2dOp conv) { return set(convTranspose2d(conv)); })
      .Case([&](MaximumOp) {
        return binary(
            [](double a, double b) { return std::isnan(a) || a > b ? a : b; });
      })
      .Case([&](MinimumOp) {
        return binary(
            [](double a, double b) { return std::isnan(a) || a < b ? a : b; });
      })
      .Case([&](GatherOp gather) -> llvm::Error {
        const Array &index = values[gather.getIndex()];
        // The result has the index's shape.
        auto array =
            lookupAlongAxis(op, gather.getAxis(), [&](int64_t flat, int64_t) {
              return index.data[flat];
            });
        if (!array)
          return array.takeError();
        return set(std::move(*array));
      })
      .Case([&](IndexSelectOp select) -> llvm::Error {
        const Array &index = values[select.getIndex()];
        auto array =
            lookupAlongAxis(op, select.getAxis(),
                            [&](int64_t, int64_t j) { return index.data[j]; });
        if (!array)
          return array.takeError();
        return set(std::move(*array));
      })
      .Case([&](TopKOp op) {
        topk(op);
        return llvm::Error::success();
      })
      .Case([&](CumsumOp cumsum) {
        return set(scan(op, cumsum.getAxis(), /*product=*/false));
      })
      .Case([&](CumprodOp cumprod) {
        return set(scan(op, cumprod.getAxis(), /*product=*/true));
      })
      .Case([&](FloorDivOp) {
        return binary([](double a, double b) { return std::floor(a / b); });
      })
      .Case([&](RemOp) {
        return binary(
            [](double a, double b) { return a - std::floor(a / b) * b; });
      })
      .Case([&](CompareOp compare) {
        auto test = [](ComparePredicate p, double a, double b) {
          switch (p) {
          case ComparePredicate::eq:
            return a == b;
          case ComparePredicate::ne:
            return a != b;
          case ComparePredicate::lt:
            return a < b;
          case ComparePredicate::le:
            return a <= b;
          case ComparePredicate::gt:
            return a > b;
          case ComparePredicate::ge:
            return a >= b;
          }
          return false;
        };
        ComparePredicate p = compare.getPredicate();
        return set(elementwise(op, [&](double a, double b, double) {
          return test(p, a, b) ? 1.0 : 0.0;
        }));
      })
      .Case([&](WhereOp) {
        return set(elementwise(
            op, [](double c, double t, double f) { return c != 0 ? t : f; }));
      })
      .Case([&](ConvertOp convert) {
        // To integers: rounded toward zero, as the compiled code does.
        if (isa<IntegerType>(getElementTypeOrSelf(convert.getType())))
          return unary([](double a) { return std::trunc(a); });
        return unary([](double a) { return a; });
      })
      .Case([&](Conv2dOp conv) { return set(conv2d(conv)); })
      .Case([&](MaxPool2dOp pool) {
        return set(pool2d(op, pool.getKernel(), pool.getStride(),
                          pool.getPadding(), /*max=*/true));
      })
      .Case([&](AvgPool2dOp pool) {
        return set(pool2d(op, pool.getKernel(), pool.getStride(),
                          pool.getPadding(), /*max=*/false));
      })
      .Case([&](AdaptiveAvgPool2dOp pool) {
        return set(adaptiveAvgPool2d(pool));
      })
      .Case([&](ReshapeOp reshape) {
        Array array = values[reshape.getInput()];
        array.shape = shapeOf(reshape);
        return set(std::move(array));
      })
      .Case([&](TransposeOp transpose) {
        const Array &input = values[transpose.getInput()];
        llvm::SmallVector<int64_t> shape = shapeOf(transpose);
        llvm::SmallVector<int64_t> inputStrides = stridesOf(input.shape);
        auto perm = *normalizeAxes(transpose.getPermutation(), shape.size());
        llvm::SmallVector<int64_t> strides;
        for (int64_t axis : perm)
          strides.push_back(inputStrides[axis]);
        Array result{shape, std::vector<double>(countOf(shape))};
        llvm::SmallVector<llvm::SmallVector<int64_t>> all = {strides};
        forEachIndex(shape, all,
                     [&](int64_t flat, llvm::ArrayRef<int64_t> off) {
                       result.data[flat] = input.data[off[0]];
                     });
        return set(std::move(result));
      })
      .Default([&](Operation *other) {
        return fail(other, "unsupported operation '" +
                               other->getName().getStringRef() + "'");
      });
}
} // namespace

llvm::Expected<Tensor>
mlir::weft::interpret(func::FuncOp func, llvm::ArrayRef<const Tensor *> inputs,
                      const TensorMap &params) {
  return Interpreter(params).run(func, inputs);
}
