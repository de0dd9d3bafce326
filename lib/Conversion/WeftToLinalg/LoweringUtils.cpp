//===- LoweringUtils.cpp - Helpers shared by the weft lowerings -----------===//

#include "LoweringUtils.h"

#include "weft/Conversion/Divisors.h"
#include "weft/Conversion/WeftToLinalg/WeftToLinalg.h"
#include "weft/Dialect/Weft/IR/WeftOps.h"
#include "weft/Runtime/ABI.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::weft;

bool mlir::weft::isInFusionGroup(Operation *op, FusionKind kind) {
  auto group = dyn_cast_if_present<FusedOp>(op->getParentOp());
  return group && group.getKind() == kind;
}

RankedTensorType mlir::weft::getStaticResultType(Operation *op) {
  auto type = dyn_cast<RankedTensorType>(op->getResult(0).getType());
  return type && type.hasStaticShape() ? type : RankedTensorType();
}

AffineMap mlir::weft::getBroadcastMap(RankedTensorType operand,
                                      RankedTensorType result) {
  MLIRContext *ctx = operand.getContext();
  int64_t offset = result.getRank() - operand.getRank();
  llvm::SmallVector<AffineExpr> exprs;
  for (int64_t i = 0; i < operand.getRank(); ++i) {
    bool stretched =
        operand.getDimSize(i) == 1 && result.getDimSize(i + offset) != 1;
    exprs.push_back(stretched ? getAffineConstantExpr(0, ctx)
                              : getAffineDimExpr(i + offset, ctx));
  }
  return AffineMap::get(result.getRank(), 0, exprs, ctx);
}

Value mlir::weft::buildParallelGeneric(OpBuilder &b, Location loc,
                                       RankedTensorType resultType,
                                       ValueRange inputs,
                                       llvm::ArrayRef<AffineMap> inputMaps,
                                       ScalarBuilder body) {
  llvm::SmallVector<AffineMap> maps(inputMaps);
  maps.push_back(b.getMultiDimIdentityMap(resultType.getRank()));
  llvm::SmallVector<utils::IteratorType> iterators(
      resultType.getRank(), utils::IteratorType::parallel);
  Value init = tensor::EmptyOp::create(b, loc, resultType.getShape(),
                                       resultType.getElementType());
  auto generic = linalg::GenericOp::create(
      b, loc, resultType, inputs, init, maps, iterators,
      [&](OpBuilder &nested, Location nestedLoc, ValueRange args) {
        Value value = body(nested, nestedLoc, args.drop_back());
        linalg::YieldOp::create(nested, nestedLoc, value);
      });
  return generic.getResult(0);
}

Value mlir::weft::buildElementwise(OpBuilder &b, Location loc,
                                   RankedTensorType resultType,
                                   ValueRange inputs, ScalarBuilder body) {
  llvm::SmallVector<AffineMap> maps;
  for (Value input : inputs)
    maps.push_back(
        getBroadcastMap(cast<RankedTensorType>(input.getType()), resultType));
  return buildParallelGeneric(b, loc, resultType, inputs, maps, body);
}

AffineMap mlir::weft::getAxisMap(MLIRContext *ctx, int64_t rank, int64_t axis) {
  return AffineMap::get(rank, 0, getAffineDimExpr(axis, ctx));
}

Value mlir::weft::buildFilled(OpBuilder &b, Location loc, RankedTensorType type,
                              TypedAttr value) {
  Value init =
      tensor::EmptyOp::create(b, loc, type.getShape(), type.getElementType());
  Value scalar = arith::ConstantOp::create(b, loc, value);
  return linalg::FillOp::create(b, loc, scalar, init).getResult(0);
}

Value mlir::weft::buildReshape(OpBuilder &b, Location loc, Value value,
                               RankedTensorType type) {
  auto shapeType = RankedTensorType::get({type.getRank()}, b.getIndexType());
  auto shapeAttr = DenseIntElementsAttr::get(
      shapeType,
      llvm::to_vector_of<llvm::APInt>(llvm::map_range(
          type.getShape(), [](int64_t d) { return llvm::APInt(64, d); })));
  Value shape = arith::ConstantOp::create(b, loc, shapeAttr);
  return tensor::ReshapeOp::create(b, loc, type, value, shape);
}

