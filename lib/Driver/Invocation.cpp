//===- Invocation.cpp - Calling an entry point with data ------------------===//

#include "weft/Driver/Invocation.h"
#include "weft/Data/Datasets.h"
#include "weft/Dialect/Weft/IR/WeftOps.h"
#include "weft/Dialect/Weft/Transforms/Passes.h"
#include "weft/Execution/ElementTypes.h"
#include "weft/Execution/Interpreter.h"
#include "weft/Execution/JitRunner.h"
#include "weft/Execution/SourceLocation.h"
#include "weft/Runtime/ABI.h"
#include "weft/Runtime/Random.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/SetVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FormatVariadic.h"
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstring>
#include <functional>
#include <sys/sysinfo.h>

using namespace mlir;
using namespace mlir::weft;

namespace {
llvm::Error error(const llvm::Twine &message) {
  return llvm::createStringError(llvm::inconvertibleErrorCode(), message);
}

/// The range integer inputs are drawn from when they index no table.
constexpr int64_t kDefaultIndexRange = 10;

/// The lookups (IndexingOpInterface) that use the values of `arg`, or
/// values that only move its elements (ElementMovingOpInterface), as
/// indices.
llvm::SmallVector<IndexingOpInterface> findIndexUses(BlockArgument arg) {
  llvm::SmallVector<IndexingOpInterface> uses;
  llvm::SmallVector<Value> worklist = {arg};
  llvm::DenseSet<Value> seen;
  while (!worklist.empty()) {
    Value value = worklist.pop_back_val();
    if (!seen.insert(value).second)
      continue;
    for (OpOperand &use : value.getUses()) {
      Operation *user = use.getOwner();
      if (auto lookup = dyn_cast<IndexingOpInterface>(user);
          lookup && lookup.getIndexOperand() == value) {
        uses.push_back(lookup);
        continue;
      }
      if (auto moving = dyn_cast<ElementMovingOpInterface>(user);
          moving && moving.movesElementsOf(use.getOperandNumber()))
        worklist.push_back(user->getResult(0));
    }
  }
  return uses;
}

/// The fewest positions any use of `arg` may name, if it indexes anything.
std::optional<int64_t> indexRange(BlockArgument arg) {
  std::optional<int64_t> range;
  for (IndexingOpInterface lookup : findIndexUses(arg)) {
    int64_t n = lookup.getIndexedSize();
    range = range ? std::min(*range, n) : n;
  }
  return range;
}

/// Every index an input feeds to an embedding, gather or index_select must
/// name a position that exists: checked here, before running, so no
/// generated code reads out of bounds.
llvm::Error checkIndices(func::FuncOp func, const EntryPoint &entry,
                         const TensorMap &inputs) {
  for (auto [param, arg] :
       llvm::zip(entry.function->params, func.getArguments())) {
    for (IndexingOpInterface lookup : findIndexUses(arg)) {
      const Tensor &ids = inputs.find(param.name)->second;
      int64_t limit = lookup.getIndexedSize();
      for (int64_t i = 0, e = ids.numElements(); i < e; ++i) {
        auto id = static_cast<int64_t>(ids.get(i));
        if (id < 0 || id >= limit)
          return error("input '" + param.name + "': index " +
                       std::to_string(id) + " at position " +
                       std::to_string(i) + " is outside " +
                       lookup.describeIndexedRange() + " (" +
                       formatSourceLocation(lookup->getLoc()) + ")");
      }
    }
  }
  return llvm::Error::success();
}

/// The parameters `func` reads, in order of first use, with their types and
/// initialization.
llvm::SmallVector<ParamOp> collectParams(func::FuncOp func) {
  llvm::SmallVector<ParamOp> params;
  llvm::StringSet<> seen;
  func.walk([&](ParamOp op) {
    if (seen.insert(op.getName()).second)
      params.push_back(op);
  });
  return params;
}

/// PyTorch's default initialization of `op`, from its own stream of
/// `seed`.
Tensor initializeParam(ParamOp op, uint64_t seed) {
  auto type = cast<RankedTensorType>(op.getType());
  Tensor tensor(dtypeOf(type.getElementType()), type.getShape());
  Random random = Random::forName(seed, "param:" + op.getName().str());
  switch (op.getInit()) {
  case InitKind::normal:
    random.fillNormal(tensor);
    break;
  case InitKind::uniform: {
    double bound = 1.0 / std::sqrt(double(*op.getFanIn()));
    random.fillUniform(tensor, -bound, bound);
    break;
  }
  case InitKind::zeros:
    break;
  case InitKind::ones:
    for (int64_t i = 0, e = tensor.numElements(); i < e; ++i)
      tensor.set(i, 1.0);
    break;
  }
  return tensor;
}

/// The limit setMemoryLimit set, or 0.
std::atomic<uint64_t> memoryLimit{0};

/// Fails when a tensor of `module` (an argument, a result of an op) is
/// larger than this machine's memory, which no allocation could hold.
llvm::Error checkFitsInMemory(ModuleOp module) {
  uint64_t memory = memoryLimit;
  struct sysinfo info;
  if (!memory && sysinfo(&info) == 0)
    memory = (uint64_t(info.totalram) + info.totalswap) * info.mem_unit;
  if (!memory)
    return llvm::Error::success();
  std::string what = memoryLimit ? "the memory limit" : "this machine's memory";
  auto tooLarge = [&](Type type, Location loc) -> std::optional<std::string> {
    auto ranked = dyn_cast<RankedTensorType>(type);
    if (!ranked || !ranked.hasStaticShape())
      return std::nullopt;
    uint64_t bytes = uint64_t(ranked.getNumElements()) *
                     sizeOf(dtypeOf(ranked.getElementType()));
    if (bytes <= memory)
      return std::nullopt;
    auto gib = [](uint64_t n) {
      return llvm::formatv("{0:f1} GiB", double(n) / (1 << 30)).str();
    };
    return formatType(type) + " needs " + gib(bytes) + ", more than " + what +
           " (" + gib(memory) + "), at " + formatSourceLocation(loc);
  };
  std::optional<std::string> found;
  module.walk([&](Operation *op) {
    for (Region &region : op->getRegions())
      for (BlockArgument arg : region.getArguments())
        if ((found = tooLarge(arg.getType(), arg.getLoc())))
          return WalkResult::interrupt();
    for (Type type : op->getResultTypes())
      if ((found = tooLarge(type, op->getLoc())))
        return WalkResult::interrupt();
    return WalkResult::advance();
  });
  if (found)
    return error(*found);
  return llvm::Error::success();
}

llvm::Expected<TensorMap> gatherParams(func::FuncOp func,
                                       const InvocationOptions &options) {
  llvm::SmallVector<ParamOp> params = collectParams(func);
  TensorMap values;
  if (options.weightsFile.empty()) {
    for (ParamOp op : params) {
      std::string name = op.getName().str();
      const Tensor *loaded = nullptr;
      if (options.weights) {
        auto it = options.weights->find(name);
        if (it != options.weights->end())
          loaded = &it->second;
      }
      auto type = cast<RankedTensorType>(op.getType());
      // A model instance whose weights were loaded takes every parameter
      // from them.
      auto [instance, member] = llvm::StringRef(name).split('.');
      if (!loaded && options.weights &&
          llvm::any_of(options.weights->keys(), [&](llvm::StringRef key) {
            return key.starts_with((instance + ".").str());
          }))
        return error("the weights loaded for '" + instance +
                     "' have no tensor '" + member +
                     "'; the model needs it as " + formatType(type));
      if (!loaded) {
        values.insert({name, initializeParam(op, options.seed)});
        continue;
      }
      if (loaded->dtype() != dtypeOf(type.getElementType()) ||
          loaded->shape() != type.getShape())
        return error("weights: tensor '" + name + "' is " + loaded->describe() +
                     " but the model declares " + formatType(type));
      values.insert({name, loaded->copy()});
    }
    return values;
  }

  auto file = readSafetensors(options.weightsFile);
  if (!file)
    return file.takeError();
  // The state of training, from beside the weights when it is there.
  TensorMap training;
  std::string trainingFile = trainingStatePath(options.weightsFile);
  if (llvm::sys::fs::exists(trainingFile)) {
    auto read = readSafetensors(trainingFile);
    if (!read)
      return read.takeError();
    training = std::move(*read);
  }
  for (ParamOp op : params) {
    auto type = cast<RankedTensorType>(op.getType());
    std::string name = op.getName().str();
    auto it = file->find(name);
    if (it == file->end() && op.getTrainingState())
      if (auto kept = training.find(name); kept != training.end())
        it = file->insert({name, std::move(kept->second)}).first;
    // A model's weights without the state of training (an optimizer's)
    // start it afresh, as loading a PyTorch model's state_dict does.
    if (it == file->end() && op.getTrainingState()) {
      values.insert({name, initializeParam(op, options.seed)});
      continue;
    }
    if (it == file->end())
      return error(options.weightsFile + ": no tensor '" + name +
                   "'; the model needs it as " + formatType(type));
    Tensor &tensor = it->second;
    if (tensor.dtype() != dtypeOf(type.getElementType()) ||
        tensor.shape() != type.getShape())
      return error(options.weightsFile + ": tensor '" + name + "' is " +
                   tensor.describe() + " but the model declares " +
                   formatType(type));
    values.insert({name, std::move(tensor)});
  }
  // PyTorch checkpoints count batch-norm updates in a buffer that inference
  // never reads; weft train's checkpoints record where training stands
  // (`@epochs`, ...).
  for (const auto &entry : *file)
    if (!values.count(entry.first) &&
        !llvm::StringRef(entry.first).ends_with(".num_batches_tracked") &&
        !llvm::StringRef(entry.first).starts_with("@"))
      llvm::errs() << "weft: warning: " << options.weightsFile << ": tensor '"
                   << entry.first << "' is not used by the model\n";
  return values;
}
} // namespace

