//===- WeftCombine.td - Canonicalization patterns of weft ---*- tablegen -*-===//
//
// The rewrites canonicalization applies to the weft dialect, declared as
// patterns (the Toy tutorial's ToyCombine.td is the model). Gradient graphs
// are full of what they remove: transposes and reshapes undone, negations
// of negations, products with one and sums with zero. Each rewrite keeps the
// value exactly, except that `x + 0` is `x` also for `x = -0.0` (as XLA and
// PyTorch's compilers have it).
//
//===----------------------------------------------------------------------===//

#ifndef WEFT_COMBINE
#define WEFT_COMBINE

include "mlir/IR/PatternBase.td"
include "weft/Dialect/Weft/IR/WeftOps.td"

// The value's type equals the other's: a rewrite to an operand must not
// change the result's shape (an add may broadcast).
def SameType : Constraint<CPred<"$0.getType() == $1.getType()">,
                          "has the same type">;

// A constant whose every element is `value`.
class SplatOf<string value> : AttrConstraint<
    CPred<"::mlir::weft::isSplatOf($_self, " # value # ")">,
    "a splat of " # value>;

//===----------------------------------------------------------------------===//
// Arithmetic identities
//===----------------------------------------------------------------------===//

// -(-x) = x
def NegNeg : Pat<(Weft_NegOp (Weft_NegOp $x)), (replaceWithValue $x)>;

// x + 0 = 0 + x = x, x - 0 = x
def AddZero : Pat<(Weft_AddOp:$r $x, (Weft_ConstantOp SplatOf<"0.0">)),
                  (replaceWithValue $x), [(SameType $r, $x)]>;
def ZeroAdd : Pat<(Weft_AddOp:$r (Weft_ConstantOp SplatOf<"0.0">), $x),
                  (replaceWithValue $x), [(SameType $r, $x)]>;
def SubZero : Pat<(Weft_SubOp:$r $x, (Weft_ConstantOp SplatOf<"0.0">)),
                  (replaceWithValue $x), [(SameType $r, $x)]>;

// x * 1 = 1 * x = x, x / 1 = x
def MulOne : Pat<(Weft_MulOp:$r $x, (Weft_ConstantOp SplatOf<"1.0">)),
                 (replaceWithValue $x), [(SameType $r, $x)]>;
def OneMul : Pat<(Weft_MulOp:$r (Weft_ConstantOp SplatOf<"1.0">), $x),
                 (replaceWithValue $x), [(SameType $r, $x)]>;
def DivOne : Pat<(Weft_DivOp:$r $x, (Weft_ConstantOp SplatOf<"1.0">)),
                 (replaceWithValue $x), [(SameType $r, $x)]>;

// x - (-y) = x + y, x + (-y) = x - y
def SubNeg : Pat<(Weft_SubOp $x, (Weft_NegOp $y)), (Weft_AddOp $x, $y)>;
def AddNeg : Pat<(Weft_AddOp $x, (Weft_NegOp $y)), (Weft_SubOp $x, $y)>;

//===----------------------------------------------------------------------===//
// Moving elements
//===----------------------------------------------------------------------===//

// transpose(transpose(x, p), q) = transpose(x, p[q]), which the transpose
// folder removes when it is the identity.
def ComposePermutations : NativeCodeCall<
    "::mlir::weft::composePermutations($_builder, $0, $1)">;
def TransposeTranspose : Pat<
    (Weft_TransposeOp (Weft_TransposeOp $x, $inner), $outer),
    (Weft_TransposeOp $x, (ComposePermutations $inner, $outer))>;

// reshape(reshape(x)) = reshape(x) to the outer result's shape, which the
// reshape folder removes when it is x's.
def HasStaticShape : Constraint<
    CPred<"::llvm::cast<::mlir::ShapedType>($0.getType()).hasStaticShape()">,
    "has a static shape">;
def StaticShapeOf : NativeCodeCall<
    "$_builder.getDenseI64ArrayAttr("
    "::llvm::cast<::mlir::ShapedType>($0.getType()).getShape())">;
def ReshapeReshape : Pat<
    (Weft_ReshapeOp:$r (Weft_ReshapeOp $x, $inner), $outer),
    (Weft_ReshapeOp $x, (StaticShapeOf $r)), [(HasStaticShape $r)]>;

#endif // WEFT_COMBINE
