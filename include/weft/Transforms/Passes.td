//===- Passes.td - Passes on the upstream loop dialects ----*- tablegen -*-===//
//
// Passes that work on the upstream dialects the CPU target lowers through
// (scf, memref, func), after the weft dialect is gone. They are registered
// as `WeftLoop` passes; the weft dialect's own passes are in
// weft/Dialect/Weft/Transforms.
//
//===----------------------------------------------------------------------===//

#ifndef WEFT_TRANSFORMS_PASSES_TD
#define WEFT_TRANSFORMS_PASSES_TD

include "mlir/Pass/PassBase.td"

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
  let dependentDialects = ["mlir::func::FuncDialect", "mlir::memref::MemRefDialect",
                           "mlir::scf::SCFDialect"];
}

#endif // WEFT_TRANSFORMS_PASSES_TD
