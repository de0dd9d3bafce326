//===- WeftOps.cpp - weft dialect operations ------------------------------===//

#include "weft/Dialect/Weft/IR/WeftOps.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"

using namespace mlir;
using namespace mlir::weft;

#include "weft/Dialect/Weft/IR/WeftOpsEnums.cpp.inc"

#define GET_OP_CLASSES
#include "weft/Dialect/Weft/IR/WeftOps.cpp.inc"

LogicalResult ParamOp::verify() {
  auto type = cast<TensorType>(getType());
  if (!type.hasStaticShape())
    return emitOpError("parameter '")
           << getName() << "' must have a static shape, got "
           << formatType(type);
  if (getName().empty())
    return emitOpError("parameter name must not be empty");
  IntegerAttr fanIn = getFanInAttr();
  if ((getInit() == InitKind::uniform) != static_cast<bool>(fanIn))
    return emitOpError("fan_in is given exactly when init is uniform");
  if (fanIn && fanIn.getInt() <= 0)
    return emitOpError("fan_in must be positive, got ") << fanIn.getInt();
  return success();
}

LogicalResult ConstantOp::verify() {
  Type elem = getValue().getElementType();
  if (!isa<FloatType>(elem) && !elem.isInteger(1) && !elem.isInteger(32) &&
      !elem.isInteger(64))
    return emitOpError("value must hold f32, f64, i32, i64 or i1 elements");
  return success();
}

LogicalResult RandomOp::verify() {
  auto type = cast<TensorType>(getType());
  if (!type.hasStaticShape())
    return emitOpError("needs a static shape, got ") << formatType(type);
  return success();
}

LogicalResult ConvertOp::verify() {
  auto input = cast<TensorType>(getInput().getType());
  auto result = cast<TensorType>(getType());
  // Only the element type changes.
  if (!areCompatibleTensorTypes(input.clone(result.getElementType()), result))
    return emitOpError("changes the shape from ")
           << formatType(input) << " to " << formatType(result);
  return success();
}

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }

LogicalResult DropoutOp::verify() {
  double p = getP().convertToDouble();
  if (p < 0 || p > 1)
    return emitOpError("probability must be in [0, 1], got ") << p;
  return success();
}

/// Inference mode: dropout passes its input through.
OpFoldResult DropoutOp::fold(FoldAdaptor) {
  if (getInput().getType() == getType())
    return getInput();
  return {};
}

bool CastOp::areCastCompatible(TypeRange inputs, TypeRange outputs) {
  return inputs.size() == 1 && outputs.size() == 1 &&
         areCompatibleTensorTypes(inputs, outputs);
}

OpFoldResult CastOp::fold(FoldAdaptor) {
  if (getInput().getType() == getType())
    return getInput();
  // cast(cast(x)) -> x when the outer cast restores x's type.
  if (auto inner = getInput().getDefiningOp<CastOp>())
    if (inner.getInput().getType() == getType())
      return inner.getInput();
  return {};
}
