//===- TensorPrinter.cpp - NumPy-like printing of tensors -----------------===//

#include "weft/Runtime/TensorPrinter.h"

#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/Support/raw_ostream.h"
#include <cmath>
#include <fmt/format.h>

using namespace mlir::weft;

namespace {
class Printer {
public:
  Printer(llvm::raw_ostream &os, const Tensor &tensor,
          const PrintOptions &options)
      : os(os), tensor(tensor), options(options),
        summarize(tensor.numElements() > options.threshold) {
    // Scientific notation when fixed notation would hide the values, as
    // NumPy does for very large or very small magnitudes. As NumPy, only the
    // elements shown count: a summarized tensor of 10^8 elements prints at
    // once.
    double maxAbs = 0, minAbs = INFINITY;
    forEachShown(0, 0, [&](int64_t i) {
      double a = std::fabs(tensor.get(i));
      if (!std::isfinite(a))
        return;
      maxAbs = std::max(maxAbs, a);
      if (a > 0)
        minAbs = std::min(minAbs, a);
    });
    scientific =
        maxAbs >= 1e8 || (minAbs < 1e-4 && minAbs > 0 && maxAbs / minAbs > 1e3);
    forEachShown(0, 0,
                 [&](int64_t i) { width = std::max(width, format(i).size()); });
  }

  void print() {
    os << tensor.describe() << '\n';
    if (tensor.rank() == 0) {
      os << format(0) << '\n';
      return;
    }
    printAxis(0, 0, 0);
    os << '\n';
  }

private:
  /// Whether index `i` of an axis of `size` elements is left out ("...").
  bool isElided(int64_t i, int64_t size) const {
    return summarize && size > 2 * options.edgeItems &&
           i >= options.edgeItems && i < size - options.edgeItems;
  }

  /// Calls `fn` with the flat index of every element printed, from `axis`
  /// on at flat `offset`.
  void forEachShown(int64_t axis, int64_t offset,
                    llvm::function_ref<void(int64_t)> fn) const {
    if (axis == tensor.rank()) {
      fn(offset);
      return;
    }
    int64_t size = tensor.shape()[axis], stride = 1;
    for (int64_t d = axis + 1; d < tensor.rank(); ++d)
      stride *= tensor.shape()[d];
    for (int64_t i = 0; i < size; ++i) {
      if (isElided(i, size))
        i = size - options.edgeItems;
      forEachShown(axis + 1, offset + i * stride, fn);
    }
  }

  /// Element `i`.
  std::string format(int64_t i) const {
    if (isInteger)
      return fmt::format("{}", tensor.getInteger(i));
    double v = tensor.get(i);
    if (tensor.dtype() == DType::Bool)
      return v != 0 ? "true" : "false";
    if (std::isnan(v))
      return "nan";
    if (std::isinf(v))
      return v > 0 ? "inf" : "-inf";
    return scientific ? fmt::format("{:.{}e}", v, options.precision)
                      : fmt::format("{:.{}f}", v, options.precision);
  }

  void printAxis(int64_t axis, int64_t offset, int indent) {
    int64_t size = tensor.shape()[axis];
    int64_t stride = 1;
    for (int64_t d = axis + 1; d < tensor.rank(); ++d)
      stride *= tensor.shape()[d];
    bool last = axis + 1 == tensor.rank();
    os << '[';
    for (int64_t i = 0; i < size; ++i) {
      if (isElided(i, size)) {
        os << (last ? "..., " : "...,\n");
        if (!last)
          os.indent(indent + 1);
        i = size - options.edgeItems - 1;
        continue;
      }
      if (last) {
        std::string text = format(offset + i);
        os.indent(width - text.size()) << text;
      } else {
        printAxis(axis + 1, offset + i * stride, indent + 1);
      }
      if (i + 1 < size) {
        os << ',';
        if (last) {
          os << ' ';
        } else {
          os << std::string(tensor.rank() - axis - 1, '\n');
          os.indent(indent + 1);
        }
      }
    }
    os << ']';
  }

  llvm::raw_ostream &os;
  const Tensor &tensor;
  const PrintOptions &options;
  bool summarize;
  bool isInteger = tensor.dtype() == DType::I32 || tensor.dtype() == DType::I64;
  bool scientific = false;
  size_t width = 0;
};
} // namespace

void mlir::weft::printTensor(llvm::raw_ostream &os, const Tensor &tensor,
                             const PrintOptions &options) {
  Printer(os, tensor, options).print();
}
