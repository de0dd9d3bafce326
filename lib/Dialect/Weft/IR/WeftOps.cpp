//===- WeftOps.cpp - weft dialect operations ------------------------------===//

#include "weft/Dialect/Weft/IR/WeftOps.h"
#include "weft/Dialect/Weft/IR/WeftBuilder.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"

#include "llvm/Support/MathExtras.h"
#include <cmath>

using namespace mlir;
using namespace mlir::weft;

/// `seed 4` (an attribute) or `seed %s` (a tensor<i64> operand; another
/// type follows it: `seed %s : tensor<*xi64>`).
static ParseResult
parseSeed(OpAsmParser &parser, IntegerAttr &seed,
          std::optional<OpAsmParser::UnresolvedOperand> &value,
          Type &valueType) {
  OpAsmParser::UnresolvedOperand operand;
  OptionalParseResult parsed = parser.parseOptionalOperand(operand);
  if (parsed.has_value()) {
    if (failed(*parsed))
      return failure();
    value = operand;
    valueType = RankedTensorType::get({}, parser.getBuilder().getI64Type());
    if (succeeded(parser.parseOptionalColon()))
      return parser.parseType(valueType);
    return success();
  }
  int64_t number;
  if (parser.parseInteger(number))
    return failure();
  seed = parser.getBuilder().getI64IntegerAttr(number);
  return success();
}

static void printSeed(OpAsmPrinter &printer, Operation *, IntegerAttr seed,
                      Value value, Type valueType) {
  if (!value) {
    printer << seed.getInt();
    return;
  }
  printer << value;
  auto scalar =
      RankedTensorType::get({}, IntegerType::get(valueType.getContext(), 64));
  if (valueType != scalar)
    printer << " : " << valueType;
}

std::string mlir::weft::getSiteName(Operation *op) {
  if (auto name = dyn_cast<NameLoc>(op->getLoc()))
    return name.getName().str();
  return op->getName().stripDialect().str();
}

LogicalResult mlir::weft::verifyBoundedShapes(Operation *op) {
  for (Type type : op->getResultTypes()) {
    auto ranked = dyn_cast<RankedTensorType>(type);
    if (!ranked)
      continue;
    int64_t elements = 1;
    for (int64_t size : ranked.getShape()) {
      if (ShapedType::isDynamic(size))
        continue;
      if (size < 0)
        return op->emitError() << "a size must be positive, got " << size
                               << " in " << formatType(type);
      if (llvm::MulOverflow(elements, size, elements) ||
          elements > kMaxElements)
        return op->emitError()
               << formatType(type) << " has more than 2^40 (" << kMaxElements
               << ") elements, the most a tensor may have";
    }
  }
  return success();
}

#include "weft/Dialect/Weft/IR/WeftInterfaces.cpp.inc"
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

LogicalResult UpdateParamOp::verify() {
  if (getName().empty())
    return emitOpError("parameter name must not be empty");
  if (!cast<TensorType>(getValue().getType()).hasStaticShape())
    return emitOpError("the new value of parameter '")
           << getName() << "' must have a static shape, got "
           << formatType(getValue().getType());
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
  if (static_cast<bool>(getSeedAttr()) == static_cast<bool>(getSeedValue()))
    return emitOpError("takes its seed from an attribute or an operand, "
                       "exactly one");
  if (Value seed = getSeedValue())
    if (auto ranked = dyn_cast<RankedTensorType>(seed.getType());
        ranked && ranked.getRank() != 0)
      return emitOpError("takes a scalar seed, got ")
             << formatType(seed.getType());
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
  if (!getSeed() && getInput().getType() == getType())
    return getInput();
  return {};
}

LogicalResult BatchStatsOp::verify() {
  // Each channel needs two values for an unbiased variance.
  auto type = dyn_cast<RankedTensorType>(getInput().getType());
  if (!type || !type.hasStaticShape())
    return success();
  int64_t count = type.getNumElements() / type.getDimSize(1);
  if (count < 2)
    return emitOpError("batch statistics need more than one value per "
                       "channel, got input ")
           << formatType(type);
  return success();
}

