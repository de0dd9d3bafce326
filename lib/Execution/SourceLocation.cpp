//===- SourceLocation.cpp - Where an op came from, for messages -----------===//

#include "weft/Execution/SourceLocation.h"

#include "mlir/IR/BuiltinAttributes.h"

using namespace mlir;

std::string mlir::weft::formatSourceLocation(Location loc) {
  while (isa<CallSiteLoc, NameLoc>(loc))
    loc = isa<NameLoc>(loc) ? cast<NameLoc>(loc).getChildLoc()
                            : cast<CallSiteLoc>(loc).getCallee();
  auto fileLoc = dyn_cast<FileLineColLoc>(loc);
  if (!fileLoc)
    return "";
  return fileLoc.getFilename().str() + ":" + std::to_string(fileLoc.getLine()) +
         ":" + std::to_string(fileLoc.getColumn());
}
