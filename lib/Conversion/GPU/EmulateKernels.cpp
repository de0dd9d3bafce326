//===- EmulateKernels.cpp - The weft-gpu-emulate-kernels pass -------------===//

#include "weft/Conversion/GPU/GPU.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Transforms/RegionUtils.h"

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

bool isIdOrSize(Operation *op) {
  return isa<gpu::BlockIdOp, gpu::ThreadIdOp, gpu::BlockDimOp, gpu::GridDimOp>(
      op);
}

/// Whether `op` is, or holds, an op at which the threads of a block meet.
bool synchronizes(Operation *op) {
  return op
      ->walk([](Operation *inner) {
        return isa<gpu::BarrierOp, gpu::AllReduceOp>(inner)
                   ? WalkResult::interrupt()
                   : WalkResult::advance();
      })
      .wasInterrupted();
}

/// Why `kernel` cannot be emulated, if it cannot: more than one block, a gpu
/// op other than ids, sizes, barriers and all-reduces of add, mul, max or
/// min, a memory attribution used other than by loads and stores.
std::optional<std::string> unsupported(gpu::GPUFuncOp kernel) {
  if (!kernel.getBody().hasOneBlock())
    return "a kernel of several blocks";
  for (BlockArgument attribution : llvm::concat<const BlockArgument>(
           kernel.getWorkgroupAttributions(), kernel.getPrivateAttributions()))
    for (Operation *user : attribution.getUsers())
      if (!isa<memref::LoadOp, memref::StoreOp>(user))
        return "a memory attribution used by '" +
               user->getName().getStringRef().str() + "'";
  std::optional<std::string> reason;
  kernel.walk([&](Operation *op) {
    using Kind = gpu::AllReduceOperation;
    if (auto reduce = dyn_cast<gpu::AllReduceOp>(op)) {
      std::optional<Kind> kind = reduce.getOp();
      if (!kind ||
          !llvm::is_contained({Kind::ADD, Kind::MUL, Kind::MAXIMUMF,
                               Kind::MINIMUMF, Kind::MAXNUMF, Kind::MINNUMF},
                              *kind))
        reason = "an all-reduce other than add, mul, max or min";
      return;
    }
    if (op->getDialect() == kernel->getDialect() && !isIdOrSize(op) &&
        !isa<gpu::ReturnOp, gpu::BarrierOp>(op) && op != kernel.getOperation())
      reason = "'" + op->getName().getStringRef().str() + "'";
  });
  return reason;
}

/// Runs one launch of a kernel as loops over its blocks and, inside, over
/// its threads. Barriers and all-reduces cut the kernel's body into phases;
/// each phase runs for every thread of the block before the next begins. A
/// loop holding a barrier becomes a loop of the block around its phases.
/// Shared memory is one buffer, reused by the blocks in turn; each thread's
/// private memory a slice of one buffer, so that it lasts from phase to
/// phase. Other values a phase uses from an earlier one are computed again.
class Emulator {
public:
  Emulator(gpu::LaunchFuncOp launch, gpu::GPUFuncOp kernel)
      : launch(launch), kernel(kernel), loc(launch.getLoc()),
        gridSizes(toDim3(launch.getGridSizeOperandValues())),
        blockSizes(toDim3(launch.getBlockSizeOperandValues())) {}

  LogicalResult run();

private:
  LogicalResult emulateOps(OpBuilder &b, Block::iterator begin,
                           Block::iterator end, IRMapping &uniform);
  LogicalResult emulatePhase(OpBuilder &b, Block::iterator begin,
                             Block::iterator end, IRMapping &uniform,
                             gpu::AllReduceOp reduce);
  LogicalResult emulateLoop(OpBuilder &b, scf::ForOp loop, IRMapping &uniform);
  void mapPrivateSlices(OpBuilder &tb, const Dim3 &thread, IRMapping &map);
  /// The position of `thread` in its block, x fastest.
  Value linearThread(OpBuilder &b, const Dim3 &thread);
  /// The threads' `values` (one per thread, in linear order) folded as a
  /// tree of pairs — ((v0 op v1) op (v2 op v3)) op ... — the order of the
  /// shuffle butterflies the NVVM lowering of an all-reduce computes, for a
  /// block of a power of two threads.
  Value foldPairwise(OpBuilder &b, Value values, gpu::AllReduceOperation kind);
  LogicalResult cloneOp(OpBuilder &b, Operation &op, IRMapping &map);
  LogicalResult materialize(OpBuilder &b, Value value, IRMapping &map,
                            StringRef why);
  InFlightDiagnostic error() {
    return launch.emitError()
           << "cannot emulate kernel '" << kernel.getName() << "': ";
  }

