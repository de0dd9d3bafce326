//===- weft.cpp - The weft compiler driver --------------------------------===//
//
//   weft compile model.weft --emit=<stage>   print any stage of the pipeline
//   weft run model.weft [options]            JIT-compile, run, print
//   weft train model.weft [options]          train on a data set
//   weft repl [model.weft]                   an interactive session
//
//===----------------------------------------------------------------------===//

#include "weft/Data/Datasets.h"
#include "weft/Driver/Compilation.h"
#include "weft/Driver/Interrupt.h"
#include "weft/Driver/Invocation.h"
#include "weft/Driver/ReplSession.h"
#include "weft/Driver/Training.h"
#include "weft/Pipelines/Pipelines.h"
#include "weft/Runtime/Limits.h"
#include "weft/Runtime/TensorPrinter.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Config/llvm-config.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/LineEditor/LineEditor.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/PrettyStackTrace.h"
#include "llvm/Support/ToolOutputFile.h"
#include <iostream>
#include <new>
#include <unistd.h>

using namespace mlir;
using namespace mlir::weft;
namespace cl = llvm::cl;

static cl::SubCommand compileCommand("compile",
                                     "Compile a model and print a stage");
static cl::SubCommand runCommand("run", "JIT-compile a model, run it and "
                                        "print or save the result");
static cl::SubCommand
    trainCommand("train",
                 "Train a model: call its train step on a data set in batches "
                 "for a number of epochs, saving checkpoints and metrics");
static cl::SubCommand replCommand("repl",
                                  "An interactive session: definitions, "
                                  "tensors, expressions (see :help)");

static cl::OptionCategory weftCategory("weft options");

static cl::opt<std::string> inputFile(cl::Positional, cl::desc("<file.weft>"),
                                      cl::Required, cl::sub(compileCommand),
                                      cl::sub(runCommand),
                                      cl::sub(trainCommand));
static cl::opt<std::string> replLoad(cl::Positional, cl::desc("[file.weft]"),
                                     cl::sub(replCommand),
                                     cl::cat(weftCategory));
static cl::opt<std::string>
    entryName("entry",
              cl::desc("Entry point: a function, a model method, or "
                       "Model.method (default: forward; train: step)"),
              cl::init("forward"), cl::sub(compileCommand), cl::sub(runCommand),
              cl::sub(trainCommand), cl::value_desc("name"),
              cl::cat(weftCategory));
static cl::list<std::string>
    dimBindings("dim",
                cl::desc("Size of a symbolic dimension, NAME=N (repeatable); "
                         "unbound dimensions get 4"),
                cl::sub(compileCommand), cl::sub(runCommand),
                cl::sub(trainCommand), cl::value_desc("NAME=N"),
                cl::cat(weftCategory));
static cl::opt<std::string>
    emitStage("emit",
              cl::desc("Stage to print: ast|weft|fused|linalg, then for the "
                       "cpu target loops|llvm-mlir|llvm|asm, for cuda "
                       "gpu|nvvm|llvm-mlir|llvm|asm|ptx (default: weft)"),
              cl::init("weft"), cl::sub(compileCommand),
              cl::value_desc("stage"), cl::cat(weftCategory));
static cl::opt<std::string>
    outputFile("o",
               cl::desc("Output file (compile: the stage's text; run: same as "
                        "--output)"),
               cl::value_desc("file"), cl::init("-"), cl::sub(compileCommand),
               cl::sub(runCommand), cl::cat(weftCategory));

static cl::opt<std::string>
    targetOption("target",
                 cl::desc("What to compile for: cpu (the default; run on the "
                          "JIT) or cuda (PTX for NVIDIA GPUs, launched through "
                          "the CUDA driver)"),
                 cl::init("cpu"), cl::sub(compileCommand), cl::sub(runCommand),
                 cl::sub(trainCommand), cl::sub(replCommand),
                 cl::value_desc("cpu|cuda"), cl::cat(weftCategory));
static cl::opt<std::string>
    gpuArch("gpu-arch",
            cl::desc("The GPU architecture of --target=cuda (default sm_90; "
                     "sm_80, sm_89, sm_100... as the GPU has)"),
            cl::init(kDefaultGpuArch.str()), cl::sub(compileCommand),
            cl::sub(runCommand), cl::sub(trainCommand), cl::sub(replCommand),
            cl::value_desc("sm_NN"), cl::cat(weftCategory));

