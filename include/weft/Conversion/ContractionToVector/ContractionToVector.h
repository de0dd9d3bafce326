//===- ContractionToVector.h - Register-tiled contractions ------*- C++ -*-===//

#ifndef WEFT_CONVERSION_CONTRACTIONTOVECTOR_CONTRACTIONTOVECTOR_H
#define WEFT_CONVERSION_CONTRACTIONTOVECTOR_CONTRACTIONTOVECTOR_H

#include "mlir/Pass/Pass.h"

namespace mlir {
namespace affine {
class AffineDialect;
}
namespace arith {
class ArithDialect;
}
namespace scf {
class SCFDialect;
}
namespace tensor {
class TensorDialect;
}
namespace vector {
class VectorDialect;
}

namespace weft {

#define GEN_PASS_DECL_WEFTVECTORIZECONTRACTIONS
#include "weft/Conversion/Passes.h.inc"

} // namespace weft
} // namespace mlir

#endif // WEFT_CONVERSION_CONTRACTIONTOVECTOR_CONTRACTIONTOVECTOR_H
