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
    module's `weft.index_sites`) and reads a clamped position. Sums (`sum`,
    `mean`, and those inside softmax and layer norm) are blocked: a stage adds
    at most `sum-block` terms per result element and the next stage adds the
    partial sums, so that float32 rounding error grows as a pairwise sum's
    does, not with the count. Requires static
    shapes (run `weft-shape-inference`) and lifted parameters
    (`weft-lift-params`). Shared by the CPU and GPU pipelines.
  }];
  let options = [
    Option<"maxKeyBlock", "max-key-block", "int64_t", "64",
           "Most keys per step of fused attention's loop over key blocks "
           "(a divisor of the key count, 16 or more, else all keys)">,
    Option<"sumBlock", "sum-block", "int64_t", "32",
           "Most terms one stage of a blocked sum adds (sum, mean, softmax's "
           "and the norms' statistics): the rounding error grows with the "
           "block and the number of stages, not with the count">,
    Option<"scatterLoops", "scatter-loops", "bool", "false",
           "scatter_add as a sequential loop nest over its sources (one add "
           "per source: the CPU) rather than a reduction over the result "
           "that reads every source along the axis for each element (no two "
           "iterations write one element: the GPU)">
  ];
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

    Then the group's body replaces it in the function. The row tiles keep a
    tile's contraction result in the CPU's cache until its epilogue reads
    it; the cuda target turns them off (`tile-epilogues=false`), since on a
    GPU each tile would be a kernel launch of its own.
  }];
  let options = [
    Option<"tileEpilogues", "tile-epilogues", "bool", "true",
           "Tile epilogue groups by rows, computing their contraction tile "
           "by tile">
  ];
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
    maps (matmul, batched matmul, linear, a convolution's im2col product) and
    at least `min-pack-rows` rows first gets its right operand packed into
    panels of `n-tile` columns, `[batch..., n / n-tile, k, n-tile]` (read
    from the input of a transpose, as `linear`'s weight; outside the loops
    that do not change it), the product computed into its output viewed as
    `[..., n / n-tile, n-tile]`. It is then split over threads (when it has
    at least `min-parallel-work` multiply-adds; waking threads costs
    microseconds): an `scf.forall`
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
           "Multiply-adds below which a product is not split over threads">,
    Option<"minPackRows", "min-pack-rows", "int64_t", "16",
           "Rows from which a product packs its right operand into panels">
  ];
  let dependentDialects = [
    "mlir::affine::AffineDialect", "mlir::arith::ArithDialect",
    "mlir::scf::SCFDialect", "mlir::tensor::TensorDialect",
    "mlir::vector::VectorDialect"
  ];
}