static cl::opt<bool> gpuEmulation(
    "gpu-emulation",
    cl::desc("With --target=cuda: run the kernels on the CPU, one thread "
             "after another, instead of on a GPU (checks the kernel code "
             "without a GPU; slow)"),
    cl::sub(compileCommand), cl::sub(runCommand), cl::sub(trainCommand),
    cl::cat(weftCategory));

static cl::opt<std::string>
    fusionMode("fusion",
               cl::desc("Op fusion: all (the default) or none, to compare "
                        "with the unfused code"),
               cl::init("all"), cl::sub(compileCommand), cl::sub(runCommand),
               cl::value_desc("all|none"), cl::cat(weftCategory));

static cl::list<std::string>
    inputBindings("input",
                  cl::desc("Input from a .npy file, NAME=FILE (repeatable); "
                           "inputs without one are standard normal from the "
                           "seed"),
                  cl::sub(runCommand), cl::value_desc("NAME=FILE"),
                  cl::cat(weftCategory));
static cl::list<std::string> textBindings(
    "text",
    cl::desc("Input the token ids of a text, NAME=TEXT (repeatable): i64 "
             "[1, length], a newline 0 and printable ASCII 1 to 95, as weft "
             "train's fortunes data"),
    cl::sub(runCommand), cl::value_desc("NAME=TEXT"), cl::cat(weftCategory));
static cl::opt<bool> printText(
    "print-text",
    cl::desc("Print integer results as text, each row a line of its token "
             "ids (the tokens of --text)"),
    cl::sub(runCommand), cl::cat(weftCategory));
static cl::opt<std::string> weightsFile(
    "weights",
    cl::desc("Parameters from a .safetensors file with PyTorch state_dict "
             "names; without it, PyTorch's default initialization from the "
             "seed"),
    cl::value_desc("file"), cl::sub(runCommand), cl::sub(trainCommand),
    cl::cat(weftCategory));
static cl::opt<uint64_t> seed("seed",
                              cl::desc("Seed of the program's rand and randn, "
                                       "and of random inputs and parameters "
                                       "(default 0)"),
                              cl::init(0), cl::sub(compileCommand),
                              cl::sub(runCommand), cl::sub(trainCommand),
                              cl::value_desc("N"), cl::cat(weftCategory));
static cl::opt<std::string>
    outputNpy("output",
              cl::desc("Write the result to a .npy file instead of "
                       "printing it (several results: file.0.npy, "
                       "file.1.npy, ...)"),
              cl::value_desc("file"), cl::sub(runCommand),
              cl::cat(weftCategory));
static cl::opt<bool>
    useInterpreter("interp",
                   cl::desc("Run on the reference interpreter (float64) "
                            "instead of the JIT"),
                   cl::sub(runCommand), cl::cat(weftCategory));

static cl::opt<unsigned> benchmarkRuns(
    "benchmark",
    cl::desc("Time the run: a first call, warm-up calls until the time "
             "per call is steady, then N timed calls; print the compile "
             "time, the first call's time and the median and spread of the "
             "N to stderr"),
    cl::value_desc("N"), cl::init(0), cl::sub(runCommand),
    cl::cat(weftCategory));

static cl::opt<bool> perfMap(
    "perf-map",
    cl::desc("Write /tmp/perf-PID.map, which names the JIT-compiled "
             "functions for `perf report`: each loop nest is a function of "
             "its own (`weft compile --emit=loops` shows them); the JIT only"),
    cl::sub(runCommand), cl::cat(weftCategory));

static cl::opt<unsigned>
    steps("steps",
          cl::desc("Call the entry point N times, each call seeing the "
                   "parameters and mut inputs the previous one updated (a "
                   "train step run N times on the same inputs); each result "
                   "gains a leading axis of N"),
          cl::value_desc("N"), cl::init(1), cl::sub(runCommand),
          cl::cat(weftCategory));
static cl::opt<std::string> saveWeights(
    "save-weights",
    cl::desc("After the run, write the parameters (as an optimizer left "
             "them, with its state) to a .safetensors file"),
    cl::value_desc("file"), cl::sub(runCommand), cl::cat(weftCategory));

