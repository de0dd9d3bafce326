//===- TensorPrinter.h - NumPy-like printing of tensors ---------*- C++ -*-===//

#ifndef WEFT_RUNTIME_TENSORPRINTER_H
#define WEFT_RUNTIME_TENSORPRINTER_H

#include "weft/Runtime/Tensor.h"

namespace llvm {
class raw_ostream;
}

namespace mlir::weft {

struct PrintOptions {
  /// Digits after the decimal point.
  int precision = 4;
  /// Tensors with more elements than this are summarized: only the first and
  /// last `edgeItems` entries of each axis are printed, with `...` between.
  int64_t threshold = 1000;
  int64_t edgeItems = 3;
};

/// Prints `f32[2, 3]` and then the values, nested in brackets as NumPy does.
void printTensor(llvm::raw_ostream &os, const Tensor &tensor,
                 const PrintOptions &options = {});

} // namespace mlir::weft

#endif // WEFT_RUNTIME_TENSORPRINTER_H
