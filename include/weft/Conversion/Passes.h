//===- Passes.h - weft conversion passes ------------------------*- C++ -*-===//

#ifndef WEFT_CONVERSION_PASSES_H
#define WEFT_CONVERSION_PASSES_H

#include "weft/Conversion/ContractionToVector/ContractionToVector.h"
#include "weft/Conversion/GPU/GPU.h"
#include "weft/Conversion/GenericToVector/GenericToVector.h"
#include "weft/Conversion/MathToPolynomial/MathToPolynomial.h"
#include "weft/Conversion/MemRefCopyToLinalg/MemRefCopyToLinalg.h"
#include "weft/Conversion/UpdateInPlace/UpdateInPlace.h"
#include "weft/Conversion/WeftToLinalg/WeftToLinalg.h"

namespace mlir::weft {

#define GEN_PASS_REGISTRATION
#include "weft/Conversion/Passes.h.inc"

} // namespace mlir::weft

#endif // WEFT_CONVERSION_PASSES_H
