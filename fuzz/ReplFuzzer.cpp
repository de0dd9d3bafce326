//===- ReplFuzzer.cpp - Fuzzing the REPL's statements ---------------------===//
//
// The input is a REPL session: its lines are gathered into statements as
// `weft repl` gathers them and executed in one session (definitions,
// bindings, expressions compiled and run on the JIT, commands). Commands
// that name files (:load, :loadnpy, :save, :weights) are skipped: the
// fuzzer would read and write anywhere, and the readers have a fuzzer of
// their own.
//
//===----------------------------------------------------------------------===//

#include "Fuzzer.h"
#include "weft/Driver/ReplSession.h"

#include "mlir/IR/MLIRContext.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::weft;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  MLIRContext context(fuzz::setUp());
  std::string output;
  llvm::raw_string_ostream out(output);
  ReplSession session(context, out);
  llvm::SmallVector<llvm::StringRef> lines;
  llvm::StringRef(reinterpret_cast<const char *>(data), size)
      .split(lines, '\n');
  std::string pending;
  for (llvm::StringRef line : lines) {
    llvm::StringRef command = line.ltrim();
    if (command.starts_with(":load") || command.starts_with(":save") ||
        command.starts_with(":weights"))
      continue;
    pending += line.str() + "\n";
    if (ReplSession::isIncomplete(pending))
      continue;
    session.execute(pending);
    pending.clear();
    if (session.hasQuit())
      return 0;
    output.clear();
  }
  if (!pending.empty())
    session.execute(pending);
  return 0;
}
