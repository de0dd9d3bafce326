//===- TensorFileFuzzer.cpp - Fuzzing the .npy and safetensors readers ----===//
//
// The input's first byte chooses the reader (even: .npy, odd:
// safetensors); the rest is the file. An error is an answer; a crash, an
// allocation the header's sizes did not justify, or a sanitizer report is a
// finding.
//
//===----------------------------------------------------------------------===//

#include "Fuzzer.h"
#include "weft/Runtime/TensorIO.h"

using namespace mlir::weft;

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  if (size == 0)
    return 0;
  llvm::StringRef bytes(reinterpret_cast<const char *>(data) + 1, size - 1);
  if (data[0] % 2 == 0) {
    llvm::Expected<Tensor> tensor = parseNpy(bytes, "fuzz.npy");
    if (!tensor)
      llvm::consumeError(tensor.takeError());
  } else {
    llvm::Expected<TensorMap> tensors =
        parseSafetensors(bytes, "fuzz.safetensors");
    if (!tensors)
      llvm::consumeError(tensors.takeError());
  }
  return 0;
}
