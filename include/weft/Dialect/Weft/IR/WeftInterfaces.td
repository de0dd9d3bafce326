//===- WeftInterfaces.td - weft op families -----------------*- tablegen -*-===//
//
// The families of weft ops, as op interfaces. A pass, the driver or the
// interpreter that treats a family alike asks its interface, so that a new
// op joins a family by declaring the interface in its ODS definition and
// nothing else.
//
//===----------------------------------------------------------------------===//

#ifndef WEFT_DIALECT_WEFT_IR_WEFTINTERFACES_TD
#define WEFT_DIALECT_WEFT_IR_WEFTINTERFACES_TD

include "mlir/IR/OpBase.td"

def Weft_ElementwiseOpInterface : OpInterface<"ElementwiseOpInterface"> {
  let description = [{
    An op computing each result element from the operand elements at the
    same (broadcast) index only: the ops an elementwise fusion group holds.

    `evaluate` is the op's meaning on one element, in double precision:
    integers and booleans are exact doubles (booleans 0 and 1). It is written
    once, in the op's ODS definition, and used by the constant folders and
    the reference interpreter; the lowering to linalg computes the same
    thing in its own payload, which is what makes the interpreter a check of
    it.
  }];
  let cppNamespace = "::mlir::weft";
  let methods = [
    InterfaceMethod<
      "The result element for the operand elements `x`, one per operand.",
      "double", "evaluate", (ins "::llvm::ArrayRef<double>":$x)>,
  ];
}

def Weft_ContractionOpInterface : OpInterface<"ContractionOpInterface"> {
  let description = [{
    A product that sums over a contracted dimension (`matmul`, `linear`,
    `conv2d`): the root of an epilogue fusion group, whose elementwise
    consumers run on each tile of the product while it is in cache.
  }];
  let cppNamespace = "::mlir::weft";
  let methods = [
    InterfaceMethod<"The first factor (the input, or `lhs`).",
      "::mlir::Value", "getLhsFactor">,
    InterfaceMethod<"The second factor (the weight, or `rhs`).",
      "::mlir::Value", "getRhsFactor">,
    InterfaceMethod<"The bias added to the product, if any.",
      "::mlir::Value", "getBiasTerm", (ins), [{}], [{ return {}; }]>,
  ];
}

def Weft_ReductionOpInterface : OpInterface<"ReductionOpInterface"> {
  let description = [{
    An op combining the elements of its input over some axes into one value
    each (`sum`, `mean`, `max`): the root of a reduction fusion group.
  }];
  let cppNamespace = "::mlir::weft";
  let methods = [
    InterfaceMethod<
      "The reduced axes, non-negative and sorted (every axis when the op "
      "names none).",
      "::llvm::SmallVector<int64_t>", "getReducedAxes", (ins), [{}], [{
        auto type = ::llvm::cast<::mlir::RankedTensorType>(
            $_op.getInput().getType());
        ::llvm::SmallVector<int64_t> all =
            ::llvm::to_vector(::llvm::seq<int64_t>(0, type.getRank()));
        std::optional<::llvm::ArrayRef<int64_t>> axes = $_op.getAxes();
        ::llvm::SmallVector<int64_t> reduced = *::mlir::weft::normalizeAxes(
            axes ? *axes : ::llvm::ArrayRef<int64_t>(all), type.getRank());
        ::llvm::sort(reduced);
        return reduced;
      }]>,
    InterfaceMethod<"Whether the reduced axes stay, with size 1.",
      "bool", "keepsReducedAxes", (ins), [{}],
      [{ return $_op.getKeepdim(); }]>,
  ];
}

def Weft_NormalizationOpInterface : OpInterface<"NormalizationOpInterface"> {
  let description = [{
    An op normalizing its input by statistics it computes over some axes
    itself (`softmax`, `log_softmax`, `layer_norm`): the root of a
    normalization fusion group, lowered in two passes over the axes.
  }];
  let cppNamespace = "::mlir::weft";
  let methods = [
    InterfaceMethod<
      "The axes the statistics are taken over, non-negative and sorted.",
      "::llvm::SmallVector<int64_t>", "getNormalizedAxes">,
  ];
}

def Weft_IndexingOpInterface : OpInterface<"IndexingOpInterface"> {
  let description = [{
    An op reading a tensor at positions given by a run-time index tensor
    (`embedding`, `gather`, `index_select`). Each index must name a position
    that exists: the lowering checks it in the generated code (numbering the
    check sites), the driver checks the indices that come from inputs before
    running, and the interpreter checks every one.
  }];
  let cppNamespace = "::mlir::weft";
  let methods = [
    InterfaceMethod<"The operand holding the indices.",
      "::mlir::Value", "getIndexOperand">,
    InterfaceMethod<
      "How many positions an index may name: the size of the indexed axis.",
      "int64_t", "getIndexedSize">,
    InterfaceMethod<
      "The lookup's name in error messages: the name its location carries "
      "(`cross_entropy` for the gather of a decomposed loss), else the op's.",
      "std::string", "getLookupName", (ins), [{}], [{
        if (auto name = ::llvm::dyn_cast<::mlir::NameLoc>($_op->getLoc()))
          return name.getName().str();
        return $_op->getName().stripDialect().str();
      }]>,
    InterfaceMethod<
      "What the indices range over, for an error message: \"[0, 5) for "
      "'gather'\".",
      "std::string", "describeIndexedRange", (ins), [{}], [{
        return "[0, " + std::to_string($_op.getIndexedSize()) + ") for '" +
               $_op.getLookupName() + "'";
      }]>,
  ];
}

def Weft_ElementMovingOpInterface : OpInterface<"ElementMovingOpInterface"> {
  let description = [{
    An op whose result holds elements of some operands unchanged, only moved
    (reshapes, transposes, slices, joins, lookups, selections): an index
    tensor keeps its meaning through it, so the driver follows inputs
    through these ops to the lookups they feed.
  }];
  let cppNamespace = "::mlir::weft";
  let methods = [
    InterfaceMethod<
      "Whether the result holds elements of operand `operandNumber`.",
      "bool", "movesElementsOf", (ins "unsigned":$operandNumber), [{}],
      [{ return true; }]>,
  ];
}

def Weft_DifferentiableOpInterface : OpInterface<"DifferentiableOpInterface"> {
  let description = [{
    An op with a reverse-mode gradient rule: given the gradient of a scalar
    loss with respect to each of its results, the gradients with respect to
    its operands, built as weft ops (`weft-differentiate` calls it, in
    reverse order, for every op between the values differentiated for and
    the loss). The rule is the op's one statement of its derivative: the
    backward graph is weft ops that fusion, both targets and the
    interpreter handle as they handle any other.

    `resultGradients` holds one value per result, of the result's type, or
    null for a result the loss does not depend on. The rule returns one
    value per operand, of the operand's type, or null for an operand that
    has no gradient (an integer index, a boolean mask). Elementwise rules
    are written in the op's ODS definition, the others in
    `lib/Dialect/Weft/IR/Gradients/`, one file per op family.
  }];
  let cppNamespace = "::mlir::weft";
  let methods = [
    InterfaceMethod<
      "The gradients of the operands, built at `b`, from those of the "
      "results.",
      "::llvm::SmallVector<::mlir::Value>", "buildGradients",
      (ins "::mlir::OpBuilder &":$b, "::mlir::ValueRange":$resultGradients)>,
  ];
}

#endif // WEFT_DIALECT_WEFT_IR_WEFTINTERFACES_TD
