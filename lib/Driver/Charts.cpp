//===- Charts.cpp - PNG charts of training, drawn by gnuplot
//----------------===//

#include "weft/Driver/Charts.h"
#include "weft/Runtime/TensorIO.h"

#include "llvm/ADT/ScopeExit.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/raw_ostream.h"
#include <algorithm>
#include <cmath>

using namespace mlir;
using namespace mlir::weft;

namespace {
llvm::Error error(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// Writes `data` to `path + ".dat.partial"` and runs the gnuplot script
/// `script` (`png` in it stands for the output), whose PNG replaces `path`
/// only when gnuplot succeeds.
llvm::Error
runGnuplot(llvm::StringRef gnuplot, llvm::StringRef path,
           llvm::function_ref<void(llvm::raw_ostream &)> data,
           llvm::function_ref<void(llvm::raw_ostream &, llvm::StringRef png,
                                   llvm::StringRef data)>
               script) {
  std::string dataFile = (path + ".dat.partial").str();
  std::string scriptFile = (path + ".gp.partial").str();
  std::string png = (path + ".partial").str();
  llvm::scope_exit cleanup([&] {
    llvm::sys::fs::remove(dataFile);
    llvm::sys::fs::remove(scriptFile);
    llvm::sys::fs::remove(png);
  });
  if (llvm::Error e = writeFile(dataFile, data))
    return e;
  if (llvm::Error e = writeFile(scriptFile, [&](llvm::raw_ostream &out) {
        script(out, png, dataFile);
      }))
    return e;
  std::string message;
  int status = llvm::sys::ExecuteAndWait(gnuplot, {gnuplot, scriptFile},
                                         std::nullopt, {}, 0, 0, &message);
  if (status != 0)
    return error(path + ": gnuplot failed" +
                 (message.empty() ? "" : ": " + message));
  if (std::error_code ec = llvm::sys::fs::rename(png, path))
    return error(path + ": cannot write: " + ec.message());
  return llvm::Error::success();
}
} // namespace

llvm::Expected<std::string> mlir::weft::findGnuplot(llvm::StringRef option) {
  auto found = llvm::sys::findProgramByName("gnuplot");
  if (!found)
    return error(option + " draws with gnuplot, which is not installed "
                          "(Debian's gnuplot-nox)");
  return *found;
}

llvm::Error mlir::weft::drawCurves(llvm::StringRef gnuplot, llvm::StringRef csv,
                                   llvm::StringRef path, size_t leading,
                                   size_t results, size_t measured) {
  return runGnuplot(
      gnuplot, path, [&](llvm::raw_ostream &out) { out << csv; },
      [&](llvm::raw_ostream &out, llvm::StringRef png, llvm::StringRef data) {
        out << "set terminal pngcairo noenhanced size " << kChartWidth << ","
            << kChartHeight << "\nset output '" << png << "'\n"
            << "set datafile separator ','\nset key outside right\n"
            << "set xlabel 'step'\nset grid\n"
            << "plot for [i=" << leading + 1 << ":" << leading + results
            << "] '" << data << "' using " << leading
            << ":i with lines title columnhead(i)";
        if (measured)
          out << ", for [i=" << leading + results + 1 << ":"
              << leading + results + measured << "] '" << data << "' using "
              << leading
              << ":i with linespoints pointtype 7 title columnhead(i)";
        out << "\n";
      });
}

bool mlir::weft::isDrawable(llvm::ArrayRef<int64_t> shape) {
  return (shape.size() == 4 && (shape[1] == 1 || shape[1] == 3)) ||
         shape.size() == 3 || (shape.size() == 2 && shape[1] == 2);
}

llvm::Error mlir::weft::drawSamples(llvm::StringRef gnuplot,
                                    const Tensor &samples, const Tensor &data,
                                    llvm::StringRef path) {
  llvm::ArrayRef<int64_t> shape = samples.shape();
  if (shape.size() == 2)
    return runGnuplot(
        gnuplot, path,
        [&](llvm::raw_ostream &out) {
          // Two blocks: the data's points, then the samples.
          for (const Tensor *points : {&data, &samples}) {
            for (int64_t i = 0; i + 1 < points->numElements(); i += 2)
              out << llvm::format("%g %g\n", points->get(i),
                                  points->get(i + 1));
            out << "\n\n";
          }
        },
        [&](llvm::raw_ostream &out, llvm::StringRef png, llvm::StringRef file) {
          out << "set terminal pngcairo noenhanced size " << kChartWidth << ","
              << kChartHeight << "\nset output '" << png << "'\n"
              << "set size ratio -1\nset grid\nset key outside right\n"
              << "plot '" << file
              << "' index 0 with points pointtype 7 pointsize 0.4 "
                 "linecolor rgb '#b0b0b0' title 'data', '"
              << file
              << "' index 1 with points pointtype 7 pointsize 0.6 "
                 "linecolor rgb '#d62728' title 'samples'\n";
        });
  // Images: [N, C, H, W] or [N, H, W], tiled in rows of `columns`, a
  // pixel's brightness its value clamped to [0, 1].
  int64_t count = shape[0], channels = shape.size() == 4 ? shape[1] : 1;
  int64_t height = shape[shape.size() - 2], width = shape.back();
  int64_t columns =
      std::max<int64_t>(1, std::ceil(std::sqrt(double(count)) - 1e-9));
  int64_t rows = (count + columns - 1) / columns;
  // A pixel of gap between the images.
  int64_t gridWidth = columns * (width + 1) + 1,
          gridHeight = rows * (height + 1) + 1;
  int scale = std::max<int64_t>(1, 720 / std::max(gridWidth, gridHeight));
  return runGnuplot(
      gnuplot, path,
      [&](llvm::raw_ostream &out) {
        auto level = [](double v) {
          return static_cast<int>(std::clamp(v, 0.0, 1.0) * 255 + 0.5);
        };
        // Every pixel of the grid, the gaps dark grey; gnuplot's rows go
        // upwards.
        for (int64_t gy = 0; gy < gridHeight; ++gy)
          for (int64_t gx = 0; gx < gridWidth; ++gx) {
            int64_t row = gridHeight - 1 - gy;
            int64_t y = row % (height + 1) - 1, x = gx % (width + 1) - 1;
            int64_t n = row / (height + 1) * columns + gx / (width + 1);
            int rgb[3] = {64, 64, 64};
            if (x >= 0 && y >= 0 && n < count)
              for (int64_t c = 0; c < 3; ++c)
                rgb[c] = level(samples.get(
                    ((n * channels + std::min(c, channels - 1)) * height + y) *
                        width +
                    x));
            out << gx << ' ' << gy << ' ' << rgb[0] << ' ' << rgb[1] << ' '
                << rgb[2] << '\n';
          }
      },
      [&](llvm::raw_ostream &out, llvm::StringRef png, llvm::StringRef file) {
        out << "set terminal pngcairo noenhanced size " << gridWidth * scale
            << "," << gridHeight * scale << "\nset output '" << png << "'\n"
            << "set margins 0,0,0,0\nunset border\nunset tics\nunset key\n"
            << "set xrange [-0.5:" << gridWidth - 0.5 << "]\n"
            << "set yrange [-0.5:" << gridHeight - 0.5 << "]\n"
            << "plot '" << file << "' using 1:2:3:4:5 with rgbimage\n";
      });
}
