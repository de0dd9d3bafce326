//===- GenericToVector.h - Vector element-wise ops, reductions -*- C++ -*-===//

#ifndef WEFT_CONVERSION_GENERICTOVECTOR_GENERICTOVECTOR_H
#define WEFT_CONVERSION_GENERICTOVECTOR_GENERICTOVECTOR_H

#include "mlir/Pass/Pass.h"

namespace mlir {
namespace weft {

#define GEN_PASS_DECL_WEFTVECTORIZEGENERICS
#include "weft/Conversion/Passes.h.inc"

} // namespace weft
} // namespace mlir

#endif // WEFT_CONVERSION_GENERICTOVECTOR_GENERICTOVECTOR_H