namespace {
class Stopwatch {
public:
  double milliseconds() const {
    return std::chrono::duration<double, std::milli>(
               std::chrono::steady_clock::now() - start)
        .count();
  }

private:
  std::chrono::steady_clock::time_point start =
      std::chrono::steady_clock::now();
};

/// The median of `times` (not empty), which it sorts.
double median(std::vector<double> &times) {
  std::sort(times.begin(), times.end());
  return times[times.size() / 2];
}

/// Runs `run` once, or benchmarks it: a first call, warm-up calls until the
/// time per call is steady, then `options.benchmarkRuns` timed calls.
/// Reports the compile time, the first call (where fresh buffers fault
/// their pages in and the thread pool starts) and the median and spread of
/// the timed calls; returns the last call's results.
llvm::Expected<std::vector<Tensor>>
runTimed(const InvocationOptions &options, double compileMs,
         llvm::function_ref<llvm::Expected<std::vector<Tensor>>()> run) {
  if (options.benchmarkRuns == 0)
    return run();
  std::vector<Tensor> results;
  auto timedCall = [&]() -> llvm::Expected<double> {
    Stopwatch watch;
    llvm::Expected<std::vector<Tensor>> tensors = run();
    if (!tensors)
      return tensors.takeError();
    double ms = watch.milliseconds();
    results = std::move(*tensors);
    return ms;
  };
  llvm::Expected<double> first = timedCall();
  if (!first)
    return first.takeError();
  // Steady: the median of the last kWindow calls within 5% of the median of
  // the kWindow before, after at least kMinWarmUpMs of calls (a core of a
  // shared machine can run at a fraction of its speed for tens of
  // milliseconds before it is up to speed) and at most kMaxWarmUpMs.
  constexpr size_t kWindow = 3;
  constexpr double kMinWarmUpMs = 200, kMaxWarmUpMs = 1000;
  std::vector<double> warmUp;
  Stopwatch warmUpTime;
  auto steady = [&] {
    if (warmUp.size() < 2 * kWindow)
      return false;
    std::vector<double> last(warmUp.end() - kWindow, warmUp.end());
    std::vector<double> before(warmUp.end() - 2 * kWindow,
                               warmUp.end() - kWindow);
    double now = median(last), then = median(before);
    return std::abs(now - then) <= 0.05 * then;
  };
  do {
    llvm::Expected<double> ms = timedCall();
    if (!ms)
      return ms.takeError();
    warmUp.push_back(*ms);
  } while (warmUpTime.milliseconds() < kMaxWarmUpMs &&
           (warmUpTime.milliseconds() < kMinWarmUpMs || !steady()));
  std::vector<double> times;
  for (unsigned i = 0; i < options.benchmarkRuns; ++i) {
    llvm::Expected<double> ms = timedCall();
    if (!ms)
      return ms.takeError();
    times.push_back(*ms);
  }
  double middle = median(times);
  auto percentile = [&](double p) {
    return times[std::min(times.size() - 1, size_t(p * times.size()))];
  };
  llvm::errs() << llvm::formatv(
      "weft: benchmark: compile {0:F1} ms, first call {1:F3} ms, run median "
      "{2:F3} ms (p10 {3:F3}, p90 {4:F3}) over {5} run{6} after {7} warm-up "
      "calls\n",
      compileMs, *first, middle, percentile(0.1), percentile(0.9), times.size(),
      times.size() == 1 ? "" : "s", warmUp.size());
  return std::move(results);
}
} // namespace

