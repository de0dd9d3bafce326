//===- MapProducts.cpp - The weft-gpu-map-products pass -------------------===//

#include "weft/Conversion/GPU/GPU.h"

#include "Delinearize.h"
#include "KernelNeighbours.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Arith/Utils/Utils.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/SmallBitVector.h"

namespace mlir::weft {
#define GEN_PASS_DEF_WEFTGPUMAPPRODUCTS
#include "weft/Conversion/Passes.h.inc"
} // namespace mlir::weft

using namespace mlir;

namespace {
/// A block is kSide x kSide threads; its tile of the output kSide * T on a
/// side, T x T elements per thread; each step along k is kStep long.
constexpr int64_t kSide = 16;
constexpr int64_t kStep = 16;
/// The fewest blocks that still fill an H100's 132 multiprocessors about
/// once; larger tiles are taken only while the grid has as many.
constexpr int64_t kEnoughBlocks = 128;
/// The most blocks a CUDA grid has along y and z.
constexpr int64_t kMaxGridYZ = 65535;

/// A matrix product: the loops of a linalg.generic and the inputs they
/// index.
struct Product {
  linalg::GenericOp generic;
  /// The row, column and reduction loops; the others are `outer`.
  unsigned m, n, k;
  SmallVector<unsigned> outer;
  /// The input indexed by `m` and `k`, and the one indexed by `n` and `k`.
  OpOperand *rows, *cols;
  /// Output elements per thread along each side.
  int64_t perThread;
  /// The elementwise ops the kernel computes too.
  weft::KernelNeighbours neighbours;
};

/// The loops `operand`'s indexing map reads, as a bit per loop.
llvm::SmallBitVector loopsOf(linalg::GenericOp generic, OpOperand *operand) {
  llvm::SmallBitVector loops(generic.getNumLoops());
  for (AffineExpr e : generic.getMatchingIndexingMap(operand).getResults())
    loops.set(cast<AffineDimExpr>(e).getPosition());
  return loops;
}

/// Where loop `d` is among the output's indices.
unsigned outputPosition(linalg::GenericOp generic, unsigned d) {
  return *generic.getMatchingIndexingMap(generic.getDpsInitOperand(0))
              .getResultPosition(getAffineDimExpr(d, generic.getContext()));
}

/// The loop of `loops` that the output indexes innermost.
unsigned innermostInOutput(linalg::GenericOp generic,
                           const llvm::SmallBitVector &loops) {
  unsigned best = *loops.set_bits_begin();
  for (unsigned d : loops.set_bits())
    if (outputPosition(generic, d) > outputPosition(generic, best))
      best = d;
  return best;
}

/// The largest T of 4, 2, 1 whose tiles give at least kEnoughBlocks blocks
/// (4 when a size is dynamic).
int64_t choosePerThread(ArrayRef<int64_t> sizes, const Product &product) {
  unsigned tiled[] = {product.m, product.n};
  for (int64_t perThread : {4, 2}) {
    int64_t tile = kSide * perThread;
    int64_t blocks = 1;
    for (unsigned d :
         llvm::concat<const unsigned>(ArrayRef(tiled), product.outer)) {
      if (ShapedType::isDynamic(sizes[d]))
        return 4;
      blocks *= d == product.m || d == product.n
                    ? llvm::divideCeil(sizes[d], tile)
                    : sizes[d];
    }
    if (blocks >= kEnoughBlocks)
      return perThread;
  }
  return 1;
}

std::optional<Product> matchProduct(linalg::GenericOp generic) {
  if (!generic.hasPureBufferSemantics() || generic.getNumDpsInputs() != 2 ||
      generic.getNumDpsInits() != 1 || generic.getNumReductionLoops() != 1)
    return std::nullopt;
  for (OpOperand &operand : generic->getOpOperands())
    if (!isa<MemRefType>(operand.get().getType()) ||
        !generic.getMatchingIndexingMap(&operand).isProjectedPermutation())
      return std::nullopt;
  OpOperand *init = generic.getDpsInitOperand(0);
  if (!isa<FloatType>(getElementTypeOrSelf(init->get().getType())))
    return std::nullopt;
  for (Operation &op : generic.getRegion().front().without_terminator())
    if (isa<linalg::IndexOp>(op) || op.getNumRegions() != 0 ||
        !isMemoryEffectFree(&op))
      return std::nullopt;

  SmallVector<unsigned> reductions;
  generic.getReductionDims(reductions);
  Product product{generic, 0, 0, reductions.front(), {}, nullptr, nullptr, 1};
  OpOperand *first = generic.getDpsInputOperand(0);
  OpOperand *second = generic.getDpsInputOperand(1);
  llvm::SmallBitVector firstLoops = loopsOf(generic, first);
  llvm::SmallBitVector secondLoops = loopsOf(generic, second);
  llvm::SmallBitVector outputLoops = loopsOf(generic, init);
  if (!firstLoops.test(product.k) || !secondLoops.test(product.k))
    return std::nullopt;
  // Loops of the output that only one input reads.
  llvm::SmallBitVector onlyFirst = outputLoops & firstLoops;
  onlyFirst.reset(secondLoops);
  llvm::SmallBitVector onlySecond = outputLoops & secondLoops;
  onlySecond.reset(firstLoops);
  if (onlyFirst.none() || onlySecond.none())
    return std::nullopt;
  // The columns are the loop the output stores innermost.
  unsigned a = innermostInOutput(generic, onlyFirst);
  unsigned b = innermostInOutput(generic, onlySecond);
  bool firstHasColumns =
      outputPosition(generic, a) > outputPosition(generic, b);
  product.m = firstHasColumns ? b : a;
  product.n = firstHasColumns ? a : b;
  product.rows = firstHasColumns ? second : first;
  product.cols = firstHasColumns ? first : second;
  for (unsigned d = 0; d < generic.getNumLoops(); ++d)
    if (d != product.m && d != product.n && d != product.k)
      product.outer.push_back(d);

  SmallVector<int64_t> sizes = generic.getStaticLoopRanges();
  for (unsigned d : {product.m, product.n, product.k})
    if (!ShapedType::isDynamic(sizes[d]) && sizes[d] < kSide)
      return std::nullopt;
  product.perThread = choosePerThread(sizes, product);
  return product;
}

/// Builds the kernel of one product inside its gpu.launch.
class ProductKernel {
public:
  ProductKernel(Product product, gpu::LaunchOp launch, ArrayRef<Value> sizes)
      : p(product), launch(launch), sizes(sizes), loc(product.generic.getLoc()),
        elementType(getElementTypeOrSelf(
            product.generic.getDpsInitOperand(0)->get().getType())),
        b(&launch.getBody().front(), launch.getBody().front().begin()) {}

