//===- MathToPolynomial.h - Vectorizable math functions ---------*- C++ -*-===//

#ifndef WEFT_CONVERSION_MATHTOPOLYNOMIAL_MATHTOPOLYNOMIAL_H
#define WEFT_CONVERSION_MATHTOPOLYNOMIAL_MATHTOPOLYNOMIAL_H

#include "mlir/Pass/Pass.h"

namespace mlir {
namespace arith {
class ArithDialect;
}
namespace math {
class MathDialect;
}
namespace vector {
class VectorDialect;
}

namespace weft {

#define GEN_PASS_DECL_WEFTAPPROXIMATEMATH
#include "weft/Conversion/Passes.h.inc"

} // namespace weft
} // namespace mlir

#endif // WEFT_CONVERSION_MATHTOPOLYNOMIAL_MATHTOPOLYNOMIAL_H
