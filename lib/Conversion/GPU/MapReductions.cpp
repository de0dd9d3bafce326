//===- MapReductions.cpp - The weft-gpu-map-reductions pass ---------------===//

#include "weft/Conversion/GPU/GPU.h"

#include "Delinearize.h"
#include "KernelNeighbours.h"
#include "ReductionIdentity.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"
#include "llvm/ADT/TypeSwitch.h"

namespace mlir::weft {
#define GEN_PASS_DEF_WEFTGPUMAPREDUCTIONS
#include "weft/Conversion/Passes.h.inc"
} // namespace mlir::weft

using namespace mlir;

namespace {
/// The most threads a block folding one output element has, and the
/// fewest reduced elements per output element worth a block.
constexpr int64_t kMaxBlockSize = 256;
constexpr int64_t kMinRowLength = 32;
/// The most blocks along a CUDA grid's x dimension.
constexpr int64_t kMaxGridX = (int64_t(1) << 31) - 1;

/// How the threads' partial results combine.
struct Combiner {
  Operation *op;
  gpu::AllReduceOperation kind;
};

/// The combiner of `generic`'s body, which must yield `op(%out, x)` (or
/// `op(x, %out)`) with `x` computed without `%out`.
std::optional<Combiner> matchCombiner(linalg::GenericOp generic) {
  Block &body = generic.getRegion().front();
  BlockArgument out = body.getArguments().back();
  Operation *op = body.getTerminator()->getOperand(0).getDefiningOp();
  if (!op || op->getNumOperands() != 2 || !out.hasOneUse() ||
      !llvm::is_contained(op->getOperands(), out))
    return std::nullopt;
  using Kind = gpu::AllReduceOperation;
  std::optional<Kind> kind =
      llvm::TypeSwitch<Operation *, std::optional<Kind>>(op)
          .Case([](arith::AddFOp) { return Kind::ADD; })
          .Case([](arith::AddIOp) { return Kind::ADD; })
          .Case([](arith::MulFOp) { return Kind::MUL; })
          .Case([](arith::MaximumFOp) { return Kind::MAXIMUMF; })
          .Case([](arith::MaxNumFOp) { return Kind::MAXNUMF; })
          .Case([](arith::MinimumFOp) { return Kind::MINIMUMF; })
          .Case([](arith::MinNumFOp) { return Kind::MINNUMF; })
          .Default([](Operation *) { return std::nullopt; });
  if (!kind)
    return std::nullopt;
  return Combiner{op, *kind};
}

/// The number of output elements of the reduction `generic` (the product of
/// its parallel loops' sizes) and of elements folded into each (of its
/// reductions').
std::pair<int64_t, int64_t> rowsAndLength(linalg::GenericOp generic) {
  int64_t rows = 1, length = 1;
  for (auto [size, kind] : llvm::zip(generic.getStaticLoopRanges(),
                                     generic.getIteratorTypesArray()))
    (kind == utils::IteratorType::parallel ? rows : length) *= size;
  return {rows, length};
}

/// Whether `generic` reduces memrefs to output elements a block each can
/// compute: static shapes; the output indexed by every parallel loop and
/// constants; a full reduction (no parallel loop), or at least kMinRowLength
/// elements per output element.
bool isBlockReduction(linalg::GenericOp generic) {
  if (!generic.hasPureBufferSemantics() || generic.getNumDpsInits() != 1 ||
      generic.getNumReductionLoops() == 0 || generic.hasDynamicShape())
    return false;
  AffineMap outputMap = generic.getIndexingMapsArray().back();
  unsigned parallelInOutput = 0;
  for (AffineExpr e : outputMap.getResults()) {
    if (isa<AffineConstantExpr>(e))
      continue;
    auto dim = dyn_cast<AffineDimExpr>(e);
    if (!dim || generic.getIteratorTypesArray()[dim.getPosition()] !=
                    utils::IteratorType::parallel)
      return false;
    ++parallelInOutput;
  }
  if (parallelInOutput != generic.getNumParallelLoops())
    return false;
  auto [rows, length] = rowsAndLength(generic);
  return rows <= kMaxGridX && (rows == 1 || length >= kMinRowLength);
}

/// The value the body of `generic` reads for `operand` at `indices`.
Value readOperand(OpBuilder &b, Location loc, OpOperand &operand, AffineMap map,
                  ValueRange indices) {
  Value value = operand.get();
  if (!isa<MemRefType>(value.getType()))
    return value;
  SmallVector<Value> at;
  for (unsigned i = 0; i < map.getNumResults(); ++i)
    at.push_back(
        affine::AffineApplyOp::create(b, loc, map.getSubMap({i}), indices));
  return memref::LoadOp::create(b, loc, value, at);
}

/// The sizes of `generic`'s loops of `kind`, and their positions.
std::pair<SmallVector<Value>, SmallVector<unsigned>>
loopsOfKind(OpBuilder &b, Location loc, linalg::GenericOp generic,
            utils::IteratorType kind) {
  SmallVector<Value> sizes;
  SmallVector<unsigned> positions;
  for (auto [d, size] : llvm::enumerate(generic.getStaticLoopRanges()))
    if (generic.getIteratorTypesArray()[d] == kind) {
      sizes.push_back(arith::ConstantIndexOp::create(b, loc, size));
      positions.push_back(d);
    }
  return {sizes, positions};
}

/// A reduction to map, and the elementwise ops its kernel computes too.
struct Reduction {
  linalg::GenericOp generic;
  Combiner combiner;
  weft::KernelNeighbours neighbours;
};

void mapToBlocks(const Reduction &reduction) {
  linalg::GenericOp generic = reduction.generic;
  const Combiner &combiner = reduction.combiner;
  const weft::KernelNeighbours &neighbours = reduction.neighbours;
  if (linalg::GenericOp epilogue = neighbours.epilogue)
    weft::moveOperandsBefore(epilogue, generic);
  OpBuilder b(generic);
  Location loc = generic.getLoc();
  auto [rows, length] = rowsAndLength(generic);
  // A warp at least; a power of two, so that the threads' strided shares
  // differ by one element at most.
  int64_t blockSize =
      std::clamp<int64_t>(llvm::PowerOf2Ceil(length), 32, kMaxBlockSize);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  Value threads = arith::ConstantIndexOp::create(b, loc, blockSize);
  auto launch = gpu::LaunchOp::create(
      b, loc, arith::ConstantIndexOp::create(b, loc, rows), one, one, threads,
      one, one);
  b.setInsertionPointToStart(&launch.getBody().front());
  Value thread = launch.getThreadIds().x;
  Block &body = generic.getRegion().front();
  Type type = body.getArguments().back().getType();
  SmallVector<Value> indices(generic.getNumLoops());
  auto [rowSizes, rowLoops] =
      loopsOfKind(b, loc, generic, utils::IteratorType::parallel);
  for (auto [d, index] :
       llvm::zip(rowLoops,
                 weft::delinearize(b, loc, launch.getBlockIds().x, rowSizes)))
    indices[d] = index;

  // Each thread folds the row's elements thread, thread + blockSize, ...
  Value identity = arith::ConstantOp::create(
      b, loc, weft::getReductionIdentity(combiner.kind, type));
  Value end = arith::ConstantIndexOp::create(b, loc, length);
  auto loop = scf::ForOp::create(b, loc, thread, end, threads, identity);
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(loop.getBody());
    auto [reducedSizes, reducedLoops] =
        loopsOfKind(b, loc, generic, utils::IteratorType::reduction);
    for (auto [d, index] : llvm::zip(
             reducedLoops,
             weft::delinearize(b, loc, loop.getInductionVar(), reducedSizes)))
      indices[d] = index;
    IRMapping mapping;
    for (OpOperand *input : generic.getDpsInputOperands())
      mapping.map(body.getArgument(input->getOperandNumber()),
                  readOperand(b, loc, *input,
                              generic.getMatchingIndexingMap(input), indices));
    mapping.map(body.getArguments().back(), loop.getRegionIterArg(0));
    for (Operation &op : body.without_terminator()) {
      if (auto index = dyn_cast<linalg::IndexOp>(op)) {
        mapping.map(index.getResult(), indices[index.getDim()]);
        continue;
      }
      b.clone(op, mapping);
    }
    scf::YieldOp::create(b, loc,
                         mapping.lookup(body.getTerminator()->getOperand(0)));
  }

