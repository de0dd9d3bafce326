//===- LiftParams.cpp - Parameters become function arguments --------------===//

#include "weft/Dialect/Weft/IR/WeftOps.h"
#include "weft/Dialect/Weft/Transforms/Passes.h"
#include "weft/Runtime/ABI.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/StringSet.h"

namespace mlir::weft {
#define GEN_PASS_DEF_WEFTLIFTPARAMS
#include "weft/Dialect/Weft/Transforms/Passes.h.inc"
} // namespace mlir::weft

using namespace mlir;
using namespace mlir::weft;

namespace {
struct WeftLiftParamsPass
    : public weft::impl::WeftLiftParamsBase<WeftLiftParamsPass> {
  void runOnOperation() override {
    for (auto func : getOperation().getOps<func::FuncOp>()) {
      if (func.isPrivate() || func.isExternal())
        continue;
      if (failed(lift(func)))
        return signalPassFailure();
    }
  }

  LogicalResult lift(func::FuncOp func) {
    llvm::StringMap<BlockArgument> args;
    llvm::SmallVector<ParamOp> params;
    func.walk([&](ParamOp op) { params.push_back(op); });
    for (ParamOp param : params) {
      auto [it, inserted] = args.try_emplace(param.getName());
      if (inserted) {
        unsigned index = func.getNumArguments();
        auto attrs = DictionaryAttr::get(
            &getContext(),
            {NamedAttribute(StringAttr::get(&getContext(), kParamAttrName),
                            param.getNameAttr())});
        if (failed(func.insertArgument(index, param.getType(), attrs,
                                       param.getLoc())))
          return failure();
        it->second = func.getArgument(index);
      } else if (it->second.getType() != param.getType()) {
        return param.emitError("parameter '")
               << param.getName() << "' is used with two types: "
               << formatType(it->second.getType()) << " and "
               << formatType(param.getType());
      }
      param.replaceAllUsesWith(it->second);
      param.erase();
    }
    return liftUpdates(func, args);
  }

  /// Each update becomes a result that updates the parameter's argument.
  LogicalResult liftUpdates(func::FuncOp func,
                            const llvm::StringMap<BlockArgument> &args) {
    llvm::SmallVector<UpdateParamOp> updates;
    func.walk([&](UpdateParamOp op) { updates.push_back(op); });
    if (updates.empty())
      return success();
    auto ret = cast<func::ReturnOp>(func.getBody().back().getTerminator());
    llvm::StringSet<> updated;
    for (UpdateParamOp update : updates) {
      if (!updated.insert(update.getName()).second)
        return update.emitError("parameter '")
               << update.getName()
               << "' is updated twice (weft-forward-param-updates keeps the "
                  "last update)";
      BlockArgument arg = args.lookup(update.getName());
      // The runtime creates the parameters the function reads.
      if (!arg)
        return update.emitError("parameter '")
               << update.getName() << "' is updated but never read";
      if (arg.getType() != update.getValue().getType())
        return update.emitError("parameter '")
               << update.getName() << "' is updated with "
               << formatType(update.getValue().getType()) << " but read as "
               << formatType(arg.getType());
      unsigned result = func.getNumResults();
      ret->insertOperands(ret->getNumOperands(), update.getValue());
      if (failed(func.insertResult(
              result, arg.getType(),
              DictionaryAttr::get(
                  &getContext(),
                  {NamedAttribute(
                      StringAttr::get(&getContext(), kUpdatesAttrName),
                      IntegerAttr::get(IntegerType::get(&getContext(), 64),
                                       arg.getArgNumber()))}))))
        return failure();
      update.erase();
    }
    return success();
  }
};
} // namespace