static cl::list<std::string> trainData(
    "data",
    cl::desc(
        "The data set: fashion-mnist (its training images and labels, "
        "from Debian's dataset-fashion-mnist; fashion-mnist:test, the test "
        "split); fortunes:T (Debian's "
        "fortunes as sequences of T characters and the characters "
        "after them, 96 token ids); synthetic:line:N, linear:D:N, "
        "curve:N, moons:N, swissroll:N, copy:L:N, reverse:L:N or sort:L:N "
        "(drawn from the seed); or files, one per input of the "
        "train step, in order: .npy, .csv, or IDX (gzipped or not; rank 1: "
        "labels, i64; higher: images scaled to [0, 1], f32)"),
    cl::CommaSeparated,
    cl::value_desc("fashion-mnist|fortunes:T|synthetic:...|a.npy,..."),
    cl::sub(trainCommand), cl::cat(weftCategory));
static cl::opt<unsigned> trainEpochs("epochs",
                                     cl::desc("Passes over the data set"),
                                     cl::init(1), cl::value_desc("N"),
                                     cl::sub(trainCommand),
                                     cl::cat(weftCategory));
static cl::opt<int64_t> batchSize(
    "batch-size",
    cl::desc("Samples per step: the size of the first input's first, "
             "symbolic dimension (default: that dimension's --dim, else 4); "
             "a last partial batch is dropped"),
    cl::init(0), cl::value_desc("N"), cl::sub(trainCommand),
    cl::cat(weftCategory));
static cl::opt<int64_t>
    dataLimit("limit",
              cl::desc("Train on the first N samples of the data set only"),
              cl::init(0), cl::value_desc("N"), cl::sub(trainCommand),
              cl::cat(weftCategory));
static cl::opt<bool> shuffleData(
    "shuffle",
    cl::desc("Shuffle the samples at every epoch, from the seed (default "
             "true; --shuffle=false keeps the data set's order)"),
    cl::init(true), cl::sub(trainCommand), cl::cat(weftCategory));
static cl::opt<std::string>
    metricsFile("metrics",
                cl::desc("Write the loss and metrics of every step as CSV "
                         "(fold with --folds, epoch, step, each result, the "
                         "val_ and test_ measurements in an epoch's last "
                         "row, seconds)"),
                cl::value_desc("file.csv"), cl::sub(trainCommand),
                cl::cat(weftCategory));
static cl::opt<std::string> plotFile(
    "plot",
    cl::desc("Draw the loss and metrics against the step (each a moving "
             "mean over a twentieth of an epoch; the validation's and the "
             "test's as points) as a PNG chart after every epoch, with "
             "gnuplot"),
    cl::value_desc("file.png"), cl::sub(trainCommand), cl::cat(weftCategory));
static cl::opt<std::string> checkpointFile(
    "checkpoint",
    cl::desc("After every epoch, write the model's state_dict (parameters "
             "and running statistics, PyTorch names) as safetensors, and "
             "beside it file.training.safetensors: the optimizer's state and "
             "where training stands, so that --weights file goes on"),
    cl::value_desc("file.safetensors"), cl::sub(trainCommand),
    cl::cat(weftCategory));
static cl::opt<double> validationSplit(
    "validation",
    cl::desc("Hold out this part of the data set (0 to 1, drawn from the "
             "seed) and measure it after every epoch with --eval-entry"),
    cl::init(0), cl::value_desc("fraction"), cl::sub(trainCommand),
    cl::cat(weftCategory));
static cl::opt<double> learningRate(
    "lr",
    cl::desc("The learning rate of every optimizer of the program, in place "
             "of its lr= (a schedule starts from it)"),
    cl::value_desc("rate"), cl::sub(trainCommand), cl::cat(weftCategory));
static cl::opt<unsigned> foldCount(
    "folds",
    cl::desc("K-fold cross-validation: cut the data set into K folds (drawn "
             "from the seed), train a model on all but each fold from the same "
             "start and measure that fold with --eval-entry; the means and "
             "standard deviations over the folds close the run"),
    cl::init(0), cl::value_desc("K"), cl::sub(trainCommand),
    cl::cat(weftCategory));
static cl::list<std::string> testData(
    "test",
    cl::desc("A test set, as --data names one (fashion-mnist:test is "
             "Fashion-MNIST's 10,000 test images; synthetic sets are drawn "
             "from a stream of their own), measured whole with --eval-entry "
             "after every epoch"),
    cl::CommaSeparated, cl::value_desc("data"), cl::sub(trainCommand),
    cl::cat(weftCategory));
