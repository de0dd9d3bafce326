//===- OutlineLoopNests.cpp - One function per top-level loop nest --------===//

#include "weft/Transforms/Passes.h"

#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Transforms/RegionUtils.h"
#include "llvm/ADT/SetVector.h"

namespace mlir::weft {
#define GEN_PASS_DEF_WEFTOUTLINELOOPNESTS
#include "weft/Transforms/Passes.h.inc"
} // namespace mlir::weft

using namespace mlir;
using namespace mlir::weft;

namespace {
struct WeftOutlineLoopNestsPass
    : public weft::impl::WeftOutlineLoopNestsBase<WeftOutlineLoopNestsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    // Nests that compute the same thing on different buffers (the steps of
    // an unrolled recurrence) share one function.
    llvm::StringMap<func::FuncOp> byBody;
    for (auto func : llvm::to_vector(module.getOps<func::FuncOp>())) {
      if (func.isExternal())
        continue;
      // The nests follow their function in order.
      Operation *last = func;
      unsigned index = 0;
      for (auto loop :
           llvm::to_vector(func.getBody().front().getOps<scf::ForOp>()))
        if (loop.getNumResults() == 0)
          outline(loop, func, symbols, byBody, last, index);
      // Constants only the nests used now live in the nests.
      for (Operation &op : llvm::make_early_inc_range(func.getBody().front()))
        if (op.hasTrait<OpTrait::ConstantLike>() && op.use_empty())
          op.erase();
    }
  }

  /// The type a nest takes `type` as: a view into a larger buffer with its
  /// offset left dynamic, so that the nests copying a step's result into
  /// its place in a sequence, which differ only in the offset, share one
  /// function.
  static Type getArgumentType(Type type) {
    auto memref = dyn_cast<MemRefType>(type);
    if (!memref || !isa<StridedLayoutAttr>(memref.getLayout()))
      return type;
    llvm::SmallVector<int64_t> strides;
    int64_t offset;
    if (failed(memref.getStridesAndOffset(strides, offset)))
      return type;
    return MemRefType::get(memref.getShape(), memref.getElementType(),
                           StridedLayoutAttr::get(memref.getContext(),
                                                  ShapedType::kDynamic,
                                                  strides),
                           memref.getMemorySpace());
  }

  /// The function in generic form: equal for functions that compute the
  /// same thing, since the name is set only after the comparison.
  static std::string print(func::FuncOp func) {
    std::string text;
    llvm::raw_string_ostream os(text);
    func->print(os, OpPrintingFlags().printGenericOpForm().useLocalScope());
    return text;
  }

  void outline(scf::ForOp loop, func::FuncOp parent, SymbolTable &symbols,
               llvm::StringMap<func::FuncOp> &byBody, Operation *&last,
               unsigned &index) {
    llvm::SetVector<Value> used;
    getUsedValuesDefinedAbove(loop->getRegions(), used);
    used.insert(loop->operand_begin(), loop->operand_end());
    // Constants are cloned, everything else becomes an argument.
    llvm::SmallVector<Value> inputs;
    llvm::SmallVector<Operation *> constants;
    for (Value value : used) {
      Operation *def = value.getDefiningOp();
      if (def && def->hasTrait<OpTrait::ConstantLike>())
        constants.push_back(def);
      else
        inputs.push_back(value);
    }

    OpBuilder builder(parent);
    builder.setInsertionPointAfter(last);
    Location loc = loop.getLoc();
    llvm::SmallVector<Type> argTypes = llvm::map_to_vector(
        inputs, [](Value v) { return getArgumentType(v.getType()); });
    auto callee = func::FuncOp::create(builder, loc, "nest",
                                       builder.getFunctionType(argTypes, {}));
    Block *body = callee.addEntryBlock();
    IRMapping mapping;
    mapping.map(inputs, body->getArguments());
    builder.setInsertionPointToStart(body);
    for (Operation *constant : constants)
      builder.clone(*constant, mapping);
    builder.clone(*loop, mapping);
    func::ReturnOp::create(builder, loc);

    auto [it, inserted] = byBody.try_emplace(print(callee), callee);
    if (inserted) {
      callee.setName((parent.getName() + ".nest" + llvm::Twine(index)).str());
      callee.setPrivate();
      callee->setAttr("passthrough", builder.getArrayAttr(
                                         {builder.getStringAttr("noinline")}));
      symbols.insert(callee);
      last = callee;
      ++index;
    } else {
      callee.erase();
    }
    builder.setInsertionPoint(loop);
    llvm::SmallVector<Value> args;
    for (auto [input, type] : llvm::zip(inputs, argTypes))
      args.push_back(input.getType() == type
                         ? input
                         : memref::CastOp::create(builder, loc, type, input));
    func::CallOp::create(builder, loc, it->second, args);
    loop.erase();
  }
};
} // namespace
