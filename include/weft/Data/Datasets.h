//===- Datasets.h - Training data for weft train ----------------*- C++ -*-===//
//
// A data set is a list of fields (images and labels, inputs and targets),
// each a tensor whose leading axis counts the samples. The readers load
// them from files; a Batches walks one in batches, shuffled per epoch from
// a seed.
//
//===----------------------------------------------------------------------===//

#ifndef WEFT_DATA_DATASETS_H
#define WEFT_DATA_DATASETS_H

#include "weft/Runtime/Tensor.h"

#include "llvm/Support/Error.h"
#include <vector>

namespace mlir::weft {

/// Samples in fields: `fields[f]` has shape `[size, ...]` for every field.
struct Dataset {
  std::vector<Tensor> fields;
  int64_t size() const {
    return fields.empty() ? 0 : fields.front().shape()[0];
  }
};

/// Reads an IDX file (the MNIST format: a magic number naming the element
/// type and the rank, the sizes, then the elements, big-endian), gzipped or
/// not, into a tensor of `dtype`; `scale` multiplies each element (1/255
/// turns pixels into [0, 1]).
llvm::Expected<Tensor> readIdx(llvm::StringRef path, DType dtype,
                               double scale = 1.0);

/// Fashion-MNIST from its IDX files in `dir` (`train` or `t10k` split):
/// images f32 [N, 1, 28, 28] in [0, 1], as torchvision's ToTensor gives
/// them, and labels i64 [N].
llvm::Expected<Dataset> readFashionMnist(llvm::StringRef dir,
                                         llvm::StringRef split);

/// Where Debian's dataset-fashion-mnist package installs the data set.
inline constexpr llvm::StringLiteral kFashionMnistDir =
    "/usr/share/datasets/fashion-mnist";

/// Characters of Debian's `fortunes` package (every fortune file of `dir`,
/// in name order) as token ids: `\n` is 0, the printable ASCII characters
/// 32 (space) to 126 are 1 to 95 (other bytes are skipped); 96 tokens. The
/// text is cut into windows of `length` characters, without overlap: inputs
/// i64 [N, length], and targets i64 [N, length], each the character after
/// its input's.
llvm::Expected<Dataset> readFortunes(llvm::StringRef dir, int64_t length);

/// `text` as readFortunes's token ids; a character outside them (not a
/// newline or printable ASCII) is an error.
llvm::Expected<std::vector<int64_t>> encodeText(llvm::StringRef text);

/// Token ids of readFortunes as text; an id outside them shows as `?`.
std::string decodeText(llvm::ArrayRef<int64_t> ids);

/// Where Debian's fortunes package installs the fortune files.
inline constexpr llvm::StringLiteral kFortunesDir = "/usr/share/games/fortunes";
/// The number of tokens of readFortunes.
inline constexpr int64_t kFortuneTokens = 96;

/// A seeded synthetic data set, `name:size` or, for the sequence tasks,
/// `name:length:size`:
/// - `line`: x f32 [N, 1] uniform in [-1, 1), y f32 [N, 1] = 3x - 2 plus
///   normal noise of 0.1 (linear regression recovers w = 3, b = -2);
/// - `linear:D:N`: x f32 [N, D] uniform in [-1, 1), y f32 [N] = -2 +
///   Σ_j (j + 1) x_j plus normal noise of 0.1 (w = 1, 2, ..., D; b = -2);
/// - `curve`: x f32 [N, 1] uniform in [-3, 3), y f32 [N] on the
///   piecewise-linear curve through (-3, 0), (-1, 2), (1, -1) and (3, 1),
///   plus normal noise of 0.05;
/// - `moons`: two interleaved half circles, x f32 [N, 2] with normal noise
///   of 0.05, and which one, i64 [N] (as scikit-learn's make_moons);
/// - `swissroll`: points of a 2-D swiss roll, x f32 [N, 2]: t = 1.5π(1 +
///   2u), (t cos t, t sin t) / 10, normal noise of 0.05;
/// - `copy`, `reverse`, `sort`: digit strings x i64 [N, length] of 0–9 and
///   their copy, reversal or sorted order, i64 [N, length].
llvm::Expected<Dataset> makeSynthetic(llvm::StringRef spec, uint64_t seed);

/// A CSV file as a field: a row per sample, [N, columns] (a single column:
/// [N]); i64 when every value is an integer, else f32. A first line that
/// is not all numbers is a header and skipped.
llvm::Expected<Tensor> readCsv(llvm::StringRef path);

/// A data set from files, one per field, with equal leading sizes: .npy
/// files as they are; .csv files by readCsv; IDX files (any other name,
/// gzipped or not) of rank 1 as labels (i64), of higher rank as images
/// scaled to [0, 1] (f32).
llvm::Expected<Dataset> readDataset(llvm::ArrayRef<std::string> paths);

/// The samples `indices` of `data`, in that order, as a data set.
Dataset select(const Dataset &data, llvm::ArrayRef<int64_t> indices);

/// Splits `data` into training and validation samples: the last
/// `validation` of the samples, after a shuffle from `seed` (none when 0),
/// are held out.
std::pair<Dataset, Dataset> splitValidation(const Dataset &data,
                                            double validation, uint64_t seed);

/// Fold `fold` of `folds` for cross-validation: the samples, shuffled from
/// `seed` as splitValidation shuffles them, are cut into `folds` parts of
/// (nearly) equal size; part `fold` is held out, the others trained on.
std::pair<Dataset, Dataset> splitFold(const Dataset &data, int64_t folds,
                                      int64_t fold, uint64_t seed);

/// A permutation of 0 .. n-1 drawn from `seed` and `epoch` (Fisher-Yates
/// over weft's specified generator, so the same on every machine).
std::vector<int64_t> permutation(int64_t n, uint64_t seed, uint64_t epoch);

/// One epoch of a data set in batches of `batch` samples, in the order of
/// a permutation (or in order); a last partial batch is dropped, so every
/// batch has the size the train step was compiled for.
class Batches {
public:
  Batches(const Dataset &data, int64_t batch, std::vector<int64_t> order);
  int64_t count() const { return static_cast<int64_t>(order.size()) / batch; }
  /// Batch `i`: each field's samples, `[batch, ...]`.
  std::vector<Tensor> get(int64_t i) const;

private:
  const Dataset &data;
  int64_t batch;
  std::vector<int64_t> order;
};

} // namespace mlir::weft

#endif // WEFT_DATA_DATASETS_H