namespace {
/// Runs `run`, a call of a train step or of any entry point, `steps` times,
/// each call seeing what the previous one updated. With more than one step,
/// each result gains a leading axis of `steps`, one entry per call. A train
/// step (`updates`: the entry updates parameters) whose loss, its first
/// result when a float scalar, is not finite stops the run at that step.
llvm::Expected<std::vector<Tensor>>
runSteps(unsigned steps, bool updates,
         llvm::function_ref<llvm::Expected<std::vector<Tensor>>()> run) {
  std::vector<std::vector<Tensor>> calls;
  for (unsigned step = 1; step <= std::max(steps, 1u); ++step) {
    auto results = run();
    if (!results)
      return results.takeError();
    if (updates && !results->empty() && results->front().rank() == 0 &&
        (results->front().dtype() == DType::F32 ||
         results->front().dtype() == DType::F64) &&
        !std::isfinite(results->front().get(0)))
      return error("step " + llvm::Twine(step) + ": the loss is " +
                   llvm::formatv("{0}", results->front().get(0)).str() +
                   "; the run stops here");
    calls.push_back(std::move(*results));
  }
  if (calls.size() == 1)
    return std::move(calls.front());
  std::vector<Tensor> stacked;
  for (size_t i = 0, e = calls.front().size(); i < e; ++i) {
    const Tensor &first = calls.front()[i];
    llvm::SmallVector<int64_t> shape = {int64_t(calls.size())};
    llvm::append_range(shape, first.shape());
    Tensor tensor(first.dtype(), shape);
    for (auto [step, results] : llvm::enumerate(calls))
      std::memcpy(static_cast<char *>(tensor.data()) + step * first.numBytes(),
                  results[i].data(), first.numBytes());
    stacked.push_back(std::move(tensor));
  }
  return stacked;
}

/// The bytes of every buffer `module` (at the loops stage) allocates, each
/// counted once: an upper bound of what a call holds at a time (buffers
/// freed before others are allocated are counted as if all were live).
uint64_t countAllocatedBytes(ModuleOp module) {
  uint64_t total = 0;
  module.walk([&](memref::AllocOp alloc) {
    MemRefType type = alloc.getType();
    if (type.hasStaticShape() && type.getElementType().isIntOrFloat())
      total += uint64_t(type.getNumElements()) *
               llvm::divideCeil(type.getElementTypeBitWidth(), 8);
  });
  return total;
}

/// Lowers `compilation` (at the weft stage) to the LLVM dialect and
/// compiles it; `params` are put in the order of the lifted arguments.
llvm::Expected<CompiledEntry> compileLowered(Compilation &compilation,
                                             const EntryPoint &entry,
                                             TensorMap params,
                                             const InvocationOptions &options) {
  auto func = compilation.getModule().lookupSymbol<func::FuncOp>(entry.symbol);
  // The results that update arguments are written into them, not returned.
  std::vector<ResultType> resultTypes;
  std::vector<unsigned> updatedInputs;
  for (auto [i, type] : llvm::enumerate(func.getResultTypes())) {
    if (auto updated =
            func.getResultAttrOfType<IntegerAttr>(i, kUpdatesAttrName)) {
      updatedInputs.push_back(updated.getInt());
      continue;
    }
    auto ranked = cast<RankedTensorType>(type);
    resultTypes.push_back({dtypeOf(ranked.getElementType()), ranked.getRank()});
  }
  if (failed(compilation.lowerTo(Stage::Linalg)))
    return error("lowering to linalg failed");
  // After weft-lift-params the parameters are trailing arguments, each
  // carrying its name.
  func = compilation.getModule().lookupSymbol<func::FuncOp>(entry.symbol);
  TensorMap ordered;
  for (unsigned i = entry.function->params.size(), e = func.getNumArguments();
       i < e; ++i) {
    std::string name =
        func.getArgAttrOfType<StringAttr>(i, kParamAttrName).str();
    ordered.insert({name, std::move(params.find(name)->second)});
  }
  // The parameters it updates (an optimizer's step) are written in place
  // too.
  std::vector<unsigned> updatedArgs = updatedInputs;
  for (unsigned i = 0, e = func.getNumResults(); i < e; ++i)
    if (auto updated =
            func.getResultAttrOfType<IntegerAttr>(i, kUpdatesAttrName);
        updated && updated.getInt() >= int64_t(entry.function->params.size()))
      updatedArgs.push_back(updated.getInt());
  // Emulated kernels run on the CPU, with the CPU's runtime.
  const CompilationOptions &compiled = compilation.getOptions();
  Target target = compiled.gpuEmulation ? Target::CPU : compiled.target;
  uint64_t scratchBytes = 0;
  if (compiled.target == Target::CPU) {
    if (failed(compilation.lowerTo(Stage::Loops)))
      return error("lowering to loops failed");
    scratchBytes = countAllocatedBytes(compilation.getModule());
  }
  if (failed(compilation.lowerTo(Stage::LLVMMLIR)))
    return error("lowering to the LLVM dialect failed");
  auto program = JitProgram::compile(compilation.getModule(), target);
  if (!program)
    return program.takeError();
  if (llvm::Error e = program->prepare(entry.symbol, scratchBytes))
    return std::move(e);
  if (options.perfMap) {
    auto path = program->writePerfMap();
    if (!path)
      return path.takeError();
    llvm::errs() << "weft: wrote " << *path << "\n";
  }
  std::vector<std::string> inputNames;
  for (const ParamAST &param : entry.function->params)
    inputNames.push_back(param.name);
  return CompiledEntry(std::move(*program), entry.symbol, std::move(inputNames),
                       std::move(ordered), std::move(resultTypes),
                       std::move(updatedInputs), std::move(updatedArgs));
}
} // namespace