  gpu::LaunchFuncOp launch;
  gpu::GPUFuncOp kernel;
  Location loc;
  Dim3 gridSizes, blockSizes;
  /// Per private attribution, a buffer of [threads of a block, its shape].
  SmallVector<Value> privateBuffers;
  /// The kernel's thread ids, which each thread's copy maps to its indices.
  SmallVector<gpu::ThreadIdOp> threadIds;
  /// Per all-reduce, the buffer of each thread's value, folded after the
  /// phase.
  DenseMap<Operation *, Value> totals;
};

/// Makes `value` available in `map`, cloning at `b` the memory-effect-free
/// ops that compute it; fails saying `why` otherwise.
LogicalResult Emulator::materialize(OpBuilder &b, Value value, IRMapping &map,
                                    StringRef why) {
  if (map.contains(value))
    return success();
  Operation *def = value.getDefiningOp();
  // An unmapped id is a thread's, asked for outside the threads' loops.
  if (!def || isIdOrSize(def) || def->getNumRegions() != 0 ||
      !isMemoryEffectFree(def))
    return error() << why;
  for (Value operand : def->getOperands())
    if (failed(materialize(b, operand, map, why)))
      return failure();
  b.clone(*def, map);
  return success();
}

LogicalResult Emulator::cloneOp(OpBuilder &b, Operation &op, IRMapping &map) {
  SetVector<Value> used;
  getUsedValuesDefinedAbove(op.getRegions(), used);
  used.insert(op.operand_begin(), op.operand_end());
  for (Value value : used)
    if (failed(materialize(b, value, map,
                           "a value it reads across a barrier is neither "
                           "the same for all threads nor recomputable")))
      return failure();
  b.clone(op, map);
  return success();
}

Value Emulator::linearThread(OpBuilder &b, const Dim3 &thread) {
  return arith::AddIOp::create(
      b, loc,
      arith::MulIOp::create(
          b, loc,
          arith::AddIOp::create(
              b, loc, arith::MulIOp::create(b, loc, thread[2], blockSizes[1]),
              thread[1]),
          blockSizes[0]),
      thread[0]);
}

Value Emulator::foldPairwise(OpBuilder &b, Value values,
                             gpu::AllReduceOperation kind) {
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value count = memref::DimOp::create(b, loc, values, zero);
  // Strides 1, 2, 4, ...: values[i] op= values[i + stride] at every i that
  // is a multiple of twice the stride.
  scf::WhileOp::create(
      b, loc, TypeRange{b.getIndexType()},
      ValueRange{arith::ConstantIndexOp::create(b, loc, 1)},
      [&](OpBuilder &wb, Location l, ValueRange args) {
        Value more = arith::CmpIOp::create(wb, l, arith::CmpIPredicate::ult,
                                           args[0], count);
        scf::ConditionOp::create(wb, l, more, args);
      },
      [&](OpBuilder &wb, Location l, ValueRange args) {
        Value stride = args[0];
        Value pair = arith::AddIOp::create(wb, l, stride, stride);
        scf::ForOp::create(
            wb, l, zero, arith::SubIOp::create(wb, l, count, stride), pair,
            ValueRange(), [&](OpBuilder &fb, Location fl, Value i, ValueRange) {
              Value j = arith::AddIOp::create(fb, fl, i, stride);
              Value lhs = memref::LoadOp::create(fb, fl, values, i);
              Value rhs = memref::LoadOp::create(fb, fl, values, j);
              Value folded = combine(fb, fl, kind, lhs, rhs);
              memref::StoreOp::create(fb, fl, folded, values, i);
              scf::YieldOp::create(fb, fl);
            });
        scf::YieldOp::create(wb, l, pair);
      });
  return memref::LoadOp::create(b, loc, values, zero);
}

