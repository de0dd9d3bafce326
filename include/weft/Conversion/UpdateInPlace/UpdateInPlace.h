//===- UpdateInPlace.h - Updated arguments written in place -----*- C++ -*-===//

#ifndef WEFT_CONVERSION_UPDATEINPLACE_UPDATEINPLACE_H
#define WEFT_CONVERSION_UPDATEINPLACE_UPDATEINPLACE_H

#include "mlir/Pass/Pass.h"

namespace mlir {
namespace bufferization {
class BufferizationDialect;
}

namespace weft {

#define GEN_PASS_DECL_WEFTUPDATEINPLACE
#define GEN_PASS_DECL_WEFTDROPUPDATEDRESULTS
#include "weft/Conversion/Passes.h.inc"

} // namespace weft
} // namespace mlir

#endif // WEFT_CONVERSION_UPDATEINPLACE_UPDATEINPLACE_H
