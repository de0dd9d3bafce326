//===- Training.cpp - weft train: a train step over a data set ------------===//

#include "weft/Driver/Training.h"
#include "weft/Dialect/Weft/IR/TypeInference.h"
#include "weft/Dialect/Weft/IR/WeftOps.h"
#include "weft/Driver/Charts.h"
#include "weft/Driver/Interrupt.h"
#include "weft/Execution/ElementTypes.h"
#include "weft/Runtime/TensorIO.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "llvm/ADT/ScopeExit.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/Program.h"
#include "llvm/Support/ThreadPool.h"
#include "llvm/Support/raw_ostream.h"
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstring>
#include <deque>
#include <map>
#include <numeric>

using namespace mlir;
using namespace mlir::weft;

namespace {
/// The tensors of a checkpoint that record where training stands.
constexpr const char *kEpochsName = "@epochs";
constexpr const char *kBatchesName = "@batches";

llvm::Error error(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// The names of the train step's results, from its `return`: a variable's
/// name where the returned value is one (`return loss, accuracy`), else
/// `loss` for the first and `result<i>` for the others.
std::vector<std::string> resultNames(const FunctionAST &f, size_t count) {
  std::vector<const ExprAST *> returned;
  for (const StmtAST &stmt : f.body)
    if (stmt.isReturn()) {
      if (auto *tuple = llvm::dyn_cast<TupleExprAST>(stmt.value.get()))
        for (const ExprPtr &item : tuple->items)
          returned.push_back(item.get());
      else
        returned.push_back(stmt.value.get());
    }
  std::vector<std::string> names;
  for (size_t i = 0; i < count; ++i) {
    const auto *var =
        i < returned.size() ? llvm::dyn_cast<VarExprAST>(returned[i]) : nullptr;
    names.push_back(var      ? var->name
                    : i == 0 ? std::string("loss")
                             : "result" + std::to_string(i));
  }
  return names;
}

/// Writes `write`'s output to `path` through a temporary file renamed over
/// it, so that a failure leaves any earlier file whole.
llvm::Error
writeAtomically(llvm::StringRef path,
                llvm::function_ref<llvm::Error(llvm::StringRef)> write) {
  std::string temporary = (path + ".partial").str();
  if (llvm::Error e = write(temporary)) {
    llvm::sys::fs::remove(temporary);
    return e;
  }
  if (std::error_code ec = llvm::sys::fs::rename(temporary, path))
    return error(path + ": cannot write: " + ec.message());
  return llvm::Error::success();
}

/// Checks that the data set's fields fit the step's inputs, sample by
/// sample; returns the batch size the step was compiled for.
llvm::Expected<int64_t> checkFields(llvm::ArrayRef<RankedTensorType> types,
                                    const EntryPoint &entry,
                                    const Dataset &data) {
  const auto &params = entry.function->params;
  if (params.size() != data.fields.size())
    return error(entry.symbol + " takes " + llvm::Twine(params.size()) +
                 " inputs, but the data set has " +
                 llvm::Twine(data.fields.size()) +
                 " fields (one per input, in order)");
  int64_t batch = 0;
  for (auto [param, type, field] : llvm::zip(params, types, data.fields)) {
    if (type.getRank() == 0 || (batch && type.getDimSize(0) != batch))
      return error(entry.symbol + ": input '" + param.name + "' is " +
                   formatType(type) +
                   "; every input takes a batch along its first axis, of "
                   "one size");
    batch = type.getDimSize(0);
    int64_t perSample = type.getNumElements() / batch;
    int64_t fieldPerSample = field.numElements() / field.shape()[0];
    if (dtypeOf(type.getElementType()) != field.dtype() ||
        perSample != fieldPerSample)
      return error("the data's field for '" + param.name + "' is " +
                   field.describe() + ", which does not batch into " +
                   formatType(type) +
                   " (the same dtype and number of "
                   "elements per sample)");
  }
  if (batch > data.size())
    return error("a batch of " + llvm::Twine(batch) +
                 " samples is larger than the data set (" +
                 llvm::Twine(data.size()) + " samples)");
  return batch;
}

/// Nine significant digits: a float32 value read back exactly.
std::string formatNumber(double value) {
  std::string text;
  llvm::raw_string_ostream(text) << llvm::format("%.9g", value);
  return text;
}

/// Where a checkpoint says training stands: the epochs completed and the
/// batches of the next one done (0, 0 for weights that are not a
/// checkpoint).
llvm::Expected<std::pair<int64_t, int64_t>>
readPosition(llvm::StringRef weightsFile) {
  if (weightsFile.empty() ||
      !llvm::sys::fs::exists(trainingStatePath(weightsFile)))
    return std::pair<int64_t, int64_t>{0, 0};
  auto file = readSafetensors(trainingStatePath(weightsFile));
  if (!file)
    return file.takeError();
  auto get = [&](const char *name) -> int64_t {
    auto it = file->find(name);
    return it == file->end() ? 0 : static_cast<int64_t>(it->second.get(0));
  };
  return std::pair<int64_t, int64_t>{get(kEpochsName), get(kBatchesName)};
}

/// Writes `text` to `path` through a temporary file.
llvm::Error writeText(llvm::StringRef path, llvm::StringRef text) {
  return writeAtomically(path, [&](llvm::StringRef temporary) {
    return writeFile(temporary, [&](llvm::raw_ostream &out) { out << text; });
  });
}

/// A batch's fields as the inputs of `f`, of the compiled `types` (a
/// sample's elements in the input's shape).
TensorMap batchInputs(const FunctionAST &f,
                      llvm::ArrayRef<RankedTensorType> types,
                      std::vector<Tensor> fields) {
  TensorMap inputs;
  for (auto [param, type, field] : llvm::zip(f.params, types, fields)) {
    Tensor input(field.dtype(), type.getShape());
    std::memcpy(input.data(), field.data(), field.numBytes());
    inputs.insert({param.name, std::move(input)});
  }
  return inputs;
}

/// The data set's samples as 2-D points [N, 2], for a chart of generated
/// points: its first field where it is [N, 2], else the first two fields
/// where each has one element per sample (x and y of a curve); else none.
Tensor pointsOf(const Dataset &data) {
  int64_t size = data.size();
  auto perSample = [&](const Tensor &field) {
    return field.numElements() / std::max<int64_t>(size, 1);
  };
  Tensor points(DType::F32, {0, 2});
  if (!data.fields.empty() && data.fields[0].shape().size() == 2 &&
      perSample(data.fields[0]) == 2) {
    points = Tensor(DType::F32, {size, 2});
    for (int64_t i = 0; i < 2 * size; ++i)
      points.set(i, data.fields[0].get(i));
  } else if (data.fields.size() >= 2 && perSample(data.fields[0]) == 1 &&
             perSample(data.fields[1]) == 1) {
    points = Tensor(DType::F32, {size, 2});
    for (int64_t i = 0; i < size; ++i) {
      points.set(2 * i, data.fields[0].get(i));
      points.set(2 * i + 1, data.fields[1].get(i));
    }
  }
  return points;
}

/// `samples.png` for `epoch` 3: `samples-epoch3.png`.
std::string samplesPath(llvm::StringRef path, unsigned epoch) {
  llvm::StringRef extension = llvm::sys::path::extension(path);
  return (path.drop_back(extension.size()) + "-epoch" + llvm::Twine(epoch) +
          extension)
      .str();
}

/// A bar of `kBarWidth` characters filled to `fraction`.
std::string progressBar(double fraction) {
  constexpr int kBarWidth = 24;
  int filled = static_cast<int>(fraction * kBarWidth);
  return "[" + std::string(filled, '=') +
         (filled < kBarWidth ? ">" + std::string(kBarWidth - filled - 1, ' ')
                             : "") +
         "]";
}

std::string formatDuration(double seconds) {
  auto total = static_cast<int64_t>(seconds + 0.5);
  return llvm::formatv("{0}:{1:2}", total / 60, total % 60).str();
}
} // namespace

llvm::Expected<Dataset>
mlir::weft::loadDataset(llvm::ArrayRef<std::string> spec, uint64_t seed,
                        int64_t limit) {
  llvm::StringRef name =
      spec.size() == 1 ? llvm::StringRef(spec.front()) : llvm::StringRef();
  int64_t length = 0;
  llvm::Expected<Dataset> data =
      name == "fashion-mnist" || name == "fashion-mnist:train"
          ? readFashionMnist(kFashionMnistDir, "train")
      : name == "fashion-mnist:test"
          ? readFashionMnist(kFashionMnistDir, "t10k")
      : name.consume_front("fortunes:")
          ? (name.getAsInteger(10, length)
                 ? llvm::Expected<Dataset>(error(
                       "--data fortunes:T takes a sequence length T, got '" +
                       name + "'"))
                 : readFortunes(kFortunesDir, length))
      : name.consume_front("synthetic:") ? makeSynthetic(name, seed)
                                         : readDataset(spec);
  if (!data || limit <= 0 || limit >= data->size())
    return data;
  std::vector<int64_t> first(limit);
  std::iota(first.begin(), first.end(), 0);
  return select(*data, first);
}

llvm::Error mlir::weft::train(Compilation &compilation, const EntryPoint &entry,
                              const TrainOptions &options, const Dataset &all,
                              llvm::raw_ostream &log, EntryFactory entries) {
  // The samples held out for validation, and those trained on; the test
  // set.
  Dataset kept, heldOut, testSet;
  const Dataset *trainSet = &all;
  std::vector<std::pair<std::string, const Dataset *>> measuredSets;
  unsigned folds = std::max(options.folds, 1u);
  if (folds > 1 && (options.validation > 0 || !options.checkpointFile.empty()))
    return error("--folds trains a model for each fold, each validated on "
                 "its fold: it takes no --validation or --checkpoint");
  if (folds > 1 && folds > all.size())
    return error("--folds " + llvm::Twine(folds) + " is more folds than the " +
                 llvm::Twine(all.size()) + " samples of the data set");
  if (options.validation > 0 || folds > 1) {
    std::tie(kept, heldOut) =
        folds > 1
            ? splitFold(all, folds, 0, options.invocation.seed)
            : splitValidation(all, options.validation, options.invocation.seed);
    trainSet = &kept;
    measuredSets.push_back({"validation", &heldOut});
  }
  if (!options.test.empty()) {
    auto loaded = loadDataset(options.test, testSeed(options.invocation.seed));
    if (!loaded)
      return loaded.takeError();
    testSet = std::move(*loaded);
    measuredSets.push_back({"test", &testSet});
  }
  if (!measuredSets.empty() && options.evalEntry.empty())
    return error("--validation and --test need an entry point that "
                 "evaluates (--eval-entry)");
  const Dataset &data = *trainSet;
  auto func = compilation.getModule().lookupSymbol<func::FuncOp>(entry.symbol);
  llvm::SmallVector<RankedTensorType> inputTypes;
  for (Type type : func.getArgumentTypes())
    inputTypes.push_back(cast<RankedTensorType>(type));
  auto batch = checkFields(inputTypes, entry, data);
  if (!batch)
    return batch.takeError();

  // The evaluation entry point, compiled for each batch size it is called
  // with: the train step's, and that of a last partial batch.
  struct EvalStep {
    EntryPoint entry;
    llvm::SmallVector<RankedTensorType> types;
    unsigned results;
    std::optional<CompiledEntry> compiled;
    /// The measurement whose parameters it was given last.
    unsigned measurement = 0;
  };
  std::map<int64_t, EvalStep> evalSteps;
  auto evalStep = [&](int64_t size) -> llvm::Expected<EvalStep *> {
    auto found = evalSteps.find(size);
    if (found != evalSteps.end())
      return &found->second;
    auto generated = entries(options.evalEntry, size);
    if (!generated)
      return generated.takeError();
    // Compiling lowers the module: its types are read before.
    auto evalFunc =
        generated->compilation->getModule().lookupSymbol<func::FuncOp>(
            generated->entry.symbol);
    EvalStep step{
        generated->entry, {}, evalFunc.getNumResults(), std::nullopt, 0};
    for (Type type : evalFunc.getArgumentTypes())
      step.types.push_back(cast<RankedTensorType>(type));
    auto compiledEval = compileEntry(*generated->compilation, generated->entry,
                                     options.invocation);
    if (!compiledEval)
      return compiledEval.takeError();
    step.compiled.emplace(std::move(*compiledEval));
    return &evalSteps.emplace(size, std::move(step)).first->second;
  };
  // The columns of the measurements: the evaluation's results, for each
  // set (val_loss, test_loss, ...).
  std::vector<std::string> evalNames;
  for (auto [name, set] : measuredSets) {
    auto step = evalStep(std::min(*batch, set->size()));
    if (!step)
      return step.takeError();
    if (auto fits = checkFields((*step)->types, (*step)->entry, *set); !fits)
      return fits.takeError();
    for (const std::string &result :
         resultNames(*(*step)->entry.function, (*step)->results))
      evalNames.push_back((name == "test" ? "test_" : "val_") + result);
  }
  // The entry point whose samples are drawn after every epoch, over the
  // data's points.
  std::optional<CompiledEntry> sampler;
  Tensor dataPoints(DType::F32, {0, 2});
  if (!options.samplesFile.empty()) {
    dataPoints = pointsOf(all);
    if (options.sampleEntry.empty())
      return error("--samples needs the entry point that generates them "
                   "(--sample-entry)");
    auto generated = entries(options.sampleEntry, *batch);
    if (!generated)
      return generated.takeError();
    auto sampleFunc =
        generated->compilation->getModule().lookupSymbol<func::FuncOp>(
            generated->entry.symbol);
    auto result =
        sampleFunc.getNumResults()
            ? dyn_cast<RankedTensorType>(sampleFunc.getResultTypes()[0])
            : RankedTensorType();
    if (sampleFunc.getNumArguments() || !result ||
        !isDrawable(result.getShape()))
      return error(options.sampleEntry +
                   " is drawn after every epoch: it takes no inputs and "
                   "returns images [N, C, H, W] (C 1 or 3) or [N, H, W], "
                   "or points [N, 2]");
    auto compiledSampler = compileEntry(*generated->compilation,
                                        generated->entry, options.invocation);
    if (!compiledSampler)
      return compiledSampler.takeError();
    sampler.emplace(std::move(*compiledSampler));
  }
  std::vector<std::string> names =
      resultNames(*entry.function, func.getNumResults());
  // The parameters that are state of training go to the checkpoint's
  // second file, so that the first is a model's state_dict as it is.
  llvm::StringSet<> trainingState;
  func.walk([&](ParamOp op) {
    if (op.getTrainingState())
      trainingState.insert(op.getName());
  });
  auto position = readPosition(options.invocation.weightsFile);
  if (!position)
    return position.takeError();
  auto [epochsDone, batchesDone] = *position;
  if (folds > 1 && epochsDone + batchesDone > 0)
    return error("--folds starts every fold afresh; --weights must not be a "
                 "checkpoint of training under way");
  // Where the results go, and gnuplot for the chart, are checked before
  // training, not after.
  std::string gnuplot;
  for (auto [option, file] : {std::pair<const char *, const std::string &>{
                                  "--plot", options.plotFile},
                              {"--samples", options.samplesFile}}) {
    if (file.empty() || !gnuplot.empty())
      continue;
    auto found = findGnuplot(option);
    if (!found)
      return found.takeError();
    gnuplot = *found;
  }
  for (const std::string &path : {options.checkpointFile, options.metricsFile,
                                  options.plotFile, options.samplesFile}) {
    llvm::StringRef directory = llvm::sys::path::parent_path(path);
    if (!path.empty() && !directory.empty() &&
        !llvm::sys::fs::is_directory(directory))
      return error(path + ": cannot write: no directory " + directory);
  }
  auto compiled = compileEntry(compilation, entry, options.invocation);
  if (!compiled)
    return compiled.takeError();
  // The weights are checked against the model before anything else is
  // said about them.
  if (epochsDone >= options.epochs) {
    log << "weft: the checkpoint holds " << epochsDone
        << " epochs of training; --epochs " << options.epochs
        << " asks for no more\n";
    return llvm::Error::success();
  }

  // A checkpoint: the model's state (PyTorch's state_dict), and beside it
  // the state of training and where training stands.
  auto checkpoint = [&](int64_t epochs, int64_t batches) -> llvm::Error {
    if (options.checkpointFile.empty())
      return llvm::Error::success();
    TensorMap model, training;
    for (const auto &[name, tensor] : compiled->parameters())
      (trainingState.contains(name) ? training : model)
          .insert({name, tensor.copy()});
    for (auto [name, value] :
         {std::pair<const char *, int64_t>{kEpochsName, epochs},
          {kBatchesName, batches}}) {
      Tensor scalar(DType::I64, {});
      scalar.set(0, double(value));
      training.insert({name, std::move(scalar)});
    }
    if (llvm::Error e =
            writeAtomically(trainingStatePath(options.checkpointFile),
                            [&](llvm::StringRef path) {
                              return writeSafetensors(path, training);
                            }))
      return e;
    return writeAtomically(options.checkpointFile, [&](llvm::StringRef path) {
      return writeSafetensors(path, model);
    });
  };
  std::string csv = folds > 1 ? "fold,epoch,step" : "epoch,step";
  for (const std::string &name : names)
    csv += "," + name;
  for (const std::string &name : evalNames)
    csv += "," + name;
  csv += ",seconds\n";
  // The rows of the chart: the CSV's, each result a moving mean.
  std::string chart = csv;
  std::deque<std::vector<double>> recent;
  std::vector<double> windowSums;
  // The means of the evaluation's results over every sample of each set,
  // in order (a batch's means weighted by its samples).
  unsigned measurement = 0;
  auto measure = [&]() -> llvm::Expected<std::vector<double>> {
    ++measurement;
    std::vector<double> means;
    for (auto [name, set] : measuredSets) {
      int64_t size = set->size(), full = std::min(*batch, size);
      std::vector<double> sums(evalNames.size() / measuredSets.size(), 0.0);
      for (int64_t start = 0; start < size; start += full) {
        int64_t samples = std::min(full, size - start);
        auto step = evalStep(samples);
        if (!step)
          return step.takeError();
        EvalStep &eval = **step;
        if (eval.measurement != measurement) {
          eval.compiled->copyParameters(compiled->parameters());
          eval.measurement = measurement;
        }
        std::vector<int64_t> order(samples);
        std::iota(order.begin(), order.end(), start);
        Batches batches(*set, samples, std::move(order));
        TensorMap inputs =
            batchInputs(*eval.entry.function, eval.types, batches.get(0));
        auto results = eval.compiled->call(inputs);
        if (!results)
          return results.takeError();
        for (auto [sum, result] : llvm::zip(sums, *results))
          sum += (result.numElements() == 1 ? result.get(0) : NAN) * samples;
      }
      for (double sum : sums)
        means.push_back(sum / size);
    }
    return means;
  };
  auto writeMetrics = [&] {
    return options.metricsFile.empty() ? llvm::Error::success()
                                       : writeText(options.metricsFile, csv);
  };
  auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return std::chrono::duration<double>(std::chrono::steady_clock::now() -
                                         start)
        .count();
  };
  // Ctrl-C stops training after the step in flight.
  InterruptScope interruptible;
  // On a terminal the progress line is redrawn at every step; otherwise a
  // line is printed every `every` steps.
  bool terminal = llvm::sys::Process::StandardOutIsDisplayed();