OpFoldResult TransposeOp::fold(FoldAdaptor) {
  auto type = dyn_cast<RankedTensorType>(getInput().getType());
  if (!type || getType() != type)
    return {};
  auto permutation = normalizeAxes(getPermutation(), type.getRank());
  if (!permutation ||
      !llvm::equal(*permutation, llvm::seq<int64_t>(0, type.getRank())))
    return {};
  return getInput();
}

OpFoldResult ReshapeOp::fold(FoldAdaptor) {
  auto type = dyn_cast<RankedTensorType>(getType());
  if (!type || !type.hasStaticShape() || getInput().getType() != type)
    return {};
  return getInput();
}

LogicalResult LinspaceOp::verify() {
  auto type = cast<RankedTensorType>(getType());
  if (!type.hasStaticShape() || type.getDimSize(0) < 1)
    return emitOpError("needs a static size of at least 1, got ")
           << formatType(type);
  return success();
}

double LinspaceOp::getElement(int64_t i) {
  double start = getStart().convertToDouble(), end = getEnd().convertToDouble();
  int64_t n = cast<RankedTensorType>(getType()).getDimSize(0);
  if (n == 1)
    return start;
  double step = (end - start) / double(n - 1);
  return i < n / 2 ? start + double(i) * step : end - double(n - 1 - i) * step;
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

//===----------------------------------------------------------------------===//
// Folding arithmetic on constants
//===----------------------------------------------------------------------===//

// Scalar arithmetic on constants folds, so that `x / sqrt(64.0)` divides by a
// constant the fusion passes can read (an attention scale, say). Floats fold
// in double precision, by the op's own scalar meaning
// (ElementwiseOpInterface::evaluate), and round once to the element type.

namespace {

/// Folding goes element by element through APFloat; a larger constant is
/// left for the compiled program, which computes it faster.
constexpr int64_t kMaxFoldedElements = int64_t(1) << 20;

APFloat toElementType(double value, Type elem) {
  APFloat result(value);
  bool lost;
  result.convert(cast<FloatType>(elem).getFloatSemantics(),
                 APFloat::rmNearestTiesToEven, &lost);
  return result;
}

OpFoldResult foldUnary(ElementwiseOpInterface op, Attribute operand) {
  auto dense = dyn_cast_if_present<DenseFPElementsAttr>(operand);
  if (!dense || dense.getNumElements() > kMaxFoldedElements)
    return {};
  Type elem = dense.getElementType();
  return dense.mapValues(elem, [&](const APFloat &x) {
    return toElementType(op.evaluate({x.convertToDouble()}), elem)
        .bitcastToAPInt();
  });
}

/// Folds when both operands are float constants and one is a splat (or a
/// single element): the result takes the other's shape.
OpFoldResult foldBinary(ElementwiseOpInterface op, Attribute lhs,
                        Attribute rhs) {
  auto l = dyn_cast_if_present<DenseFPElementsAttr>(lhs);
  auto r = dyn_cast_if_present<DenseFPElementsAttr>(rhs);
  auto type = dyn_cast<RankedTensorType>(op->getResult(0).getType());
  if (!l || !r || !type || !type.hasStaticShape() ||
      type.getNumElements() > kMaxFoldedElements)
    return {};
  Type elem = type.getElementType();
  if (r.isSplat() && l.getType().getShape() == type.getShape()) {
    double y = r.getSplatValue<APFloat>().convertToDouble();
    return l.mapValues(elem, [&](const APFloat &x) {
      return toElementType(op.evaluate({x.convertToDouble(), y}), elem)
          .bitcastToAPInt();
    });
  }
  if (l.isSplat() && r.getType().getShape() == type.getShape()) {
    double x = l.getSplatValue<APFloat>().convertToDouble();
    return r.mapValues(elem, [&](const APFloat &y) {
      return toElementType(op.evaluate({x, y.convertToDouble()}), elem)
          .bitcastToAPInt();
    });
  }
  return {};
}
} // namespace

OpFoldResult NegOp::fold(FoldAdaptor adaptor) {
  return foldUnary(*this, adaptor.getInput());
}
OpFoldResult ExpOp::fold(FoldAdaptor adaptor) {
  return foldUnary(*this, adaptor.getInput());
}
OpFoldResult LogOp::fold(FoldAdaptor adaptor) {
  return foldUnary(*this, adaptor.getInput());
}
OpFoldResult SqrtOp::fold(FoldAdaptor adaptor) {
  return foldUnary(*this, adaptor.getInput());
}
OpFoldResult AddOp::fold(FoldAdaptor adaptor) {
  return foldBinary(*this, adaptor.getLhs(), adaptor.getRhs());
}
OpFoldResult SubOp::fold(FoldAdaptor adaptor) {
  return foldBinary(*this, adaptor.getLhs(), adaptor.getRhs());
}
OpFoldResult MulOp::fold(FoldAdaptor adaptor) {
  return foldBinary(*this, adaptor.getLhs(), adaptor.getRhs());
}
OpFoldResult DivOp::fold(FoldAdaptor adaptor) {
  return foldBinary(*this, adaptor.getLhs(), adaptor.getRhs());
}

//===----------------------------------------------------------------------===//
// Op families
//===----------------------------------------------------------------------===//

namespace {
/// The size of `tensor`'s axis `axis` (negative counts from the end).
int64_t axisSize(Value tensor, int64_t axis) {
  return cast<RankedTensorType>(tensor.getType())
      .getDimSize(normalizedAxis(tensor, axis));
}

/// The last `count` axes of `value`'s type.
llvm::SmallVector<int64_t> trailingAxes(Value value, int64_t count) {
  int64_t rank = cast<RankedTensorType>(value.getType()).getRank();
  return llvm::to_vector(llvm::seq<int64_t>(rank - count, rank));
}
} // namespace

Value MatmulOp::getLhsFactor() { return getLhs(); }
Value MatmulOp::getRhsFactor() { return getRhs(); }
Value LinearOp::getLhsFactor() { return getInput(); }
Value LinearOp::getRhsFactor() { return getWeight(); }
Value LinearOp::getBiasTerm() { return getBias(); }
Value Conv2dOp::getLhsFactor() { return getInput(); }
Value Conv2dOp::getRhsFactor() { return getWeight(); }
Value Conv2dOp::getBiasTerm() { return getBias(); }

llvm::SmallVector<int64_t> SoftmaxOp::getNormalizedAxes() {
  return {normalizedAxis(getInput(), static_cast<int64_t>(getAxis()))};
}
llvm::SmallVector<int64_t> LogSoftmaxOp::getNormalizedAxes() {
  return {normalizedAxis(getInput(), static_cast<int64_t>(getAxis()))};
}
llvm::SmallVector<int64_t> LayerNormOp::getNormalizedAxes() {
  return trailingAxes(getInput(), static_cast<int64_t>(getDims()));
}

Value EmbeddingOp::getIndexOperand() { return getIndices(); }
int64_t EmbeddingOp::getIndexedSize() { return axisSize(getTable(), 0); }
std::string EmbeddingOp::describeIndexedRange() {
  return "the embedding table of " + std::to_string(getIndexedSize()) + " rows";
}
Value GatherOp::getIndexOperand() { return getIndex(); }
int64_t GatherOp::getIndexedSize() {
  return axisSize(getInput(), static_cast<int64_t>(getAxis()));
}
Value IndexSelectOp::getIndexOperand() { return getIndex(); }
int64_t IndexSelectOp::getIndexedSize() {
  return axisSize(getInput(), static_cast<int64_t>(getAxis()));
}

// Lookups move the elements of their input, not of their index; a selection
// those of its two values, not of its condition.
bool GatherOp::movesElementsOf(unsigned operand) {
  return operand == getInputMutable().getOperandNumber();
}
bool IndexSelectOp::movesElementsOf(unsigned operand) {
  return operand == getInputMutable().getOperandNumber();
}
bool WhereOp::movesElementsOf(unsigned operand) {
  return operand != getConditionMutable().getOperandNumber();
}

//===----------------------------------------------------------------------===//
// Fusion groups
//===----------------------------------------------------------------------===//

LogicalResult FusedOp::verify() {
  Block &body = getBody().front();
  if (body.getArgumentTypes() != getInputs().getTypes())
    return emitOpError("block arguments must have the types of the inputs");
  auto yield = body.mightHaveTerminator()
                   ? dyn_cast<YieldOp>(body.getTerminator())
                   : YieldOp();
  if (!yield)
    return emitOpError("body must end in weft.yield");
  if (yield.getValues().getTypes() != getResultTypes())
    return emitOpError("yields ")
           << yield.getValues().size()
           << " values whose types differ from the results";
  return success();
}
