//===- KernelNeighbours.cpp - Elementwise ops a kernel takes in ----------===//

#include "KernelNeighbours.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Interfaces/ViewLikeInterface.h"
#include "mlir/Transforms/RegionUtils.h"
#include "llvm/ADT/SmallPtrSet.h"

using namespace mlir;

namespace {
/// The buffer `value` is a view of.
Value rootOf(Value value) {
  while (auto view = value.getDefiningOp<ViewLikeOpInterface>())
    value = view.getViewSource();
  return value;
}

/// The buffers ops write or free, collected op by op; `unknown` once an op
/// may write memory it does not name (or has no effects to ask).
struct Writes {
  llvm::SmallPtrSet<Value, 8> roots;
  bool unknown = false;

  void add(Operation *op) {
    auto effects = dyn_cast<MemoryEffectOpInterface>(op);
    bool recursive = op->hasTrait<OpTrait::HasRecursiveMemoryEffects>();
    if (!effects && !recursive) {
      unknown = true;
      return;
    }
    // An op can have effects of its own and those of the ops in its regions
    // (a linalg.generic on memrefs writes its outputs).
    if (effects) {
      SmallVector<MemoryEffects::EffectInstance> instances;
      effects.getEffects(instances);
      for (const MemoryEffects::EffectInstance &effect : instances) {
        if (!isa<MemoryEffects::Write, MemoryEffects::Free>(effect.getEffect()))
          continue;
        if (Value value = effect.getValue())
          roots.insert(rootOf(value));
        else
          unknown = true;
      }
    }
    if (recursive)
      for (Region &region : op->getRegions())
        for (Operation &inner : region.getOps())
          add(&inner);
  }

  /// Whether reading `operands` gives what it did before these writes.
  bool leaveAlone(ValueRange operands) const {
    return !unknown && llvm::none_of(operands, [&](Value v) {
      return isa<MemRefType>(v.getType()) && roots.contains(rootOf(v));
    });
  }
};

/// Whether `op`, or an op inside it, uses a view of `root`.
bool touches(Operation *op, Value root) {
  return op
      ->walk([&](Operation *inner) {
        return llvm::any_of(inner->getOperands(),
                            [&](Value v) {
                              return isa<MemRefType>(v.getType()) &&
                                     rootOf(v) == root;
                            })
                   ? WalkResult::interrupt()
                   : WalkResult::advance();
      })
      .wasInterrupted();
}

/// Whether `generic` is elementwise over memrefs of `output`'s shape with a
/// body free of memory effects that does not read its own output.
bool isElementwiseOver(linalg::GenericOp generic, Value output) {
  auto type = cast<MemRefType>(output.getType());
  if (!generic.hasPureBufferSemantics() || generic.getNumDpsInits() != 1 ||
      generic.getNumLoops() != static_cast<unsigned>(type.getRank()) ||
      generic.getNumParallelLoops() != generic.getNumLoops())
    return false;
  OpOperand *init = generic.getDpsInitOperand(0);
  if (!generic.getMatchingIndexingMap(init).isIdentity() ||
      cast<MemRefType>(init->get().getType()).getShape() != type.getShape() ||
      !generic.getMatchingBlockArgument(init).use_empty())
    return false;
  for (OpOperand *input : generic.getDpsInputOperands())
    if (!generic.getMatchingIndexingMap(input).isProjectedPermutation())
      return false;
  return llvm::all_of(
      generic.getRegion().front().without_terminator(), [](Operation &op) {
        return !isa<linalg::IndexOp>(op) && op.getNumRegions() == 0 &&
               isMemoryEffectFree(&op);
      });
}

/// Whether `generic` reads `output` once, through the identity map, and
/// writes a buffer other than the product's inputs (`inputRoots`), which it
/// reads only element by element if it reads it.
bool isEpilogueOf(linalg::GenericOp generic, Value output,
                  ArrayRef<Value> inputRoots) {
  if (!isElementwiseOver(generic, output))
    return false;
  Value written = rootOf(generic.getDpsInitOperand(0)->get());
  if (llvm::is_contained(inputRoots, written))
    return false;
  int reads = 0;
  for (OpOperand *input : generic.getDpsInputOperands()) {
    if (!isa<MemRefType>(input->get().getType()))
      continue;
    Value root = rootOf(input->get());
    bool identity = generic.getMatchingIndexingMap(input).isIdentity();
    if (input->get() == output)
      ++reads;
    else if (root == rootOf(output))
      return false;
    if ((input->get() == output || root == written) && !identity)
      return false;
  }
  return reads == 1;
}
/// Moves the op defining `value`, if it is in `target`'s block after it, to
/// before it, with the ops defining its operands.
void moveDefinitionBefore(Value value, Operation *target) {
  Operation *def = value.getDefiningOp();
  if (!def || def->getBlock() != target->getBlock() ||
      def->isBeforeInBlock(target))
    return;
  for (Value operand : def->getOperands())
    moveDefinitionBefore(operand, target);
  def->moveBefore(target);
}
} // namespace

void mlir::weft::moveOperandsBefore(linalg::GenericOp epilogue,
                                    Operation *kernelSite) {
  SetVector<Value> used;
  getUsedValuesDefinedAbove(epilogue.getRegion(), used);
  used.insert(epilogue->operand_begin(), epilogue->operand_end());
  for (Value value : used)
    moveDefinitionBefore(value, kernelSite);
}

