//===- ReplSession.h - The state of a `weft repl` session -------*- C++ -*-===//
//
// A session holds the definitions (functions, models, imports) and the
// tensors bound to names so far. Each input is one complete statement: a
// definition, `name = expr`, an expression, or a `:command`. An expression
// becomes the body of a function `__repl__` whose parameters are the bound
// tensors it mentions, compiled with the session's definitions and run on
// the JIT. Model instances (`net = Net()`) become the layers of a model
// `__session__` whose method `__repl__` evaluates the expression, so their
// parameters have the names `net.fc.weight`...; `:weights` loads them.
//
//===----------------------------------------------------------------------===//

#ifndef WEFT_DRIVER_REPLSESSION_H
#define WEFT_DRIVER_REPLSESSION_H

#include "weft/Driver/Compilation.h"
#include "weft/Driver/Invocation.h"
#include "weft/Runtime/TensorIO.h"

#include "llvm/ADT/MapVector.h"
#include "llvm/Support/Error.h"
#include "llvm/Support/raw_ostream.h"

namespace mlir::weft {

class ReplSession {
public:
  ReplSession(MLIRContext &context, llvm::raw_ostream &out);

  /// Runs one complete input. Errors are printed (located where the source
  /// is known) and leave the session as it was; returns false on error.
  bool execute(llvm::StringRef input);

  /// Whether `text` still needs lines: an open bracket, or a last line that
  /// ends in an operator, `=` or `,`.
  static bool isIncomplete(llvm::StringRef text);

  bool hasQuit() const { return quit; }

  /// Compiles (and runs) what follows for `target`, on GPUs of `gpuArch`.
  void setTarget(Target newTarget, llvm::StringRef newGpuArch);

private:
  bool define(llvm::StringRef name, llvm::StringRef source);
  bool command(llvm::StringRef line);
  /// The program that computes `expr` in `__repl__`: the definitions, then
  /// the function (or the session's model, when `expr` names instances),
  /// its body a placeholder for `expr`.
  /// `inputs` gets the bound tensors it reads, `entry` the entry's name.
  std::string expressionProgram(llvm::StringRef expr, TensorMap &inputs,
                                std::string &entry) const;
  /// Parses `source`, makes `expr` (in a buffer `<input>` of its own) the
  /// body of `entry`, generates and lowers to the weft stage.
  std::unique_ptr<Compilation> compileProgram(llvm::StringRef source,
                                              llvm::StringRef entry,
                                              llvm::StringRef expr);
  /// The definition `name` (a function, a model's forward, or
  /// `Model.method`, with a typed signature) compiled as the entry point;
  /// null if `name` names no definition, failure if it could not compile
  /// (reported).
  FailureOr<std::unique_ptr<Compilation>>
  compileDefinition(llvm::StringRef name);
  std::unique_ptr<Compilation> compileExpression(llvm::StringRef expr,
                                                 TensorMap &inputs,
                                                 std::string &entry);
  /// `net = Net(...)`: records the instance.
  bool instantiate(llvm::StringRef name, llvm::StringRef call);
  /// Drops the tensors loaded for the parameters of `instance`.
  void forgetWeights(llvm::StringRef instance);
  llvm::Expected<std::vector<Tensor>> evaluate(llvm::StringRef expr,
                                               unsigned benchmarkRuns);
  /// The session's definitions, then `extra`.
  std::string program(llvm::StringRef extra) const;
  bool fail(llvm::Error error);

  MLIRContext &context;
  llvm::raw_ostream &out;
  /// Definitions by name (`f`, `Model`, `import nn`), in order of entry.
  using Definitions =
      llvm::MapVector<std::string, std::string, llvm::StringMap<unsigned>>;
  Definitions definitions;
  /// Model instances by name: the constructor call (`Net(3, 2)`).
  Definitions instances;
  /// Parameters loaded by `:weights`, by full name (`net.fc.weight`).
  TensorMap weights;
  /// Compiled programs by source text: evaluating the same expression over
  /// the same definitions and input types again only runs it. Cleared when
  /// parameters may change (`:seed`, `:weights`, a new instance).
  llvm::StringMap<std::unique_ptr<CompiledEntry>> compiled;
  /// Tensors by name, in order of binding.
  TensorMap bindings;
  /// The target, GPU architecture and seed of what the session compiles.
  CompilationOptions compileOptions;
  bool quit = false;
};

} // namespace mlir::weft

#endif // WEFT_DRIVER_REPLSESSION_H
