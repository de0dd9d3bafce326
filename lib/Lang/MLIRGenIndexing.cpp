//===- MLIRGenIndexing.cpp - Built-ins that index, select and scan --------===//
//
// The second part of the table of built-in functions: those that read or
// write tensors at positions computed at run time (gather, index_select,
// topk) or fixed at compile time (split, select_scatter), permute, and the
// running sums and products. topk and split give several values, assigned
// with `a, b = ...`.
//
//===----------------------------------------------------------------------===//

#include "MLIRGenImpl.h"

using namespace mlir;
using namespace mlir::weft;

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

namespace {
/// gather(x, axis, index) and index_select(x, axis, index).
template <typename Op> BuiltinValues byIndex(BoundCall &c) {
  Value x = c.tensor(0);
  std::optional<int64_t> axis = x ? c.integer(1) : std::nullopt;
  Value index = axis ? c.gen.genIndexTensor(c.expr(2), c.name()) : nullptr;
  if (!index)
    return failure();
  return oneValue(
      c.gen.typed(Op::create(c.gen.builder, c.at(), c.gen.unranked(x), x,
                             c.gen.builder.getI64IntegerAttr(*axis), index)));
}

BuiltinValues selectScatter(BoundCall &c) {
  Value x = c.tensor(0);
  Value value = x ? c.tensor(1, c.gen.elementTypeOf(x)) : nullptr;
  std::optional<int64_t> axis = value ? c.integer(2) : std::nullopt;
  std::optional<int64_t> index = axis ? c.integer(3) : std::nullopt;
  if (!index)
    return failure();
  if (c.gen.elementTypeOf(x) != c.gen.elementTypeOf(value))
    return c.gen.error(c.call.getLoc())
           << "dtype mismatch: " << formatType(x.getType()) << " and "
           << formatType(value.getType());
  OpBuilder &b = c.gen.builder;
  return oneValue(c.gen.typed(SelectScatterOp::create(
      b, c.at(), c.gen.unranked(x), x, value, b.getI64IntegerAttr(*axis),
      b.getI64IntegerAttr(*index))));
}

/// topk(x, k, axis=-1): the values and their indices.
BuiltinValues topk(BoundCall &c) {
  Value x = c.tensor(0);
  std::optional<int64_t> k = x ? c.integer(1) : std::nullopt;
  std::optional<int64_t> axis = k ? c.integer(2) : std::nullopt;
  if (!axis)
    return failure();
  OpBuilder &b = c.gen.builder;
  auto op = TopKOp::create(b, c.at(), c.gen.unranked(x),
                           UnrankedTensorType::get(b.getI64Type()), x,
                           b.getI64IntegerAttr(*k), b.getI64IntegerAttr(*axis));
  if (!c.gen.typed(op))
    return failure();
  return llvm::SmallVector<Value>{op.getValues(), op.getIndices()};
}

/// split(x, size, axis=0), as torch.split: pieces of `size` along the axis
/// (the last one shorter when the size does not divide the axis), or of the
/// sizes of a list.
BuiltinValues split(BoundCall &c) {
  Value x = c.tensor(0);
  auto sizes = x ? c.intList(1) : std::nullopt;
  std::optional<int64_t> axis = sizes ? c.integer(2) : std::nullopt;
  if (!axis)
    return failure();
  // With a list the pieces are known; with one size, the axis length says
  // how many there are. Slicing checks the bounds.
  bool isList = llvm::isa<ListExprAST>(c.expr(1));
  int64_t length = llvm::sum_of(*sizes);
  auto type = dyn_cast<RankedTensorType>(x.getType());
  std::optional<llvm::SmallVector<int64_t>> normalized;
  if (type && (normalized = normalizeAxes({*axis}, type.getRank())) &&
      !ShapedType::isDynamic(type.getDimSize((*normalized)[0])))
    length = type.getDimSize((*normalized)[0]);
  else if (!isList)
    return c.gen.error(c.call.getLoc())
           << "split into pieces of one size needs the length of axis " << *axis
           << ", unknown for " << formatType(x.getType())
           << "; give the sizes as a list or declare the parameter's type";
  if (llvm::any_of(*sizes, [](int64_t s) { return s < 1; }) ||
      (isList && llvm::sum_of(*sizes) != length))
    return c.gen.error(c.locOf(1))
           << "split sizes must be positive"
           << (isList ? " and add up to " + std::to_string(length) : "");
  OpBuilder &b = c.gen.builder;
  llvm::SmallVector<Value> pieces;
  for (int64_t start = 0, i = 0; start < length; ++i) {
    int64_t size = isList ? (*sizes)[i] : (*sizes)[0];
    int64_t end = std::min(start + size, length);
    Value piece = c.gen.typed(SliceOp::create(
        b, c.at(), c.gen.unranked(x), x, b.getI64IntegerAttr(*axis),
        b.getI64IntegerAttr(start), b.getI64IntegerAttr(end), UnitAttr()));
    if (!piece)
      return failure();
    pieces.push_back(piece);
    start = end;
  }
  return pieces;
}

const BuiltinFunction indexingBuiltins[] = {
    {"gather", "x, axis, index", byIndex<GatherOp>},
    {"index_select", "x, axis, index", byIndex<IndexSelectOp>},
    {"cumsum", "x, axis", withInteger<CumsumOp>},
    {"cumprod", "x, axis", withInteger<CumprodOp>},
    // PyTorch's name for transpose with a full permutation.
    {"permute", "x, dims", withList<TransposeOp>},
    {"select_scatter", "x, value, axis, index", selectScatter},
    {"topk", "x, k, axis=-1", topk},
    {"split", "x, size, axis=0", split},
};
} // namespace

llvm::ArrayRef<BuiltinFunction> mlir::weft::indexingBuiltinFunctions() {
  return indexingBuiltins;
}
