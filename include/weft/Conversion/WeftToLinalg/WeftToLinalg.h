//===- WeftToLinalg.h - weft to linalg lowering -----------------*- C++ -*-===//

#ifndef WEFT_CONVERSION_WEFTTOLINALG_WEFTTOLINALG_H
#define WEFT_CONVERSION_WEFTTOLINALG_WEFTTOLINALG_H

#include "mlir/Pass/Pass.h"

namespace mlir {
class RewritePatternSet;
class TypeConverter;
namespace arith {
class ArithDialect;
}
namespace linalg {
class LinalgDialect;
}
namespace math {
class MathDialect;
}
namespace tensor {
class TensorDialect;
}

namespace weft {

#define GEN_PASS_DECL_CONVERTWEFTTOLINALG
#include "weft/Conversion/Passes.h.inc"

/// Patterns, one file per op family (lib/Conversion/WeftToLinalg/).
void populateElementwiseToLinalgPatterns(RewritePatternSet &patterns);
void populateContractionToLinalgPatterns(RewritePatternSet &patterns);
void populateReductionToLinalgPatterns(RewritePatternSet &patterns);
void populateConvolutionToLinalgPatterns(RewritePatternSet &patterns);
void populateNormalizationToLinalgPatterns(RewritePatternSet &patterns);
void populateIndexingToLinalgPatterns(RewritePatternSet &patterns);
void populateAttentionToLinalgPatterns(RewritePatternSet &patterns);
void populateShapeToLinalgPatterns(RewritePatternSet &patterns);
void populateTopKToLinalgPatterns(RewritePatternSet &patterns);
void populateRandomToLinalgPatterns(RewritePatternSet &patterns);

} // namespace weft
} // namespace mlir

#endif // WEFT_CONVERSION_WEFTTOLINALG_WEFTTOLINALG_H