static cl::opt<std::string> evalEntryName(
    "eval-entry",
    cl::desc("The entry point that evaluates a batch without training: the "
             "train step's inputs in, a loss and metrics out (default: the "
             "train step's model's evaluate)"),
    cl::value_desc("name"), cl::sub(trainCommand), cl::cat(weftCategory));
static cl::opt<std::string> sampleEntryName(
    "sample-entry",
    cl::desc("The entry point that generates samples for --samples: no "
             "inputs; images [N, C, H, W] (C 1 or 3, values in [0, 1]) or "
             "[N, H, W], or points [N, 2] out"),
    cl::value_desc("name"), cl::sub(trainCommand), cl::cat(weftCategory));
static cl::opt<std::string> samplesFile(
    "samples",
    cl::desc("After every epoch, draw --sample-entry's samples as a PNG, "
             "file-epochN.png: images as a grid, points over the data "
             "set's (its first field if [N, 2], else its first two "
             "fields as x and y)"),
    cl::value_desc("file.png"), cl::sub(trainCommand), cl::cat(weftCategory));
static cl::opt<unsigned>
    logEvery("log-every",
             cl::desc("A progress line every N steps (default: ten per epoch)"),
             cl::init(0), cl::value_desc("N"), cl::sub(trainCommand),
             cl::cat(weftCategory));