std::string mlir::weft::trainingStatePath(llvm::StringRef weightsFile) {
  llvm::StringRef stem = weightsFile;
  stem.consume_back(".safetensors");
  return (stem + ".training.safetensors").str();
}

/// A text's token ids as an input, i64 [1, n].
static llvm::Expected<Tensor> textTensor(llvm::StringRef text) {
  auto ids = encodeText(text);
  if (!ids)
    return ids.takeError();
  Tensor tensor(DType::I64, {1, static_cast<int64_t>(ids->size())});
  for (auto [i, id] : llvm::enumerate(*ids))
    tensor.set(i, double(id));
  return tensor;
}

namespace {
/// The names a `--dim` may give a size: the symbolic dimensions of the
/// types of `module`, then every other name its expressions use (a
/// dimension used as a number, `arange(T)`).
llvm::SetVector<llvm::StringRef>
collectDimensionNames(const ModuleAST &module) {
  llvm::SetVector<llvm::StringRef> names;
  std::function<void(const ExprAST *)> addExpr = [&](const ExprAST *expr) {
    if (!expr)
      return;
    auto addAll = [&](const std::vector<ExprPtr> &exprs) {
      for (const ExprPtr &e : exprs)
        addExpr(e.get());
    };
    if (auto *var = llvm::dyn_cast<VarExprAST>(expr)) {
      names.insert(var->name);
    } else if (auto *list = llvm::dyn_cast<ListExprAST>(expr)) {
      addAll(list->items);
    } else if (auto *tuple = llvm::dyn_cast<TupleExprAST>(expr)) {
      addAll(tuple->items);
    } else if (auto *unary = llvm::dyn_cast<UnaryExprAST>(expr)) {
      addExpr(unary->operand.get());
    } else if (auto *binary = llvm::dyn_cast<BinaryExprAST>(expr)) {
      addExpr(binary->lhs.get());
      addExpr(binary->rhs.get());
    } else if (auto *call = llvm::dyn_cast<CallExprAST>(expr)) {
      addAll(call->args);
      for (const KeywordArgAST &kwarg : call->kwargs)
        addExpr(kwarg.value.get());
    }
  };
  std::function<void(const std::vector<StmtAST> &)> addBody =
      [&](const std::vector<StmtAST> &body) {
        for (const StmtAST &stmt : body) {
          addExpr(stmt.value.get());
          for (const ExprPtr &e : stmt.range)
            addExpr(e.get());
          addBody(stmt.body);
        }
      };
  auto addFunction = [&](const FunctionAST &f) {
    auto addType = [&](const std::optional<TypeAST> &type) {
      if (type)
        for (const DimAST &dim : type->dims)
          if (dim.isSymbolic())
            names.insert(dim.symbol);
    };
    for (const ParamAST &param : f.params)
      addType(param.type);
    addType(f.result);
    addBody(f.body);
  };
  for (const FunctionAST &f : module.functions)
    addFunction(f);
  for (const ModelAST &model : module.models) {
    for (const LayerAST &layer : model.layers) {
      addExpr(layer.constructor.get());
      addExpr(layer.count.get());
    }
    for (const FunctionAST &f : model.methods)
      addFunction(f);
  }
  return names;
}
} // namespace

