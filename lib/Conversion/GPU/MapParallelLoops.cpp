//===- MapParallelLoops.cpp - The weft-gpu-map-parallel-loops pass --------===//

#include "weft/Conversion/GPU/GPU.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/GPU/Transforms/ParallelLoopMapper.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "llvm/Support/MathExtras.h"

namespace mlir::weft {
#define GEN_PASS_DEF_WEFTGPUMAPPARALLELLOOPS
#include "weft/Conversion/Passes.h.inc"
} // namespace mlir::weft

using namespace mlir;
using gpu::Processor;

namespace {
constexpr int64_t kThreadsPerBlock = 256;
constexpr int64_t kWarpSize = 32;
constexpr int64_t kMaxGridX = (int64_t(1) << 31) - 1;
constexpr int64_t kMaxGridYZ = 65535;

/// The number of iterations of `loop`'s dimension `d`, if static.
std::optional<int64_t> tripCount(scf::ParallelOp loop, unsigned d) {
  std::optional<int64_t> lower = getConstantIntValue(loop.getLowerBound()[d]);
  std::optional<int64_t> upper = getConstantIntValue(loop.getUpperBound()[d]);
  std::optional<int64_t> step = getConstantIntValue(loop.getStep()[d]);
  if (!lower || !upper || !step || *step <= 0)
    return std::nullopt;
  return llvm::divideCeil(*upper - *lower, *step);
}

/// The block's extent along each dimension of `loop`: 256 threads for one
/// dimension, 32 x 8 (innermost, next) for more, 1 beyond; never more than
/// the loop's extent rounded up to a power of two.
SmallVector<int64_t> blockShape(scf::ParallelOp loop) {
  unsigned rank = loop.getNumLoops();
  SmallVector<int64_t> shape(rank, 1);
  auto fit = [&](unsigned d, int64_t size) {
    if (std::optional<int64_t> count = tripCount(loop, d))
      size = std::min<int64_t>(
          size, llvm::PowerOf2Ceil(std::max<int64_t>(*count, 1)));
    shape[d] = size;
  };
  if (rank == 1) {
    fit(0, kThreadsPerBlock);
    return shape;
  }
  fit(rank - 1, kWarpSize);
  fit(rank - 2, kThreadsPerBlock / shape[rank - 1]);
  return shape;
}

/// Maps dimension d of `loop` (of `rank`) to `processors[k]`, k counted
/// from the innermost dimension; dimensions past the list run sequentially,
/// and so do those with more than `limits[k]` iterations (`counts`, where
/// known).
void mapFromInnermost(scf::ParallelOp loop, ArrayRef<Processor> processors,
                      ArrayRef<int64_t> limits = {},
                      ArrayRef<std::optional<int64_t>> counts = {}) {
  MLIRContext *context = loop.getContext();
  unsigned rank = loop.getNumLoops();
  AffineMap identity = AffineMap::getMultiDimIdentityMap(1, context);
  SmallVector<gpu::ParallelLoopDimMappingAttr> mapping;
  for (unsigned d = 0; d < rank; ++d) {
    unsigned fromInnermost = rank - 1 - d;
    Processor processor = fromInnermost < processors.size()
                              ? processors[fromInnermost]
                              : Processor::Sequential;
    if (fromInnermost < limits.size() && counts[d] &&
        *counts[d] > limits[fromInnermost])
      processor = Processor::Sequential;
    mapping.push_back(gpu::ParallelLoopDimMappingAttr::get(context, processor,
                                                           identity, identity));
  }
  (void)gpu::setMappingAttr(loop, mapping);
}

struct WeftGPUMapParallelLoopsPass
    : public weft::impl::WeftGPUMapParallelLoopsBase<
          WeftGPUMapParallelLoopsPass> {
  void runOnOperation() override {
    SmallVector<scf::ParallelOp> outermost;
    getOperation().walk([&](scf::ParallelOp loop) {
      if (!loop->getParentOfType<scf::ParallelOp>())
        outermost.push_back(loop);
    });
    for (scf::ParallelOp loop : outermost) {
      SmallVector<int64_t> shape = blockShape(loop);
      // How many blocks each dimension makes: CUDA grids hold at most 65535
      // along y and z; a dimension with more loops over its blocks.
      SmallVector<std::optional<int64_t>> blocks;
      for (unsigned d = 0; d < loop.getNumLoops(); ++d) {
        std::optional<int64_t> count = tripCount(loop, d);
        blocks.push_back(
            count ? std::optional<int64_t>(llvm::divideCeil(*count, shape[d]))
                  : std::nullopt);
      }
      auto [grid, block] =
          scf::tileParallelLoop(loop, shape, /*noMinMaxBounds=*/true);
      mapFromInnermost(
          grid, {Processor::BlockX, Processor::BlockY, Processor::BlockZ},
          {kMaxGridX, kMaxGridYZ, kMaxGridYZ}, blocks);
      mapFromInnermost(
          block, {Processor::ThreadX, Processor::ThreadY, Processor::ThreadZ});
    }
  }
};
} // namespace