/// Maps each private attribution to `thread`'s slice of its buffer.
void Emulator::mapPrivateSlices(OpBuilder &tb, const Dim3 &thread,
                                IRMapping &map) {
  if (privateBuffers.empty())
    return;
  Value linear = linearThread(tb, thread);
  for (auto [attribution, buffer] :
       llvm::zip(kernel.getPrivateAttributions(), privateBuffers)) {
    auto type = cast<MemRefType>(attribution.getType());
    SmallVector<OpFoldResult> offsets(type.getRank() + 1, tb.getIndexAttr(0));
    offsets[0] = linear;
    SmallVector<OpFoldResult> sizes{tb.getIndexAttr(1)};
    for (int64_t size : type.getShape())
      sizes.push_back(tb.getIndexAttr(size));
    SmallVector<OpFoldResult> strides(type.getRank() + 1, tb.getIndexAttr(1));
    auto sliceType = memref::SubViewOp::inferRankReducedResultType(
        type.getShape(), cast<MemRefType>(buffer.getType()), offsets, sizes,
        strides);
    map.map(attribution,
            memref::SubViewOp::create(tb, loc, cast<MemRefType>(sliceType),
                                      buffer, offsets, sizes, strides));
  }
}

LogicalResult Emulator::emulatePhase(OpBuilder &b, Block::iterator begin,
                                     Block::iterator end, IRMapping &uniform,
                                     gpu::AllReduceOp reduce) {
  auto runs = [](Operation &op) {
    return !isIdOrSize(&op) && !isa<gpu::ReturnOp>(op);
  };
  if (!reduce && llvm::none_of(llvm::make_range(begin, end), runs))
    return success();
  LogicalResult result = success();
  buildLoops3(b, loc, blockSizes, [&](OpBuilder &tb, const Dim3 &thread) {
    IRMapping map = uniform;
    for (gpu::ThreadIdOp id : threadIds)
      map.map(id.getResult(), thread[indexOf(id.getDimension())]);
    mapPrivateSlices(tb, thread, map);
    for (Operation &op : llvm::make_range(begin, end))
      if (runs(op) && failed(cloneOp(tb, op, map))) {
        result = failure();
        return;
      }
    if (!reduce)
      return;
    if (failed(materialize(tb, reduce.getValue(), map,
                           "an all-reduce of a value read across a barrier"))) {
      result = failure();
      return;
    }
    memref::StoreOp::create(tb, loc, map.lookup(reduce.getValue()),
                            totals.lookup(reduce), linearThread(tb, thread));
  });
  if (reduce)
    uniform.map(reduce.getResult(),
                foldPairwise(b, totals.lookup(reduce), *reduce.getOp()));
  return result;
}

LogicalResult Emulator::emulateLoop(OpBuilder &b, scf::ForOp loop,
                                    IRMapping &uniform) {
  if (loop.getNumResults() != 0)
    return error() << "a loop with a barrier carries values";
  for (Value bound :
       {loop.getLowerBound(), loop.getUpperBound(), loop.getStep()})
    if (failed(materialize(b, bound, uniform,
                           "the bounds of a loop with a barrier differ "
                           "between threads")))
      return failure();
  auto blockLoop = scf::ForOp::create(
      b, loc, uniform.lookup(loop.getLowerBound()),
      uniform.lookup(loop.getUpperBound()), uniform.lookup(loop.getStep()));
  OpBuilder inner = OpBuilder::atBlockTerminator(blockLoop.getBody());
  IRMapping scope = uniform;
  scope.map(loop.getInductionVar(), blockLoop.getInductionVar());
  Block *body = loop.getBody();
  return emulateOps(inner, body->begin(), body->getTerminator()->getIterator(),
                    scope);
}

