//===- TensorIO.h - .npy and .safetensors files -----------------*- C++ -*-===//
//
// Readers report every problem with the file name (and the tensor name, for
// safetensors) in the error message: a missing file, a bad header, a dtype
// other than float32/float64, data shorter than the header promises.
//
//===----------------------------------------------------------------------===//

#ifndef WEFT_RUNTIME_TENSORIO_H
#define WEFT_RUNTIME_TENSORIO_H

#include "weft/Runtime/Tensor.h"

#include "llvm/ADT/MapVector.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/Error.h"

namespace llvm {
class MemoryBuffer;
class raw_ostream;
} // namespace llvm

namespace mlir::weft {

/// Named tensors in file order.
using TensorMap =
    llvm::MapVector<std::string, Tensor, llvm::StringMap<unsigned>>;

/// NumPy's .npy format, versions 1 to 3, little-endian `<f4`/`<f8`, C order.
llvm::Expected<Tensor> readNpy(llvm::StringRef path);
/// The contents `bytes` of a .npy file; errors name it `path`.
llvm::Expected<Tensor> parseNpy(llvm::StringRef bytes, llvm::StringRef path);
llvm::Error writeNpy(llvm::StringRef path, const Tensor &tensor);

/// The contents of the regular file `path`; anything else (a directory, a
/// device such as /dev/zero, which never ends) is an error naming it.
llvm::Expected<std::unique_ptr<llvm::MemoryBuffer>>
readRegularFile(llvm::StringRef path);

/// Writes `path` through `body`; a failure to open or write (a full disk) is
/// an error naming the file.
llvm::Error writeFile(llvm::StringRef path,
                      llvm::function_ref<void(llvm::raw_ostream &)> body);
/// An entry point's results as .npy files: `path` itself for one result;
/// for several, one file per result with its position before the
/// extension (`y.npy` gives `y.0.npy`, `y.1.npy`, ...).
llvm::Error writeResults(llvm::StringRef path, llvm::ArrayRef<Tensor> results);

/// The safetensors format: an 8-byte little-endian header length, a JSON
/// header mapping names to {dtype, shape, data_offsets}, then the bytes.
llvm::Expected<TensorMap> readSafetensors(llvm::StringRef path);
/// The contents `bytes` of a safetensors file; errors name it `path`.
llvm::Expected<TensorMap> parseSafetensors(llvm::StringRef bytes,
                                           llvm::StringRef path);
llvm::Error writeSafetensors(llvm::StringRef path, const TensorMap &tensors);

} // namespace mlir::weft

#endif // WEFT_RUNTIME_TENSORIO_H
