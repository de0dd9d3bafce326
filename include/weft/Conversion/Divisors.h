//===- Divisors.h - Tile sizes that divide a dimension ----------*- C++ -*-===//

#ifndef WEFT_CONVERSION_DIVISORS_H
#define WEFT_CONVERSION_DIVISORS_H

#include <algorithm>
#include <cstdint>

namespace mlir::weft {

/// The largest divisor of `size` not above `limit`: the largest tile that
/// covers a dimension of `size` exactly. 1 when no larger divisor is.
inline int64_t largestDivisor(int64_t size, int64_t limit) {
  for (int64_t d = std::min(size, limit); d > 1; --d)
    if (size % d == 0)
      return d;
  return 1;
}

} // namespace mlir::weft

#endif // WEFT_CONVERSION_DIVISORS_H
