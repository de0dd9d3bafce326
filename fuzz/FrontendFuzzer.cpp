//===- FrontendFuzzer.cpp - Fuzzing source to weft IR ---------------------===//
//
// The input is a .weft program. It is parsed (with the standard library on
// the import path); its first entry point gets the default size for every
// symbolic dimension, is generated and is lowered through the front end's
// stages, shape inference and fusion. An error is an answer; a crash, a
// hang, a leak or a sanitizer report is a finding.
//
//===----------------------------------------------------------------------===//

#include "Fuzzer.h"
#include "weft/Driver/Compilation.h"
#include "weft/Driver/Invocation.h"

#include "mlir/IR/MLIRContext.h"

using namespace mlir;
using namespace mlir::weft;

namespace {
/// The first function or method whose parameters all have types.
std::optional<std::string> firstEntryPoint(const ModuleAST &module) {
  auto typed = [](const FunctionAST &f) {
    return llvm::all_of(f.params, [](const ParamAST &p) { return p.type; });
  };
  for (const FunctionAST &f : module.functions)
    if (typed(f))
      return f.name;
  for (const ModelAST &model : module.models)
    for (const FunctionAST &f : model.methods)
      if (model.params.empty() && typed(f))
        return model.name + "." + f.name;
  return std::nullopt;
}
} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  MLIRContext context(fuzz::setUp());
  Compilation compilation(context, CompilationOptions());
  llvm::StringRef source(reinterpret_cast<const char *>(data), size);
  if (failed(compilation.loadSource(source, "fuzz.weft")))
    return 0;
  std::optional<std::string> name = firstEntryPoint(compilation.getAST());
  if (!name)
    return 0;
  auto entry = findEntryPoint(compilation.getAST(), *name);
  if (!entry) {
    llvm::consumeError(entry.takeError());
    return 0;
  }
  TensorMap inputs;
  llvm::StringMap<int64_t> dims;
  if (llvm::Error e = bindInputs(compilation.getAST(), *entry,
                                 InvocationOptions(), inputs, dims)) {
    llvm::consumeError(std::move(e));
    return 0;
  }
  if (succeeded(compilation.generate(*entry, dims)))
    (void)compilation.lowerTo(Stage::Fused);
  return 0;
}
