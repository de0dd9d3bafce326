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
/// The positions Python's `start:end:step` takes from an axis of `size`
/// (slice.indices), absent parts as None.
llvm::SmallVector<int64_t> slicePositions(std::optional<int64_t> start,
                                          std::optional<int64_t> end,
                                          int64_t step, int64_t size) {
  int64_t lower = step < 0 ? -1 : 0, upper = step < 0 ? size - 1 : size;
  auto clamp = [&](std::optional<int64_t> bound, int64_t absent) {
    if (!bound)
      return absent;
    int64_t b = *bound < 0 ? std::max(*bound, -size - 1) + size : *bound;
    return b < 0 ? lower : std::min(b, upper);
  };
  int64_t first = clamp(start, step < 0 ? upper : lower);
  int64_t stop = clamp(end, step < 0 ? lower : upper);
  llvm::SmallVector<int64_t> positions;
  for (int64_t i = first; step > 0 ? i < stop : i > stop; i += step)
    positions.push_back(i);
  return positions;
}
} // namespace

Value MLIRGenImpl::genIndex(const IndexExprAST &expr) {
  Value x = genExpr(*expr.base, Type());
  if (!x)
    return nullptr;
  auto rankOf = [&] {
    auto ranked = dyn_cast<RankedTensorType>(x.getType());
    return ranked ? std::optional<int64_t>(ranked.getRank()) : std::nullopt;
  };
  // The size of `axis` of the value indexed so far, if known.
  auto sizeOf = [&](int64_t axis) -> std::optional<int64_t> {
    auto ranked = dyn_cast<RankedTensorType>(x.getType());
    if (!ranked || axis >= ranked.getRank() || ranked.isDynamicDim(axis))
      return std::nullopt;
    return ranked.getDimSize(axis);
  };
  int64_t explicitAxes = llvm::count_if(expr.subscripts, [](const auto &s) {
    return s.kind != SubscriptAST::Ellipsis;
  });
  if (std::optional<int64_t> rank = rankOf(); rank && explicitAxes > *rank)
    return error(expr.getLoc()) << "too many indices (" << explicitAxes
                                << ") for " << formatType(x.getType()),
           nullptr;
  OpBuilder &b = builder;
  auto slice = [&](const SubscriptAST &s, int64_t axis, int64_t start,
                   int64_t end, bool drop) {
    x = typed(SliceOp::create(
        b, loc(s.loc), unranked(x), x, b.getI64IntegerAttr(axis),
        b.getI64IntegerAttr(start), b.getI64IntegerAttr(end),
        drop ? b.getUnitAttr() : UnitAttr()));
  };
  auto needSize = [&](const SubscriptAST &s, int64_t axis) {
    error(s.loc) << "this subscript needs the size of axis " << axis
                 << ", which is not known here (a parameter without a "
                    "type); give the parameter a type, or index with "
                    "non-negative bounds";
  };
  bool seenEllipsis = false;
  int64_t axis = 0;
  for (const SubscriptAST &s : expr.subscripts) {
    if (s.kind == SubscriptAST::Ellipsis) {
      std::optional<int64_t> rank = rankOf();
      if (seenEllipsis || !rank)
        return error(s.loc) << (seenEllipsis ? "only one '...' may index a "
                                               "tensor"
                                             : "'...' needs the rank of the "
                                               "indexed tensor, which is not "
                                               "known here; give the "
                                               "parameter a type"),
               nullptr;
      seenEllipsis = true;
      // It stands for the axes the subscripts after it leave: each of
      // those takes one axis.
      int64_t after = expr.subscripts.data() + expr.subscripts.size() - &s - 1;
      axis = *rank - after;
      continue;
    }
    std::optional<int64_t> size = sizeOf(axis);
    if (s.kind == SubscriptAST::Index && !isCompileTimeInteger(*s.index)) {
      // A vector of indices picks slices along the axis.
      Value index = genIndexTensor(*s.index, "a subscript");
      if (!index)
        return nullptr;
      x = typed(IndexSelectOp::create(b, loc(s.loc), unranked(x), x,
                                      b.getI64IntegerAttr(axis), index));
      if (!x)
        return nullptr;
      ++axis;
      continue;
    }
    if (s.kind == SubscriptAST::Index) {
      std::optional<int64_t> index = evalInt(*s.index);
      if (!index)
        return nullptr;
      if (*index < 0 && !size)
        return needSize(s, axis), nullptr;
      int64_t i = *index < 0 ? *index + *size : *index;
      if (size && (i < 0 || i >= *size))
        return error(s.loc)
                   << "index " << *index << " is out of range for axis " << axis
                   << " of size " << *size,
               nullptr;
      slice(s, axis, i, i + 1, /*drop=*/true);
      if (!x)
        return nullptr;
      continue;
    }
    // `:` keeps the axis whole.
    if (!s.start && !s.end && !s.step) {
      ++axis;
      continue;
    }
    auto bound = [&](const ExprPtr &part) -> FailureOr<std::optional<int64_t>> {
      if (!part)
        return std::optional<int64_t>();
      std::optional<int64_t> value = evalInt(*part);
      if (!value)
        return failure();
      return value;
    };
    FailureOr<std::optional<int64_t>> start = bound(s.start),
                                      end = bound(s.end), step = bound(s.step);
    if (failed(start) || failed(end) || failed(step))
      return nullptr;
    int64_t by = step->value_or(1);
    if (by == 0)
      return error(s.step->getLoc()) << "a slice's step must not be 0", nullptr;
    // `a:b` with both known not to need the size is a slice of the op's
    // own, whose range is checked once the shape is known.
    bool plain = by == 1 && start->value_or(0) >= 0 && *end && **end >= 0;
    if (!size && !plain)
      return needSize(s, axis), nullptr;
    if (!size) {
      slice(s, axis, start->value_or(0), **end, /*drop=*/false);
    } else {
      llvm::SmallVector<int64_t> positions =
          slicePositions(*start, *end, by, *size);
      if (positions.empty())
        return error(s.loc)
                   << "this slice selects nothing from axis " << axis
                   << " of size " << *size << " (weft's sizes are positive)",
               nullptr;
      if (by == 1) {
        slice(s, axis, positions.front(), positions.back() + 1,
              /*drop=*/false);
      } else {
        // Every `step`-th position: the slices of a constant index vector.
        auto type =
            RankedTensorType::get({int64_t(positions.size())}, b.getI64Type());
        Value index = ConstantOp::create(
            b, loc(s.loc),
            DenseElementsAttr::get(type, llvm::ArrayRef(positions)));
        x = typed(IndexSelectOp::create(b, loc(s.loc), unranked(x), x,
                                        b.getI64IntegerAttr(axis), index));
      }
    }
    if (!x)
      return nullptr;
    ++axis;
  }
  return x;
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
