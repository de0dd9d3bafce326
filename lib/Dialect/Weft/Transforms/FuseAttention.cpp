//===- FuseAttention.cpp - Attention as one fusion group ------------------===//
//
// Attention written out — `softmax(q @ transpose(k) * c) @ v`, the scale a
// constant multiplying or dividing the scores — becomes `weft.attention`,
// and each `weft.attention` becomes a group of its own, which the lowering
// computes flash-style: key block by key block, without the score matrix.
//
//===----------------------------------------------------------------------===//

#include "FusionGroups.h"
#include "weft/Dialect/Weft/Transforms/Passes.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/Matchers.h"

namespace mlir::weft {
#define GEN_PASS_DEF_WEFTFUSEATTENTION
#include "weft/Dialect/Weft/Transforms/Passes.h.inc"
} // namespace mlir::weft

using namespace mlir;
using namespace mlir::weft;

namespace {
/// The defining op of `value` if it is an `Op` whose result has no other use.
template <typename Op> Op getSoleProducer(Value value) {
  auto op = value.getDefiningOp<Op>();
  return op && op->getResult(0).hasOneUse() ? op : Op();
}

/// The value of a constant with a single element.
std::optional<double> getScalarConstant(Value value) {
  DenseFPElementsAttr attr;
  if (!matchPattern(value, m_Constant(&attr)) || attr.getNumElements() != 1)
    return std::nullopt;
  return (*attr.value_begin<APFloat>()).convertToDouble();
}

/// Whether `perm` swaps the last two axes and keeps the others.
bool swapsLastTwo(llvm::ArrayRef<int64_t> perm) {
  int64_t rank = perm.size();
  for (int64_t i = 0; i < rank - 2; ++i)
    if (perm[i] != i)
      return false;
  return rank >= 2 && perm[rank - 2] == rank - 1 && perm[rank - 1] == rank - 2;
}

/// Raises `probs @ v`, where `probs` is the softmax of scaled query-key
/// products, to `weft.attention`.
void raiseAttention(MatmulOp root) {
  auto softmax = getSoleProducer<SoftmaxOp>(root.getLhs());
  auto type = dyn_cast<RankedTensorType>(root.getLhs().getType());
  if (!softmax || !type ||
      (static_cast<int64_t>(softmax.getAxis()) != -1 &&
       static_cast<int64_t>(softmax.getAxis()) != type.getRank() - 1))
    return;
  Value scores = softmax.getInput();
  double scale = 1.0;
  Operation *scaling = nullptr;
  if (auto div = getSoleProducer<DivOp>(scores)) {
    std::optional<double> c = getScalarConstant(div.getRhs());
    if (!c)
      return;
    scale = 1.0 / *c;
    scores = div.getLhs();
    scaling = div;
  } else if (auto mul = getSoleProducer<MulOp>(scores)) {
    std::optional<double> c = getScalarConstant(mul.getRhs());
    scores = mul.getLhs();
    if (!c) {
      c = getScalarConstant(mul.getLhs());
      scores = mul.getRhs();
    }
    if (!c)
      return;
    scale = *c;
    scaling = mul;
  }
  auto product = getSoleProducer<MatmulOp>(scores);
  if (!product || product.getType() != softmax.getType())
    return;

  Value query = product.getLhs(), value = root.getRhs();
  auto queryType = dyn_cast<RankedTensorType>(query.getType());
  auto valueType = dyn_cast<RankedTensorType>(value.getType());
  auto keyTType = dyn_cast<RankedTensorType>(product.getRhs().getType());
  if (!queryType || !valueType || !keyTType || queryType.getRank() < 2 ||
      !queryType.hasStaticShape() || !valueType.hasStaticShape() ||
      !keyTType.hasStaticShape())
    return;
  // weft.attention wants equal batch dimensions; matmul broadcasts them.
  int64_t batch = queryType.getRank() - 2;
  if (valueType.getRank() != batch + 2 || keyTType.getRank() != batch + 2 ||
      valueType.getShape().take_front(batch) !=
          queryType.getShape().take_front(batch) ||
      keyTType.getShape().take_front(batch) !=
          queryType.getShape().take_front(batch))
    return;

  OpBuilder builder(root);
  Value key;
  auto transpose = product.getRhs().getDefiningOp<TransposeOp>();
  if (transpose && swapsLastTwo(transpose.getPermutation())) {
    key = transpose.getInput();
  } else {
    llvm::SmallVector<int64_t> perm =
        llvm::to_vector(llvm::seq<int64_t>(0, batch + 2));
    std::swap(perm[batch], perm[batch + 1]);
    llvm::SmallVector<int64_t> shape(keyTType.getShape());
    std::swap(shape[batch], shape[batch + 1]);
    key = TransposeOp::create(builder, product.getLoc(), keyTType.clone(shape),
                              product.getRhs(),
                              builder.getDenseI64ArrayAttr(perm));
  }
  auto attention = AttentionOp::create(
      builder, root.getLoc(), root.getType(), query, key, value,
      /*mask=*/Value(), builder.getF64FloatAttr(scale),
      /*causal=*/nullptr);
  root.replaceAllUsesWith(attention.getResult());
  // The chain, last op first, then what only it used.
  llvm::SmallVector<Operation *> dead = {root, softmax};
  if (scaling)
    dead.push_back(scaling);
  dead.append({product, transpose});
  for (Operation *op : dead) {
    if (!op || !op->use_empty())
      continue;
    llvm::SmallVector<Value> operands(op->getOperands());
    op->erase();
    for (Value operand : operands)
      if (Operation *producer = operand.getDefiningOp())
        if (producer->hasTrait<OpTrait::ConstantLike>() &&
            producer->use_empty())
          producer->erase();
  }
}

struct WeftFuseAttentionPass
    : public weft::impl::WeftFuseAttentionBase<WeftFuseAttentionPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal())
      return;
    Block &body = func.getBody().front();
    for (auto matmul : llvm::to_vector(body.getOps<MatmulOp>()))
      raiseAttention(matmul);
    for (auto attention : llvm::to_vector(body.getOps<AttentionOp>()))
      outlineGroup({attention}, FusionKind::attention);
  }
};
} // namespace
