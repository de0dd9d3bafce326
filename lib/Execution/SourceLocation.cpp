//===- SourceLocation.cpp - Where an op came from, for messages -----------===//

#include "weft/Execution/SourceLocation.h"

#include "mlir/IR/BuiltinAttributes.h"

using namespace mlir;

std::string mlir::weft::formatSourceLocation(Location loc) {
  while (auto callSite = dyn_cast<CallSiteLoc>(loc))
    loc = callSite.getCallee();
  auto fileLoc = dyn_cast<FileLineColLoc>(loc);
  if (!fileLoc)
    return "";
  return fileLoc.getFilename().str() + ":" + std::to_string(fileLoc.getLine()) +
         ":" + std::to_string(fileLoc.getColumn());
}