def WeftVectorizeGenerics : Pass<"weft-vectorize-generics", "func::FuncOp"> {
  let summary = "Computes element-wise ops and reductions with vectors";
  let description = [{
    Each static `linalg.generic` that is not a contraction, whose maps only
    select and permute loops and that reads and writes its innermost loop's
    dimension contiguously (as the last dimension of every operand that has
    it), is tiled with `scf.for` loops to one element of every other loop and
    up to `vector-size` elements of the innermost one (the largest such size
    that divides it), and each tile is vectorized: the element-wise ops of
    softmax, the norms, GELU and the other activations, the products'
    epilogues, and reductions along the innermost dimension (softmax's
    maximum and sum, the norms' statistics, sums and means), which become
    `vector.reduction`s, added as a tree. A reduction along another dimension
    keeps its loop and adds vectors (`loop-invariant-subset-hoisting`, after
    `canonicalize`, then keeps the accumulator out of the loop).
    An op of at least `min-parallel-elements` iterations is first split over
    threads: an `scf.forall` (OpenMP once lowered) over its outermost
    parallel loop but the innermost.
    A copy that transposes (its input's last dimension is not the innermost
    loop) is tiled into square blocks of up to `block-size`, transposed as
    vectors.
    Ops on `i1` (masks), whose vectors LLVM stores as packed bits where
    memrefs keep a byte per element, and gathers stay scalar loops.

    Without it, LLVM vectorizes only the loops that are neither reductions
    (it keeps the order of floating-point additions) nor calls of libm, and
    no loop whose accumulator it cannot keep in a register.
  }];
  let options = [
    Option<"vectorSize", "vector-size", "int64_t", "64",
           "Most elements of the innermost dimension per tile">,
    Option<"minParallelElements", "min-parallel-elements", "int64_t",
           "100000",
           "Iterations from which an op is split over threads">,
    Option<"blockSize", "block-size", "int64_t", "16",
           "Most rows and columns of a transposing copy's block">
  ];
  let dependentDialects = [
    "mlir::arith::ArithDialect", "mlir::scf::SCFDialect",
    "mlir::tensor::TensorDialect", "mlir::vector::VectorDialect"
  ];
}

def WeftApproximateMath : Pass<"weft-approximate-math"> {
  let summary = "Replaces f32 tanh (or every math function) by a polynomial";
  let description = [{
    Rewrites the f32 `math.tanh` into the polynomial approximation of MLIR's
    math dialect: arith ops, accurate to a few ulp, that LLVM vectorizes,
    where a call to libm's tanhf keeps the loop scalar (the GRU benchmark:
    3.1 -> 2.0 ms). On the CPU `exp`, `log` and `erf` stay libm calls:
    measured, their polynomials made softmax, the flash-attention loop and
    GELU slower, as those loops are reductions or otherwise not vectorized by
    LLVM, and a scalar polynomial loses to libm.

    With `all`, every f32 function MLIR has a polynomial for is rewritten:
    the cuda target runs it on its kernels (after `math-expand-ops`, which
    writes `powf`, `sinh` and the like in terms of those), so that their PTX
    calls no libdevice (CUDA's math library) function, and compiling for the
    GPU needs no CUDA installation.
  }];
  let options = [
    Option<"all", "all", "bool", /*default=*/"false",
           "Rewrite every math function that has a polynomial, not only tanh">
  ];
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

def WeftUpdateInPlace : Pass<"weft-update-in-place", "ModuleOp"> {
  let summary = "Writes an entry point's updated arguments into their buffers";
  let description = [{
    An entry point's result marked `weft.updates = i` is the new value of
    argument `i` (a `mut` parameter). Before bufferization, this pass returns
    it through `bufferization.materialize_in_destination` into the argument
    instead, so that bufferization writes the value into the argument's
    buffer. The op that computes the value takes the argument as its
    destination in place of the `tensor.empty` it was given: when nothing
    reads the old value after the new one is computed, it writes there and
    nothing is copied; otherwise bufferization copies once. The arguments
    are marked `bufferization.writable`. `weft-drop-updated-results` then
    removes the results.
  }];
  let dependentDialects = ["mlir::bufferization::BufferizationDialect"];
}

def WeftDropUpdatedResults : Pass<"weft-drop-updated-results", "ModuleOp"> {
  let summary = "Drops the results that bufferization wrote into arguments";
  let description = [{
    After one-shot bufferization, an entry point's result marked
    `weft.updates = i` returns argument `i`'s own buffer, which holds the new
    value: the result is dropped, and so is the copy of the buffer onto
    itself that `materialize_in_destination` left where the value was
    computed in place. The caller reads the new value from its argument.
  }];
}

def WeftCopyGlobalsToHeap : Pass<"weft-copy-globals-to-heap",
                                 "func::FuncOp"> {
  let summary = "Gives kernels heap copies of the constant globals they read";
  let description = [{
    On the cuda target the runtime allocates every host buffer in CUDA
    managed memory, which kernels can read; a `memref.global` lies in the
    host program's image, which they cannot. This pass replaces the
    `memref.get_global`s of a function by one heap buffer per global,
    allocated and filled with a `memref.copy` at the function's entry (a host
    memcpy), which `buffer-deallocation-pipeline` frees. Run it on
    bufferized code, after `convert-memref-copy-to-linalg`, so that this copy
    stays on the host.

    Example:

    ```mlir
    %g = memref.get_global @__constant_4xf32 : memref<4xf32>
    ```

    becomes

    ```mlir
    %alloc = memref.alloc() {alignment = 64 : i64} : memref<4xf32>
    %g = memref.get_global @__constant_4xf32 : memref<4xf32>
    memref.copy %g, %alloc : memref<4xf32> to memref<4xf32>
    ```
  }];
  let dependentDialects = ["mlir::memref::MemRefDialect"];
}

def WeftGPUMapReductions : Pass<"weft-gpu-map-reductions", "func::FuncOp"> {
  let summary = "Maps reductions onto blocks of GPU threads, one block per "
                "output element";
  let description = [{
    `convert-linalg-to-parallel-loops` makes the parallel dimensions of a
    linalg op into `scf.parallel`, which become GPU threads, and its
    reduction dimensions into `scf.for` inside each thread: a row sum or a
    softmax's maximum is one thread looping over the row, reading with a
    stride of a row between neighbouring threads, and a reduction with no
    parallel dimension (a loss, a penalty, `sum(x)` to a scalar) would stay
    a sequential loop on the host. This pass writes a `linalg.generic` on
    memrefs with static shapes that reduces to output elements indexed by
    all its parallel loops (and constants) — a full reduction, or one with
    at least 32 elements per output element — as a `gpu.launch` of one
    block per output element, of 32 to 256 threads (the element count
    rounded up to a power of two): each thread folds a strided share of the
    element's inputs with the op's own body (neighbouring threads reading
    neighbouring elements when the reduced dimensions are innermost),
    `gpu.all_reduce` combines the threads' partial results (shuffles within
    warps, shared memory across them), and thread 0 combines the total with
    the output's initial value. The body must yield `combiner(%out,
    f(inputs))` where the combiner is `arith.addf`, `mulf`, `maximumf`,
    `maxnumf`, `minimumf`, `minnumf` or `addi`; other reductions are left
    as they are. The threads' partial results are summed in a different
    order than the sequential loop's. The elementwise ops next to it that
    `weft-gpu-map-products` takes in (the fill or broadcast bias that
    writes the output's initial value, an epilogue reading the result) are
    computed by thread 0 too.
  }];
  let dependentDialects = [
    "mlir::gpu::GPUDialect", "mlir::scf::SCFDialect",
    "mlir::affine::AffineDialect", "mlir::memref::MemRefDialect"
  ];
}

def WeftGPUFoldTransposes : Pass<"weft-gpu-fold-transposes", "func::FuncOp"> {
  let summary = "Makes linalg.generics read a transpose's input instead of "
                "its result";
  let description = [{
    The linalg stage transposes a `Linear` weight (`x @ wᵀ`) or attention's
    keys into a new tensor before the product reads it: on the CPU the copy
    gives the vectorized product contiguous rows. On the GPU it is a kernel
    that reads and writes the whole tensor on every call, while the tiled
    products (`weft-gpu-map-products`) stage either layout with coalesced
    loads. This pass rewrites each `linalg.generic` that reads a
    `linalg.transpose` on tensors as an input to read the transpose's input
    through the permuted indexing map, and erases transposes left unused.

    Example: `%t = linalg.transpose ins(%w : tensor<256x784xf32>) ...
    permutation = [1, 0]` read by a product through `(m, k, n) -> (k, n)`
    becomes the product reading `%w` through `(m, k, n) -> (n, k)`.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect"];
}

def WeftGPUSplitFills : Pass<"weft-gpu-split-fills", "func::FuncOp"> {
  let summary = "Gives each use of a linalg.fill on tensors a fill of its own";
  let description = [{
    `cse` merges equal fills, so that the running maximum and sum of
    softmax, or the two sums of a layer norm, start from one filled tensor;
    one-shot bufferization then fills one buffer and copies it for the other
    use, a kernel launch of its own on the GPU, and the copy hides the fill
    from the reductions and products that fold their initial value in
    (`weft-gpu-map-reductions`, `weft-gpu-map-products`). On tensors, before
    bufferization, this pass clones a fill with several uses once per use
    after the first.

    Example: `%f = linalg.fill ins(%zero) outs(%e)` used by two reductions
    becomes `%f` and `%f2 = linalg.fill ins(%zero) outs(%e)`, one each.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect"];
}

def WeftGPUMapProducts : Pass<"weft-gpu-map-products", "func::FuncOp"> {
  let summary = "Maps matrix products onto blocks that stage tiles of their "
                "operands in shared memory";
  let description = [{
    A matrix product computed one thread per output element reads each
    operand element from global memory once per output that uses it. This
    pass writes a `linalg.generic` on memrefs that is a product — one
    reduction loop `k`, two inputs read through projected permutations, one
    holding a row loop `m` and `k`, the other a column loop `n` and `k`
    (batch loops in both, or other loops, allowed), a float output, a body
    free of memory effects — as a `gpu.launch` of 16 x 16 threads per
    block. A block computes a 16T x 16T tile of the output (T = 4, 2 or 1,
    the largest that still gives at least 128 blocks), each thread T x T
    elements, strided by 16 so that a warp's loads and stores are
    coalesced, accumulated in private memory. For each step of 16 along
    `k`, the block's threads copy the two operand tiles to shared memory
    (workgroup attributions, rows padded by one against bank conflicts),
    wait at a barrier, and fold the step into their accumulators with the
    op's own body; elements past the edges are not read. Every output
    starts from its initial value and folds `k` in order, as the linalg op
    says. The output's column loop is the one it stores innermost, so that
    stores are coalesced; loops other than `m`, `n` and `k` run over the
    grid's z dimension. Products smaller than 16 along `m`, `n` or `k` are
    left to `weft-gpu-map-reductions` and `weft-gpu-reductions-inward`. The elementwise generic before
    the product that writes its initial value (a broadcast bias), and the
    one after it that reads its result element by element (a fusion
    group's epilogue), are computed in the kernel too (a `linalg.fill` of
    the initial value as well), where no op between touches the output or
    writes what they read, and the epilogue does not write the product's
    inputs; the product's own result is then stored only if it is read
    later.
  }];
  let dependentDialects = [
    "mlir::gpu::GPUDialect", "mlir::scf::SCFDialect",
    "mlir::arith::ArithDialect", "mlir::memref::MemRefDialect"
  ];
}

def WeftGPUReductionsInward : Pass<"weft-gpu-reductions-inward",
                                   "func::FuncOp"> {
  let summary = "Moves the reduction dimensions of linalg.generics inside "
                "the parallel ones";
  let description = [{
    `convert-linalg-to-parallel-loops` makes a generic's loops in its
    iterator order, each run of parallel dimensions an `scf.parallel`; the
    matrix products of `convert-weft-to-linalg` iterate `(batch, m, k, n)`
    (the CPU's order), which gives `scf.parallel (batch, m) { scf.for k {
    scf.parallel n } }`: only `batch x m` threads, each looping over `k`
    and `n`. Interchanged to `(batch, m, n, k)`, every output element is a
    thread that loops over `k`. Applies to generics whose iterators are not
    already all parallel ones first.
  }];
  let dependentDialects = ["mlir::linalg::LinalgDialect"];
}

def WeftGPUMapParallelLoops : Pass<"weft-gpu-map-parallel-loops",
                                   "func::FuncOp"> {
  let summary = "Tiles parallel loops into blocks of threads, the innermost "
                "dimension on x";
  let description = [{
    Prepares each outermost `scf.parallel` for
    `convert-parallel-loops-to-gpu`: tiles it (without min/max bounds, so
    the tile is the block and the kernel guards the edge) and maps the tile
    loop to the grid and the point loop to the block's threads. The
    innermost dimension, contiguous in memory, goes to x, so that the 32
    threads of a warp read 32 neighbouring elements (coalesced); the next
    ones to y and z; dimensions beyond three run sequentially in each
    thread, as does a y or z dimension of more than 65535 blocks (the most
    a CUDA grid holds there). A block has up to 256 threads: 1-D loops tile by 256, 2-D and
    more by 32 along the innermost and 8 along the next, shrunk to the
    loop's extent (a power of two at least as large). Nested parallel loops
    run sequentially. (Upstream `gpu-map-parallel-loops` maps the first
    dimension to x, which strides a warp's accesses by a row.)
  }];
  let dependentDialects = ["mlir::gpu::GPUDialect", "mlir::scf::SCFDialect"];
}

def WeftGPUEmulateKernels : Pass<"weft-gpu-emulate-kernels", "ModuleOp"> {
  let summary = "Runs each kernel launch as host loops over blocks and "
                "threads";
  let description = [{
    Checks the cuda target's kernel code without a GPU (`weft run
    --target=cuda --gpu-emulation`): every `gpu.launch_func` becomes loops
    over its grid and its block, in which the kernel's body runs once per
    thread with `gpu.block_id`, `gpu.thread_id`, `gpu.block_dim` and
    `gpu.grid_dim` replaced by the loops' indices and the launch's sizes;
    the kernel module is then dropped, and the CPU pipeline compiles the
    rest. Threads run one after another, one valid schedule of a kernel
    without data races. A `gpu.barrier` or `gpu.all_reduce` ends a phase:
    each phase runs for every thread of the block before the next begins
    (an all-reduce folds the threads' values into a total the next phases
    read, as a tree of pairs in the threads' order, the order of the
    shuffles the NVVM lowering computes it by, so that rounding matches). A barrier may also be inside `scf.for` loops whose bounds are the
    same for all threads; such a loop becomes a loop of the block around
    its phases. Shared memory (workgroup attributions) is one buffer the
    blocks use in turn; private memory a slice per thread of one buffer, so
    that it lasts from phase to phase; any other value a phase uses from an
    earlier one must be recomputable (free of memory effects) and is
    computed again. Barriers under other ops, loops with a barrier that
    carry values, shuffles and the like are reported as errors.
  }];
  let dependentDialects = [
    "mlir::scf::SCFDialect", "mlir::arith::ArithDialect",
    "mlir::memref::MemRefDialect"
  ];
}

def WeftGPUKernelModule : Pass<"weft-gpu-kernel-module", "ModuleOp"> {
  let summary = "Gathers the outlined kernels into one gpu.module with PTX "
                "names";
  let description = [{
    `gpu-kernel-outlining` puts each kernel in a `gpu.module` of its own and
    names both after the function it comes from: the kernels of `GPT.forward`
    are `@GPT.forward_kernel::@GPT.forward_kernel`,
    `@GPT.forward_kernel_0::@GPT.forward_kernel`, ... A module becomes one
    PTX file, loaded by one `cuModuleLoadData`, and PTX identifiers cannot
    hold a `.`. This pass moves every kernel into a single `gpu.module
    @kernels`, names each after its old module (and, in a module of several
    kernels, its old name) with every character other than letters, digits,
    `_` and `$` replaced by `_` (`@kernels::@GPT_forward_kernel_0`), keeps
    one copy of the declarations the modules shared, and rewrites the
    `gpu.launch_func`s.
  }];
}

def WeftNVVMLibdeviceToIntrinsics
    : Pass<"weft-nvvm-libdevice-to-intrinsics", "gpu::GPUModuleOp"> {
  let summary = "Replaces libdevice calls PTX has instructions for by LLVM "
                "intrinsics";
  let description = [{
    `convert-gpu-to-nvvm` lowers `math.sqrt`, `math.fma`, `math.floor` and
    the like to calls of libdevice, CUDA's math library (`__nv_sqrtf`),
    which then has to be linked from a CUDA toolkit; the polynomials of
    `weft-approximate-math` use `fma`, `floor` and `absf` themselves. PTX has
    instructions for these, and NVPTX selects them from the LLVM intrinsics
    (`sqrt.rn.f32` from `llvm.sqrt.f32`, as libdevice's `__nv_sqrtf` is), so
    that the kernels need no libdevice. Runs on a kernel module lowered to
    NVVM; replaces the calls of `__nv_` `fabs`, `ceil`, `copysign`, `floor`,
    `fma`, `sqrt` and `trunc` (f32 and f64) and drops the declarations left
    unused.

    Example: `%r = llvm.call @__nv_sqrtf(%x) : (f32) -> f32` becomes
    `%r = llvm.intr.sqrt(%x) : (f32) -> f32`.
  }];
}

def WeftNVVMLibdeviceCalls : Pass<"weft-nvvm-libdevice-calls",
                                  "gpu::GPUModuleOp"> {
  let summary = "Reports libdevice calls a kernel module cannot link";
  let description = [{
    Math functions without a PTX instruction or a polynomial of
    `weft-approximate-math` (f64 `log` and `cos`, which `randn` uses) become
    calls of libdevice's `__nv_*` functions, which `gpu-module-to-binary`
    links from the file the NVVM target lists (weft lists CUDA's
    `nvvm/libdevice/libdevice.10.bc` when it finds a CUDA toolkit). When the
    target lists no libdevice, this pass reports each such function at a
    call, instead of leaving PTX that neither ptxas nor the driver accepts.
  }];
}

def WeftNVVMIndexErrors : Pass<"weft-nvvm-index-errors",
                               "gpu::GPUModuleOp"> {
  let summary = "Defines weft_index_error on the device";
  let description = [{
    A lookup by a run-time index calls `weft_index_error(site, index, size)`
    when the index is out of range (see `convert-weft-to-linalg`); on the CPU
    the JIT resolves it to the runtime. A kernel cannot call the host, so in
    a `gpu.module` lowered to NVVM this pass defines the function: it reads
    the address of a record from the module's global
    `weft_index_error_record`, which the weft CUDA runtime sets when it loads
    the module, and the first failing thread (an atomic compare-and-swap on
    the record's first word) stores the site, the index and the size there.
    The runtime reports the record after the call, as the CPU target does.
    Modules that never call the function are left alone.
  }];
  let dependentDialects = ["mlir::LLVM::LLVMDialect"];
}

#endif // WEFT_CONVERSION_PASSES_TD