  // The block's total, combined with the output's initial value by thread 0.
  Value sum = gpu::AllReduceOp::create(
      b, loc, type, loop.getResult(0),
      gpu::AllReduceOperationAttr::get(b.getContext(), combiner.kind),
      /*uniform=*/true);
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value first =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, thread, zero);
  auto ifFirst = scf::IfOp::create(b, loc, first, /*withElse=*/false);
  b.setInsertionPointToStart(&ifFirst.getThenRegion().front());
  OpOperand *init = generic.getDpsInitOperand(0);
  SmallVector<Value> at;
  for (AffineExpr e : generic.getMatchingIndexingMap(init).getResults())
    at.push_back(isa<AffineConstantExpr>(e)
                     ? Value(arith::ConstantIndexOp::create(
                           b, loc, cast<AffineConstantExpr>(e).getValue()))
                     : indices[cast<AffineDimExpr>(e).getPosition()]);
  // The initial value computed here rather than written and read back: a
  // fill's (the reduction's identity, most often), or a broadcast bias.
  Value old;
  if (auto fill = dyn_cast_or_null<linalg::FillOp>(neighbours.init))
    old = fill.getInputs()[0];
  else if (auto initGeneric =
               dyn_cast_or_null<linalg::GenericOp>(neighbours.init))
    old = weft::evaluateElementwise(b, loc, initGeneric, at, init->get());
  else
    old = memref::LoadOp::create(b, loc, init->get(), at);
  IRMapping combine;
  for (Value operand : combiner.op->getOperands())
    combine.map(operand, operand == body.getArguments().back() ? old : sum);
  Value result = b.clone(*combiner.op, combine)->getResult(0);
  linalg::GenericOp epilogue = neighbours.epilogue;
  if (!epilogue || neighbours.resultReadLater)
    memref::StoreOp::create(b, loc, result, init->get(), at);
  if (epilogue)
    memref::StoreOp::create(
        b, loc,
        weft::evaluateElementwise(b, loc, epilogue, at, init->get(), result),
        epilogue.getDpsInitOperand(0)->get(), at);
  b.setInsertionPointToEnd(&launch.getBody().front());
  gpu::TerminatorOp::create(b, loc);
  generic.erase();
  if (neighbours.init)
    neighbours.init->erase();
  if (epilogue)
    epilogue.erase();
}

struct WeftGPUMapReductionsPass
    : public weft::impl::WeftGPUMapReductionsBase<WeftGPUMapReductionsPass> {
  void runOnOperation() override {
    SmallVector<Reduction> reductions;
    getOperation().walk([&](linalg::GenericOp generic) {
      if (!isBlockReduction(generic))
        return;
      if (std::optional<Combiner> combiner = matchCombiner(generic))
        reductions.push_back({generic, *combiner, {}});
    });
    // Each reduction takes in the elementwise ops next to it that no earlier
    // one took.
    DenseSet<Operation *> taken;
    for (Reduction &reduction : reductions)
      reduction.neighbours =
          weft::findKernelNeighbours(reduction.generic, taken);
    for (const Reduction &reduction : reductions)
      mapToBlocks(reduction);
  }
};
} // namespace