Value mlir::weft::evaluateElementwise(OpBuilder &b, Location loc,
                                      linalg::GenericOp generic,
                                      ArrayRef<Value> index, Value output,
                                      Value result) {
  Block &body = generic.getRegion().front();
  IRMapping map;
  for (OpOperand *input : generic.getDpsInputOperands()) {
    BlockArgument arg = generic.getMatchingBlockArgument(input);
    if (result && input->get() == output) {
      map.map(arg, result);
    } else if (!isa<MemRefType>(input->get().getType())) {
      map.map(arg, input->get());
    } else {
      SmallVector<Value> at;
      for (AffineExpr e : generic.getMatchingIndexingMap(input).getResults())
        at.push_back(index[cast<AffineDimExpr>(e).getPosition()]);
      map.map(arg, memref::LoadOp::create(b, loc, input->get(), at));
    }
  }
  for (Operation &op : body.without_terminator())
    b.clone(op, map);
  return map.lookup(body.getTerminator()->getOperand(0));
}

Operation *mlir::weft::findInitialValue(Operation *consumer, Value output) {
  Value root = rootOf(output);
  // A fill reads no memory; a generic's inputs must not change before the
  // consumer, which will read them in its place.
  Writes between;
  for (Operation *op = consumer->getPrevNode(); op; op = op->getPrevNode()) {
    if (auto fill = dyn_cast<linalg::FillOp>(op);
        fill && fill.hasPureBufferSemantics() &&
        fill.getDpsInitOperand(0)->get() == output)
      return fill;
    auto generic = dyn_cast<linalg::GenericOp>(op);
    if (generic && generic.getDpsInitOperand(0)->get() == output &&
        isElementwiseOver(generic, output) &&
        between.leaveAlone(generic.getDpsInputs()) &&
        llvm::none_of(generic.getDpsInputOperands(), [&](OpOperand *input) {
          return isa<MemRefType>(input->get().getType()) &&
                 rootOf(input->get()) == root;
        }))
      return generic;
    if (touches(op, root))
      return nullptr;
    between.add(op);
  }
  return nullptr;
}

/// The neighbours of `product`, taken or not.
static weft::KernelNeighbours findNeighbours(linalg::GenericOp product) {
  weft::KernelNeighbours neighbours;
  Value output = product.getDpsInitOperand(0)->get();
  Value root = rootOf(output);
  neighbours.init = weft::findInitialValue(product, output);
  SmallVector<Value> inputRoots =
      llvm::map_to_vector(product.getDpsInputs(), rootOf);
  // The epilogue is computed earlier than it was: what it reads must not be
  // written between.
  Writes between;
  Operation *op = product->getNextNode();
  for (; op; op = op->getNextNode()) {
    auto generic = dyn_cast<linalg::GenericOp>(op);
    if (generic && isEpilogueOf(generic, output, inputRoots) &&
        between.leaveAlone(generic.getDpsInputs()))
      break;
    if (touches(op, root))
      return neighbours;
    between.add(op);
  }
  if (!op)
    return neighbours;
  // Its result is written earlier too: nothing between may read it, nor may
  // the initial value's computation.
  auto epilogue = cast<linalg::GenericOp>(op);
  Value written = rootOf(epilogue.getDpsInitOperand(0)->get());
  for (Operation *between = product->getNextNode(); between != op;
       between = between->getNextNode())
    if (touches(between, written))
      return neighbours;
  if (neighbours.init &&
      llvm::any_of(neighbours.init->getOperands(), [&](Value in) {
        return isa<MemRefType>(in.getType()) && in != output &&
               rootOf(in) == written;
      }))
    neighbours.init = nullptr;
  neighbours.epilogue = epilogue;

  // The result is dead after the epilogue if only deallocations follow, or
  // if the epilogue overwrote it.
  neighbours.resultReadLater = false;
  if (written == root)
    return neighbours;
  for (Operation *later = op->getNextNode(); later;
       later = later->getNextNode()) {
    if (isa<memref::DeallocOp>(later) || !touches(later, root))
      continue;
    // The first op to touch the buffer again may overwrite all of it (the
    // next product's initial value reusing the buffer).
    auto generic = dyn_cast<linalg::GenericOp>(later);
    neighbours.resultReadLater =
        !generic || generic.getDpsInitOperand(0)->get() != root ||
        !isElementwiseOver(generic, root) ||
        llvm::any_of(generic.getDpsInputOperands(), [&](OpOperand *input) {
          return isa<MemRefType>(input->get().getType()) &&
                 rootOf(input->get()) == root;
        });
    break;
  }
  // A view of the result escaping the block (returned, or the block inside a
  // loop) is read later too.
  if (!root.getDefiningOp<memref::AllocOp>() ||
      root.getParentBlock() != product->getBlock())
    neighbours.resultReadLater = true;
  return neighbours;
}

mlir::weft::KernelNeighbours
mlir::weft::findKernelNeighbours(linalg::GenericOp product,
                                 llvm::DenseSet<Operation *> &taken) {
  KernelNeighbours neighbours = findNeighbours(product);
  if (neighbours.init && !taken.insert(neighbours.init).second)
    neighbours.init = nullptr;
  if (neighbours.epilogue && !taken.insert(neighbours.epilogue).second)
    neighbours.epilogue = {};
  return neighbours;
}
