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

/// The counter-based generator of the `weft.random` op, whose description
/// specifies it; the compiled code computes the same numbers.
namespace counter {
/// The increment between consecutive counters (splitmix64's gamma).
constexpr uint64_t kGamma = 0x9e3779b97f4a7c15ULL;
/// The stream a seed and a key select.
uint64_t stream(uint64_t seed, uint64_t key);
/// The 64 random bits of element `counter` of the stream `(seed, key)`.
uint64_t bits(uint64_t seed, uint64_t key, uint64_t counter);
/// Uniform in [0, 1) with 24 (`f32`) or 53 random bits.
double uniform(uint64_t seed, uint64_t key, uint64_t index, bool f32);
/// Standard normal, from the uniforms of counters 2 index and 2 index + 1.
double normal(uint64_t seed, uint64_t key, uint64_t index);
} // namespace counter

} // namespace mlir::weft

#endif // WEFT_RUNTIME_RANDOM_H
