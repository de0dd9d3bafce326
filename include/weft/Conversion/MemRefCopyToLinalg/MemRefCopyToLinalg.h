//===- MemRefCopyToLinalg.h - memref.copy as linalg.copy --------*- C++ -*-===//

#ifndef WEFT_CONVERSION_MEMREFCOPYTOLINALG_MEMREFCOPYTOLINALG_H
#define WEFT_CONVERSION_MEMREFCOPYTOLINALG_MEMREFCOPYTOLINALG_H

#include "mlir/Pass/Pass.h"

namespace mlir {
namespace linalg {
class LinalgDialect;
}

namespace weft {

#define GEN_PASS_DECL_CONVERTMEMREFCOPYTOLINALG
#include "weft/Conversion/Passes.h.inc"

} // namespace weft
} // namespace mlir

#endif // WEFT_CONVERSION_MEMREFCOPYTOLINALG_MEMREFCOPYTOLINALG_H