  void build();

private:
  Value index(int64_t value) {
    return arith::ConstantIndexOp::create(b, loc, value);
  }
  Value add(Value lhs, Value rhs) {
    return arith::AddIOp::create(b, loc, lhs, rhs);
  }
  Value mul(Value lhs, Value rhs) {
    return arith::MulIOp::create(b, loc, lhs, rhs);
  }
  Value below(Value lhs, Value rhs) {
    return arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, lhs, rhs);
  }
  /// `operand`'s indices at the loop indices `at` (those it reads set).
  SmallVector<Value> indicesOf(OpOperand *operand, ArrayRef<Value> at);
  /// `compute()` where `inside`, zero elsewhere.
  Value valueIfInside(Value inside, llvm::function_ref<Value()> compute);
  /// `operand`'s element at `at` where `inside`, zero elsewhere.
  Value loadIfInside(Value inside, OpOperand *operand, ArrayRef<Value> at);
  /// Builds `for (iv = lower; iv < upper; iv += step) body(iv)`.
  void loop(Value lower, Value upper, Value step,
            llvm::function_ref<void(Value)> body);
  /// Copies the k-step from `k0` of `input` (rows or columns) to `shared`.
  void stage(OpOperand *input, unsigned along, Value start, Value k0,
             Value shared);
  /// Folds the k-step in shared memory into the accumulators.
  void fold(Value k0);
  /// Sets each accumulator to its output element's initial value.
  void initAccumulators();
  /// Folds every k-step into the accumulators.
  void foldSteps();
  /// Stores the accumulators, or the epilogue's values of them.
  void storeAccumulators();
  /// The output element of thread-tile position (i, j) and whether it is
  /// inside the output.
  std::pair<SmallVector<Value>, Value> outputElement(int64_t i, int64_t j);

