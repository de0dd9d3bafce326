//===- TypeInference.cpp - Result types of weft operations ----------------===//

#include "weft/Dialect/Weft/IR/TypeInference.h"
#include "weft/Dialect/Weft/IR/WeftOps.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

namespace {
/// The operand as a tensor type; every weft operand is one (ODS checks it).
TensorType tensorOf(Type type) { return cast<TensorType>(type); }

LogicalResult fail(std::optional<Location> loc, const llvm::Twine &message) {
  return emitOptionalError(loc, message);
}

LogicalResult sameElementType(std::optional<Location> loc, TensorType lhs,
                              TensorType rhs, llvm::StringRef what) {
  if (lhs.getElementType() == rhs.getElementType())
    return success();
  return fail(loc, "dtype mismatch in " + what + ": " + weft::formatType(lhs) +
                       " and " + weft::formatType(rhs));
}
} // namespace

namespace mlir::weft {

static std::string formatDims(llvm::ArrayRef<int64_t> shape) {
  std::string text;
  llvm::raw_string_ostream os(text);
  os << '[';
  llvm::interleaveComma(shape, os, [&](int64_t d) {
    if (ShapedType::isDynamic(d))
      os << '?';
    else
      os << d;
  });
  os << ']';
  return text;
}

LogicalResult inferGradientTypes(std::optional<Location> loc, Type loss,
                                 TypeRange wrt,
                                 llvm::SmallVectorImpl<Type> &results) {
  auto lossType = tensorOf(loss);
  if (lossType.hasRank() && lossType.getRank() != 0)
    return fail(loc, "'grad' differentiates a scalar loss, but the loss is " +
                         formatType(loss) +
                         " (reduce it first, with sum or mean)");
  if (wrt.empty())
    return fail(loc, "'grad' needs the inputs to differentiate for");
  llvm::append_range(results, wrt);
  return success();
}

/// The result of a loss with per-element losses of `elements`' shape.
static LogicalResult lossResult(Type elem, Type elements,
                                LossReduction reduction,
                                llvm::SmallVectorImpl<Type> &results) {
  auto shaped = cast<TensorType>(elements);
  if (reduction != LossReduction::none)
    results.push_back(RankedTensorType::get({}, elem));
  else if (shaped.hasRank())
    results.push_back(RankedTensorType::get(shaped.getShape(), elem));
  else
    results.push_back(UnrankedTensorType::get(elem));
  return success();
}

LogicalResult inferClassLossType(std::optional<Location> loc,
                                 llvm::StringRef name, Type inputType,
                                 Type targetType, Type weightType,
                                 LossReduction reduction,
                                 llvm::SmallVectorImpl<Type> &results) {
  TensorType input = tensorOf(inputType), target = tensorOf(targetType);
  Type elem = input.getElementType();
  if (weightType && failed(sameElementType(loc, input, tensorOf(weightType),
                                           name.str() + " weight")))
    return failure();
  if (!input.hasRank() || !target.hasRank())
    return lossResult(elem, targetType, reduction, results);
  auto fits = [&] {
    if (input.getRank() < 2 || target.getRank() != input.getRank() - 1)
      return false;
    for (int64_t d = 0; d < target.getRank(); ++d)
      if (target.getDimSize(d) != input.getDimSize(d == 0 ? 0 : d + 1))
        return false;
    return true;
  };
  if (!fits())
    return fail(loc, name +
                         " takes scores [N, C, ...] and classes [N, ...], "
                         "got " +
                         formatType(input) + " and " + formatType(target));
  if (weightType) {
    auto weight = tensorOf(weightType);
    if (weight.hasRank() &&
        (weight.getRank() != 1 || weight.getDimSize(0) != input.getDimSize(1)))
      return fail(loc, name + " weight " + formatType(weight) +
                           " must have one entry per class (" +
                           std::to_string(input.getDimSize(1)) + ")");
  }
  return lossResult(elem, targetType, reduction, results);
}

LogicalResult inferPointwiseLossType(std::optional<Location> loc,
                                     llvm::StringRef name, Type input,
                                     Type target, LossReduction reduction,
                                     llvm::SmallVectorImpl<Type> &results,
                                     llvm::ArrayRef<NamedWeight> weights) {
  llvm::SmallVector<Type> elements;
  if (failed(inferBroadcastType(loc, input, target, elements)))
    return failure();
  // A weight scales the losses elementwise: it broadcasts to their shape
  // and does not widen it.
  for (auto [what, weight] : weights) {
    if (!weight)
      continue;
    llvm::SmallVector<Type> scaled;
    if (failed(inferBroadcastType(loc, elements.front(), weight, scaled)))
      return failure();
    auto losses = tensorOf(elements.front()), result = tensorOf(scaled[0]);
    if (losses.hasRank() && result.hasRank() &&
        losses.getShape() != result.getShape())
      return fail(loc, name + " " + what + " " + formatType(weight) +
                           " must broadcast to the losses' shape " +
                           formatType(losses));
  }
  return lossResult(tensorOf(input).getElementType(), elements.front(),
                    reduction, results);
}

std::string formatType(Type type) {
  auto tensor = dyn_cast<TensorType>(type);
  if (!tensor) {
    std::string text;
    llvm::raw_string_ostream os(text);
    os << type;
    return text;
  }
  std::string elem = "bool";
  llvm::raw_string_ostream os(elem);
  if (!tensor.getElementType().isInteger(1)) {
    elem.clear();
    os << tensor.getElementType();
  }
  if (!tensor.hasRank())
    return elem + "[*]";
  if (tensor.getRank() == 0)
    return elem;
  return elem + formatDims(tensor.getShape());
}

bool areCompatibleTensorTypes(TypeRange lhs, TypeRange rhs) {
  if (lhs.size() != rhs.size())
    return false;
  for (auto [l, r] : llvm::zip(lhs, rhs)) {
    auto lt = dyn_cast<TensorType>(l), rt = dyn_cast<TensorType>(r);
    if (!lt || !rt)
      return l == r;
    if (lt.getElementType() != rt.getElementType())
      return false;
    if (!lt.hasRank() || !rt.hasRank())
      continue;
    if (lt.getRank() != rt.getRank())
      return false;
    for (auto [a, b] : llvm::zip(lt.getShape(), rt.getShape()))
      if (!ShapedType::isDynamic(a) && !ShapedType::isDynamic(b) && a != b)
        return false;
  }
  return true;
}

std::optional<llvm::SmallVector<int64_t>>
normalizeAxes(llvm::ArrayRef<int64_t> axes, int64_t rank) {
  llvm::SmallVector<int64_t> result;
  for (int64_t axis : axes) {
    int64_t a = axis < 0 ? axis + rank : axis;
    if (a < 0 || a >= rank || llvm::is_contained(result, a))
      return std::nullopt;
    result.push_back(a);
  }
  return result;
}

LogicalResult inferBroadcastType(std::optional<Location> loc, Type lhsType,
                                 Type rhsType,
                                 llvm::SmallVectorImpl<Type> &results) {
  TensorType lhs = tensorOf(lhsType), rhs = tensorOf(rhsType);
  if (failed(sameElementType(loc, lhs, rhs, "elementwise operation")))
    return failure();
  Type elem = lhs.getElementType();
  if (!lhs.hasRank() || !rhs.hasRank()) {
    results.push_back(UnrankedTensorType::get(elem));
    return success();
  }
  int64_t rank = std::max(lhs.getRank(), rhs.getRank());
  llvm::SmallVector<int64_t> shape(rank, 1);
  for (int64_t i = 0; i < rank; ++i) {
    int64_t li = lhs.getRank() - rank + i, ri = rhs.getRank() - rank + i;
    int64_t l = li >= 0 ? lhs.getDimSize(li) : 1;
    int64_t r = ri >= 0 ? rhs.getDimSize(ri) : 1;
    if (l == 1)
      shape[i] = r;
    else if (r == 1 || l == r)
      shape[i] = l;
    else if (ShapedType::isDynamic(l) || ShapedType::isDynamic(r))
      shape[i] = ShapedType::isDynamic(l) ? r : l;
    else
      return fail(loc, "shapes " + formatType(lhs) + " and " + formatType(rhs) +
                           " cannot be broadcast together");
  }
  results.push_back(RankedTensorType::get(shape, elem));
  return success();
}

LogicalResult inferCompareType(std::optional<Location> loc, Type lhs, Type rhs,
                               llvm::SmallVectorImpl<Type> &results) {
  llvm::SmallVector<Type> broadcast;
  if (failed(inferBroadcastType(loc, lhs, rhs, broadcast)))
    return failure();
  results.push_back(
      tensorOf(broadcast.front()).clone(IntegerType::get(lhs.getContext(), 1)));
  return success();
}

LogicalResult inferWhereType(std::optional<Location> loc, Type condition,
                             Type onTrue, Type onFalse,
                             llvm::SmallVectorImpl<Type> &results) {
  if (!tensorOf(condition).getElementType().isInteger(1))
    return fail(loc, "the condition of where must be a boolean tensor, got " +
                         formatType(condition));
  llvm::SmallVector<Type> values, all;
  if (failed(inferBroadcastType(loc, onTrue, onFalse, values)))
    return failure();
  // The condition only contributes its shape.
  Type shaped = tensorOf(condition).clone(tensorOf(onTrue).getElementType());
  if (failed(inferBroadcastType(loc, shaped, values.front(), all)))
    return failure();
  results.push_back(all.front());
  return success();
}

LogicalResult inferMatmulType(std::optional<Location> loc, Type lhsType,
                              Type rhsType,
                              llvm::SmallVectorImpl<Type> &results) {
  TensorType lhs = tensorOf(lhsType), rhs = tensorOf(rhsType);
  if (failed(sameElementType(loc, lhs, rhs, "matmul")))
    return failure();
  Type elem = lhs.getElementType();
  if ((lhs.hasRank() && lhs.getRank() < 2) ||
      (rhs.hasRank() && rhs.getRank() < 2))
    return fail(loc, "matmul needs tensors of rank 2 or more, got " +
                         formatType(lhs) + " and " + formatType(rhs));
  if (!lhs.hasRank() || !rhs.hasRank()) {
    results.push_back(UnrankedTensorType::get(elem));
    return success();
  }
  int64_t k1 = lhs.getShape().back(), k2 = rhs.getShape().end()[-2];
  if (!ShapedType::isDynamic(k1) && !ShapedType::isDynamic(k2) && k1 != k2)
    return fail(loc, "matmul inner dimensions differ: " + formatType(lhs) +
                         " and " + formatType(rhs));
  // Batch dimensions broadcast as elementwise operands do.
  llvm::SmallVector<Type> batch;
  if (failed(inferBroadcastType(
          std::nullopt,
          RankedTensorType::get(lhs.getShape().drop_back(2), elem),
          RankedTensorType::get(rhs.getShape().drop_back(2), elem), batch)))
    return fail(loc, "matmul batch dimensions of " + formatType(lhs) + " and " +
                         formatType(rhs) + " cannot be broadcast together");
  llvm::SmallVector<int64_t> shape(
      cast<RankedTensorType>(batch.front()).getShape());
  shape.push_back(lhs.getShape().end()[-2]);
  shape.push_back(rhs.getShape().back());
  results.push_back(RankedTensorType::get(shape, elem));
  return success();
}

LogicalResult inferLinearType(std::optional<Location> loc, Type inputType,
                              Type weightType, Type biasType,
                              llvm::SmallVectorImpl<Type> &results) {
  TensorType input = tensorOf(inputType), weight = tensorOf(weightType);
  if (failed(sameElementType(loc, input, weight, "linear")))
    return failure();
  if (weight.hasRank() && weight.getRank() != 2)
    return fail(loc,
                "linear weight must be a matrix, got " + formatType(weight));
  if (input.hasRank() && input.getRank() == 0)
    return fail(loc, "linear input must have at least one dimension, got " +
                         formatType(input));
  if (biasType) {
    TensorType bias = tensorOf(biasType);
    if (failed(sameElementType(loc, input, bias, "linear")))
      return failure();
    if (bias.hasRank() &&
        (bias.getRank() != 1 ||
         (weight.hasRank() &&
          !areCompatibleTensorTypes(
              bias, RankedTensorType::get({weight.getDimSize(0)},
                                          weight.getElementType())))))
      return fail(loc, "linear bias " + formatType(bias) +
                           " does not match weight " + formatType(weight));
  }
  Type elem = input.getElementType();
  if (!input.hasRank() || !weight.hasRank()) {
    results.push_back(UnrankedTensorType::get(elem));
    return success();
  }
  int64_t k = input.getShape().back(), wk = weight.getDimSize(1);
  if (!ShapedType::isDynamic(k) && !ShapedType::isDynamic(wk) && k != wk)
    return fail(loc, "linear expects input features " + std::to_string(wk) +
                         ", got " + formatType(input));
  llvm::SmallVector<int64_t> shape(input.getShape());
  shape.back() = weight.getDimSize(0);
  results.push_back(RankedTensorType::get(shape, elem));
  return success();
}

LogicalResult inferReductionType(std::optional<Location> loc, Type inputType,
                                 std::optional<llvm::ArrayRef<int64_t>> axes,
                                 bool keepdim,
                                 llvm::SmallVectorImpl<Type> &results) {
  TensorType input = tensorOf(inputType);
  Type elem = input.getElementType();
  if (!input.hasRank()) {
    results.push_back(UnrankedTensorType::get(elem));
    return success();
  }
  int64_t rank = input.getRank();
  llvm::SmallVector<int64_t> all = llvm::to_vector(llvm::seq<int64_t>(0, rank));
  auto normalized = normalizeAxes(axes ? *axes : llvm::ArrayRef(all), rank);
  if (!normalized)
    return fail(loc, "reduction axes " + formatDims(axes ? *axes : all) +
                         " are invalid for " + formatType(input));
  llvm::SmallVector<int64_t> shape;
  for (int64_t i = 0; i < rank; ++i) {
    if (!llvm::is_contained(*normalized, i))
      shape.push_back(input.getDimSize(i));
    else if (keepdim)
      shape.push_back(1);
  }
  results.push_back(RankedTensorType::get(shape, elem));
  return success();
}

LogicalResult inferBroadcastToType(std::optional<Location> loc, Type inputType,
                                   llvm::ArrayRef<int64_t> shape,
                                   llvm::SmallVectorImpl<Type> &results) {
  TensorType input = tensorOf(inputType);
  auto target = RankedTensorType::get(shape, input.getElementType());
  if (llvm::any_of(shape, [](int64_t d) { return d < 0; }))
    return fail(loc, "broadcast target " + formatDims(shape) +
                         " has a negative size");
  llvm::SmallVector<Type> joined;
  if (input.hasRank() &&
      (failed(inferBroadcastType(std::nullopt, input, target, joined)) ||
       joined.front() != target))
    return fail(loc, "cannot broadcast " + formatType(input) + " to " +
                         formatDims(shape));
  results.push_back(target);
  return success();
}

LogicalResult inferReshapeType(std::optional<Location> loc, Type inputType,
                               llvm::ArrayRef<int64_t> target,
                               llvm::SmallVectorImpl<Type> &results) {
  TensorType input = tensorOf(inputType);
  Type elem = input.getElementType();
  // A 0 keeps the input's size on that axis.
  llvm::SmallVector<int64_t> shape(target);
  for (auto [i, d] : llvm::enumerate(shape)) {
    if (d != 0)
      continue;
    if (!input.hasRank()) {
      results.push_back(UnrankedTensorType::get(elem));
      return success();
    }
    if (static_cast<int64_t>(i) >= input.getRank())
      return fail(loc, "reshape target " + formatDims(target) +
                           " keeps (0) an axis that " + formatType(input) +
                           " does not have");
    d = input.getDimSize(i);
  }
  int64_t known = 1, inferred = -1;
  for (auto [i, d] : llvm::enumerate(shape)) {
    if (d == -1 && inferred < 0) {
      inferred = i;
      continue;
    }
    if (d < 0)
      return fail(loc, "reshape target " + formatDims(shape) +
                           " may hold a single -1 and no other negative size");
    known *= d;
  }
  if (inferred < 0 || !input.hasRank() || !input.hasStaticShape()) {
    if (inferred >= 0) {
      results.push_back(UnrankedTensorType::get(elem));
      return success();
    }
    if (input.hasStaticShape() && input.getNumElements() != known)
      return fail(loc, "cannot reshape " + formatType(input) + " (" +
                           std::to_string(input.getNumElements()) +
                           " elements) to " + formatDims(shape));
    results.push_back(RankedTensorType::get(shape, elem));
    return success();
  }
  int64_t count = input.getNumElements();
  if (known == 0 || count % known != 0)
    return fail(loc, "cannot reshape " + formatType(input) + " to " +
                         formatDims(shape));
  llvm::SmallVector<int64_t> resolved(shape);
  resolved[inferred] = count / known;
  results.push_back(RankedTensorType::get(resolved, elem));
  return success();
}

LogicalResult inferTransposeType(std::optional<Location> loc, Type inputType,
                                 llvm::ArrayRef<int64_t> permutation,
                                 llvm::SmallVectorImpl<Type> &results) {
  TensorType input = tensorOf(inputType);
  if (!input.hasRank()) {
    results.push_back(UnrankedTensorType::get(input.getElementType()));
    return success();
  }
  auto perm = normalizeAxes(permutation, input.getRank());
  if (!perm || static_cast<int64_t>(perm->size()) != input.getRank())
    return fail(loc, "permutation " + formatDims(permutation) +
                         " is invalid for " + formatType(input));
  llvm::SmallVector<int64_t> shape;
  for (int64_t axis : *perm)
    shape.push_back(input.getDimSize(axis));
  results.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

LogicalResult inferAxisPreservingType(std::optional<Location> loc,
                                      Type inputType, int64_t axis,
                                      llvm::SmallVectorImpl<Type> &results) {
  TensorType input = tensorOf(inputType);
  if (input.hasRank() && !normalizeAxes({axis}, input.getRank()))
    return fail(loc, "axis " + std::to_string(axis) + " is invalid for " +
                         formatType(input));
  results.push_back(input);
  return success();
}

LogicalResult inferBatchNormType(std::optional<Location> loc, Type inputType,
                                 llvm::ArrayRef<Type> stats,
                                 llvm::SmallVectorImpl<Type> &results) {
  TensorType input = tensorOf(inputType);
  if (input.hasRank() && input.getRank() < 2)
    return fail(loc,
                "batch_norm needs [N, C, ...] input, got " + formatType(input));
  for (Type statType : stats) {
    TensorType stat = tensorOf(statType);
    if (failed(sameElementType(loc, input, stat, "batch_norm")))
      return failure();
    if (!stat.hasRank() || !input.hasRank())
      continue;
    if (stat.getRank() != 1 ||
        !areCompatibleTensorTypes(
            stat, RankedTensorType::get({input.getDimSize(1)},
                                        input.getElementType())))
      return fail(loc, "batch_norm statistics " + formatType(stat) +
                           " do not match the channels of " +
                           formatType(input));
  }
  results.push_back(input);
  return success();
}

LogicalResult inferLayerNormType(std::optional<Location> loc, Type inputType,
                                 Type weightType, Type biasType, int64_t dims,
                                 llvm::SmallVectorImpl<Type> &results) {
  TensorType input = tensorOf(inputType);
  if (dims < 1 || (input.hasRank() && dims > input.getRank()))
    return fail(loc, "layer_norm over " + std::to_string(dims) +
                         " dimensions is invalid for " + formatType(input));
  for (Type type : {weightType, biasType}) {
    TensorType param = tensorOf(type);
    if (failed(sameElementType(loc, input, param, "layer_norm")))
      return failure();
    if (!input.hasRank() || !param.hasRank())
      continue;
    auto expected = RankedTensorType::get(input.getShape().take_back(dims),
                                          input.getElementType());
    if (!areCompatibleTensorTypes(param, expected))
      return fail(loc, "layer_norm parameter " + formatType(param) +
                           " does not match the normalized shape " +
                           formatType(expected));
  }
  results.push_back(input);
  return success();
}

int64_t convOutputSize(int64_t input, int64_t kernel, int64_t stride,
                       int64_t padding, int64_t dilation) {
  int64_t span = input + 2 * padding - dilation * (kernel - 1) - 1;
  // A window wider than the padded input fits nowhere (and C++ division
  // would round the negative span toward zero).
  return span < 0 ? 0 : span / stride + 1;
}

/// Checks that each attribute is a pair of integers at least `minimum`.
static LogicalResult checkPairs(
    std::optional<Location> loc, llvm::StringRef op,
    llvm::ArrayRef<std::pair<llvm::StringRef, llvm::ArrayRef<int64_t>>> pairs,
    llvm::ArrayRef<int64_t> minimum) {
  for (auto [entry, min] : llvm::zip(pairs, minimum)) {
    auto [name, values] = entry;
    if (values.size() != 2 ||
        llvm::any_of(values, [&](int64_t v) { return v < min; }))
      return fail(loc, op + " " + name + " must be two integers of at least " +
                           std::to_string(min) + ", got " + formatDims(values));
  }
  return success();
}

/// The spatial output sizes of a convolution or pooling over `input`
/// `[N, C, H, W]`, or an error when a window does not fit.
static FailureOr<std::pair<int64_t, int64_t>>
spatialOutput(std::optional<Location> loc, llvm::StringRef op, TensorType input,
              int64_t kh, int64_t kw, llvm::ArrayRef<int64_t> stride,
              llvm::ArrayRef<int64_t> padding,
              llvm::ArrayRef<int64_t> dilation) {
  int64_t oh = convOutputSize(input.getDimSize(2), kh, stride[0], padding[0],
                              dilation[0]);
  int64_t ow = convOutputSize(input.getDimSize(3), kw, stride[1], padding[1],
                              dilation[1]);
  if (oh < 1 || ow < 1)
    return fail(loc, op + " window " + formatDims({kh, kw}) + " does not fit " +
                         formatType(input) + " with padding " +
                         formatDims(padding));
  return std::make_pair(oh, ow);
}

/// The checks convolutions share: 4-D input and weight (`layout` names the
/// weight's dimensions), and a bias `[weight.shape[outputDim]]`. Returns
/// whether both shapes are known.
static FailureOr<bool> checkConvOperands(std::optional<Location> loc,
                                         llvm::StringRef name,
                                         llvm::StringRef layout,
                                         TensorType input, TensorType weight,
                                         Type biasType, int64_t outputDim) {
  if ((input.hasRank() && input.getRank() != 4) ||
      (weight.hasRank() && weight.getRank() != 4))
    return fail(loc, name + " needs input [N, C, H, W] and weight " + layout +
                         ", got " + formatType(input) + " and " +
                         formatType(weight));
  if (biasType) {
    TensorType bias = tensorOf(biasType);
    if (failed(sameElementType(loc, input, bias, name)))
      return failure();
    if (bias.hasRank() && weight.hasRank() &&
        (bias.getRank() != 1 ||
         bias.getDimSize(0) != weight.getDimSize(outputDim)))
      return fail(loc, name + " bias " + formatType(bias) +
                           " does not match weight " + formatType(weight));
  }
  return input.hasRank() && weight.hasRank();
}

LogicalResult inferConv2dType(std::optional<Location> loc, Type inputType,
                              Type weightType, Type biasType,
                              const Conv2dOptions &options,
                              llvm::SmallVectorImpl<Type> &results) {
  TensorType input = tensorOf(inputType), weight = tensorOf(weightType);
  if (failed(sameElementType(loc, input, weight, "conv2d")) ||
      failed(checkPairs(loc, "conv2d",
                        {{"stride", options.stride},
                         {"padding", options.padding},
                         {"dilation", options.dilation}},
                        {1, 0, 1})))
    return failure();
  if (options.groups < 1)
    return fail(loc, "conv2d groups must be positive, got " +
                         std::to_string(options.groups));
  FailureOr<bool> ranked =
      checkConvOperands(loc, "conv2d", "[O, C/groups, KH, KW]", input, weight,
                        biasType, /*outputDim=*/0);
  if (failed(ranked))
    return failure();
  if (!*ranked) {
    results.push_back(UnrankedTensorType::get(input.getElementType()));
    return success();
  }
  int64_t channels = input.getDimSize(1), out = weight.getDimSize(0);
  if (channels != weight.getDimSize(1) * options.groups ||
      out % options.groups != 0)
    return fail(loc, "conv2d weight " + formatType(weight) +
                         " does not fit input " + formatType(input) + " with " +
                         std::to_string(options.groups) + " group(s)");
  auto spatial = spatialOutput(loc, "conv2d", input, weight.getDimSize(2),
                               weight.getDimSize(3), options.stride,
                               options.padding, options.dilation);
  if (failed(spatial))
    return failure();
  results.push_back(RankedTensorType::get(
      {input.getDimSize(0), out, spatial->first, spatial->second},
      input.getElementType()));
  return success();
}

LogicalResult inferConvTranspose2dType(
    std::optional<Location> loc, Type inputType, Type weightType, Type biasType,
    llvm::ArrayRef<int64_t> stride, llvm::ArrayRef<int64_t> padding,
    llvm::ArrayRef<int64_t> outputPadding, llvm::ArrayRef<int64_t> dilation,
    llvm::SmallVectorImpl<Type> &results) {
  TensorType input = tensorOf(inputType), weight = tensorOf(weightType);
  if (failed(sameElementType(loc, input, weight, "conv_transpose2d")) ||
      failed(checkPairs(loc, "conv_transpose2d",
                        {{"stride", stride},
                         {"padding", padding},
                         {"output_padding", outputPadding},
                         {"dilation", dilation}},
                        {1, 0, 0, 1})))
    return failure();
  if (outputPadding[0] >= std::max(stride[0], dilation[0]) ||
      outputPadding[1] >= std::max(stride[1], dilation[1]))
    return fail(loc, "conv_transpose2d output_padding " +
                         formatDims(outputPadding) +
                         " must be smaller than the stride or the dilation");
  FailureOr<bool> ranked =
      checkConvOperands(loc, "conv_transpose2d", "[C, O, KH, KW]", input,
                        weight, biasType, /*outputDim=*/1);
  if (failed(ranked))
    return failure();
  if (!*ranked) {
    results.push_back(UnrankedTensorType::get(input.getElementType()));
    return success();
  }
  if (input.getDimSize(1) != weight.getDimSize(0))
    return fail(loc, "conv_transpose2d weight " + formatType(weight) +
                         " does not fit input " + formatType(input));
  llvm::SmallVector<int64_t> shape = {input.getDimSize(0),
                                      weight.getDimSize(1)};
  for (int axis = 0; axis < 2; ++axis) {
    int64_t size = (input.getDimSize(2 + axis) - 1) * stride[axis] -
                   2 * padding[axis] +
                   dilation[axis] * (weight.getDimSize(2 + axis) - 1) +
                   outputPadding[axis] + 1;
    if (size < 1)
      return fail(loc, "conv_transpose2d padding " + formatDims(padding) +
                           " leaves no output for " + formatType(input));
    shape.push_back(size);
  }
  results.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

LogicalResult inferUpsampleType(std::optional<Location> loc, Type inputType,
                                llvm::ArrayRef<int64_t> scale,
                                llvm::SmallVectorImpl<Type> &results) {
  TensorType input = tensorOf(inputType);
  if (failed(checkPairs(loc, "upsample", {{"scale", scale}}, {1})))
    return failure();
  if (!input.hasRank()) {
    results.push_back(input);
    return success();
  }
  if (input.getRank() != 4)
    return fail(loc,
                "upsample needs [N, C, H, W] input, got " + formatType(input));
  llvm::SmallVector<int64_t> shape(input.getShape());
  shape[2] *= scale[0];
  shape[3] *= scale[1];
  results.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

LogicalResult inferArgmaxType(std::optional<Location> loc, Type inputType,
                              int64_t axis,
                              llvm::SmallVectorImpl<Type> &results) {
  TensorType input = tensorOf(inputType);
  Type i64 = IntegerType::get(input.getContext(), 64);
  if (!input.hasRank()) {
    results.push_back(UnrankedTensorType::get(i64));
    return success();
  }
  std::optional<llvm::SmallVector<int64_t>> normalized =
      normalizeAxes({axis}, input.getRank());
  if (!normalized)
    return fail(loc, "argmax axis " + std::to_string(axis) +
                         " is invalid for " + formatType(input));
  llvm::SmallVector<int64_t> shape(input.getShape());
  shape.erase(shape.begin() + (*normalized)[0]);
  results.push_back(RankedTensorType::get(shape, i64));
  return success();
}

LogicalResult inferPool2dType(std::optional<Location> loc, Type inputType,
                              llvm::ArrayRef<int64_t> kernel,
                              llvm::ArrayRef<int64_t> stride,
                              llvm::ArrayRef<int64_t> padding,
                              llvm::SmallVectorImpl<Type> &results) {
  TensorType input = tensorOf(inputType);
  if (failed(checkPairs(
          loc, "pooling",
          {{"kernel", kernel}, {"stride", stride}, {"padding", padding}},
          {1, 1, 0})))
    return failure();
  if (padding[0] * 2 > kernel[0] || padding[1] * 2 > kernel[1])
    return fail(loc, "pooling padding " + formatDims(padding) +
                         " must be at most half the kernel " +
                         formatDims(kernel));
  if (!input.hasRank()) {
    results.push_back(input);
    return success();
  }
  if (input.getRank() != 4)
    return fail(loc,
                "pooling needs [N, C, H, W] input, got " + formatType(input));
  int64_t ones[] = {1, 1};
  auto spatial = spatialOutput(loc, "pooling", input, kernel[0], kernel[1],
                               stride, padding, ones);
  if (failed(spatial))
    return failure();
  results.push_back(
      RankedTensorType::get({input.getDimSize(0), input.getDimSize(1),
                             spatial->first, spatial->second},
                            input.getElementType()));
  return success();
}

LogicalResult inferAdaptivePool2dType(std::optional<Location> loc,
                                      Type inputType,
                                      llvm::ArrayRef<int64_t> size,
                                      llvm::SmallVectorImpl<Type> &results) {
  TensorType input = tensorOf(inputType);
  if (size.size() != 2 || size[0] < 1 || size[1] < 1)
    return fail(loc, "adaptive pooling size must be two positive integers, "
                     "got " +
                         formatDims(size));
  if (!input.hasRank()) {
    results.push_back(input);
    return success();
  }
  if (input.getRank() != 4)
    return fail(loc,
                "pooling needs [N, C, H, W] input, got " + formatType(input));
  results.push_back(RankedTensorType::get(
      {input.getDimSize(0), input.getDimSize(1), size[0], size[1]},
      input.getElementType()));
  return success();
}

LogicalResult inferJoinType(std::optional<Location> loc, TypeRange inputs,
                            int64_t axis, bool stack,
                            llvm::SmallVectorImpl<Type> &results) {
  llvm::StringRef name = stack ? "stack" : "concat";
  if (inputs.empty())
    return fail(loc, name + " needs at least one tensor");
  TensorType first = tensorOf(inputs.front());
  Type elem = first.getElementType();
  for (Type type : inputs)
    if (failed(sameElementType(loc, first, tensorOf(type), name)))
      return failure();
  auto ranked = llvm::find_if(
      inputs, [](Type t) { return cast<TensorType>(t).hasRank(); });
  if (ranked == inputs.end()) {
    results.push_back(UnrankedTensorType::get(elem));
    return success();
  }
  auto like = cast<RankedTensorType>(*ranked);
  int64_t rank = like.getRank() + (stack ? 1 : 0);
  std::optional<llvm::SmallVector<int64_t>> normalized =
      normalizeAxes({axis}, rank);
  if (!normalized)
    return fail(loc, name + " axis " + std::to_string(axis) +
                         " is invalid for " + formatType(like));
  int64_t a = (*normalized)[0];
  llvm::SmallVector<int64_t> shape(like.getShape());
  if (stack)
    shape.insert(shape.begin() + a, 0);
  else
    shape[a] = 0;
  for (Type type : inputs) {
    auto input = cast<TensorType>(type);
    if (!input.hasRank()) {
      results.push_back(UnrankedTensorType::get(elem));
      return success();
    }
    bool matches = input.getRank() == like.getRank();
    for (int64_t i = 0; matches && i < like.getRank(); ++i)
      matches = (!stack && i == a) || input.getDimSize(i) == like.getDimSize(i);
    if (!matches)
      return fail(loc, name + " inputs " + formatType(like) + " and " +
                           formatType(input) + " do not fit together");
    shape[a] += stack ? 1 : input.getDimSize(a);
  }
  results.push_back(RankedTensorType::get(shape, elem));
  return success();
}

LogicalResult inferAttentionType(std::optional<Location> loc, Type queryType,
                                 Type keyType, Type valueType, Type maskType,
                                 llvm::SmallVectorImpl<Type> &results) {
  TensorType query = tensorOf(queryType), key = tensorOf(keyType),
             value = tensorOf(valueType);
  if (failed(sameElementType(loc, query, key, "attention")) ||
      failed(sameElementType(loc, query, value, "attention")))
    return failure();
  if (!query.hasRank() || !key.hasRank() || !value.hasRank()) {
    results.push_back(UnrankedTensorType::get(query.getElementType()));
    return success();
  }
  int64_t rank = query.getRank();
  auto mismatch = [&] {
    return fail(loc, "attention needs query [..., Tq, D], key [..., Tk, D] "
                     "and value [..., Tk, Dv] with the same leading "
                     "dimensions, got " +
                         formatType(query) + ", " + formatType(key) + " and " +
                         formatType(value));
  };
  if (rank < 2 || key.getRank() != rank || value.getRank() != rank ||
      query.getShape().drop_back(2) != key.getShape().drop_back(2) ||
      query.getShape().drop_back(2) != value.getShape().drop_back(2) ||
      query.getShape().back() != key.getShape().back() ||
      key.getDimSize(rank - 2) != value.getDimSize(rank - 2))
    return mismatch();
  if (maskType) {
    TensorType mask = tensorOf(maskType);
    if (!mask.getElementType().isInteger(1))
      return fail(loc, "attention mask must be a boolean tensor, got " +
                           formatType(mask));
    llvm::SmallVector<int64_t> scores(query.getShape());
    scores.back() = key.getDimSize(rank - 2);
    auto scoreType = RankedTensorType::get(scores, mask.getElementType());
    llvm::SmallVector<Type> broadcast;
    if (mask.hasRank() &&
        (failed(inferBroadcastType(std::nullopt, mask, scoreType, broadcast)) ||
         broadcast.front() != scoreType))
      return fail(loc, "attention mask " + formatType(mask) +
                           " does not broadcast to the scores " +
                           formatType(scoreType));
  }
  llvm::SmallVector<int64_t> shape(query.getShape());
  shape.back() = value.getShape().back();
  results.push_back(RankedTensorType::get(shape, query.getElementType()));
  return success();
}

LogicalResult inferEmbeddingType(std::optional<Location> loc, Type indicesType,
                                 Type tableType,
                                 llvm::SmallVectorImpl<Type> &results) {
  TensorType indices = tensorOf(indicesType), table = tensorOf(tableType);
  Type elem = table.getElementType();
  if (table.hasRank() && table.getRank() != 2)
    return fail(loc,
                "embedding table must be [V, D], got " + formatType(table));
  if (!indices.hasRank() || !table.hasRank()) {
    results.push_back(UnrankedTensorType::get(elem));
    return success();
  }
  llvm::SmallVector<int64_t> shape(indices.getShape());
  shape.push_back(table.getDimSize(1));
  results.push_back(RankedTensorType::get(shape, elem));
  return success();
}

namespace {
/// The normalized `axis` of `input` (ranked), or an error naming `op`.
FailureOr<int64_t> checkAxis(std::optional<Location> loc, TensorType input,
                             int64_t axis, llvm::StringRef op) {
  std::optional<llvm::SmallVector<int64_t>> normalized =
      normalizeAxes({axis}, input.getRank());
  if (!normalized)
    return fail(loc, op + " axis " + std::to_string(axis) + " is invalid for " +
                         formatType(input));
  return (*normalized)[0];
}
} // namespace

LogicalResult inferGatherType(std::optional<Location> loc, Type inputType,
                              int64_t axis, Type indexType,
                              llvm::SmallVectorImpl<Type> &results) {
  TensorType input = tensorOf(inputType), index = tensorOf(indexType);
  Type elem = input.getElementType();
  if (!input.hasRank() || !index.hasRank()) {
    results.push_back(UnrankedTensorType::get(elem));
    return success();
  }
  FailureOr<int64_t> a = checkAxis(loc, input, axis, "gather");
  if (failed(a))
    return failure();
  bool matches = index.getRank() == input.getRank();
  for (int64_t d = 0; matches && d < input.getRank(); ++d)
    matches = d == *a || index.getDimSize(d) == input.getDimSize(d) ||
              ShapedType::isDynamic(index.getDimSize(d)) ||
              ShapedType::isDynamic(input.getDimSize(d));
  if (!matches)
    return fail(loc, "gather index " + formatType(index) + " must match " +
                         formatType(input) + " on every axis but " +
                         std::to_string(axis));
  results.push_back(RankedTensorType::get(index.getShape(), elem));
  return success();
}

LogicalResult inferScatterAddType(std::optional<Location> loc, Type inputType,
                                  int64_t axis, Type indexType, Type srcType,
                                  llvm::SmallVectorImpl<Type> &results) {
  TensorType input = tensorOf(inputType), index = tensorOf(indexType),
             src = tensorOf(srcType);
  if (failed(sameElementType(loc, input, src, "scatter_add")))
    return failure();
  if (!input.hasRank() || !index.hasRank() || !src.hasRank()) {
    results.push_back(inputType);
    return success();
  }
  FailureOr<int64_t> a = checkAxis(loc, input, axis, "scatter_add");
  if (failed(a))
    return failure();
  bool matches =
      index.getShape() == src.getShape() && index.getRank() == input.getRank();
  for (int64_t d = 0; matches && d < input.getRank(); ++d)
    matches = d == *a || index.getDimSize(d) == input.getDimSize(d);
  if (!matches)
    return fail(loc, "scatter_add index " + formatType(index) + " and src " +
                         formatType(src) + " must have one shape, " +
                         formatType(input) + "'s on every axis but " +
                         std::to_string(axis));
  results.push_back(inputType);
  return success();
}

LogicalResult inferIndexSelectType(std::optional<Location> loc, Type inputType,
                                   int64_t axis, Type indexType,
                                   llvm::SmallVectorImpl<Type> &results) {
  TensorType input = tensorOf(inputType), index = tensorOf(indexType);
  Type elem = input.getElementType();
  if (index.hasRank() && index.getRank() != 1)
    return fail(loc, "index_select takes a vector of indices, got " +
                         formatType(index));
  if (!input.hasRank() || !index.hasRank()) {
    results.push_back(UnrankedTensorType::get(elem));
    return success();
  }
  FailureOr<int64_t> a = checkAxis(loc, input, axis, "index_select");
  if (failed(a))
    return failure();
  llvm::SmallVector<int64_t> shape(input.getShape());
  shape[*a] = index.getDimSize(0);
  results.push_back(RankedTensorType::get(shape, elem));
  return success();
}

LogicalResult inferTopKType(std::optional<Location> loc, Type inputType,
                            int64_t k, int64_t axis,
                            llvm::SmallVectorImpl<Type> &results) {
  TensorType input = tensorOf(inputType);
  Type i64 = IntegerType::get(input.getContext(), 64);
  if (k < 1)
    return fail(loc, "topk needs k >= 1, got " + std::to_string(k));
  if (!input.hasRank()) {
    results.push_back(input);
    results.push_back(UnrankedTensorType::get(i64));
    return success();
  }
  FailureOr<int64_t> a = checkAxis(loc, input, axis, "topk");
  if (failed(a))
    return failure();
  int64_t size = input.getDimSize(*a);
  if (!ShapedType::isDynamic(size) && k > size)
    return fail(loc, "topk k = " + std::to_string(k) + " exceeds the " +
                         std::to_string(size) + " entries along axis " +
                         std::to_string(axis) + " of " + formatType(input));
  llvm::SmallVector<int64_t> shape(input.getShape());
  shape[*a] = k;
  results.push_back(RankedTensorType::get(shape, input.getElementType()));
  results.push_back(RankedTensorType::get(shape, i64));
  return success();
}

LogicalResult inferSelectScatterType(std::optional<Location> loc,
                                     Type inputType, Type valueType,
                                     int64_t axis, int64_t index,
                                     llvm::SmallVectorImpl<Type> &results) {
  TensorType input = tensorOf(inputType), value = tensorOf(valueType);
  if (failed(sameElementType(loc, input, value, "select_scatter")))
    return failure();
  if (!input.hasRank() || !value.hasRank()) {
    results.push_back(input);
    return success();
  }
  FailureOr<int64_t> a = checkAxis(loc, input, axis, "select_scatter");
  if (failed(a))
    return failure();
  int64_t size = input.getDimSize(*a);
  if (index < 0 || (!ShapedType::isDynamic(size) && index >= size))
    return fail(loc, "select_scatter index " + std::to_string(index) +
                         " is outside [0, " + std::to_string(size) +
                         ") along axis " + std::to_string(axis) + " of " +
                         formatType(input));
  llvm::SmallVector<int64_t> expected(input.getShape());
  expected.erase(expected.begin() + *a);
  auto expectedType = RankedTensorType::get(expected, input.getElementType());
  if (!areCompatibleTensorTypes(expectedType, value))
    return fail(loc, "select_scatter value is " + formatType(value) + " but " +
                         formatType(expectedType) + " fits axis " +
                         std::to_string(axis) + " of " + formatType(input));
  results.push_back(input);
  return success();
}

LogicalResult inferSliceType(std::optional<Location> loc, Type inputType,
                             int64_t axis, int64_t start, int64_t end,
                             bool drop, llvm::SmallVectorImpl<Type> &results) {
  TensorType input = tensorOf(inputType);
  if (!input.hasRank()) {
    results.push_back(input);
    return success();
  }
  FailureOr<int64_t> a = checkAxis(loc, input, axis, "slice");
  if (failed(a))
    return failure();
  int64_t size = input.getDimSize(*a);
  if (start < 0 || end > size || start >= end || (drop && end - start != 1))
    return fail(loc, "slice " + std::to_string(start) + " to " +
                         std::to_string(end) + " of axis " +
                         std::to_string(axis) + " is out of range for " +
                         formatType(input));
  llvm::SmallVector<int64_t> shape(input.getShape());
  if (drop)
    shape.erase(shape.begin() + *a);
  else
    shape[*a] = end - start;
  results.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

LogicalResult inferFlattenType(std::optional<Location> loc, Type inputType,
                               int64_t start, int64_t end,
                               llvm::SmallVectorImpl<Type> &results) {
  TensorType input = tensorOf(inputType);
  if (!input.hasRank()) {
    results.push_back(input);
    return success();
  }
  int64_t rank = std::max<int64_t>(input.getRank(), 1);
  int64_t first = start < 0 ? start + rank : start;
  int64_t last = end < 0 ? end + rank : end;
  if (first < 0 || last >= rank || first > last)
    return fail(loc, "flatten axes " + std::to_string(start) + " to " +
                         std::to_string(end) + " are invalid for " +
                         formatType(input));
  llvm::SmallVector<int64_t> shape;
  for (int64_t i = 0; i < input.getRank(); ++i) {
    if (i > first && i <= last)
      shape.back() *= input.getDimSize(i);
    else
      shape.push_back(input.getDimSize(i));
  }
  if (input.getRank() == 0)
    shape.push_back(1);
  results.push_back(RankedTensorType::get(shape, input.getElementType()));
  return success();
}

} // namespace mlir::weft
