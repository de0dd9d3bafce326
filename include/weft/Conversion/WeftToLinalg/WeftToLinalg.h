//===- WeftToLinalg.h - weft to linalg lowering -----------------*- C++ -*-===//

#ifndef WEFT_CONVERSION_WEFTTOLINALG_WEFTTOLINALG_H
#define WEFT_CONVERSION_WEFTTOLINALG_WEFTTOLINALG_H

#include "mlir/Pass/Pass.h"

namespace mlir {
class RewritePatternSet;
class TypeConverter;
namespace affine {
class AffineDialect;
}
namespace arith {
class ArithDialect;
}
namespace linalg {
class LinalgDialect;
}
namespace math {
class MathDialect;
}
namespace scf {
class SCFDialect;
}
namespace func {
class FuncDialect;
}
namespace tensor {
class TensorDialect;
}

namespace weft {

#define GEN_PASS_DECL_CONVERTWEFTTOLINALG
#define GEN_PASS_DECL_WEFTLOWERFUSIONGROUPS
#include "weft/Conversion/Passes.h.inc"

/// Patterns, one file per op family (lib/Conversion/WeftToLinalg/).
void populateElementwiseToLinalgPatterns(RewritePatternSet &patterns);
void populateContractionToLinalgPatterns(RewritePatternSet &patterns);
/// `sumBlock`: the most terms one stage of a blocked sum adds (sum, mean,
/// and below the statistics of softmax and the norms).
void populateReductionToLinalgPatterns(RewritePatternSet &patterns,
                                       int64_t sumBlock);
void populateConvolutionToLinalgPatterns(RewritePatternSet &patterns);
/// `sumBlock`: as for the reductions, for the statistics' sums.
void populateNormalizationToLinalgPatterns(RewritePatternSet &patterns,
                                           int64_t sumBlock);
/// `scatterLoops`: scatter_add as a sequential loop nest over its sources
/// rather than a parallel reduction over its result.
void populateIndexingToLinalgPatterns(RewritePatternSet &patterns,
                                      bool scatterLoops);
/// `maxKeyBlock`: the most keys per step of fused attention's key loop.
void populateAttentionToLinalgPatterns(RewritePatternSet &patterns,
                                       int64_t maxKeyBlock);
void populateShapeToLinalgPatterns(RewritePatternSet &patterns);
void populateTopKToLinalgPatterns(RewritePatternSet &patterns);
void populateRandomToLinalgPatterns(RewritePatternSet &patterns);

} // namespace weft
} // namespace mlir

#endif // WEFT_CONVERSION_WEFTTOLINALG_WEFTTOLINALG_H
