//===- RandomToLinalg.cpp - Seeded random numbers to linalg ---------------===//
//
// `weft.random` becomes a parallel `linalg.generic` without inputs (or with
// the run-time seed, a scalar, as its one input): each element hashes its
// row-major position with 64-bit integer arithmetic (the generator the op's
// description specifies), so the numbers do not depend on the order or the
// thread the elements are computed in.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "weft/Conversion/WeftToLinalg/WeftToLinalg.h"
#include "weft/Dialect/Weft/IR/WeftOps.h"
#include "weft/Runtime/Random.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Transforms/DialectConversion.h"
#include <cmath>

using namespace mlir;
using namespace mlir::weft;

namespace {
/// Builds the generator's integer arithmetic in one generic body.
class CounterBuilder {
public:
  CounterBuilder(OpBuilder &b, Location loc) : b(b), loc(loc) {}

  Value constant(uint64_t v) {
    return arith::ConstantOp::create(
        b, loc, b.getI64IntegerAttr(static_cast<int64_t>(v)));
  }
  Value xorShift(Value z, uint64_t shift) {
    return arith::XOrIOp::create(
        b, loc, z, arith::ShRUIOp::create(b, loc, z, constant(shift)));
  }
  /// splitmix64's output function.
  Value mix(Value z) {
    z = arith::MulIOp::create(b, loc, xorShift(z, 30),
                              constant(0xbf58476d1ce4e5b9ULL));
    z = arith::MulIOp::create(b, loc, xorShift(z, 27),
                              constant(0x94d049bb133111ebULL));
    return xorShift(z, 31);
  }
  Value bits(Value stream, Value counter) {
    Value step =
        arith::MulIOp::create(b, loc, counter, constant(counter::kGamma));
    return mix(arith::AddIOp::create(b, loc, stream, step));
  }
  /// `bits >> (64 - mantissa)` scaled to [0, 1) in `type`.
  Value uniform(Value bits, FloatType type) {
    unsigned mantissa = type.getFPMantissaWidth();
    Value top = arith::ShRUIOp::create(b, loc, bits, constant(64 - mantissa));
    Value value = arith::UIToFPOp::create(b, loc, type, top);
    return arith::MulFOp::create(
        b, loc, value,
        arith::ConstantOp::create(
            b, loc, b.getFloatAttr(type, std::ldexp(1.0, -int(mantissa)))));
  }
  Value f64(double v) {
    return arith::ConstantOp::create(b, loc, b.getF64FloatAttr(v));
  }

private:
  OpBuilder &b;
  Location loc;
};

struct RandomLowering : public StaticShapeLowering<RandomOp> {
  using StaticShapeLowering::StaticShapeLowering;

  LogicalResult lowerStatic(RandomOp op, OpAdaptor adaptor,
                            ConversionPatternRewriter &rewriter,
                            RankedTensorType resultType) const override {
    auto elem = cast<FloatType>(resultType.getElementType());
    auto key = static_cast<uint64_t>(op.getKey());
    bool normal = op.getDistribution() == Distribution::normal;
    llvm::ArrayRef<int64_t> shape = resultType.getShape();
    llvm::SmallVector<Value> inputs;
    llvm::SmallVector<AffineMap> maps;
    if (Value seed = adaptor.getSeedValue()) {
      inputs.push_back(seed);
      maps.push_back(AffineMap::get(shape.size(), 0, rewriter.getContext()));
    }
    Value result = buildParallelGeneric(
        rewriter, op.getLoc(), resultType, inputs, maps,
        [&](OpBuilder &b, Location loc, ValueRange seedValue) -> Value {
          CounterBuilder gen(b, loc);
          // The row-major position of the element.
          Value index = arith::ConstantIndexOp::create(b, loc, 0);
          for (auto [d, size] : llvm::enumerate(shape)) {
            Value scaled = arith::MulIOp::create(
                b, loc, index, arith::ConstantIndexOp::create(b, loc, size));
            index = arith::AddIOp::create(b, loc, scaled,
                                          linalg::IndexOp::create(b, loc, d));
          }
          Value position =
              arith::IndexCastOp::create(b, loc, b.getI64Type(), index);
          // The stream depends only on the seed and the key: a constant
          // unless the seed is read at run time.
          Value stream =
              seedValue.empty()
                  ? gen.constant(counter::stream(*op.getSeed(), key))
                  : gen.mix(arith::XOrIOp::create(
                        b, loc, gen.mix(seedValue.front()), gen.constant(key)));
          if (!normal)
            return gen.uniform(gen.bits(stream, position), elem);
          // Box-Muller in f64 over the counters 2i and 2i + 1.
          Value first =
              arith::MulIOp::create(b, loc, position, gen.constant(2));
          Value second = arith::AddIOp::create(b, loc, first, gen.constant(1));
          Value u1 = gen.uniform(gen.bits(stream, first), b.getF64Type());
          Value u2 = gen.uniform(gen.bits(stream, second), b.getF64Type());
          Value radius = math::SqrtOp::create(
              b, loc,
              arith::MulFOp::create(
                  b, loc, gen.f64(-2.0),
                  math::LogOp::create(
                      b, loc,
                      arith::SubFOp::create(b, loc, gen.f64(1.0), u1))));
          Value angle = math::CosOp::create(
              b, loc, arith::MulFOp::create(b, loc, gen.f64(2 * M_PI), u2));
          Value z = arith::MulFOp::create(b, loc, radius, angle);
          return elem.isF64() ? z
                              : Value(arith::TruncFOp::create(b, loc, elem, z));
        });
    rewriter.replaceOp(op, result);
    return success();
  }
};
} // namespace

void mlir::weft::populateRandomToLinalgPatterns(RewritePatternSet &patterns) {
  patterns.add<RandomLowering>(patterns.getContext());
}
