//===- TypeInference.cpp - Result types of weft operations ----------------===//

#include "weft/Dialect/Weft/IR/TypeInference.h"

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

std::string formatType(Type type) {
  auto tensor = dyn_cast<TensorType>(type);
  if (!tensor) {
    std::string text;
    llvm::raw_string_ostream os(text);
    os << type;
    return text;
  }
  std::string elem;
  llvm::raw_string_ostream os(elem);
  os << tensor.getElementType();
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

LogicalResult inferMatmulType(std::optional<Location> loc, Type lhsType,
                              Type rhsType,
                              llvm::SmallVectorImpl<Type> &results) {
  TensorType lhs = tensorOf(lhsType), rhs = tensorOf(rhsType);
  if (failed(sameElementType(loc, lhs, rhs, "matmul")))
    return failure();
  Type elem = lhs.getElementType();
  if ((lhs.hasRank() && lhs.getRank() != 2) ||
      (rhs.hasRank() && rhs.getRank() != 2))
    return fail(loc, "matmul needs two matrices, got " + formatType(lhs) +
                         " and " + formatType(rhs));
  if (!lhs.hasRank() || !rhs.hasRank()) {
    results.push_back(UnrankedTensorType::get(elem));
    return success();
  }
  int64_t k1 = lhs.getDimSize(1), k2 = rhs.getDimSize(0);
  if (!ShapedType::isDynamic(k1) && !ShapedType::isDynamic(k2) && k1 != k2)
    return fail(loc, "matmul inner dimensions differ: " + formatType(lhs) +
                         " and " + formatType(rhs));
  results.push_back(
      RankedTensorType::get({lhs.getDimSize(0), rhs.getDimSize(1)}, elem));
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
                               llvm::ArrayRef<int64_t> shape,
                               llvm::SmallVectorImpl<Type> &results) {
  TensorType input = tensorOf(inputType);
  Type elem = input.getElementType();
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

} // namespace mlir::weft