  // One thread, kept for the whole run, gathers the batches.
  llvm::StdThreadPool gatherer(llvm::hardware_concurrency(1));
  // Every fold trains from the same parameters; its last measurement is
  // kept for the summary.
  TensorMap initial;
  for (const auto &[name, tensor] : compiled->parameters())
    initial.insert({name, tensor.copy()});
  std::vector<std::vector<double>> foldResults;
  int64_t stepsBefore = 0;
  for (unsigned fold = 1; fold <= folds; ++fold) {
    std::string foldPrefix;
    if (folds > 1) {
      std::tie(kept, heldOut) =
          splitFold(all, folds, fold - 1, options.invocation.seed);
      compiled->copyParameters(initial);
      recent.clear();
      windowSums.clear();
      foldPrefix = llvm::formatv("fold {0}/{1} ", fold, folds).str();
    }
    for (unsigned epoch = epochsDone + 1; epoch <= options.epochs; ++epoch) {
      std::vector<int64_t> order(data.size());
      std::iota(order.begin(), order.end(), 0);
      if (options.shuffle)
        order = permutation(data.size(), options.invocation.seed, epoch);
      Batches batches(data, *batch, std::move(order));
      int64_t count = batches.count();
      int64_t every = options.logEvery ? options.logEvery
                                       : std::max<int64_t>(1, count / 10);
      // A checkpoint taken in the middle of an epoch goes on from its next
      // batch.
      int64_t first = epoch == unsigned(epochsDone + 1) ? batchesDone : 0;
      std::vector<double> sums(names.size(), 0.0);
      double epochStart = elapsed();
      // Each batch is gathered on the gatherer's thread while the step
      // before it runs, into `pending`.
      TensorMap pending;
      auto gather = [&](int64_t i) {
        return gatherer.async([&, i] {
          pending = batchInputs(*entry.function, inputTypes, batches.get(i));
        });
      };
      std::shared_future<void> next;
      // A return from the loop waits for the batch being gathered, which
      // writes into `pending`.
      llvm::scope_exit settle([&] {
        if (next.valid())
          next.wait();
      });
      if (first < count)
        next = gather(first);
      for (int64_t i = first; i < count; ++i) {
        next.wait();
        TensorMap inputs = std::move(pending);
        if (i + 1 < count)
          next = gather(i + 1);
        auto results = compiled->call(inputs);
        if (!results)
          return results.takeError();
        double stepEnd = elapsed();
        int64_t globalStep = stepsBefore + (epoch - 1) * count + i + 1;
        std::string leading =
            (folds > 1 ? llvm::formatv("{0},", fold).str() : "") +
            llvm::formatv("{0},{1}", epoch, globalStep).str();
        csv += leading;
        chart += leading;
        std::vector<double> values;
        for (auto [sum, result] : llvm::zip(sums, *results)) {
          double value = result.numElements() == 1 ? result.get(0) : NAN;
          sum += value;
          values.push_back(value);
          csv += "," + formatNumber(value);
        }
        // The chart's curves are means over a window of steps, which the
        // step-to-step noise would otherwise hide.
        recent.push_back(values);
        windowSums.resize(values.size());
        for (auto [sum, value] : llvm::zip(windowSums, values))
          sum += value;
        if (recent.size() > size_t(std::max<int64_t>(1, count / 20))) {
          for (auto [sum, value] : llvm::zip(windowSums, recent.front()))
            sum -= value;
          recent.pop_front();
        }
        for (double sum : windowSums)
          chart += "," + formatNumber(sum / recent.size());
        // The measurements, after the epoch's last step, in its row.
        std::vector<double> validation;
        if (!measuredSets.empty() && i + 1 == count) {
          auto measured = measure();
          if (!measured)
            return measured.takeError();
          validation = std::move(*measured);
          if (epoch == options.epochs)
            foldResults.push_back(validation);
        }
        std::string trailing;
        for (size_t k = 0; k < evalNames.size(); ++k)
          trailing += "," + (validation.empty() ? std::string()
                                                : formatNumber(validation[k]));
        trailing += llvm::formatv(",{0:F3}\n", elapsed()).str();
        csv += trailing;
        chart += trailing;
        double loss = (*results)[0].get(0);
        if (!std::isfinite(loss))
          return error(llvm::formatv("epoch {0}, step {1}: the loss is {2}; "
                                     "training stops here",
                                     epoch, i + 1, loss)
                           .str());
        bool last = i + 1 == count || isInterrupted();
        if (terminal || (i + 1) % every == 0 || last) {
          int64_t done = i + 1 - first;
          double perStep = (stepEnd - epochStart) / done;
          double left =
              perStep * ((count - i - 1) + count * (options.epochs - epoch) +
                         count * options.epochs * (folds - fold));
          log << (terminal ? "\r" : "") << foldPrefix
              << llvm::formatv("epoch {0}/{1} ", epoch, options.epochs);
          if (terminal)
            log << progressBar(double(i + 1) / count) << ' ';
          log << llvm::formatv("step {0}/{1}", i + 1, count);
          for (auto [name, sum] : llvm::zip(names, sums))
            log << llvm::formatv(" {0} {1:F4}", name, sum / done);
          log << llvm::formatv(" | {0:F0} samples/s, {1} left",
                               *batch / perStep, formatDuration(left))
              << (!terminal || last ? "\n" : "");
          size_t columns =
              validation.size() / std::max<size_t>(measuredSets.size(), 1);
          for (auto [k, measured] : llvm::enumerate(measuredSets)) {
            if (validation.empty())
              break;
            log << foldPrefix
                << llvm::formatv("epoch {0}/{1} {2} ({3} samples):", epoch,
                                 options.epochs, measured.first,
                                 measured.second->size());
            for (size_t c = k * columns; c < (k + 1) * columns; ++c)
              log << llvm::formatv(" {0} {1:F4}", evalNames[c], validation[c]);
            log << "\n";
          }
          log.flush();
        }
        if (isInterrupted()) {
          // Stopped at an epoch's last step, the epoch is done.
          if (llvm::Error e = i + 1 == count ? checkpoint(epoch, 0)
                                             : checkpoint(epoch - 1, i + 1))
            return e;
          if (llvm::Error e = writeMetrics())
            return e;
          return error(llvm::formatv("interrupted after epoch {0}, step {1}{2}",
                                     epoch, i + 1,
                                     options.checkpointFile.empty()
                                         ? std::string()
                                         : "; " + options.checkpointFile +
                                               " holds the training so far")
                           .str());
        }
      }
      if (llvm::Error e = checkpoint(epoch, 0))
        return e;
      if (llvm::Error e = writeMetrics())
        return e;
      if (!options.plotFile.empty())
        if (llvm::Error e =
                drawCurves(gnuplot, chart, options.plotFile, folds > 1 ? 3 : 2,
                           names.size(), evalNames.size()))
          return e;
      if (sampler) {
        sampler->copyParameters(compiled->parameters());
        TensorMap none;
        auto samples = sampler->call(none);
        if (!samples)
          return samples.takeError();
        if (llvm::Error e =
                drawSamples(gnuplot, samples->front(), dataPoints,
                            samplesPath(options.samplesFile, epoch)))
          return e;
      }
    }
    stepsBefore += options.epochs * (data.size() / *batch);
  }
  if (folds > 1 && foldResults.size() == folds) {
    // The mean and the standard deviation over the folds of each
    // measurement.
    log << llvm::formatv("cross-validation, {0} folds:", folds);
    for (auto [k, name] : llvm::enumerate(evalNames)) {
      double mean = 0, squares = 0;
      for (const std::vector<double> &result : foldResults)
        mean += result[k] / folds;
      for (const std::vector<double> &result : foldResults)
        squares += (result[k] - mean) * (result[k] - mean);
      log << llvm::formatv(" {0} {1:F4} ± {2:F4}", name, mean,
                           std::sqrt(squares / (folds - 1)));
    }
    log << "\n";
  }
  return llvm::Error::success();
}