namespace {
int fail(const llvm::Twine &message) {
  llvm::errs() << "weft: error: " << message << '\n';
  return 1;
}

int fail(llvm::Error error) { return fail(llvm::toString(std::move(error))); }

/// Parses `NAME=VALUE` pairs of a repeatable option; `parse` reads a value,
/// or says what is wrong with it.
template <typename T>
llvm::Error
parseBindings(llvm::StringRef option, llvm::StringRef valueName,
              const std::vector<std::string> &bindings, llvm::StringMap<T> &out,
              llvm::function_ref<std::string(llvm::StringRef, T &)> parse) {
  for (llvm::StringRef binding : bindings) {
    auto [name, value] = binding.split('=');
    auto bad = [&](const llvm::Twine &why) {
      return llvm::createStringError("--" + option + " " + binding + ": " +
                                     why);
    };
    if (name.empty() || !binding.contains('='))
      return bad("expected NAME=" + valueName);
    T parsed;
    if (std::string why = parse(value, parsed); !why.empty())
      return bad(why);
    out[name] = parsed;
  }
  return llvm::Error::success();
}

std::string parseSize(llvm::StringRef value, int64_t &size) {
  if (value.getAsInteger(10, size))
    return "expected NAME=N, N a positive integer";
  if (size < 1)
    return "a size must be positive";
  if (size > kMaxElements)
    return "larger than 2^40 (" + std::to_string(kMaxElements) +
           "), the most elements a tensor may have";
  return "";
}

std::string parseText(llvm::StringRef value, std::string &text) {
  if (value.empty())
    return "expected NAME=VALUE, VALUE not empty";
  text = value.str();
  return "";
}

llvm::Error parseOptions(InvocationOptions &options) {
  if (llvm::Error e = parseBindings<int64_t>("dim", "N", dimBindings,
                                             options.dims, parseSize))
    return e;
  if (llvm::Error e = parseBindings<std::string>("input", "FILE", inputBindings,
                                                 options.inputFiles, parseText))
    return e;
  if (llvm::Error e = parseBindings<std::string>("text", "TEXT", textBindings,
                                                 options.inputTexts, parseText))
    return e;
  options.weightsFile = weightsFile;
  options.seed = seed;
  options.interpret = useInterpreter;
  options.benchmarkRuns = benchmarkRuns;
  options.perfMap = perfMap;
  if (steps == 0)
    return llvm::createStringError("--steps must be at least 1");
  if (steps > 1 && benchmarkRuns)
    return llvm::createStringError(
        "--steps and --benchmark both call the entry point repeatedly; "
        "give one");
  options.steps = steps;
  options.saveWeightsFile = saveWeights;
  return llvm::Error::success();
}

/// `weft repl`: with a terminal, line editing and history
/// (~/.weft_history); otherwise statements from stdin, exit status 1 if
/// any failed.
int runRepl(llvm::StringRef load, Target target) {
  DialectRegistry registry;
  registerWeftDialects(registry);
  MLIRContext context(registry);
  ReplSession session(context, llvm::outs());
  session.setTarget(target, gpuArch);
  bool interactive = isatty(fileno(stdin));
  bool failedAny = false;
  if (!load.empty())
    failedAny |= !session.execute((":load " + load).str());
  std::string history;
  if (const char *home = std::getenv("HOME"))
    history = (llvm::Twine(home) + "/.weft_history").str();
  llvm::LineEditor editor("weft", interactive ? history : "");
  editor.setPrompt("weft> ");
  // On a terminal, Ctrl-C drops the line being typed, or abandons the
  // evaluation at its next stage, as Python's REPL does; the session goes
  // on.
  std::optional<InterruptScope> interruptible;
  if (interactive)
    interruptible.emplace();
  std::string pending;
  while (!session.hasQuit()) {
    std::optional<std::string> line;
    if (interactive) {
      line = editor.readLine();
    } else {
      std::string text;
      if (std::getline(std::cin, text))
        line = text;
    }
    if (!line && interactive && takeInterrupt()) {
      llvm::outs() << "\n";
      pending.clear();
      editor.setPrompt("weft> ");
      continue;
    }
    if (!line)
      break;
    pending += *line + "\n";
    if (ReplSession::isIncomplete(pending)) {
      editor.setPrompt("  ... ");
      continue;
    }
    editor.setPrompt("weft> ");
    failedAny |= !session.execute(pending);
    llvm::outs().flush();
    pending.clear();
  }
  if (!pending.empty())
    failedAny |= !session.execute(pending);
  if (interactive)
    editor.saveHistory();
  return !interactive && failedAny ? 1 : 0;
}

/// The symbol of the first dimension of `f`'s first input, its batch
/// (`B` of `x: f32[B, ...]`), if it is one.
std::optional<std::string> batchSymbol(const FunctionAST &f) {
  if (f.params.empty() || !f.params[0].type || f.params[0].type->dims.empty() ||
      !f.params[0].type->dims.front().isSymbolic())
    return std::nullopt;
  return f.params[0].type->dims.front().symbol;
}

/// `weft train`: binds the batch size, loads the data set and trains.
int runTrain(Compilation &compilation, InvocationOptions options,
             MLIRContext &context, const CompilationOptions &compileOptions) {
  if (!entryName.getNumOccurrences())
    entryName.setValue("step");
  auto entry = findEntryPoint(compilation.getAST(), entryName);
  if (!entry)
    return fail(entry.takeError());
  if (trainData.empty())
    return fail("weft train needs --data (fashion-mnist, fortunes:T, "
                "synthetic:..., or files)");
  const FunctionAST &f = *entry->function;
  if (batchSize) {
    std::optional<std::string> symbol = batchSymbol(f);
    if (!symbol)
      return fail("--batch-size sets the first dimension of " + entry->symbol +
                  "'s first input, which must be a name (as x: f32[B, ...])");
    options.dims[*symbol] = batchSize;
  }
  auto data = loadDataset(trainData, options.seed, dataLimit);
  if (!data)
    return fail(data.takeError());
  // A sample's other dimensions come from the data set where --dim does
  // not give them (x: i64[B, S] takes S from the data's strings).
  for (auto [param, field] : llvm::zip(f.params, data->fields)) {
    if (!param.type || param.type->dims.size() != field.shape().size())
      continue;
    for (auto [dim, size] :
         llvm::drop_begin(llvm::zip(param.type->dims, field.shape())))
      if (dim.isSymbolic() && !options.dims.count(dim.symbol))
        options.dims[dim.symbol] = size;
  }
  TensorMap inputs;
  llvm::StringMap<int64_t> dims;
  if (llvm::Error e =
          bindInputs(compilation.getAST(), *entry, options, inputs, dims))
    return fail(std::move(e));
  TrainOptions train;
  train.invocation = options;
  train.test.assign(testData.begin(), testData.end());
  train.epochs = trainEpochs;
  train.shuffle = shuffleData;
  train.metricsFile = metricsFile;
  train.checkpointFile = checkpointFile;
  train.plotFile = plotFile;
  train.logEvery = logEvery;
  if (validationSplit < 0 || validationSplit >= 1)
    return fail("--validation is the part of the data set held out, from 0 "
                "up to 1");
  train.validation = validationSplit;
  train.folds = foldCount;
  if (failed(compilation.generate(*entry, dims)) ||
      failed(compilation.lowerTo(Stage::Weft)))
    return 1;
  // The evaluation and sampling entry points are programs of their own,
  // generated for the same dimensions but the batch's.
  train.evalEntry = evalEntryName;
  if (train.evalEntry.empty() && entry->model)
    train.evalEntry = entry->model->name + ".evaluate";
  train.sampleEntry = sampleEntryName;
  train.samplesFile = samplesFile;
  std::vector<std::unique_ptr<Compilation>> entryCompilations;
  auto entries = [&](llvm::StringRef name,
                     int64_t batch) -> llvm::Expected<Evaluation> {
    auto failure = [&] {
      return llvm::createStringError(llvm::inconvertibleErrorCode(),
                                     "cannot compile the entry point '" + name +
                                         "'");
    };
    auto &other = entryCompilations.emplace_back(
        std::make_unique<Compilation>(context, compileOptions));
    if (failed(other->load(inputFile)))
      return failure();
    auto otherEntry = findEntryPoint(other->getAST(), name);
    if (!otherEntry)
      return otherEntry.takeError();
    llvm::StringMap<int64_t> otherDims = dims;
    if (std::optional<std::string> symbol = batchSymbol(*otherEntry->function))
      otherDims[*symbol] = batch;
    if (failed(other->generate(*otherEntry, otherDims)) ||
        failed(other->lowerTo(Stage::Weft)))
      return failure();
    return Evaluation{other.get(), *otherEntry};
  };
  if (llvm::Error e = mlir::weft::train(compilation, *entry, train, *data,
                                        llvm::outs(), entries))
    return fail(std::move(e));
  return 0;
}

/// Whether everything written to `os` (`name`) reached it; a failure is
/// cleared, which keeps the stream from ending the process.
llvm::Error checkWritten(llvm::raw_fd_ostream &os, llvm::StringRef name) {
  os.flush();
  if (!os.has_error())
    return llvm::Error::success();
  std::string message = os.error().message();
  os.clear_error();
  return llvm::createStringError("cannot write " + name + ": " + message);
}

/// The status of a compilation that failed, whose error is printed; it may
/// have failed for a size that was never given (`defaulted`).
int failedCompiling(llvm::ArrayRef<std::string> defaulted) {
  if (!defaulted.empty())
    llvm::errs() << describeDefaultedDims(defaulted) << "\n";
  return 1;
}

int runCompile(Compilation &compilation, const EntryPoint &entry,
               const llvm::StringMap<int64_t> &dims,
               llvm::ArrayRef<std::string> defaulted, Stage stage) {
  std::string error;
  auto output = mlir::openOutputFile(outputFile, &error);
  if (!output)
    return fail(error);
  if (stage == Stage::AST) {
    dump(compilation.getAST(), compilation.getSourceMgr(), output->os());
  } else {
    if (failed(compilation.generate(entry, dims)) ||
        failed(compilation.lowerTo(stage)))
      return failedCompiling(defaulted);
    if (failed(printStage(compilation, stage, output->os())))
      return 1;
  }
  if (llvm::Error e = checkWritten(output->os(), outputFile))
    return fail(std::move(e));
  output->keep();
  return 0;
}

int runWeft(int argc, char **argv);
} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  llvm::setBugReportMsg("weft crashed: this is a bug in weft, not in the "
                        "program it was given. Please report it to the weft "
                        "developers with the command line and input files "
                        "above.\n");
  // Running out of memory in weft itself (a compilation too large, say)
  // ends it with a message, not an abort.
  std::set_new_handler([] {
    llvm::outs().flush();
    llvm::errs() << "weft: error: out of memory\n";
    std::_Exit(1);
  });
  llvm::install_bad_alloc_error_handler(
      [](void *, const char *, bool) { std::get_new_handler()(); });
  int status = runWeft(argc, argv);
  if (llvm::Error e = checkWritten(llvm::outs(), "the standard output"))
    return fail(std::move(e));
  return status;
}

