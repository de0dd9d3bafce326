//===- KernelNeighbours.h - Elementwise ops a kernel takes in ---*- C++ -*-===//

#ifndef WEFT_LIB_CONVERSION_GPU_KERNELNEIGHBOURS_H
#define WEFT_LIB_CONVERSION_GPU_KERNELNEIGHBOURS_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "llvm/ADT/DenseSet.h"

namespace mlir::weft {

/// The elementwise linalg ops on memrefs around a reduction (a matrix
/// product, a row sum) that its kernel can compute in place of a kernel
/// each. "The product" below is that reduction.
struct KernelNeighbours {
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
/// elementwise generic (see findKernelNeighbours) that does not read that
/// buffer, nor anything an op between writes or frees. Null if there is
/// none.
Operation *findInitialValue(Operation *consumer, Value output);

/// Finds the neighbours of `product`, whose output is its only init, that
/// no other kernel has taken (`taken`), and adds them to `taken`. A
/// neighbour qualifies when its loops are the output's dimensions, its body
/// is free of memory effects, the output is read or written only through
/// identity maps, no op between it and the product touches the output, and
/// none writes or frees what the neighbour reads (the kernel reads it at the
/// product's place); an epilogue must not write into the product's inputs,
/// nor into anything the ops between use.
KernelNeighbours findKernelNeighbours(linalg::GenericOp product,
                                      llvm::DenseSet<Operation *> &taken);

/// Moves what `epilogue` uses that is defined after `kernelSite` in its
/// block (its output's allocation) to before it, with what that uses: the
/// kernel at `kernelSite` computes the epilogue. findKernelNeighbours
/// leaves only ops free of writes between them.
void moveOperandsBefore(linalg::GenericOp epilogue, Operation *kernelSite);

/// Builds at `b` the value the elementwise `generic` (a neighbour) yields at
/// `index` of `output`, reading its inputs there; `result` stands for its
/// input `output` if given.
Value evaluateElementwise(OpBuilder &b, Location loc, linalg::GenericOp generic,
                          ArrayRef<Value> index, Value output,
                          Value result = {});

} // namespace mlir::weft

#endif // WEFT_LIB_CONVERSION_GPU_KERNELNEIGHBOURS_H