void mlir::weft::setMemoryLimit(uint64_t bytes) { memoryLimit = bytes; }

std::string
mlir::weft::describeDefaultedDims(llvm::ArrayRef<std::string> defaulted) {
  if (defaulted.empty())
    return "";
  return "note: " + llvm::join(defaulted, ", ") +
         (defaulted.size() == 1 ? " was" : " were") +
         " given no size and took the default " +
         std::to_string(kDefaultDimSize) + " (set sizes with --dim " +
         defaulted.front() + "=N)";
}

llvm::Error mlir::weft::bindInputs(const ModuleAST &module,
                                   const EntryPoint &entry,
                                   const InvocationOptions &options,
                                   TensorMap &inputs,
                                   llvm::StringMap<int64_t> &dims,
                                   std::vector<std::string> *defaulted) {
  llvm::SetVector<llvm::StringRef> known = collectDimensionNames(module);
  for (const auto &dim : options.dims) {
    if (known.contains(dim.getKey()))
      continue;
    std::string message =
        "--dim " + dim.getKey().str() + "=" + std::to_string(dim.getValue()) +
        ": the program uses no name '" + dim.getKey().str() + "'";
    llvm::SmallVector<llvm::StringRef> declared;
    for (const ParamAST &param : entry.function->params)
      if (param.type)
        for (const DimAST &d : param.type->dims)
          if (d.isSymbolic() && !llvm::is_contained(declared, d.symbol))
            declared.push_back(d.symbol);
    if (!declared.empty())
      message += " (" + entry.symbol +
                 "'s dimensions: " + llvm::join(declared, ", ") + ")";
    return error(message);
  }
  dims = options.dims;
  const FunctionAST &f = *entry.function;
  // Inputs bind dimensions, so they are read first: .npy files, and texts
  // as token ids.
  std::vector<std::tuple<std::string, std::string, bool>> sources;
  for (const auto &file : options.inputFiles)
    sources.emplace_back(file.getKey().str(), file.getValue(), false);
  for (const auto &text : options.inputTexts)
    sources.emplace_back(text.getKey().str(), text.getValue(), true);
  for (const auto &[name, source, isText] : sources) {
    auto param = llvm::find_if(
        f.params, [&](const ParamAST &p) { return p.name == name; });
    if (param == f.params.end())
      return error((isText ? "--text " : "--input ") + name + ": " +
                   entry.symbol + " has no parameter named '" + name + "'");
    auto tensor = isText ? textTensor(source) : readNpy(source);
    if (!tensor)
      return tensor.takeError();
    std::string what = isText ? "--text " + name : source;
    if (param->type) {
      const TypeAST &type = *param->type;
      auto mismatch = [&] {
        return error(what + ": input '" + param->name + "' is " +
                     tensor->describe() + " but " + entry.symbol +
                     " declares " + toString(type));
      };
      if (nameOf(tensor->dtype()) != type.dtype ||
          tensor->rank() != static_cast<int64_t>(type.dims.size()))
        return mismatch();
      for (auto [dim, size] : llvm::zip(type.dims, tensor->shape())) {
        if (!dim.isSymbolic()) {
          if (dim.size != size)
            return mismatch();
          continue;
        }
        auto [it, inserted] = dims.try_emplace(dim.symbol, size);
        if (!inserted && it->second != size)
          return error(what + ": input '" + param->name + "' makes " +
                       dim.symbol + " = " + std::to_string(size) + ", but " +
                       dim.symbol + " = " + std::to_string(it->second) +
                       " elsewhere");
      }
    }
    inputs.insert({param->name, std::move(*tensor)});
  }
  auto bindDefaults = [&](const TypeAST &type) {
    for (const DimAST &dim : type.dims)
      if (dim.isSymbolic() &&
          dims.try_emplace(dim.symbol, kDefaultDimSize).second && defaulted)
        defaulted->push_back(dim.symbol);
  };
  for (const ParamAST &param : f.params)
    if (param.type)
      bindDefaults(*param.type);
  if (f.result)
    bindDefaults(*f.result);
  return llvm::Error::success();
}