namespace {
int runWeft(int argc, char **argv) {
  cl::SetVersionPrinter([](llvm::raw_ostream &os) {
    os << "weft 0.1, built on LLVM/MLIR " << LLVM_VERSION_STRING << '\n';
  });
  registerWeftPassesAndPipelines();
  cl::HideUnrelatedOptions(weftCategory);
  cl::ParseCommandLineOptions(
      argc, argv,
      "weft: a dataflow-graph compiler for deep-learning models\n\n"
      "  weft compile model.weft --emit=<stage>\n"
      "  weft run model.weft [--input x=x.npy] [--weights w.safetensors]\n"
      "  weft train model.weft --entry Model.step --data fashion-mnist\n"
      "  weft repl [model.weft]\n");
  std::optional<Target> target = parseTarget(targetOption);
  if (!target)
    return fail("unknown --target '" + targetOption + "'; choose cpu or cuda");
  if (!isGpuArch(gpuArch))
    return fail("--gpu-arch " + gpuArch +
                ": expected an NVIDIA architecture such as sm_80 or sm_90");
  if (replCommand)
    return runRepl(replLoad, *target);
  if (!compileCommand && !runCommand && !trainCommand)
    return fail("no command given; use 'weft compile', 'weft run', 'weft "
                "train' or 'weft repl' (see --help)");

  std::optional<Stage> stage = Stage::LLVMMLIR;
  if (compileCommand) {
    stage = parseStage(emitStage);
    if (!stage)
      return fail("unknown stage '" + emitStage +
                  "' for --emit; choose one of " + stageNames());
  }
  if (gpuEmulation && *target != Target::CUDA)
    return fail("--gpu-emulation emulates the cuda target; add --target=cuda");
  if (gpuEmulation && (*stage == Stage::NVVM || *stage == Stage::PTX))
    return fail("--gpu-emulation runs the kernels on the CPU: they have no " +
                emitStage + " stage");
  if (compileCommand && !hasStage(*target, *stage))
    return fail(*target == Target::CPU
                    ? "stage '" + emitStage +
                          "' belongs to the cuda target; add --target=cuda"
                    : "stage '" + emitStage +
                          "' belongs to the cpu target; the cuda target "
                          "lowers through gpu and nvvm instead");
  if (fusionMode != "all" && fusionMode != "none")
    return fail("unknown --fusion mode '" + fusionMode +
                "'; choose all or none");
  InvocationOptions options;
  if (llvm::Error e = parseOptions(options))
    return fail(std::move(e));

  DialectRegistry registry;
  registerWeftDialects(registry);
  MLIRContext context(registry);
  CompilationOptions compileOptions;
  compileOptions.target = *target;
  compileOptions.gpuArch = gpuArch;
  compileOptions.fusion = fusionMode == "all";
  compileOptions.gpuEmulation = gpuEmulation;
  compileOptions.seed = seed;
  if (learningRate.getNumOccurrences()) {
    if (!(learningRate >= 0))
      return fail("--lr is a learning rate, at least 0");
    compileOptions.learningRate = learningRate;
  }
  Compilation compilation(context, compileOptions);
  if (failed(compilation.load(inputFile)))
    return 1;
  if (compileCommand && *stage == Stage::AST)
    return runCompile(compilation, EntryPoint(), {}, {}, *stage);
  if (trainCommand)
    return runTrain(compilation, std::move(options), context, compileOptions);

  auto entry = findEntryPoint(compilation.getAST(), entryName);
  if (!entry)
    return fail(entry.takeError());
  TensorMap inputs;
  llvm::StringMap<int64_t> dims;
  std::vector<std::string> defaulted;
  if (llvm::Error e = bindInputs(compilation.getAST(), *entry, options, inputs,
                                 dims, &defaulted))
    return fail(std::move(e));
  if (compileCommand)
    return runCompile(compilation, *entry, dims, defaulted, *stage);

  if (failed(compilation.generate(*entry, dims)) ||
      failed(compilation.lowerTo(Stage::Weft)))
    return failedCompiling(defaulted);
  auto results = invoke(compilation, *entry, options, std::move(inputs));
  if (!results)
    return fail(results.takeError());
  std::string npyPath = !outputNpy.empty()  ? outputNpy.getValue()
                        : outputFile != "-" ? outputFile.getValue()
                                            : std::string();
  if (!npyPath.empty()) {
    if (llvm::Error e = writeResults(npyPath, *results))
      return fail(std::move(e));
    return 0;
  }
  for (const Tensor &result : *results) {
    bool integer = result.dtype() == DType::I64 || result.dtype() == DType::I32;
    if (!printText || !integer || result.rank() == 0) {
      printTensor(llvm::outs(), result);
      continue;
    }
    // A row of token ids a line.
    int64_t row = result.shape().back();
    for (int64_t start = 0; start < result.numElements(); start += row) {
      std::vector<int64_t> ids;
      for (int64_t i = start; i < start + row; ++i)
        ids.push_back(static_cast<int64_t>(result.get(i)));
      llvm::outs() << decodeText(ids) << "\n";
    }
  }
  return 0;
}
} // namespace
