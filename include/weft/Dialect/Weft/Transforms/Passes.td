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

def WeftLiftParams : Pass<"weft-lift-params", "ModuleOp"> {
  let summary = "Turns weft.param references into function arguments";
  let description = [{
    Each public function that reads parameters gets one trailing argument per
    distinct parameter name, in order of first use, carrying the name in the
    `weft.param` argument attribute; the `weft.param` ops are replaced by
    these arguments. The runtime passes the weights in this order.
  }];
  let dependentDialects = ["mlir::weft::WeftDialect", "mlir::func::FuncDialect"];
}

def WeftOutlineLoopNests : Pass<"weft-outline-loop-nests", "ModuleOp"> {
  let summary = "Moves each top-level loop nest into a function of its own";
  let description = [{
    Every `scf.for` directly in a function body (after linalg has become
    loops, each is one op's or one copy's loop nest) becomes a private
    function `<function>.nest<N>` taking the values the nest uses; constants
    are cloned into it. The functions are marked `noinline` for LLVM.

    A model with an unrolled recurrence otherwise reaches LLVM as one
    function with thousands of loops, on which loop passes whose cost grows
    with the function's size (IndVarSimplify above all) take seconds; small
    functions keep JIT compile time proportional to the model.
  }];
  let dependentDialects = ["mlir::func::FuncDialect", "mlir::scf::SCFDialect"];
}

#endif // WEFT_DIALECT_WEFT_TRANSFORMS_PASSES_TD
