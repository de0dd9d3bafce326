//===- FusionGroups.cpp - Building weft.fused groups ----------------------===//

#include "FusionGroups.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"

using namespace mlir;
using namespace mlir::weft;

bool mlir::weft::isFusibleElementwise(Operation *op) {
  return isa<ElementwiseOpInterface>(op) && !isa<FusedOp>(op->getParentOp());
}

llvm::SetVector<Operation *> mlir::weft::growGroup(Operation *root,
                                                   OpPredicate absorb) {
  llvm::SetVector<Operation *> group;
  group.insert(root);
  auto usedOnlyInGroup = [&](Operation *op) {
    return llvm::all_of(op->getUsers(),
                        [&](Operation *user) { return group.contains(user); });
  };
  // A producer used twice joins once both users have: repeat to a fixpoint.
  for (bool grew = true; grew && group.size() < kMaxGroupOps;) {
    grew = false;
    for (unsigned i = 0; i < group.size() && group.size() < kMaxGroupOps; ++i)
      for (Value operand : group[i]->getOperands()) {
        Operation *producer = operand.getDefiningOp();
        if (!producer || producer->getBlock() != root->getBlock() ||
            group.contains(producer) || !absorb(producer) ||
            !usedOnlyInGroup(producer) || group.size() >= kMaxGroupOps)
          continue;
        group.insert(producer);
        grew = true;
      }
  }
  return group;
}

FusedOp mlir::weft::outlineGroup(llvm::ArrayRef<Operation *> group,
                                 FusionKind kind) {
  llvm::SmallVector<Operation *> ops(group);
  llvm::sort(ops,
             [](Operation *a, Operation *b) { return a->isBeforeInBlock(b); });
  Operation *root = ops.back();
  llvm::SmallPtrSet<Operation *, 8> members(ops.begin(), ops.end());

  // The values the group reads from outside, constants aside.
  llvm::SetVector<Value> inputs;
  llvm::SetVector<Operation *> constants;
  for (Operation *op : ops)
    for (Value operand : op->getOperands()) {
      Operation *producer = operand.getDefiningOp();
      if (producer && members.contains(producer))
        continue;
      if (producer && producer->hasTrait<OpTrait::ConstantLike>())
        constants.insert(producer);
      else
        inputs.insert(operand);
    }

  OpBuilder builder(root);
  auto fused = FusedOp::create(builder, root->getLoc(), root->getResultTypes(),
                               kind, inputs.getArrayRef());
  Block *body = builder.createBlock(
      &fused.getBody(), {}, fused.getInputs().getTypes(),
      llvm::map_to_vector(inputs, [](Value v) { return v.getLoc(); }));
  IRMapping mapping;
  mapping.map(inputs.getArrayRef(), body->getArguments());
  for (Operation *constant : constants)
    mapping.map(constant->getResults(), builder.clone(*constant)->getResults());
  for (Operation *op : ops) {
    op->moveBefore(body, body->end());
    for (OpOperand &operand : op->getOpOperands())
      if (Value inside = mapping.lookupOrNull(operand.get()))
        operand.set(inside);
  }
  builder.setInsertionPointToEnd(body);
  YieldOp::create(builder, root->getLoc(), root->getResults());
  for (auto [inner, outer] : llvm::zip(root->getResults(), fused.getResults()))
    inner.replaceUsesWithIf(outer, [&](OpOperand &use) {
      return !fused->isProperAncestor(use.getOwner());
    });
  for (Operation *constant : constants)
    if (constant->use_empty())
      constant->erase();
  return fused;
}

void mlir::weft::fuseWithProducers(func::FuncOp func, FusionKind kind,
                                   OpPredicate isRoot, unsigned minSize) {
  if (func.isExternal())
    return;
  llvm::DenseSet<Operation *> grouped;
  Block &block = func.getBody().front();
  // The candidates first: outlining erases constants it copied.
  llvm::SmallVector<Operation *> roots;
  for (Operation &op : llvm::reverse(block))
    if (isRoot(&op))
      roots.push_back(&op);
  for (Operation *op : roots) {
    if (grouped.contains(op))
      continue;
    llvm::SetVector<Operation *> group = growGroup(op, isFusibleElementwise);
    if (group.size() < minSize)
      continue;
    grouped.insert(group.begin(), group.end());
    outlineGroup(group.getArrayRef(), kind);
  }
}
