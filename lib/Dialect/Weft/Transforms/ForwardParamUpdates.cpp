//===- ForwardParamUpdates.cpp - Parameter reads see earlier updates ------===//

#include "weft/Dialect/Weft/IR/WeftOps.h"
#include "weft/Dialect/Weft/Transforms/Passes.h"

#include "llvm/ADT/StringMap.h"

namespace mlir::weft {
#define GEN_PASS_DEF_WEFTFORWARDPARAMUPDATES
#include "weft/Dialect/Weft/Transforms/Passes.h.inc"
} // namespace mlir::weft

using namespace mlir;
using namespace mlir::weft;

namespace {
struct WeftForwardParamUpdatesPass
    : public weft::impl::WeftForwardParamUpdatesBase<
          WeftForwardParamUpdatesPass> {
  void runOnOperation() override {
    for (Block &block : getOperation().getBody()) {
      // The latest update of each parameter so far, and its value as later
      // reads see it.
      llvm::StringMap<std::pair<UpdateParamOp, Value>> latest;
      for (Operation &op : llvm::make_early_inc_range(block)) {
        if (auto update = dyn_cast<UpdateParamOp>(op)) {
          auto &[previous, value] = latest[update.getName()];
          if (previous)
            previous.erase();
          previous = update;
          value = nullptr;
          continue;
        }
        auto param = dyn_cast<ParamOp>(op);
        if (!param)
          continue;
        auto found = latest.find(param.getName());
        if (found == latest.end())
          continue;
        auto &[update, value] = found->second;
        if (update.getValue().getType() != param.getType()) {
          update.emitError("parameter '")
              << param.getName() << "' is updated with "
              << formatType(update.getValue().getType()) << " but read as "
              << formatType(param.getType());
          return signalPassFailure();
        }
        if (!value) {
          OpBuilder builder(update->getNextNode());
          value = DetachOp::create(builder, update.getLoc(), update.getValue());
        }
        param.replaceAllUsesWith(value);
        param.erase();
      }
    }
  }
};
} // namespace