llvm::Expected<std::vector<Tensor>>
mlir::weft::invoke(Compilation &compilation, const EntryPoint &entry,
                   const InvocationOptions &options, TensorMap inputs) {
  if (llvm::Error e = checkFitsInMemory(compilation.getModule()))
    return std::move(e);
  auto func = compilation.getModule().lookupSymbol<func::FuncOp>(entry.symbol);
  auto params = gatherParams(func, options);
  if (!params)
    return params.takeError();

  // Inputs without a file are drawn from the seed. All are in place before
  // any address is taken: inserting may move the map's storage.
  for (auto [param, arg] :
       llvm::zip(entry.function->params, func.getArguments())) {
    if (inputs.count(param.name))
      continue;
    auto ranked = cast<RankedTensorType>(arg.getType());
    Tensor tensor(dtypeOf(ranked.getElementType()), ranked.getShape());
    Random random = Random::forName(options.seed, "input:" + param.name);
    if (isa<IntegerType>(ranked.getElementType())) {
      // Indices: uniform over the rows of the tables they index; booleans:
      // true or false.
      int64_t range = ranked.getElementType().isInteger(1)
                          ? 2
                          : indexRange(arg).value_or(kDefaultIndexRange);
      for (int64_t i = 0, e = tensor.numElements(); i < e; ++i)
        tensor.set(i, std::min<int64_t>(random.uniform() * range, range - 1));
    } else {
      random.fillNormal(tensor);
    }
    inputs.insert({param.name, std::move(tensor)});
  }
  if (llvm::Error e = checkIndices(func, entry, inputs))
    return std::move(e);
  bool updates = false;
  func.walk([&](UpdateParamOp) { updates = true; });
  auto save = [&](const TensorMap &params) -> llvm::Error {
    if (options.saveWeightsFile.empty())
      return llvm::Error::success();
    return writeSafetensors(options.saveWeightsFile, params);
  };
  Stopwatch compileTime;
  if (options.interpret) {
    llvm::SmallVector<Tensor *> args;
    for (const ParamAST &param : entry.function->params)
      args.push_back(&inputs.find(param.name)->second);
    // The new values of the `mut` parameters are the trailing results; the
    // inputs take them, as the compiled code updates its arguments.
    auto results = runTimed(options, compileTime.milliseconds(), [&] {
      return runSteps(options.steps, updates, [&] {
        auto results = interpret(
            func, llvm::SmallVector<const Tensor *>(args.begin(), args.end()),
            *params);
        if (results)
          for (auto [i, result] : llvm::enumerate(*results))
            if (auto updated =
                    func.getResultAttrOfType<IntegerAttr>(i, kUpdatesAttrName))
              std::memcpy(args[updated.getInt()]->data(), result.data(),
                          result.numBytes());
        return results;
      });
    });
    if (!results)
      return results.takeError();
    if (llvm::Error e = save(*params))
      return std::move(e);
    return results;
  }

  auto compiled =
      compileLowered(compilation, entry, std::move(*params), options);
  if (!compiled)
    return compiled.takeError();
  auto results = runTimed(options, compileTime.milliseconds(), [&] {
    return runSteps(options.steps, updates,
                    [&] { return compiled->call(inputs); });
  });
  if (!results)
    return results.takeError();
  if (llvm::Error e = save(compiled->parameters()))
    return std::move(e);
  return results;
}