AffineMap mlir::weft::getDroppingMap(MLIRContext *ctx, int64_t rank,
                                     llvm::ArrayRef<int64_t> axes) {
  llvm::SmallVector<AffineExpr> exprs;
  for (int64_t i = 0; i < rank; ++i)
    if (!llvm::is_contained(axes, i))
      exprs.push_back(getAffineDimExpr(i, ctx));
  return AffineMap::get(rank, 0, exprs, ctx);
}

Value mlir::weft::buildReduction(OpBuilder &b, Location loc, Value input,
                                 llvm::ArrayRef<int64_t> axes,
                                 TypedAttr identity, CombineBuilder combine) {
  auto inputType = cast<RankedTensorType>(input.getType());
  int64_t rank = inputType.getRank();
  llvm::SmallVector<int64_t> keptShape;
  for (int64_t i = 0; i < rank; ++i)
    if (!llvm::is_contained(axes, i))
      keptShape.push_back(inputType.getDimSize(i));
  auto reducedType =
      RankedTensorType::get(keptShape, inputType.getElementType());
  return buildReductionInto(
      b, loc, input, axes, buildFilled(b, loc, reducedType, identity), combine);
}

namespace {
/// `value` with axis `axis` of size `n * block` split into `[n, block]`.
Value splitAxis(OpBuilder &b, Location loc, Value value, int64_t axis,
                int64_t block) {
  auto type = cast<RankedTensorType>(value.getType());
  llvm::SmallVector<int64_t> shape(type.getShape());
  shape[axis] /= block;
  shape.insert(shape.begin() + axis + 1, block);
  llvm::SmallVector<ReassociationIndices> groups;
  for (int64_t i = 0; i < type.getRank(); ++i)
    groups.push_back(i < axis    ? ReassociationIndices{i}
                     : i == axis ? ReassociationIndices{i, i + 1}
                                 : ReassociationIndices{i + 1});
  return tensor::ExpandShapeOp::create(
      b, loc, RankedTensorType::get(shape, type.getElementType()), value,
      groups);
}

/// `value` with axis `axis` padded at its end with zeros to `size`.
Value padAxisWithZeros(OpBuilder &b, Location loc, Value value, int64_t axis,
                       int64_t size) {
  auto type = cast<RankedTensorType>(value.getType());
  llvm::SmallVector<int64_t> shape(type.getShape());
  llvm::SmallVector<OpFoldResult> low(type.getRank(), b.getIndexAttr(0));
  llvm::SmallVector<OpFoldResult> high = low;
  high[axis] = b.getIndexAttr(size - shape[axis]);
  shape[axis] = size;
  Value zero = arith::ConstantOp::create(
      b, loc, b.getFloatAttr(type.getElementType(), 0.0));
  return tensor::PadOp::create(
      b, loc, RankedTensorType::get(shape, type.getElementType()), value, low,
      high, zero);
}
} // namespace

Value mlir::weft::buildSum(OpBuilder &b, Location loc, Value input,
                           llvm::ArrayRef<int64_t> unsortedAxes,
                           int64_t maxBlock, ScalarBuilder term) {
  llvm::SmallVector<int64_t> axes(unsortedAxes);
  llvm::sort(axes);
  Type elem = cast<RankedTensorType>(input.getType()).getElementType();
  TypedAttr zero = b.getFloatAttr(elem, 0.0);
  // One stage: `term` applies to the input's elements, plain addition to
  // the partial sums of the stages after the first.
  auto sumStage = [&](Value value, llvm::ArrayRef<int64_t> stageAxes) {
    Value sum = buildReduction(
        b, loc, value, stageAxes, zero,
        [&](OpBuilder &nb, Location nl, Value acc, Value x) -> Value {
          Value t = term ? term(nb, nl, x) : x;
          return arith::AddFOp::create(nb, nl, acc, t);
        });
    term = {};
    return sum;
  };
  auto sizeOf = [&](Value value, int64_t axis) {
    return cast<RankedTensorType>(value.getType()).getDimSize(axis);
  };
  while (true) {
    int64_t count = 1;
    for (int64_t axis : axes)
      count *= sizeOf(input, axis);
    if (count <= maxBlock)
      return sumStage(input, axes);
    // The trailing reduced axes that fit a block together; the remaining
    // axes come before them and keep their positions.
    size_t first = axes.size();
    int64_t group = 1;
    while (first > 0 && group * sizeOf(input, axes[first - 1]) <= maxBlock)
      group *= sizeOf(input, axes[--first]);
    if (first < axes.size()) {
      input = sumStage(input, llvm::ArrayRef(axes).drop_front(first));
      axes.resize(first);
      continue;
    }
    // The last reduced axis alone exceeds a block: sum it block by block.
    int64_t axis = axes.back();
    int64_t size = sizeOf(input, axis);
    int64_t block = largestDivisor(size, maxBlock);
    if (block < maxBlock / 4) {
      // Zeros pad the sum only once `term` has been applied (`exp(0)` is
      // not 0).
      if (term) {
        auto type = cast<RankedTensorType>(input.getType());
        input = buildParallelGeneric(
            b, loc, type, input, b.getMultiDimIdentityMap(type.getRank()),
            [&](OpBuilder &nb, Location nl, ValueRange x) {
              return term(nb, nl, x[0]);
            });
        term = {};
      }
      block = maxBlock;
      input =
          padAxisWithZeros(b, loc, input, axis, llvm::alignTo(size, maxBlock));
    }
    input = sumStage(splitAxis(b, loc, input, axis, block), {axis + 1});
  }
}

