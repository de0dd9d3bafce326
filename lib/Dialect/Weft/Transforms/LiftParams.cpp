//===- LiftParams.cpp - Parameters become function arguments --------------===//

#include "weft/Dialect/Weft/IR/WeftOps.h"
#include "weft/Dialect/Weft/Transforms/Passes.h"
#include "weft/Runtime/ABI.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/StringMap.h"

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
    return success();
  }
};
} // namespace
