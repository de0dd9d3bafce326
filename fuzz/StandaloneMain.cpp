//===- StandaloneMain.cpp - A fuzz target without libFuzzer ---------------===//
//
// Runs the target once on each file named, and on every file of each
// directory named (recursively): the regression corpus, under ctest.
//
//===----------------------------------------------------------------------===//

#include "Fuzzer.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

int main(int argc, char **argv) {
  unsigned count = 0;
  auto run = [&](llvm::StringRef path) -> bool {
    auto buffer = llvm::MemoryBuffer::getFile(path);
    if (!buffer) {
      llvm::errs() << path << ": cannot read\n";
      return false;
    }
    // Named before it runs, so that a crash says which input it was.
    llvm::errs() << "input " << path << "\n";
    LLVMFuzzerTestOneInput(
        reinterpret_cast<const uint8_t *>((*buffer)->getBufferStart()),
        (*buffer)->getBufferSize());
    ++count;
    return true;
  };
  for (int i = 1; i < argc; ++i) {
    if (!llvm::sys::fs::is_directory(argv[i])) {
      if (!run(argv[i]))
        return 1;
      continue;
    }
    std::error_code ec;
    for (llvm::sys::fs::recursive_directory_iterator it(argv[i], ec), end;
         it != end && !ec; it.increment(ec))
      if (llvm::sys::fs::is_regular_file(it->path()) && !run(it->path()))
        return 1;
    if (ec) {
      llvm::errs() << argv[i] << ": " << ec.message() << "\n";
      return 1;
    }
  }
  llvm::outs() << "ran " << count << " inputs without a crash\n";
  return 0;
}
