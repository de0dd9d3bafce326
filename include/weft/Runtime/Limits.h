//===- Limits.h - The sizes weft accepts -------------------------*- C++
//-*-===//
//
// Limits documented in docs/language.md#limits, shared by the front end, the
// dialect's verifiers and the drivers. Header-only.
//
//===----------------------------------------------------------------------===//

#ifndef WEFT_RUNTIME_LIMITS_H
#define WEFT_RUNTIME_LIMITS_H

#include <cstdint>

namespace mlir::weft {

/// The most elements a tensor may have, 2^40: every size, offset and byte
/// count computed from a shape then fits in 64 bits.
inline constexpr int64_t kMaxElements = int64_t(1) << 40;

/// The deepest an expression (parentheses, calls, operator chains such as
/// `a + b + c`, which nest to the left) or a block may nest: deeper input
/// is a located error rather than a stack overflow in a pass that recurses.
inline constexpr unsigned kMaxNesting = 1000;

/// The most loop steps one compilation unrolls in all (`for t in range(n)`,
/// nested loops counting every inner step), and the most models a list of
/// models (`[Block() for n]`) may hold: each is generated code.
inline constexpr int64_t kMaxUnrolledSteps = 100000;

/// The most elements of a constant the compiler builds (`arange`), which
/// the compiled program carries.
inline constexpr int64_t kMaxConstantElements = int64_t(1) << 20;

} // namespace mlir::weft

#endif // WEFT_RUNTIME_LIMITS_H
