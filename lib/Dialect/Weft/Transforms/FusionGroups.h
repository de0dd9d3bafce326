//===- FusionGroups.h - Building weft.fused groups --------------*- C++ -*-===//
//
// The fusion passes share one way of forming a group: start from a root op
// and pull in producers backwards while every use of a producer stays inside
// the group, so that only the root's results leave it; then move the group
// into a `weft.fused` op.
//
//===----------------------------------------------------------------------===//

#ifndef LIB_DIALECT_WEFT_TRANSFORMS_FUSIONGROUPS_H
#define LIB_DIALECT_WEFT_TRANSFORMS_FUSIONGROUPS_H

#include "weft/Dialect/Weft/IR/WeftOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SetVector.h"

namespace mlir::weft {

using OpPredicate = llvm::function_ref<bool(Operation *)>;

/// Whether `op` may join a group: an elementwise weft op not in a group yet.
bool isFusibleElementwise(Operation *op);

/// The most ops of one group. Lowering merges a group's linalg ops one into
/// the next, copying the body each time, in time quadratic in its size; a
/// longer chain becomes several groups (the examples' largest has 28 ops).
inline constexpr unsigned kMaxGroupOps = 64;

/// `root` and the producers, transitively, that `absorb` accepts and whose
/// results are used only inside the group, at most kMaxGroupOps of them.
llvm::SetVector<Operation *> growGroup(Operation *root, OpPredicate absorb);

/// Moves `group` (ops of one block, whose results only the last one's leave
/// the group) into a `weft.fused` op of `kind` where the last op was.
/// Constants the group reads are copied into it.
FusedOp outlineGroup(llvm::ArrayRef<Operation *> group, FusionKind kind);

/// For each op of `func`'s body, last to first, that `isRoot` accepts and is
/// in no group yet: grows its group with elementwise producers and outlines
/// it when it holds at least `minSize` ops.
void fuseWithProducers(func::FuncOp func, FusionKind kind, OpPredicate isRoot,
                       unsigned minSize);

} // namespace mlir::weft

#endif // LIB_DIALECT_WEFT_TRANSFORMS_FUSIONGROUPS_H