LogicalResult Emulator::emulateOps(OpBuilder &b, Block::iterator begin,
                                   Block::iterator end, IRMapping &uniform) {
  Block::iterator phaseBegin = begin;
  for (Block::iterator it = begin; it != end; ++it) {
    if (!synchronizes(&*it))
      continue;
    auto reduce = dyn_cast<gpu::AllReduceOp>(*it);
    auto loop = dyn_cast<scf::ForOp>(*it);
    if (!reduce && !loop && !isa<gpu::BarrierOp>(*it))
      return error() << "a barrier or all-reduce inside '"
                     << it->getName().getStringRef() << "'";
    if (failed(emulatePhase(b, phaseBegin, it, uniform, reduce)) ||
        (loop && failed(emulateLoop(b, loop, uniform))))
      return failure();
    phaseBegin = std::next(it);
  }
  return emulatePhase(b, phaseBegin, end, uniform, gpu::AllReduceOp());
}

LogicalResult Emulator::run() {
  if (std::optional<std::string> reason = unsupported(kernel))
    return error() << *reason;
  OpBuilder b(launch);
  SmallVector<Value> scratch;
  auto allocate = [&](MemRefType type, ValueRange sizes) {
    scratch.push_back(memref::AllocOp::create(b, loc, type, sizes));
    return scratch.back();
  };
  IRMapping shared;
  for (BlockArgument attribution : kernel.getWorkgroupAttributions()) {
    auto type = cast<MemRefType>(attribution.getType());
    shared.map(
        attribution,
        allocate(MemRefType::get(type.getShape(), type.getElementType()), {}));
  }
  Value threads = arith::MulIOp::create(
      b, loc, arith::MulIOp::create(b, loc, blockSizes[0], blockSizes[1]),
      blockSizes[2]);
  for (BlockArgument attribution : kernel.getPrivateAttributions()) {
    auto type = cast<MemRefType>(attribution.getType());
    SmallVector<int64_t> shape{ShapedType::kDynamic};
    llvm::append_range(shape, type.getShape());
    privateBuffers.push_back(
        allocate(MemRefType::get(shape, type.getElementType()), threads));
  }
  kernel.walk([&](gpu::ThreadIdOp id) { threadIds.push_back(id); });
  kernel.walk([&](gpu::AllReduceOp reduce) {
    totals[reduce] = allocate(
        MemRefType::get({ShapedType::kDynamic}, reduce.getType()), threads);
  });

  LogicalResult result = success();
  Block &body = kernel.getBody().front();
  buildLoops3(b, loc, gridSizes, [&](OpBuilder &gb, const Dim3 &block) {
    IRMapping uniform = shared;
    for (auto [arg, operand] :
         llvm::zip(kernel.getArguments(), launch.getKernelOperands()))
      uniform.map(arg, operand);
    kernel.walk([&](Operation *op) {
      if (auto id = dyn_cast<gpu::BlockIdOp>(op))
        uniform.map(id.getResult(), block[indexOf(id.getDimension())]);
      else if (auto dim = dyn_cast<gpu::BlockDimOp>(op))
        uniform.map(dim.getResult(), blockSizes[indexOf(dim.getDimension())]);
      else if (auto dim = dyn_cast<gpu::GridDimOp>(op))
        uniform.map(dim.getResult(), gridSizes[indexOf(dim.getDimension())]);
    });
    result = emulateOps(gb, body.begin(), body.end(), uniform);
  });
  for (Value buffer : scratch)
    memref::DeallocOp::create(b, loc, buffer);
  launch.erase();
  return result;
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
      if (failed(Emulator(launch, kernel).run()))
        return signalPassFailure();
    }
    for (auto gpuModule :
         llvm::make_early_inc_range(module.getOps<gpu::GPUModuleOp>()))
      gpuModule.erase();
    module->removeAttr(gpu::GPUDialect::getContainerModuleAttrName());
  }
};
} // namespace
