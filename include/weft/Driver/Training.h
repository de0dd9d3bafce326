//===- Training.h - weft train: a train step over a data set ----*- C++ -*-===//
//
// What `weft train` does between compiling and saving: walks a data set in
// shuffled batches for a number of epochs, calls the compiled train step on
// each (which updates the parameters and the optimizer's state in place),
// and reports progress, a metrics CSV and checkpoints.
//
//===----------------------------------------------------------------------===//

#ifndef WEFT_DRIVER_TRAINING_H
#define WEFT_DRIVER_TRAINING_H

#include "weft/Data/Datasets.h"
#include "weft/Driver/Invocation.h"

#include <functional>

namespace mlir::weft {

struct TrainOptions {
  /// Weights to start from (or the seed's initialization), dimensions.
  InvocationOptions invocation;
  /// A test set measured after every epoch, as loadDataset names one
  /// (empty: none); the data set trained on is train()'s argument.
  std::vector<std::string> test;
  unsigned epochs = 1;
  bool shuffle = true;
  /// Where to write the metrics (CSV) and the parameters after each epoch
  /// (safetensors); empty for none.
  std::string metricsFile, checkpointFile;
  /// Where to draw the metrics' curves (PNG, by gnuplot) after each epoch;
  /// empty for none.
  std::string plotFile;
  /// A progress line every this many steps (0: about ten per epoch).
  unsigned logEvery = 0;
  /// The part of the data set held out for validation (0: none), which
  /// the evaluation entry point measures after every epoch.
  double validation = 0;
  /// Cross-validation: the data set cut into this many folds (0 or 1:
  /// none), a model trained for each from the same start and validated on
  /// its fold; the measurements' means and deviations over the folds close.
  unsigned folds = 0;
  /// The entry point that evaluates a batch without training (the train
  /// step's inputs in; a loss and metrics out).
  std::string evalEntry;
  /// The entry point that generates samples (no inputs; images or 2-D
  /// points out), drawn after every epoch into `samplesFile` with the
  /// epoch in its name; empty for none.
  std::string sampleEntry, samplesFile;
};

/// An entry point of the program other than the train step, generated and
/// lowered to the weft stage as a program of its own; it gets the train
/// step's parameters before each call.
struct Evaluation {
  Compilation *compilation;
  EntryPoint entry;
};

/// Generates the entry point `name` for batches of `batch` samples (its
/// first input's first dimension; the held-out samples that do not fill a
/// batch are measured in one of their own, so that every sample counts
/// once).
using EntryFactory = std::function<llvm::Expected<Evaluation>(
    llvm::StringRef name, int64_t batch)>;

/// Loads the data set `spec` names (as `--data` takes it): synthetic sets
/// are drawn from `seed`; `limit` keeps the first samples only (0: all).
llvm::Expected<Dataset> loadDataset(llvm::ArrayRef<std::string> spec,
                                    uint64_t seed, int64_t limit = 0);

/// The seed a synthetic test set is drawn from, a stream of its own so
/// that its samples are not the training set's.
inline uint64_t testSeed(uint64_t seed) { return seed ^ 0x7465737400000000; }

/// Trains with the entry point of `compilation` (generated and lowered to
/// the weft stage for `dims`), a train step whose parameters take the data
/// set's fields in order, one batch each: its first result is the loss,
/// the others metrics. Progress goes to `log`.
llvm::Error train(Compilation &compilation, const EntryPoint &entry,
                  const TrainOptions &options, const Dataset &data,
                  llvm::raw_ostream &log, EntryFactory entries = nullptr);

} // namespace mlir::weft

#endif // WEFT_DRIVER_TRAINING_H