llvm::Expected<CompiledEntry>
mlir::weft::compileEntry(Compilation &compilation, const EntryPoint &entry,
                         const InvocationOptions &options) {
  if (llvm::Error e = checkFitsInMemory(compilation.getModule()))
    return std::move(e);
  auto func = compilation.getModule().lookupSymbol<func::FuncOp>(entry.symbol);
  auto params = gatherParams(func, options);
  if (!params)
    return params.takeError();
  return compileLowered(compilation, entry, std::move(*params), options);
}

CompiledEntry::CompiledEntry(JitProgram program, std::string symbol,
                             std::vector<std::string> inputNames,
                             TensorMap params,
                             std::vector<ResultType> resultTypes,
                             std::vector<unsigned> updatedInputs,
                             std::vector<unsigned> updatedArgs)
    : program(std::move(program)), symbol(std::move(symbol)),
      inputNames(std::move(inputNames)), params(std::move(params)),
      resultTypes(std::move(resultTypes)),
      updatedInputs(std::move(updatedInputs)),
      updatedArgs(std::move(updatedArgs)) {}

const TensorMap &CompiledEntry::parameters() {
  llvm::SmallVector<Tensor *> constants;
  for (auto &[name, tensor] : params)
    constants.push_back(&tensor);
  program.syncConstants(constants);
  return params;
}

void CompiledEntry::copyParameters(const TensorMap &from) {
  for (auto &[name, tensor] : params)
    if (auto it = from.find(name);
        it != from.end() && it->second.numBytes() == tensor.numBytes())
      std::memcpy(tensor.data(), it->second.data(), tensor.numBytes());
}

llvm::Expected<std::vector<Tensor>> CompiledEntry::call(TensorMap &inputs) {
  llvm::SmallVector<Tensor *> args;
  for (const std::string &name : inputNames)
    args.push_back(&inputs.find(name)->second);
  for (auto &[name, tensor] : params)
    args.push_back(&tensor);
  auto results =
      program.call(symbol, args, resultTypes, params.size(), updatedArgs);
  if (!results)
    return results.takeError();
  for (unsigned input : updatedInputs)
    results->push_back(args[input]->copy());
  return results;
}
