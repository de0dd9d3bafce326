//===- Random.cpp - Interpreting weft.random ------------------------------===//
//
// The counter-based generator of the op's specification, from the runtime
// (weft/Runtime/Random.h), element by element.
//
//===----------------------------------------------------------------------===//

#include "Interpreter.h"

#include "weft/Runtime/Random.h"

using namespace mlir;
using namespace mlir::weft;
using namespace mlir::weft::interp;

namespace {
Array evalRandomOp(Interpreter &in, RandomOp op) {
  Array array{shapeOf(op), {}};
  // A seed read at run time is an i64 held in a double: exact below 2^53.
  auto seed = op.getSeedValue()
                  ? static_cast<uint64_t>(
                        static_cast<int64_t>(in.get(op.getSeedValue()).data[0]))
                  : static_cast<uint64_t>(*op.getSeed());
  auto key = static_cast<uint64_t>(op.getKey());
  bool f32 = getElementTypeOrSelf(op.getType()).isF32();
  for (int64_t i = 0, e = countOf(array.shape); i < e; ++i)
    array.data.push_back(op.getDistribution() == Distribution::normal
                             ? counter::normal(seed, key, i)
                             : counter::uniform(seed, key, i, f32));
  return array;
}
} // namespace

Evaluated interp::evaluateRandom(Interpreter &in, Operation *op) {
  return llvm::TypeSwitch<Operation *, Evaluated>(op)
      .Case([&](RandomOp op) { return in.set(op, evalRandomOp(in, op)); })
      .Default([](Operation *) { return std::nullopt; });
}