Value mlir::weft::buildReductionInto(OpBuilder &b, Location loc, Value input,
                                     llvm::ArrayRef<int64_t> axes, Value init,
                                     CombineBuilder combine) {
  int64_t rank = cast<RankedTensorType>(input.getType()).getRank();
  llvm::SmallVector<utils::IteratorType> iterators;
  for (int64_t i = 0; i < rank; ++i)
    iterators.push_back(llvm::is_contained(axes, i)
                            ? utils::IteratorType::reduction
                            : utils::IteratorType::parallel);
  llvm::SmallVector<AffineMap> maps = {
      b.getMultiDimIdentityMap(rank),
      getDroppingMap(b.getContext(), rank, axes)};
  auto generic = linalg::GenericOp::create(
      b, loc, init.getType(), input, init, maps, iterators,
      [&](OpBuilder &nested, Location bodyLoc, ValueRange args) {
        linalg::YieldOp::create(nested, bodyLoc,
                                combine(nested, bodyLoc, args[1], args[0]));
      });
  return generic.getResult(0);
}

Value mlir::weft::buildChannelInit(OpBuilder &b, Location loc,
                                   RankedTensorType type, Value bias) {
  if (!bias)
    return buildFilled(b, loc, type,
                       b.getFloatAttr(type.getElementType(), 0.0));
  return buildParallelGeneric(
      b, loc, type, bias, getAxisMap(b.getContext(), type.getRank(), 1),
      [](OpBuilder &, Location, ValueRange x) { return x[0]; });
}

void mlir::weft::buildMultiplyAccumulate(OpBuilder &b, Location loc,
                                         ValueRange args) {
  // A sum of products may be reassociated and contracted into FMAs, as
  // every BLAS does: LLVM can then vectorize reductions over k.
  auto flags = arith::FastMathFlags::reassoc | arith::FastMathFlags::contract;
  Value product = arith::MulFOp::create(b, loc, args[0], args[1], flags);
  linalg::YieldOp::create(
      b, loc,
      arith::AddFOp::create(b, loc, args[2], product, flags).getResult());
}

void mlir::weft::buildCheckFailure(OpBuilder &b, Location loc, Value failed,
                                   IntegerAttr site, Value index, Value size) {
  scf::IfOp::create(b, loc, failed, [&](OpBuilder &then, Location l) {
    Value number = arith::ConstantOp::create(then, l, site);
    func::CallOp::create(then, l, kIndexErrorFunction, TypeRange{},
                         ValueRange{number, index, size});
    scf::YieldOp::create(then, l);
  });
}

Value mlir::weft::buildCheckedIndex(OpBuilder &b, Location loc, Value index,
                                    int64_t size, IntegerAttr site) {
  Type i64 = b.getI64Type();
  Value wide = index.getType() == i64
                   ? index
                   : Value(arith::ExtSIOp::create(b, loc, i64, index));
  Value zero = arith::ConstantOp::create(b, loc, b.getI64IntegerAttr(0));
  Value limit = arith::ConstantOp::create(b, loc, b.getI64IntegerAttr(size));
  Value outside = arith::OrIOp::create(
      b, loc,
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, wide, zero),
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::sge, wide, limit));
  if (site)
    buildCheckFailure(b, loc, outside, site, wide, limit);
  Value clamped = arith::SelectOp::create(b, loc, outside, zero, wide);
  return arith::IndexCastOp::create(b, loc, b.getIndexType(), clamped);
}
