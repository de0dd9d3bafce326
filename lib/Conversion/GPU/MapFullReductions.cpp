//===- MapFullReductions.cpp - The weft-gpu-map-full-reductions pass ------===//

#include "weft/Conversion/GPU/GPU.h"

#include "Delinearize.h"
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
#define GEN_PASS_DEF_WEFTGPUMAPFULLREDUCTIONS
#include "weft/Conversion/Passes.h.inc"
} // namespace mlir::weft

using namespace mlir;

namespace {
/// The threads of the one block a full reduction runs on.
constexpr int64_t kBlockSize = 256;

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

/// Whether `generic` reduces memrefs to one element: every loop a reduction,
/// the output map constant.
bool isFullReduction(linalg::GenericOp generic) {
  return generic.hasPureBufferSemantics() && generic.getNumDpsInits() == 1 &&
         generic.getNumReductionLoops() == generic.getNumLoops() &&
         generic.getNumLoops() > 0 &&
         llvm::all_of(generic.getIndexingMapsArray().back().getResults(),
                      [](AffineExpr e) { return isa<AffineConstantExpr>(e); });
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

void mapToBlock(linalg::GenericOp generic, const Combiner &combiner) {
  OpBuilder b(generic);
  Location loc = generic.getLoc();
  SmallVector<int64_t> sizes = generic.getStaticLoopRanges();
  int64_t total = 1;
  for (int64_t size : sizes)
    total *= size;
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  Value threads = arith::ConstantIndexOp::create(b, loc, kBlockSize);
  auto launch = gpu::LaunchOp::create(b, loc, one, one, one, threads, one, one);
  b.setInsertionPointToStart(&launch.getBody().front());
  Value thread = launch.getThreadIds().x;
  Block &body = generic.getRegion().front();
  Type type = body.getArguments().back().getType();

  // Each thread folds the elements thread, thread + 256, ...
  Value identity = arith::ConstantOp::create(
      b, loc, weft::getReductionIdentity(combiner.kind, type));
  Value end = arith::ConstantIndexOp::create(b, loc, total);
  auto loop = scf::ForOp::create(b, loc, thread, end, threads, identity);
  {
    OpBuilder::InsertionGuard guard(b);
    b.setInsertionPointToStart(loop.getBody());
    SmallVector<Value> sizeValues;
    for (int64_t size : sizes)
      sizeValues.push_back(arith::ConstantIndexOp::create(b, loc, size));
    SmallVector<Value> indices =
        weft::delinearize(b, loc, loop.getInductionVar(), sizeValues);
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
    at.push_back(arith::ConstantIndexOp::create(
        b, loc, cast<AffineConstantExpr>(e).getValue()));
  Value old = memref::LoadOp::create(b, loc, init->get(), at);
  IRMapping combine;
  for (Value operand : combiner.op->getOperands())
    combine.map(operand, operand == body.getArguments().back() ? old : sum);
  Value result = b.clone(*combiner.op, combine)->getResult(0);
  memref::StoreOp::create(b, loc, result, init->get(), at);
  b.setInsertionPointToEnd(&launch.getBody().front());
  gpu::TerminatorOp::create(b, loc);
  generic.erase();
}

struct WeftGPUMapFullReductionsPass
    : public weft::impl::WeftGPUMapFullReductionsBase<
          WeftGPUMapFullReductionsPass> {
  void runOnOperation() override {
    SmallVector<std::pair<linalg::GenericOp, Combiner>> reductions;
    getOperation().walk([&](linalg::GenericOp generic) {
      if (!isFullReduction(generic) || generic.hasDynamicShape())
        return;
      if (std::optional<Combiner> combiner = matchCombiner(generic))
        reductions.push_back({generic, *combiner});
    });
    for (auto &[generic, combiner] : reductions)
      mapToBlock(generic, combiner);
  }
};
} // namespace