  Product p;
  gpu::LaunchOp launch;
  ArrayRef<Value> sizes;
  Location loc;
  Type elementType;
  OpBuilder b;
  /// Loop indices fixed for the current tile: the outer loops', and the
  /// tile's first row and column.
  SmallVector<Value> tileAt;
  Value rowStart, colStart, tx, ty, linearThread;
};

SmallVector<Value> ProductKernel::indicesOf(OpOperand *operand,
                                            ArrayRef<Value> at) {
  SmallVector<Value> indices;
  for (AffineExpr e : p.generic.getMatchingIndexingMap(operand).getResults())
    indices.push_back(at[cast<AffineDimExpr>(e).getPosition()]);
  return indices;
}

Value ProductKernel::valueIfInside(Value inside,
                                   llvm::function_ref<Value()> compute) {
  auto ifInside = scf::IfOp::create(b, loc, TypeRange{elementType}, inside,
                                    /*withElseRegion=*/true);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(&ifInside.getThenRegion().front());
  scf::YieldOp::create(b, loc, compute());
  b.setInsertionPointToStart(&ifInside.getElseRegion().front());
  scf::YieldOp::create(
      b, loc,
      arith::ConstantOp::create(b, loc, b.getZeroAttr(elementType))
          .getResult());
  return ifInside.getResult(0);
}

Value ProductKernel::loadIfInside(Value inside, OpOperand *operand,
                                  ArrayRef<Value> at) {
  return valueIfInside(inside, [&] {
    return memref::LoadOp::create(b, loc, operand->get(),
                                  indicesOf(operand, at));
  });
}

void ProductKernel::loop(Value lower, Value upper, Value step,
                         llvm::function_ref<void(Value)> body) {
  auto forOp = scf::ForOp::create(b, loc, lower, upper, step);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPoint(forOp.getBody()->getTerminator());
  body(forOp.getInductionVar());
}

void ProductKernel::stage(OpOperand *input, unsigned along, Value start,
                          Value k0, Value shared) {
  int64_t tile = kSide * p.perThread;
  // Consecutive threads take consecutive elements of the input's innermost
  // index, so that a warp's loads are coalesced.
  AffineMap map = p.generic.getMatchingIndexingMap(input);
  bool kInnermost =
      cast<AffineDimExpr>(map.getResults().back()).getPosition() == p.k;
  for (int64_t r = 0; r < p.perThread; ++r) {
    Value e = add(linearThread, index(r * kSide * kSide));
    Value inK = kInnermost
                    ? Value(arith::RemUIOp::create(b, loc, e, index(kStep)))
                    : Value(arith::DivUIOp::create(b, loc, e, index(tile)));
    Value inTile = kInnermost
                       ? Value(arith::DivUIOp::create(b, loc, e, index(kStep)))
                       : Value(arith::RemUIOp::create(b, loc, e, index(tile)));
    SmallVector<Value> at = tileAt;
    at[along] = add(start, inTile);
    at[p.k] = add(k0, inK);
    Value inside = arith::AndIOp::create(b, loc, below(at[along], sizes[along]),
                                         below(at[p.k], sizes[p.k]));
    memref::StoreOp::create(b, loc, loadIfInside(inside, input, at), shared,
                            ValueRange{inK, inTile});
  }
}

std::pair<SmallVector<Value>, Value> ProductKernel::outputElement(int64_t i,
                                                                  int64_t j) {
  SmallVector<Value> at = tileAt;
  at[p.m] = add(rowStart, add(ty, index(i * kSide)));
  at[p.n] = add(colStart, add(tx, index(j * kSide)));
  Value inside = arith::AndIOp::create(b, loc, below(at[p.m], sizes[p.m]),
                                       below(at[p.n], sizes[p.n]));
  return {at, inside};
}

