//===- Random.h - Seeded random numbers -------------------------*- C++ -*-===//

#ifndef WEFT_RUNTIME_RANDOM_H
#define WEFT_RUNTIME_RANDOM_H

#include "llvm/ADT/StringRef.h"
#include <cstdint>

namespace mlir::weft {

class Tensor;

/// A small, fully specified generator (xoshiro256**, seeded with splitmix64),
/// so a seed gives the same numbers on every platform and in every part of
/// weft.
class Random {
public:
  explicit Random(uint64_t seed);
  /// A stream that depends only on `seed` and `name`: the inputs and
  /// parameters of a run do not depend on the order they are drawn in.
  static Random forName(uint64_t seed, llvm::StringRef name);

  uint64_t next();
  /// Uniform in [0, 1).
  double uniform();
  /// Standard normal (Box-Muller).
  double normal();

  void fillUniform(Tensor &tensor, double low, double high);
  void fillNormal(Tensor &tensor);

private:
  uint64_t state[4];
};

} // namespace mlir::weft

#endif // WEFT_RUNTIME_RANDOM_H
