//===- Passes.td - weft conversion passes ------------------*- tablegen -*-===//

#ifndef WEFT_CONVERSION_PASSES_TD
#define WEFT_CONVERSION_PASSES_TD

include "mlir/Pass/PassBase.td"

def ConvertWeftToLinalg : Pass<"convert-weft-to-linalg", "ModuleOp"> {
  let summary = "Lowers weft ops to linalg, tensor, arith and math on tensors";
  let description = [{
    Every weft op becomes destination-style linalg on tensors: elementwise
    ops and broadcasts become `linalg.generic` with broadcasting indexing
    maps, `matmul` becomes `linalg.matmul`, `linear` and the reductions
    become `linalg.generic` contractions, `transpose` becomes
    `linalg.transpose`, `reshape` and `flatten` become `tensor.reshape`;
    `conv2d` and pooling become window `linalg.generic`s over a padded input,
    `softmax`, `log_softmax` and `batch_norm` elementwise and reduction
    generics, `embedding` a gather `linalg.generic` that extracts table
    entries, and `dropout` its input (inference). Lookups by a run-time index
    (embedding, gather, index_select) check it: an index out of range calls
    the runtime's `weft_index_error` with the site's number (listed in the
    module's `weft.index_sites`) and reads a clamped position. Requires static
    shapes (run `weft-shape-inference`) and lifted parameters
    (`weft-lift-params`). Shared by the CPU and GPU pipelines.
  }];
  let dependentDialects = [
    "mlir::arith::ArithDialect", "mlir::linalg::LinalgDialect",
    "mlir::math::MathDialect", "mlir::tensor::TensorDialect",
    "mlir::scf::SCFDialect", "mlir::func::FuncDialect"
  ];
}

def WeftLowerFusionGroups : Pass<"weft-lower-fusion-groups", "func::FuncOp"> {
  let summary = "Fuses the linalg ops of each weft.fused group and dissolves it";
  let description = [{
    Runs after `convert-weft-to-linalg`, which lowers the ops inside each
    `weft.fused` group (normalizations and attention already in their fused
    form). By the group's kind:

    - `elementwise`, `reduction`, `normalization`: every elementwise
      `linalg.generic` is merged into its consumers (linalg's elementwise
      fusion), giving one loop nest per reduction or result;
    - `epilogue`: the same, then the epilogue is tiled — leading dimensions
      one at a time, rows in tiles of up to 16, columns whole — and the
      contraction and its initial value are computed tile by tile in the
      same `scf.for` (`tileConsumerAndFuseProducersUsingSCF`);
    - `attention`: nothing more (the lowering is already blocked).

    Then the group's body replaces it in the function.
  }];
  let dependentDialects = [
    "mlir::affine::AffineDialect", "mlir::arith::ArithDialect",
    "mlir::linalg::LinalgDialect", "mlir::scf::SCFDialect",
    "mlir::tensor::TensorDialect"
  ];
}

def WeftVectorizeContractions
    : Pass<"weft-vectorize-contractions", "func::FuncOp"> {
  let summary = "Register-tiles matrix products and computes the tiles with vectors";
  let description = [{
    Each `linalg.generic` that is a contraction with projected-permutation
    maps (matmul, batched matmul, linear, a convolution's im2col product) is
    first split over threads (when it has at least `min-parallel-work`
    multiply-adds; waking threads costs microseconds): an `scf.forall`
    (OpenMP once lowered) over
    its first parallel loop with more than one tile — a batch loop, else the
    panels of `n-tile` columns, else the rows — each thread computing whole
    output tiles, so results do not depend on the thread count. Then it is
    tiled with `scf.for` loops over its batch, n, m and k dimensions, in
    that order (a reduction longer than twice `k-block` first split into
    blocks of about `k-block` steps, in an `scf.for` around the row tiles,
    so that the block of a column panel stays in cache), into tiles of up
    to
    `m-tile` rows, `n-tile` columns and `k-tile` reduction steps (the
    largest sizes that divide each dimension). Each tile is vectorized
    (`vector.contract`, then outer products: `vector.fma` of a broadcast row
    element with a vector of columns), and the accumulator tile is read
    before the k loop and written after it, so it stays in registers. The
    loop over n panels is outermost so that a panel of the right operand
    stays in cache while every row tile uses it.
  }];
  let options = [
    Option<"mTile", "m-tile", "int64_t", "4", "Rows of the accumulator tile">,
    Option<"nTile", "n-tile", "int64_t", "64",
           "Columns of the accumulator tile (a multiple of the vector width)">,
    Option<"kTile", "k-tile", "int64_t", "8", "Reduction steps per tile">,
    Option<"kBlock", "k-block", "int64_t", "128",
           "Reduction steps per cache block: reductions longer than twice "
           "this are split into blocks">,
    Option<"minParallelWork", "min-parallel-work", "int64_t", "2000000",
           "Multiply-adds below which a product is not split over threads">
  ];
  let dependentDialects = [
    "mlir::affine::AffineDialect", "mlir::arith::ArithDialect",
    "mlir::scf::SCFDialect", "mlir::tensor::TensorDialect",
    "mlir::vector::VectorDialect"
  ];
}

def WeftApproximateMath : Pass<"weft-approximate-math"> {
  let summary = "Replaces f32 tanh by a polynomial";
  let description = [{
    Rewrites the f32 `math.tanh` into the polynomial approximation of MLIR's
    math dialect: arith ops, accurate to a few ulp, that LLVM vectorizes,
    where a call to libm's tanhf keeps the loop scalar (the GRU benchmark:
    3.1 -> 2.0 ms). `exp`, `log` and `erf` stay libm calls: measured, their
    polynomials made softmax, the flash-attention loop and GELU slower, as
    those loops are reductions or otherwise not vectorized by LLVM, and a
    scalar polynomial loses to libm.
  }];
  let dependentDialects = [
    "mlir::arith::ArithDialect", "mlir::math::MathDialect",
    "mlir::vector::VectorDialect"
  ];
}

def ConvertMemRefCopyToLinalg : Pass<"convert-memref-copy-to-linalg"> {
  let summary = "Rewrites memref.copy as linalg.copy";
  let description = [{
    Bufferization copies with `memref.copy`, which lowers to a call into
    MLIR's C runner library when a side is strided (a padded tensor's
    interior, for one). As `linalg.copy` the copy becomes ordinary loops,
    so the generated code needs no runtime library.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect"];
}

#endif // WEFT_CONVERSION_PASSES_TD
