//===- JitRunner.h - Running lowered functions on the CPU JIT ---*- C++ -*-===//

#ifndef WEFT_EXECUTION_JITRUNNER_H
#define WEFT_EXECUTION_JITRUNNER_H

#include "weft/Pipelines/Target.h"
#include "weft/Runtime/Tensor.h"

#include "llvm/Support/Error.h"
#include <memory>
#include <string>
#include <vector>

namespace llvm {
class TargetMachine;
} // namespace llvm

namespace mlir {
class ExecutionEngine;
class ModuleOp;
} // namespace mlir

namespace mlir::weft {

/// A target machine for the host CPU and its features (AVX-512, AVX2,
/// FMA...), optimizing aggressively: what the JIT compiles for, and what
/// `--emit=llvm` and `--emit=asm` show.
llvm::Expected<std::unique_ptr<llvm::TargetMachine>> createHostTargetMachine();

/// What a function returns in one of its results.
struct ResultType {
  DType dtype;
  int64_t rank;
};

/// A module in the LLVM dialect compiled by the ORC JIT for the host CPU.
/// For the cuda target the host code launches kernels through the weft CUDA
/// runtime, and its buffers are CUDA managed memory.
class JitProgram {
public:
  /// Compiles `module`, lowered for `target`; every public function must
  /// carry `llvm.emit_c_interface`. For the cuda target, loads the CUDA
  /// driver and the kernels first: an error when there is no driver or GPU.
  static llvm::Expected<JitProgram> compile(ModuleOp module,
                                            Target target = Target::CPU);
  /// Whether programs for `target` can run here: for cuda, whether the
  /// driver loads and finds a GPU.
  static llvm::Error checkTarget(Target target);
  JitProgram(JitProgram &&);
  ~JitProgram();

  /// Readies `symbol` for its first call to run as fast as the ones after
  /// it: finishes compiling it (the JIT compiles on the first lookup),
  /// starts the OpenMP threads its parallel loops use, and faults in
  /// `scratchBytes` of heap (at most a quarter of the machine's memory, and
  /// below 1 GiB, the size from which blocks are mapped and unmapped) for
  /// its buffers, which the heap then keeps from one call to the next.
  llvm::Error prepare(llvm::StringRef symbol, uint64_t scratchBytes = 0);

  /// Writes /tmp/perf-PID.map, where `perf report` finds the names of
  /// JIT-compiled code: a line per compiled function (each loop nest is one
  /// on the CPU) with its address and size. Returns the file's path.
  llvm::Expected<std::string> writePerfMap();

  /// Calls `symbol` with memref arguments viewing `args` and returns its
  /// results, tensors of the dtypes and ranks `results` gives; an error when
  /// the program looked up an index out of range. The last `numConstant`
  /// arguments are the program's own from one call to the next
  /// (parameters): the cuda target copies them to managed memory once, and
  /// what the program writes into them stays there (syncConstants copies it
  /// back). The other arguments at `updatedArgs` are written by the program:
  /// the cuda target copies them back after the call.
  llvm::Expected<std::vector<Tensor>>
  call(llvm::StringRef symbol, llvm::ArrayRef<Tensor *> args,
       llvm::ArrayRef<ResultType> results, size_t numConstant = 0,
       llvm::ArrayRef<unsigned> updatedArgs = {});

  /// For the cuda target: copies the constant arguments' device copies
  /// back into `constants` (the last arguments of the calls, in order), so
  /// that the host sees what the program wrote into them.
  void syncConstants(llvm::ArrayRef<Tensor *> constants);

private:
  JitProgram(std::unique_ptr<ExecutionEngine> engine, Target target,
             std::vector<std::string> indexSites, bool usesThreads,
             std::vector<std::string> functionNames);
  /// For the cuda target: managed copies of `args`, the constant ones made
  /// at the first call only.
  std::vector<void *> copyToDevice(llvm::ArrayRef<Tensor *> args,
                                   size_t numConstant);

  std::unique_ptr<ExecutionEngine> engine;
  Target target;
  /// Where each index check of the program is: "'embedding' at f.weft:3:5".
  std::vector<std::string> indexSites;
  /// Whether the program has parallel loops (calls the OpenMP runtime).
  bool usesThreads;
  /// The names of the functions the program defines.
  std::vector<std::string> functionNames;
  /// The cuda target's managed copies of the constant arguments.
  std::vector<void *> constantCopies;
};

} // namespace mlir::weft

#endif // WEFT_EXECUTION_JITRUNNER_H