void ProductKernel::fold(Value k0) {
  Value rowsShared = launch.getWorkgroupAttributions()[0];
  Value colsShared = launch.getWorkgroupAttributions()[1];
  Value acc = launch.getPrivateAttributions()[0];
  Block &body = p.generic.getRegion().front();
  Value remaining = arith::SubIOp::create(b, loc, sizes[p.k], k0);
  Value end = arith::MinUIOp::create(b, loc, remaining, index(kStep));
  loop(index(0), end, index(1), [&](Value kk) {
    SmallVector<Value> rowValues, colValues;
    for (int64_t i = 0; i < p.perThread; ++i)
      rowValues.push_back(memref::LoadOp::create(
          b, loc, rowsShared, ValueRange{kk, add(ty, index(i * kSide))}));
    for (int64_t j = 0; j < p.perThread; ++j)
      colValues.push_back(memref::LoadOp::create(
          b, loc, colsShared, ValueRange{kk, add(tx, index(j * kSide))}));
    for (int64_t i = 0; i < p.perThread; ++i)
      for (int64_t j = 0; j < p.perThread; ++j) {
        SmallVector<Value> at{index(i), index(j)};
        IRMapping map;
        map.map(body.getArgument(p.rows->getOperandNumber()), rowValues[i]);
        map.map(body.getArgument(p.cols->getOperandNumber()), colValues[j]);
        map.map(body.getArguments().back(),
                memref::LoadOp::create(b, loc, acc, at));
        for (Operation &op : body.without_terminator())
          b.clone(op, map);
        memref::StoreOp::create(
            b, loc, map.lookup(body.getTerminator()->getOperand(0)), acc, at);
      }
  });
}

void ProductKernel::initAccumulators() {
  Value acc = launch.getPrivateAttributions()[0];
  OpOperand *output = p.generic.getDpsInitOperand(0);
  for (int64_t i = 0; i < p.perThread; ++i)
    for (int64_t j = 0; j < p.perThread; ++j) {
      auto [at, inside] = outputElement(i, j);
      Value start;
      if (auto fill = dyn_cast_or_null<linalg::FillOp>(p.neighbours.init))
        start = fill.getInputs()[0];
      else if (auto generic =
                   dyn_cast_or_null<linalg::GenericOp>(p.neighbours.init))
        start = valueIfInside(inside, [&] {
          return weft::evaluateElementwise(
              b, loc, generic, indicesOf(output, at), output->get());
        });
      else
        start = loadIfInside(inside, output, at);
      memref::StoreOp::create(b, loc, start, acc,
                              ValueRange{index(i), index(j)});
    }
}

void ProductKernel::foldSteps() {
  loop(index(0), sizes[p.k], index(kStep), [&](Value k0) {
    stage(p.rows, p.m, rowStart, k0, launch.getWorkgroupAttributions()[0]);
    stage(p.cols, p.n, colStart, k0, launch.getWorkgroupAttributions()[1]);
    gpu::BarrierOp::create(b, loc);
    fold(k0);
    gpu::BarrierOp::create(b, loc);
  });
}

void ProductKernel::storeAccumulators() {
  Value acc = launch.getPrivateAttributions()[0];
  OpOperand *output = p.generic.getDpsInitOperand(0);
  linalg::GenericOp epilogue = p.neighbours.epilogue;
  for (int64_t i = 0; i < p.perThread; ++i)
    for (int64_t j = 0; j < p.perThread; ++j) {
      auto [at, inside] = outputElement(i, j);
      auto ifInside = scf::IfOp::create(b, loc, inside, false);
      OpBuilder::InsertionGuard guard(b);
      b.setInsertionPointToStart(&ifInside.getThenRegion().front());
      Value value =
          memref::LoadOp::create(b, loc, acc, ValueRange{index(i), index(j)});
      SmallVector<Value> outputIndex = indicesOf(output, at);
      if (!epilogue || p.neighbours.resultReadLater)
        memref::StoreOp::create(b, loc, value, output->get(), outputIndex);
      if (epilogue)
        memref::StoreOp::create(
            b, loc,
            weft::evaluateElementwise(b, loc, epilogue, outputIndex,
                                      output->get(), value),
            epilogue.getDpsInitOperand(0)->get(), outputIndex);
    }
}

