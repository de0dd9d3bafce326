//===- EmulateKernels.cpp - The weft-gpu-emulate-kernels pass -------------===//

#include "weft/Conversion/GPU/GPU.h"

#include "ReductionIdentity.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace mlir::weft {
#define GEN_PASS_DEF_WEFTGPUEMULATEKERNELS
#include "weft/Conversion/Passes.h.inc"
} // namespace mlir::weft

using namespace mlir;

namespace {
/// Index values of the three dimensions x, y, z.
using Dim3 = std::array<Value, 3>;

unsigned indexOf(gpu::Dimension dimension) {
  return static_cast<unsigned>(dimension);
}

/// Builds loops over z, y, x of `sizes` and calls `body` with the indices
/// (x, y, z) inside the innermost.
void buildLoops3(OpBuilder &b, Location loc, const Dim3 &sizes,
                 llvm::function_ref<void(OpBuilder &, const Dim3 &)> body) {
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  Dim3 indices;
  std::function<void(OpBuilder &, int)> nest = [&](OpBuilder &nb, int d) {
    if (d < 0)
      return body(nb, indices);
    scf::ForOp::create(nb, loc, zero, sizes[d], one, ValueRange(),
                       [&](OpBuilder &inner, Location, Value iv, ValueRange) {
                         indices[d] = iv;
                         nest(inner, d - 1);
                         scf::YieldOp::create(inner, loc);
                       });
  };
  nest(b, 2);
}

Dim3 toDim3(gpu::KernelDim3 sizes) { return {sizes.x, sizes.y, sizes.z}; }

/// Maps the kernel's id and size ops to `block`, `thread` and the launch's
/// sizes, and its arguments to the launch's operands.
void mapKernelValues(gpu::GPUFuncOp kernel, gpu::LaunchFuncOp launch,
                     const Dim3 &block, const Dim3 &thread, IRMapping &map) {
  for (auto [arg, operand] :
       llvm::zip(kernel.getArguments(), launch.getKernelOperands()))
    map.map(arg, operand);
  Dim3 gridSizes = toDim3(launch.getGridSizeOperandValues());
  Dim3 blockSizes = toDim3(launch.getBlockSizeOperandValues());
  kernel.walk([&](Operation *op) {
    if (auto id = dyn_cast<gpu::BlockIdOp>(op))
      map.map(id.getResult(), block[indexOf(id.getDimension())]);
    else if (auto id = dyn_cast<gpu::ThreadIdOp>(op))
      map.map(id.getResult(), thread[indexOf(id.getDimension())]);
    else if (auto dim = dyn_cast<gpu::BlockDimOp>(op))
      map.map(dim.getResult(), blockSizes[indexOf(dim.getDimension())]);
    else if (auto dim = dyn_cast<gpu::GridDimOp>(op))
      map.map(dim.getResult(), gridSizes[indexOf(dim.getDimension())]);
  });
}

/// `lhs` and `rhs` combined as `kind` says (add, mul, max or min; see
/// `unsupported`).
Value combine(OpBuilder &b, Location loc, gpu::AllReduceOperation kind,
              Value lhs, Value rhs) {
  using Kind = gpu::AllReduceOperation;
  bool isFloat = isa<FloatType>(lhs.getType());
  switch (kind) {
  case Kind::ADD:
    return isFloat ? Value(arith::AddFOp::create(b, loc, lhs, rhs))
                   : Value(arith::AddIOp::create(b, loc, lhs, rhs));
  case Kind::MUL:
    return isFloat ? Value(arith::MulFOp::create(b, loc, lhs, rhs))
                   : Value(arith::MulIOp::create(b, loc, lhs, rhs));
  case Kind::MAXIMUMF:
    return arith::MaximumFOp::create(b, loc, lhs, rhs);
  case Kind::MINIMUMF:
    return arith::MinimumFOp::create(b, loc, lhs, rhs);
  case Kind::MAXNUMF:
    return arith::MaxNumFOp::create(b, loc, lhs, rhs);
  case Kind::MINNUMF:
    return arith::MinNumFOp::create(b, loc, lhs, rhs);
  default:
    return Value();
  }
}

/// Why `kernel` cannot be emulated, if it cannot: more than one block, an
/// op of communicating threads, an all-reduce below the top level.
std::optional<std::string> unsupported(gpu::GPUFuncOp kernel) {
  if (!kernel.getBody().hasOneBlock())
    return "a kernel of several blocks";
  if (kernel.getNumWorkgroupAttributions() != 0 ||
      kernel.getNumPrivateAttributions() != 0)
    return "memory attributions";
  std::optional<std::string> reason;
  int reductions = 0;
  kernel.walk([&](Operation *op) {
    if (auto reduce = dyn_cast<gpu::AllReduceOp>(op)) {
      using Kind = gpu::AllReduceOperation;
      std::optional<Kind> kind = reduce.getOp();
      if (op->getParentOp() != kernel || ++reductions > 1)
        reason = "an all-reduce that is not one, at the top level";
      else if (!kind || !llvm::is_contained({Kind::ADD, Kind::MUL,
                                             Kind::MAXIMUMF, Kind::MINIMUMF,
                                             Kind::MAXNUMF, Kind::MINNUMF},
                                            *kind))
        reason = "an all-reduce other than add, mul, max or min";
      return;
    }
    if (op->getDialect() == kernel->getDialect() &&
        !isa<gpu::BlockIdOp, gpu::ThreadIdOp, gpu::BlockDimOp, gpu::GridDimOp,
             gpu::ReturnOp, gpu::AllReduceOp>(op) &&
        op != kernel.getOperation())
      reason = "'" + op->getName().getStringRef().str() + "'";
  });
  return reason;
}

/// Replaces `launch` by loops that run `kernel` thread by thread.
LogicalResult emulate(gpu::LaunchFuncOp launch, gpu::GPUFuncOp kernel) {
  if (std::optional<std::string> reason = unsupported(kernel))
    return launch.emitError()
           << "cannot emulate kernel '" << kernel.getName() << "': " << *reason;
  OpBuilder b(launch);
  Location loc = launch.getLoc();
  Dim3 gridSizes = toDim3(launch.getGridSizeOperandValues());
  Dim3 blockSizes = toDim3(launch.getBlockSizeOperandValues());
  Block &body = kernel.getBody().front();
  auto reduceOps = body.getOps<gpu::AllReduceOp>();
  gpu::AllReduceOp reduce =
      reduceOps.empty() ? gpu::AllReduceOp() : *reduceOps.begin();
  auto cloneRange = [&](OpBuilder &nb, Block::iterator begin,
                        Block::iterator end, IRMapping &map, bool pureOnly) {
    for (Operation &op : llvm::make_range(begin, end))
      if (!isa<gpu::ReturnOp, gpu::BlockIdOp, gpu::ThreadIdOp, gpu::BlockDimOp,
               gpu::GridDimOp>(op) &&
          (!pureOnly || isMemoryEffectFree(&op)))
        nb.clone(op, map);
  };

  buildLoops3(b, loc, gridSizes, [&](OpBuilder &gb, const Dim3 &block) {
    if (!reduce) {
      buildLoops3(gb, loc, blockSizes, [&](OpBuilder &tb, const Dim3 &thread) {
        IRMapping map;
        mapKernelValues(kernel, launch, block, thread, map);
        cloneRange(tb, body.begin(), body.end(), map, /*pureOnly=*/false);
      });
      return;
    }
    // The part before the all-reduce for every thread, folding the value.
    Type type = reduce.getType();
    gpu::AllReduceOperation kind = *reduce.getOp();
    Value total = memref::AllocaOp::create(gb, loc, MemRefType::get({}, type));
    Value start = arith::ConstantOp::create(
        gb, loc, weft::getReductionIdentity(kind, type));
    memref::StoreOp::create(gb, loc, start, total);
    buildLoops3(gb, loc, blockSizes, [&](OpBuilder &tb, const Dim3 &thread) {
      IRMapping map;
      mapKernelValues(kernel, launch, block, thread, map);
      cloneRange(tb, body.begin(), reduce->getIterator(), map, false);
      Value sum = memref::LoadOp::create(tb, loc, total);
      Value next = combine(tb, loc, kind, sum, map.lookup(reduce.getValue()));
      memref::StoreOp::create(tb, loc, next, total);
    });
    // The part after, for every thread, with the total; what it uses from
    // before is computed again.
    Value result = memref::LoadOp::create(gb, loc, total);
    buildLoops3(gb, loc, blockSizes, [&](OpBuilder &tb, const Dim3 &thread) {
      IRMapping map;
      mapKernelValues(kernel, launch, block, thread, map);
      cloneRange(tb, body.begin(), reduce->getIterator(), map, true);
      map.map(reduce.getResult(), result);
      cloneRange(tb, std::next(reduce->getIterator()), body.end(), map, false);
    });
  });
  launch.erase();
  return success();
}

struct WeftGPUEmulateKernelsPass
    : public weft::impl::WeftGPUEmulateKernelsBase<WeftGPUEmulateKernelsPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<gpu::LaunchFuncOp> launches;
    module.walk([&](gpu::LaunchFuncOp launch) { launches.push_back(launch); });
    for (gpu::LaunchFuncOp launch : launches) {
      auto kernel = SymbolTable::lookupNearestSymbolFrom<gpu::GPUFuncOp>(
          launch, launch.getKernel());
      if (!kernel) {
        launch.emitError() << "no kernel " << launch.getKernel();
        return signalPassFailure();
      }
      if (failed(emulate(launch, kernel)))
        return signalPassFailure();
    }
    for (auto gpuModule :
         llvm::make_early_inc_range(module.getOps<gpu::GPUModuleOp>()))
      gpuModule.erase();
    module->removeAttr(gpu::GPUDialect::getContainerModuleAttrName());
  }
};
} // namespace
