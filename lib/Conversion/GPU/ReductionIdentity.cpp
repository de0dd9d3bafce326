//===- ReductionIdentity.cpp - Where a GPU reduction starts ---------------===//

#include "ReductionIdentity.h"

#include "mlir/IR/BuiltinAttributes.h"
#include <limits>

using namespace mlir;

TypedAttr mlir::weft::getReductionIdentity(gpu::AllReduceOperation kind,
                                           Type type) {
  using Kind = gpu::AllReduceOperation;
  if (auto floatType = dyn_cast<FloatType>(type)) {
    double infinity = std::numeric_limits<double>::infinity();
    double value = kind == Kind::MUL                                 ? 1.0
                   : kind == Kind::MAXIMUMF || kind == Kind::MAXNUMF ? -infinity
                   : kind == Kind::MINIMUMF || kind == Kind::MINNUMF ? infinity
                                                                     : 0.0;
    return FloatAttr::get(floatType, value);
  }
  return IntegerAttr::get(type, kind == Kind::MUL ? 1 : 0);
}
