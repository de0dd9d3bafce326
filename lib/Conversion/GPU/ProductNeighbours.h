//===- ProductNeighbours.h - Elementwise ops a product kernel takes in -*- C++
//-*-===//

#ifndef WEFT_LIB_CONVERSION_GPU_PRODUCTNEIGHBOURS_H
#define WEFT_LIB_CONVERSION_GPU_PRODUCTNEIGHBOURS_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"

namespace mlir::weft {

/// The elementwise linalg.generics on memrefs around a matrix product that
/// its kernel can compute in place of a kernel each.
struct ProductNeighbours {
  /// Writes the product's initial value (a linalg.fill with zeros, an
  /// elementwise generic broadcasting a bias): the kernel computes it
  /// instead of loading it (see findInitialValue).
  Operation *init = nullptr;
  /// Reads the product's result element by element (bias, activation,
  /// residual): the kernel applies it to its accumulators and stores its
  /// result instead of the product's.
  linalg::GenericOp epilogue;
  /// Whether anything after the epilogue reads the product's result, which
  /// then is stored too.
  bool resultReadLater = true;
};

/// The op before `consumer` that writes all of `output`, its initial value,
/// with no op between them touching `output`'s buffer: a linalg.fill, or an
/// elementwise generic (see findProductNeighbours) that does not read that
/// buffer, with no op between that writes or frees memory. Null if there is
/// none.
Operation *findInitialValue(Operation *consumer, Value output);

/// Finds the neighbours of `product`, whose output is its only init and
/// whose inputs are `inputs`. A neighbour qualifies when its loops are the
/// output's dimensions, its body is free of memory effects, the output is
/// read or written only through identity maps, and no op between it and the
/// product writes or frees memory or touches the output; an epilogue must
/// not write into the product's inputs.
ProductNeighbours findProductNeighbours(linalg::GenericOp product,
                                        ValueRange inputs);

} // namespace mlir::weft

#endif // WEFT_LIB_CONVERSION_GPU_PRODUCTNEIGHBOURS_H
