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

namespace mlir::weft {

struct TrainOptions {
  /// Weights to start from (or the seed's initialization), dimensions.
  InvocationOptions invocation;
  /// `fashion-mnist` (the training split), or .npy files, one per field.
  std::vector<std::string> data;
  /// Only the first `limit` samples (0: all).
  int64_t limit = 0;
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
};

/// An entry point that evaluates the model on a batch without training it
/// (the train step's inputs in; a loss and metrics out), compiled on its
/// own, given the train step's parameters before each validation.
struct Evaluation {
  Compilation *compilation;
  EntryPoint entry;
};

/// Loads the data set `options.data` names.
llvm::Expected<Dataset> loadDataset(const TrainOptions &options);

/// Trains with the entry point of `compilation` (generated and lowered to
/// the weft stage for `dims`), a train step whose parameters take the data
/// set's fields in order, one batch each: its first result is the loss,
/// the others metrics. Progress goes to `log`.
llvm::Error train(Compilation &compilation, const EntryPoint &entry,
                  const TrainOptions &options, const Dataset &data,
                  llvm::raw_ostream &log,
                  std::optional<Evaluation> evaluation = std::nullopt);

} // namespace mlir::weft

#endif // WEFT_DRIVER_TRAINING_H
