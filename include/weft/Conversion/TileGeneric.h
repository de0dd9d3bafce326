//===- TileGeneric.h - Tile a linalg.generic in place -----------*- C++ -*-===//

#ifndef WEFT_CONVERSION_TILEGENERIC_H
#define WEFT_CONVERSION_TILEGENERIC_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"

namespace mlir::weft {

/// Tiles `op` with `options`, replaces it, and returns the op computing a
/// tile (null when tiling fails).
inline Operation *tileGeneric(RewriterBase &rewriter, linalg::GenericOp op,
                              const scf::SCFTilingOptions &options) {
  rewriter.setInsertionPoint(op);
  FailureOr<scf::SCFTilingResult> tiled = scf::tileUsingSCF(
      rewriter, cast<TilingInterface>(op.getOperation()), options);
  if (failed(tiled))
    return nullptr;
  rewriter.replaceOp(op, tiled->replacements);
  return tiled->tiledOps.back();
}

} // namespace mlir::weft

#endif // WEFT_CONVERSION_TILEGENERIC_H
