//===- Passes.td - weft dialect passes ---------------------*- tablegen -*-===//

#ifndef WEFT_DIALECT_WEFT_TRANSFORMS_PASSES_TD
#define WEFT_DIALECT_WEFT_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

def WeftShapeInference : Pass<"weft-shape-inference", "func::FuncOp"> {
  let summary = "Gives every weft value its static shape";
  let description = [{
    Walks each function in order and recomputes the result type of every op
    from its operand types (the ops' `InferTypeOpInterface`). A `weft.cast`
    whose result knows less than its operand takes the operand's type; one
    whose known sizes disagree with its operand is a type error reported at
    the cast's location (a call argument or a returned value). Shape errors
    are reported where the offending op came from in the source.

    Run it after inlining: user functions are generic (unranked) until their
    bodies meet concrete arguments.
  }];
  let dependentDialects = ["mlir::weft::WeftDialect"];
}

def WeftForwardParamUpdates
    : Pass<"weft-forward-param-updates", "func::FuncOp"> {
  let summary = "Makes each parameter read see the updates before it";
  let description = [{
    A `weft.param` that follows a `weft.update_param` of the same name (in
    one block, in order) reads the updated value: it is replaced by that
    value, detached (`weft.detach`: a parameter is a variable of its own
    after an update, as a PyTorch parameter stays a leaf after an
    optimizer's step). Of several updates of one parameter only the last is
    kept, as the parameter's new value. Afterwards every remaining `weft.param` of a
    name reads the value the parameter had when the function was called, so
    the ops are free to move and to be merged. Run it after inlining and
    before anything that merges or reorders ops (weft's loops are
    unrolled, so a function is one block).
  }];
  let dependentDialects = ["mlir::weft::WeftDialect"];
}

def WeftDecompose : Pass<"weft-decompose", "func::FuncOp"> {
  let summary = "Rewrites losses and train-mode ops into the ops that define them";
  let description = [{
    The ops that other weft ops define once shapes are known become those
    ops: the losses, the batch statistics of train-mode batch norm
    (`weft.batch_stats`: a mean, and the sum of the squared deviations
    divided by `n` and by `n - 1`) and train-mode dropout (a `weft.dropout`
    with a seed: the input times the mask `weft.random` draws, scaled by
    `1 / (1 - p)`).

    `cross_entropy`, `nll_loss`, `mse_loss`, `l1_loss` and
    `binary_cross_entropy_with_logits` become the weft ops of their
    definitions (log_softmax, gather of the target class, masks for
    `ignore_index`, the reduction), so that their gradients, lowerings and
    interpretation are those ops'. The class losses read the target's class
    with `gather`, which checks each target against the classes (an
    ignored target reads class 0 and counts 0). Requires static shapes (run
    after `weft-shape-inference`).
  }];
  let dependentDialects = ["mlir::weft::WeftDialect"];
}

def WeftDifferentiate : Pass<"weft-differentiate", "func::FuncOp"> {
  let summary = "Replaces each weft.gradient by its reverse-mode gradient";
  let description = [{
    For each `weft.gradient`, finds the ops between the values it
    differentiates with respect to and the loss (the ops that depend on one
    of the values and that the loss depends on), then visits them from the
    loss back, in reverse order: each op's rule
    (`DifferentiableOpInterface::buildGradients`) turns the gradients of its
    results into those of its operands, and an operand used several times
    sums what its uses give it. The gradient of the loss itself is 1. A
    `weft.param` value stands for its parameter: every `weft.param` of the
    same name is the same variable. The forward values the rules read are
    the ones already computed (kept, not recomputed).

    A `weft.detach` stops gradients; once the gradients are built, each is
    replaced by its operand.

    An op on the path without a rule, or a value the loss does not depend
    on, is an error at the gradient's location. Requires static shapes (run
    after `weft-shape-inference`), in one block (after inlining; weft's
    loops are unrolled).
  }];
  let dependentDialects = ["mlir::weft::WeftDialect"];
}

def WeftLiftParams : Pass<"weft-lift-params", "ModuleOp"> {
  let summary = "Turns weft.param references into function arguments";
  let description = [{
    Each public function that reads parameters gets one trailing argument per
    distinct parameter name, in order of first use, carrying the name in the
    `weft.param` argument attribute; the `weft.param` ops are replaced by
    these arguments. The runtime passes the weights in this order.

    A parameter's `weft.update_param` (one per name, after
    `weft-forward-param-updates`) becomes a trailing result marked
    `weft.updates` with the position of the parameter's argument: the
    lowering writes the new value into the argument's buffer, as it does
    for a `mut` parameter's.
  }];
  let dependentDialects = ["mlir::weft::WeftDialect", "mlir::func::FuncDialect"];
}