void ProductKernel::build() {
  int64_t tile = kSide * p.perThread;
  tx = launch.getThreadIds().x;
  ty = launch.getThreadIds().y;
  linearThread = add(mul(ty, index(kSide)), tx);
  colStart = mul(launch.getBlockIds().x, index(tile));
  Value tilesDown = arith::CeilDivUIOp::create(b, loc, sizes[p.m], index(tile));
  Value outerCount = index(1);
  SmallVector<Value> outerSizes;
  for (unsigned d : p.outer) {
    outerSizes.push_back(sizes[d]);
    outerCount = mul(outerCount, sizes[d]);
  }
  // Each block runs over the outer positions and row tiles the grid's y and
  // z do not reach.
  loop(launch.getBlockIds().z, outerCount, launch.getGridSize().z,
       [&](Value outer) {
         tileAt.assign(p.generic.getNumLoops(), Value());
         for (auto [d, at] :
              llvm::zip(p.outer, weft::delinearize(b, loc, outer, outerSizes)))
           tileAt[d] = at;
         loop(launch.getBlockIds().y, tilesDown, launch.getGridSize().y,
              [&](Value rowTile) {
                rowStart = mul(rowTile, index(tile));
                initAccumulators();
                foldSteps();
                storeAccumulators();
              });
       });
  gpu::TerminatorOp::create(b, loc);
}

void mapProduct(const Product &product) {
  linalg::GenericOp generic = product.generic;
  if (linalg::GenericOp epilogue = product.neighbours.epilogue)
    weft::moveOperandsBefore(epilogue, generic);
  OpBuilder b(generic);
  Location loc = generic.getLoc();
  SmallVector<Value> sizes;
  for (Range range : cast<linalg::LinalgOp>(*generic).createLoopRanges(b, loc))
    sizes.push_back(getValueOrCreateConstantIndexOp(b, loc, range.size));
  int64_t tile = kSide * product.perThread;
  Value tileSize = arith::ConstantIndexOp::create(b, loc, tile);
  Value maxGrid = arith::ConstantIndexOp::create(b, loc, kMaxGridYZ);
  Value gridX = arith::CeilDivUIOp::create(b, loc, sizes[product.n], tileSize);
  Value gridY = arith::MinUIOp::create(
      b, loc, arith::CeilDivUIOp::create(b, loc, sizes[product.m], tileSize),
      maxGrid);
  Value outerCount = arith::ConstantIndexOp::create(b, loc, 1);
  for (unsigned d : product.outer)
    outerCount = arith::MulIOp::create(b, loc, outerCount, sizes[d]);
  Value gridZ = arith::MinUIOp::create(b, loc, outerCount, maxGrid);
  Value side = arith::ConstantIndexOp::create(b, loc, kSide);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);

  Type elementType =
      getElementTypeOrSelf(generic.getDpsInitOperand(0)->get().getType());
  auto workgroup = gpu::AddressSpaceAttr::get(
      b.getContext(), gpu::GPUDialect::getWorkgroupAddressSpace());
  auto privateSpace = gpu::AddressSpaceAttr::get(
      b.getContext(), gpu::GPUDialect::getPrivateAddressSpace());
  // A row of one more element than the tile: a warp storing down a column
  // of the tile then hits 32 different banks.
  auto sharedType =
      MemRefType::get({kStep, tile + 1}, elementType, AffineMap(), workgroup);
  auto accType = MemRefType::get({product.perThread, product.perThread},
                                 elementType, AffineMap(), privateSpace);
  auto launch = gpu::LaunchOp::create(
      b, loc, gridX, gridY, gridZ, side, side, one,
      /*dynamicSharedMemorySize=*/nullptr, /*asyncTokenType=*/nullptr,
      /*asyncDependencies=*/{}, TypeRange{sharedType, sharedType},
      TypeRange{accType});
  ProductKernel(product, launch, sizes).build();
  generic.erase();
  if (product.neighbours.init)
    product.neighbours.init->erase();
  if (linalg::GenericOp epilogue = product.neighbours.epilogue)
    epilogue.erase();
}

struct WeftGPUMapProductsPass
    : public weft::impl::WeftGPUMapProductsBase<WeftGPUMapProductsPass> {
  void runOnOperation() override {
    SmallVector<Product> products;
    getOperation().walk([&](linalg::GenericOp generic) {
      if (std::optional<Product> product = matchProduct(generic))
        products.push_back(*product);
    });
    // Each product takes in the elementwise ops next to it that no earlier
    // product took.
    DenseSet<Operation *> taken;
    for (Product &product : products)
      product.neighbours = weft::findKernelNeighbours(product.generic, taken);
    for (const Product &product : products)
      mapProduct(product);
  }
};
} // namespace
