//===- UpdateInPlace.cpp - Updated arguments written in place -------------===//
//
// An entry point updates its `mut` arguments in place: before
// bufferization, the new value is materialized in the argument; after it,
// the result that returned the argument's own buffer is dropped.
//
//===----------------------------------------------------------------------===//

#include "weft/Conversion/UpdateInPlace/UpdateInPlace.h"
#include "weft/Runtime/ABI.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/Interfaces/DestinationStyleOpInterface.h"
#include "llvm/ADT/BitVector.h"
#include "llvm/ADT/SmallPtrSet.h"

namespace mlir::weft {
#define GEN_PASS_DEF_WEFTUPDATEINPLACE
#define GEN_PASS_DEF_WEFTDROPUPDATEDRESULTS
#include "weft/Conversion/Passes.h.inc"
} // namespace mlir::weft

using namespace mlir;
using namespace mlir::weft;

namespace {
/// For each result of `func`, the argument it updates, if any.
llvm::SmallVector<std::optional<unsigned>> updatedArguments(func::FuncOp func) {
  llvm::SmallVector<std::optional<unsigned>> updated;
  for (unsigned i = 0, e = func.getNumResults(); i < e; ++i) {
    auto attr = func.getResultAttrOfType<IntegerAttr>(i, kUpdatesAttrName);
    updated.push_back(attr ? std::optional<unsigned>(attr.getInt())
                           : std::nullopt);
  }
  return updated;
}

/// The functions of `module` with a body and an updated argument, each with
/// its updatedArguments.
llvm::SmallVector<
    std::pair<func::FuncOp, llvm::SmallVector<std::optional<unsigned>>>>
functionsWithUpdates(ModuleOp module) {
  llvm::SmallVector<
      std::pair<func::FuncOp, llvm::SmallVector<std::optional<unsigned>>>>
      found;
  for (auto func : module.getOps<func::FuncOp>()) {
    if (func.isExternal())
      continue;
    llvm::SmallVector<std::optional<unsigned>> updated = updatedArguments(func);
    if (llvm::any_of(updated, [](auto a) { return a.has_value(); }))
      found.push_back({func, std::move(updated)});
  }
  return found;
}

struct WeftUpdateInPlacePass
    : public weft::impl::WeftUpdateInPlaceBase<WeftUpdateInPlacePass> {
  void runOnOperation() override {
    for (auto &[func, updated] : functionsWithUpdates(getOperation())) {
      func.walk([&](func::ReturnOp ret) {
        OpBuilder builder(ret);
        // The new value of each updated argument, ready to be written.
        llvm::SmallVector<std::pair<OpOperand *, Value>> writes;
        for (auto [operand, argument] :
             llvm::zip(ret->getOpOperands(), updated)) {
          if (!argument)
            continue;
          // Bufferization takes a public function's arguments for read-only
          // unless they say otherwise.
          func.setArgAttr(
              *argument, bufferization::BufferizationDialect::kWritableAttrName,
              builder.getBoolAttr(true));
          Value destination = func.getArgument(*argument);
          Value value = operand.get();
          // The op that computes the value writes it into the argument
          // rather than into a tensor of its own, whose contents it never
          // reads (tensor.empty); bufferization then writes in place where
          // nothing reads the old value later, and copies where something
          // does.
          bool redirected = false;
          if (auto computed = dyn_cast<OpResult>(value))
            if (auto dps = dyn_cast<DestinationStyleOpInterface>(
                    computed.getOwner())) {
              OpOperand *init = dps.getTiedOpOperand(computed);
              if (init->get().getDefiningOp<tensor::EmptyOp>() &&
                  init->get().getType() == destination.getType()) {
                init->set(destination);
                redirected = true;
              }
            }
          // Any other value (another argument, as in a swap) is copied
          // before anything is written, so that no update overwrites what
          // another one reads.
          if (!redirected)
            value = bufferization::AllocTensorOp::create(
                builder, ret.getLoc(), cast<RankedTensorType>(value.getType()),
                ValueRange(), value);
          writes.push_back({&operand, value});
        }
        for (auto [operand, value] : writes) {
          Value destination =
              func.getArgument(*updated[operand->getOperandNumber()]);
          operand->set(bufferization::MaterializeInDestinationOp::create(
                           builder, ret.getLoc(), value, destination)
                           .getResult());
        }
      });
    }
  }
};

struct WeftDropUpdatedResultsPass
    : public weft::impl::WeftDropUpdatedResultsBase<
          WeftDropUpdatedResultsPass> {
  void runOnOperation() override {
    for (auto &[func, updated] : functionsWithUpdates(getOperation())) {
      llvm::BitVector dropped(updated.size());
      bool inPlace = true;
      func.walk([&](func::ReturnOp ret) {
        for (auto [i, argument] : llvm::enumerate(updated))
          if (argument)
            inPlace &= ret.getOperand(i) == func.getArgument(*argument);
      });
      if (!inPlace) {
        func.emitError("an updated argument is not returned in place; run "
                       "weft-update-in-place before one-shot-bufferize");
        return signalPassFailure();
      }
      for (auto [i, argument] : llvm::enumerate(updated)) {
        if (!argument)
          continue;
        dropped.set(i);
        // The value computed in the argument's buffer is copied onto
        // itself: nothing to do.
        // (A copy uses the buffer twice: collect before erasing.)
        Value buffer = func.getArgument(*argument);
        llvm::SmallPtrSet<Operation *, 2> selfCopies;
        for (Operation *user : buffer.getUsers())
          if (auto copy = dyn_cast<memref::CopyOp>(user);
              copy && copy.getSource() == buffer && copy.getTarget() == buffer)
            selfCopies.insert(copy);
        for (Operation *copy : selfCopies)
          copy->erase();
      }
      func.walk([&](func::ReturnOp ret) { ret->eraseOperands(dropped); });
      if (failed(func.eraseResults(dropped)))
        return signalPassFailure();
    }
  }
};
} // namespace
