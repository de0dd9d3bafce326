//===- Charts.h - PNG charts of training, drawn by gnuplot -------*- C++
//-*-===//
//
// What `weft train` draws: the metrics' curves, a grid of generated images
// and generated 2-D points over the data's. gnuplot (Debian's gnuplot-nox,
// its pngcairo terminal) draws them from a data file and a script weft
// writes; every chart is written to a temporary file and renamed.
//
//===----------------------------------------------------------------------===//

#ifndef WEFT_DRIVER_CHARTS_H
#define WEFT_DRIVER_CHARTS_H

#include "weft/Runtime/Tensor.h"

#include "llvm/Support/Error.h"

namespace mlir::weft {

/// The size of the charts of curves and points, in pixels.
inline constexpr int kChartWidth = 960, kChartHeight = 540;

/// gnuplot's path, or an error saying that `option` needs it.
llvm::Expected<std::string> findGnuplot(llvm::StringRef option);

/// Draws the columns of the metrics CSV `csv` (`leading` columns, the last
/// of them the step; `results` columns, `measured` columns, seconds)
/// against the step into the PNG `path`: the step's results as lines, the
/// measured ones (filled at the epochs' ends only) as points.
llvm::Error drawCurves(llvm::StringRef gnuplot, llvm::StringRef csv,
                       llvm::StringRef path, size_t leading, size_t results,
                       size_t measured);

/// Whether `shape` is one drawChart draws: images [N, C, H, W] (C 1 or 3)
/// or [N, H, W], or points [N, 2].
bool isDrawable(llvm::ArrayRef<int64_t> shape);

/// Draws `samples` into the PNG `path`: images as a grid (about square; a
/// value's brightness is its clamp to [0, 1]), points as red dots over
/// `data` (points [M, 2], grey; empty for none).
llvm::Error drawSamples(llvm::StringRef gnuplot, const Tensor &samples,
                        const Tensor &data, llvm::StringRef path);

} // namespace mlir::weft

#endif // WEFT_DRIVER_CHARTS_H