//===----------------------------------------------------------------------===//
// Fusion
//===----------------------------------------------------------------------===//

// The fusion passes run after shape inference, in the order below; each
// takes ops not yet in a group. `weft-lower-fusion-groups` realizes the
// groups once their ops are in linalg.

def WeftFuseAttention : Pass<"weft-fuse-attention", "func::FuncOp"> {
  let summary = "Groups attention for a flash-style lowering";
  let description = [{
    Raises attention written out with matmuls to `weft.attention`: the
    pattern is `softmax(q @ kt * c, axis=-1) @ v` (or `/ c`, or no scale),
    where `kt` is `k` with its last two axes swapped, `c` a constant with one
    element, the intermediate values used once, and `q`, `k`, `v` have equal
    batch dimensions. Then puts every `weft.attention` into a
    `weft.fused attention` group, which `convert-weft-to-linalg` lowers
    flash-style: the keys and values in blocks, with a running maximum and
    sum per query, so the full score matrix is never stored.
  }];
  let dependentDialects = ["mlir::weft::WeftDialect"];
}

def WeftFuseNormalizations : Pass<"weft-fuse-normalizations", "func::FuncOp"> {
  let summary = "Groups softmax and layer norm with their elementwise producers";
  let description = [{
    Each `weft.softmax`, `weft.log_softmax` and `weft.layer_norm` becomes a
    `weft.fused normalization` group together with the elementwise ops that
    produce its input and have no other user (a scale, a mask, a residual
    add). `weft-lower-fusion-groups` fuses the producers into each pass of
    the lowered group (softmax: maximum, sum of exponentials, result; layer
    norm: mean, squared deviations, result), where they are recomputed
    instead of being stored.
  }];
  let dependentDialects = ["mlir::weft::WeftDialect"];
}

def WeftFuseEpilogues : Pass<"weft-fuse-epilogues", "func::FuncOp"> {
  let summary = "Groups a matmul, linear or convolution with its epilogue";
  let description = [{
    A `weft.matmul`, `weft.linear` or `weft.conv2d` whose result's only user
    starts a chain of elementwise ops of the same type — bias, activation,
    residual add, scaling — becomes a `weft.fused epilogue` group with the
    chain (and with elementwise ops after the contraction that feed only
    the chain). `weft-lower-fusion-groups` tiles the epilogue and computes
    the product tile by tile inside the same loop.
  }];
  let dependentDialects = ["mlir::weft::WeftDialect"];
}

def WeftFuseReductions : Pass<"weft-fuse-reductions", "func::FuncOp"> {
  let summary = "Groups reductions with their elementwise producers";
  let description = [{
    A `weft.sum`, `weft.mean` or `weft.max` whose input comes from
    elementwise ops used nowhere else becomes a `weft.fused reduction`
    group with them: the producers are computed inside the reduction's loop,
    and the reduced tensor is never stored (`mean((y - t) ** 2)` reads `y`
    and `t` once).
  }];
  let dependentDialects = ["mlir::weft::WeftDialect"];
}

def WeftFuseElementwise : Pass<"weft-fuse-elementwise", "func::FuncOp"> {
  let summary = "Groups chains of elementwise ops";
  let description = [{
    Groups each elementwise op with the elementwise producers that feed only
    it, transitively (broadcasts included), into a `weft.fused elementwise`
    group of two or more ops, computed as one loop nest. A value used
    outside the chain ends it and is stored.
  }];
  let dependentDialects = ["mlir::weft::WeftDialect"];
}

#endif // WEFT_DIALECT_WEFT_TRANSFORMS_PASSES_TD
