//===- MLIRGenIndexing.cpp - Built-ins that index, select and scan --------===//
//
// The built-ins that read or write tensors at positions computed at run
// time (gather, index_select, topk) or fixed at compile time (split,
// select_scatter), permute, and the running sums and products. topk and
// split give several values, assigned with `a, b = ...`.
//
//===----------------------------------------------------------------------===//

#include "MLIRGenImpl.h"

using namespace mlir;
using namespace mlir::weft;

namespace {
const llvm::StringRef indexingBuiltins[] = {
    "gather",  "index_select",   "cumsum", "cumprod",
    "permute", "select_scatter", "topk",   "split"};
} // namespace

bool MLIRGenImpl::isIndexingBuiltin(llvm::StringRef name) {
  return llvm::is_contained(indexingBuiltins, name);
}

Value MLIRGenImpl::genIndexTensor(const ExprAST &expr, llvm::StringRef op) {
  Value index = genExpr(expr, Type());
  if (index && !isIndexType(elementTypeOf(index))) {
    error(expr.getLoc()) << "the index of " << op
                         << " must be an integer tensor (i32 or i64), got "
                         << formatType(index.getType());
    return nullptr;
  }
  return index;
}

FailureOr<llvm::SmallVector<Value>>
MLIRGenImpl::genIndexingBuiltin(const CallExprAST &call) {
  llvm::StringRef name = call.callee;
  Location at = loc(call.getLoc());
  auto one = [](Value value) -> FailureOr<llvm::SmallVector<Value>> {
    if (!value)
      return failure();
    return llvm::SmallVector<Value>{value};
  };

  if (name == "gather" || name == "index_select") {
    auto args = bindArguments(call, {"x", "axis", "index"}, 3);
    if (failed(args))
      return failure();
    Value x = genExpr(*(*args)[0], Type());
    std::optional<int64_t> axis = x ? evalInt(*(*args)[1]) : std::nullopt;
    Value index = axis ? genIndexTensor(*(*args)[2], name) : nullptr;
    if (!index)
      return failure();
    auto axisAttr = builder.getI64IntegerAttr(*axis);
    if (name == "gather")
      return one(typed(
          GatherOp::create(builder, at, unranked(x), x, axisAttr, index)));
    return one(typed(
        IndexSelectOp::create(builder, at, unranked(x), x, axisAttr, index)));
  }

  if (name == "cumsum" || name == "cumprod") {
    auto args = bindArguments(call, {"x", "axis"}, 2);
    if (failed(args))
      return failure();
    Value x = genExpr(*(*args)[0], Type());
    std::optional<int64_t> axis = x ? evalInt(*(*args)[1]) : std::nullopt;
    if (!axis)
      return failure();
    auto axisAttr = builder.getI64IntegerAttr(*axis);
    if (name == "cumsum")
      return one(
          typed(CumsumOp::create(builder, at, unranked(x), x, axisAttr)));
    return one(typed(CumprodOp::create(builder, at, unranked(x), x, axisAttr)));
  }

  if (name == "permute") {
    // PyTorch's name for transpose with a full permutation.
    auto args = bindArguments(call, {"x", "dims"}, 2);
    if (failed(args))
      return failure();
    Value x = genExpr(*(*args)[0], Type());
    auto dims = x ? evalIntList(*(*args)[1]) : std::nullopt;
    if (!dims)
      return failure();
    return one(typed(TransposeOp::create(builder, at, unranked(x), x,
                                         builder.getDenseI64ArrayAttr(*dims))));
  }

  if (name == "select_scatter") {
    auto args = bindArguments(call, {"x", "value", "axis", "index"}, 4);
    if (failed(args))
      return failure();
    Value x = genExpr(*(*args)[0], Type());
    Value value = x ? genExpr(*(*args)[1], elementTypeOf(x)) : nullptr;
    std::optional<int64_t> axis = value ? evalInt(*(*args)[2]) : std::nullopt;
    std::optional<int64_t> index = axis ? evalInt(*(*args)[3]) : std::nullopt;
    if (!index)
      return failure();
    if (elementTypeOf(x) != elementTypeOf(value))
      return error(call.getLoc())
             << "dtype mismatch: " << formatType(x.getType()) << " and "
             << formatType(value.getType());
    return one(typed(SelectScatterOp::create(
        builder, at, unranked(x), x, value, builder.getI64IntegerAttr(*axis),
        builder.getI64IntegerAttr(*index))));
  }

  if (name == "topk") {
    auto args = bindArguments(call, {"x", "k", "axis"}, 2);
    if (failed(args))
      return failure();
    Value x = genExpr(*(*args)[0], Type());
    std::optional<int64_t> k = x ? evalInt(*(*args)[1]) : std::nullopt;
    std::optional<int64_t> axis =
        k ? ((*args)[2] ? evalInt(*(*args)[2]) : -1) : std::nullopt;
    if (!axis)
      return failure();
    auto op = TopKOp::create(
        builder, at, unranked(x), UnrankedTensorType::get(builder.getI64Type()),
        x, builder.getI64IntegerAttr(*k), builder.getI64IntegerAttr(*axis));
    if (!typed(op))
      return failure();
    return llvm::SmallVector<Value>{op.getValues(), op.getIndices()};
  }

  // split(x, size, axis=0), as torch.split: pieces of `size` along the axis
  // (the last one shorter when the size does not divide the axis), or of
  // the sizes of a list.
  assert(name == "split" && "every indexing built-in is handled");
  auto args = bindArguments(call, {"x", "size", "axis"}, 2);
  if (failed(args))
    return failure();
  Value x = genExpr(*(*args)[0], Type());
  auto sizes = x ? evalIntList(*(*args)[1]) : std::nullopt;
  std::optional<int64_t> axis =
      sizes ? ((*args)[2] ? evalInt(*(*args)[2]) : 0) : std::nullopt;
  if (!axis)
    return failure();
  // With a list the pieces are known; with one size, the axis length says
  // how many there are. Slicing checks the bounds.
  bool isList = llvm::isa<ListExprAST>((*args)[1]);
  int64_t length = llvm::sum_of(*sizes);
  auto type = dyn_cast<RankedTensorType>(x.getType());
  std::optional<llvm::SmallVector<int64_t>> normalized;
  if (type && (normalized = normalizeAxes({*axis}, type.getRank())) &&
      !ShapedType::isDynamic(type.getDimSize((*normalized)[0])))
    length = type.getDimSize((*normalized)[0]);
  else if (!isList)
    return error(call.getLoc())
           << "split into pieces of one size needs the length of axis " << *axis
           << ", unknown for " << formatType(x.getType())
           << "; give the sizes as a list or declare the parameter's type";
  if (llvm::any_of(*sizes, [](int64_t s) { return s < 1; }) ||
      (isList && llvm::sum_of(*sizes) != length))
    return error((*args)[1]->getLoc())
           << "split sizes must be positive"
           << (isList ? " and add up to " + std::to_string(length) : "");
  llvm::SmallVector<Value> pieces;
  for (int64_t start = 0, i = 0; start < length; ++i) {
    int64_t size = isList ? (*sizes)[i] : (*sizes)[0];
    int64_t end = std::min(start + size, length);
    Value piece = typed(SliceOp::create(
        builder, at, unranked(x), x, builder.getI64IntegerAttr(*axis),
        builder.getI64IntegerAttr(start), builder.getI64IntegerAttr(end),
        UnitAttr()));
    if (!piece)
      return failure();
    pieces.push_back(piece);
    start = end;
  }
  return pieces;
}
