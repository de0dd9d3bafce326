//===- Compilation.h - A .weft file through the pipeline --------*- C++ -*-===//

#ifndef WEFT_DRIVER_COMPILATION_H
#define WEFT_DRIVER_COMPILATION_H

#include "weft/Lang/MLIRGen.h"
#include "weft/Pipelines/Target.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/Support/SourceMgr.h"
#include <memory>

namespace llvm {
class LLVMContext;
class Module;
} // namespace llvm

namespace mlir {
class SourceMgrDiagnosticHandler;
} // namespace mlir

namespace mlir::weft {

/// How a compilation lowers: every choice the driver, the REPL and the tests
/// make for one, in one place.
struct CompilationOptions {
  /// The target the stages after linalg lower for, and the GPU architecture
  /// of the cuda target.
  Target target = Target::CPU;
  std::string gpuArch = kDefaultGpuArch.str();
  /// Whether the fused stage groups ops; without fusion it leaves the module
  /// as it is.
  bool fusion = true;
  /// For the cuda target: run the kernels on the CPU, thread by thread
  /// (weft-gpu-emulate-kernels), to check them without a GPU.
  bool gpuEmulation = false;
  /// The seed the random ops (`rand`, `randn`) draw from unless a call gives
  /// its own.
  uint64_t seed = 0;
  /// Replaces the learning rate of every optimizer the program declares
  /// (`weft train --lr`).
  std::optional<double> learningRate;
};

/// One source file on its way down the pipeline. Every error, from the
/// lexer to the last pass, is printed as `file:line:col: error: ...` with the
/// source line and a caret.
class Compilation {
public:
  explicit Compilation(MLIRContext &context,
                       CompilationOptions options = CompilationOptions());
  ~Compilation();

  /// Reads and parses `path`.
  LogicalResult load(llvm::StringRef path);
  /// Parses `source`, whose locations are reported under `name`; imports
  /// are looked up from the current directory.
  LogicalResult loadSource(llvm::StringRef source, llvm::StringRef name);
  /// Makes the body of the loaded function `symbol` (`f` or `Model.f`)
  /// `return expression`, parsed from a buffer of its own named `name`, so
  /// that errors in it are located in it.
  LogicalResult replaceBody(llvm::StringRef symbol, llvm::StringRef expression,
                            llvm::StringRef name);
  const ModuleAST &getAST() const { return *ast; }
  const llvm::SourceMgr &getSourceMgr() const { return sourceMgr; }

  /// Generates the weft dialect with `entry` as the public function.
  LogicalResult generate(const EntryPoint &entry,
                         const llvm::StringMap<int64_t> &dims);

  /// Runs the pipeline of the target from the module's current stage
  /// through `stage`, one of the target's stages up to llvm-mlir.
  LogicalResult lowerTo(Stage stage);
  const CompilationOptions &getOptions() const { return options; }
  Stage getStage() const { return stage; }
  ModuleOp getModule() { return *module; }

  /// Where `import` looks for libraries, in order: the program's directory,
  /// the directories of $WEFT_PATH (colon-separated), the standard library.
  std::vector<std::string> getImportPath() const;

private:
  LogicalResult parseMainBuffer();

  MLIRContext &context;
  llvm::SourceMgr sourceMgr;
  std::unique_ptr<SourceMgrDiagnosticHandler> diagnostics;
  std::optional<ModuleAST> ast;
  OwningOpRef<ModuleOp> module;
  CompilationOptions options;
  Stage stage = Stage::AST;
};

/// LLVM IR for a module in the LLVM dialect, optimized at -O3 for the host
/// CPU, as the JIT compiles it.
std::unique_ptr<llvm::Module> translateToLLVMIR(ModuleOp module,
                                                llvm::LLVMContext &context);
/// Host assembly for `module`.
LogicalResult emitHostAssembly(llvm::Module &module, llvm::raw_ostream &os);

/// Prints `compilation`, lowered to `stage` (weft through llvm-mlir: the
/// module; llvm: its LLVM IR; asm: host assembly; ptx: the PTX of every
/// kernel module).
LogicalResult printStage(Compilation &compilation, Stage stage,
                         llvm::raw_ostream &os);

} // namespace mlir::weft

#endif // WEFT_DRIVER_COMPILATION_H
