//===- Invocation.h - Calling an entry point with data ----------*- C++ -*-===//
//
// What `weft run` does between compiling and printing: bind the symbolic
// dimensions, gather inputs and parameters (from files or from the seed),
// and run the entry point on the JIT or on the reference interpreter.
//
//===----------------------------------------------------------------------===//

#ifndef WEFT_DRIVER_INVOCATION_H
#define WEFT_DRIVER_INVOCATION_H

#include "weft/Driver/Compilation.h"
#include "weft/Execution/JitRunner.h"
#include "weft/Runtime/TensorIO.h"

namespace mlir::weft {

/// The size a symbolic dimension gets when nothing else binds it.
inline constexpr int64_t kDefaultDimSize = 4;

struct InvocationOptions {
  /// `--input name=file.npy`, by entry parameter name.
  llvm::StringMap<std::string> inputFiles;
  /// `--text name=string`: an input of the text's token ids, i64 [1, n]
  /// (as `weft train --data fortunes:T` gives them).
  llvm::StringMap<std::string> inputTexts;
  /// `--weights file.safetensors`; empty for seeded initialization.
  std::string weightsFile;
  /// Without a weights file: parameters already loaded, by name (the
  /// REPL's `:weights`); those not in it are initialized from the seed.
  const TensorMap *weights = nullptr;
  /// `--dim NAME=N`.
  llvm::StringMap<int64_t> dims;
  uint64_t seed = 0;
  /// Run on the reference interpreter instead of the JIT.
  bool interpret = false;
  /// `--benchmark N`: run N times and report the compile time and the
  /// median run time on stderr (0: run once, quietly).
  unsigned benchmarkRuns = 0;
  /// `--perf-map`: write /tmp/perf-PID.map (JitProgram::writePerfMap) and
  /// say so on stderr.
  bool perfMap = false;
  /// `--steps N`: call the entry point N times, each call seeing the
  /// parameters and `mut` inputs the previous one updated; each result
  /// gains a leading axis of N.
  unsigned steps = 1;
  /// `--save-weights file.safetensors`: the parameters after the run
  /// (updated by an optimizer, or as loaded or initialized).
  std::string saveWeightsFile;
};

/// Where a checkpoint's state of training (an optimizer's state, the
/// generator's count, where training stands) is kept, next to the model's
/// weights: `ck.safetensors` -> `ck.training.safetensors`. A weights file
/// with such a file beside it gives the parameters marked `training_state`
/// from it.
std::string trainingStatePath(llvm::StringRef weightsFile);

/// Loads the input files named in `options`, checks them against the entry
/// point's declared types, and binds every symbolic dimension of its
/// signature: from `--dim`, then from the inputs, then kDefaultDimSize
/// (those are listed in `defaulted`, when given). A `--dim` that names no
/// dimension of the program is an error.
llvm::Error bindInputs(const ModuleAST &module, const EntryPoint &entry,
                       const InvocationOptions &options, TensorMap &inputs,
                       llvm::StringMap<int64_t> &dims,
                       std::vector<std::string> *defaulted = nullptr);

/// Makes a tensor of more than `bytes` an error when a program is about to
/// run, as one larger than the machine's memory is (0: the machine's
/// memory and swap, the default). The fuzzers set it below their own
/// limit.
void setMemoryLimit(uint64_t bytes);

/// A note for a compilation that failed with the dimensions `defaulted`
/// given kDefaultDimSize: they may be why.
std::string describeDefaultedDims(llvm::ArrayRef<std::string> defaulted);

/// An entry point compiled by the JIT together with its parameters, ready
/// to be called on inputs any number of times.
class CompiledEntry {
public:
  /// `program`'s `symbol` takes the inputs named `inputNames`, then
  /// `params`, and returns tensors of `resultTypes`; it writes the new
  /// values of the inputs `updatedInputs` (positions in `inputNames`, the
  /// entry's `mut` parameters) into them, and of the arguments
  /// `updatedArgs` (those inputs and the parameters an optimizer updates).
  CompiledEntry(JitProgram program, std::string symbol,
                std::vector<std::string> inputNames, TensorMap params,
                std::vector<ResultType> resultTypes,
                std::vector<unsigned> updatedInputs,
                std::vector<unsigned> updatedArgs);

  /// Calls the entry point on `inputs` (by parameter name, all present);
  /// returns its results in order, then (copies of) the updated inputs,
  /// which it has updated in `inputs` itself: the next call gets the same
  /// buffers.
  llvm::Expected<std::vector<Tensor>> call(TensorMap &inputs);

  /// The parameters as the calls so far have left them, by name.
  const TensorMap &parameters();
  /// Copies the tensors of `from` into the parameters of the same name
  /// (another program's, that trains them). CPU programs only: the cuda
  /// target keeps its own copies.
  void copyParameters(const TensorMap &from);

private:
  JitProgram program;
  std::string symbol;
  std::vector<std::string> inputNames;
  /// In the order of the trailing arguments weft-lift-params made.
  TensorMap params;
  std::vector<ResultType> resultTypes;
  std::vector<unsigned> updatedInputs, updatedArgs;
};

/// Gathers the parameters of the entry point of `compilation` (lowered to
/// the weft stage) from `options` and compiles it on the JIT.
llvm::Expected<CompiledEntry> compileEntry(Compilation &compilation,
                                           const EntryPoint &entry,
                                           const InvocationOptions &options);

/// Runs the entry point of `compilation`, which has been generated and
/// lowered to the weft stage. Inputs not in `inputs` are drawn from the
/// seed (standard normal); parameters come from the weights file or the
/// seed (PyTorch's default initialization). Returns the entry point's
/// results in order, then the new values of its `mut` parameters.
llvm::Expected<std::vector<Tensor>> invoke(Compilation &compilation,
                                           const EntryPoint &entry,
                                           const InvocationOptions &options,
                                           TensorMap inputs);

} // namespace mlir::weft

#endif // WEFT_DRIVER_INVOCATION_H
