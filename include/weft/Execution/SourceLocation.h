//===- SourceLocation.h - Where an op came from, for messages ---*- C++ -*-===//

#ifndef WEFT_EXECUTION_SOURCELOCATION_H
#define WEFT_EXECUTION_SOURCELOCATION_H

#include "mlir/IR/Location.h"
#include <string>

namespace mlir::weft {

/// `file:line:col` of the source an op came from, looking through the
/// call-site locations inlining adds; empty when there is no file location.
std::string formatSourceLocation(Location loc);

} // namespace mlir::weft

#endif // WEFT_EXECUTION_SOURCELOCATION_H
